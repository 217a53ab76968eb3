package lessons_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
	"wiretutor/lessons/lessontest"
)

// scriptedNick is the nickname the chat lesson joins with in --no-input
// mode.
const scriptedNick = "student"

// scriptedLine is the first line the chat lesson types for the learner
// in --no-input mode, in the learner's language.
func scriptedLine(t *testing.T, lang string) string {
	t.Helper()
	tx, err := i18n.Load(content.FS, lang)
	if err != nil {
		t.Fatal(err)
	}
	return tx.T("chat.bot.learner_first", nil)
}

// runInSandbox runs a lesson start to end in the sandbox with no input,
// in a language, and returns its exported questions, its text and the
// path of its capture.
func runInSandbox(t *testing.T, id, lang string) (quiz.Export, string, string) {
	t.Helper()
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	dir := t.TempDir()
	pcap, qj := filepath.Join(dir, id+".pcapng"), filepath.Join(dir, id+".json")
	var out bytes.Buffer
	o := course.Options{Lang: lang, Content: content.FS, Net: sb, NoInput: true, Out: &out, Term: render.Term{Width: 80},
		SaveCapture: pcap, QuizJSON: qj,
		Capture: func(p course.Ports) (course.LiveSource, error) {
			prog, err := filter.CompileCapture(course.CaptureFilter(p), capture.MaxFrame)
			if err != nil {
				return nil, err
			}
			return capture.NewTapSource(sb, prog)
		}}
	tx, err := i18n.Load(content.FS, lang)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := course.RunLesson(context.Background(), lessontest.Lesson(t, id), o, tx); err != nil {
		t.Fatalf("%s in %s: %v\n%s", id, lang, err, out.String())
	}
	var export quiz.Export
	data, err := os.ReadFile(qj)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &export); err != nil {
		t.Fatal(err)
	}
	return export, out.String(), pcap
}

// want is one question a lesson asks, in order: what it asks, its
// answer (a number, or "" when it differs run to run), the add of a
// what-if, and whether it is a prediction.
type want struct {
	kind    string
	expect  string
	add     int64
	predict bool
}

// frameWords name a frame in each language: a prediction's wording
// never points at a frame the learner has not seen.
var frameWords = map[string]string{"en": "frame", "ru": "кадр", "zh": "帧"}

// played is one run of a lesson with --no-input: what it printed, and
// its questions (filter tasks left out) as --quiz-json exports them.
type played struct {
	out string
	qs  []*quiz.Question
}

// before is what the lesson printed before its question n (from 1),
// with the paths it names (the saved capture's, in the test's temporary
// folder, whose random digits may hold any number) as PATH.
func (p played) before(t *testing.T, n int) string {
	t.Helper()
	h := "Question " + strconv.Itoa(n) + " of "
	i := strings.Index(p.out, h)
	if i < 0 {
		t.Fatalf("no %q in the lesson's text:\n%s", h, p.out)
	}
	return absPath.ReplaceAllString(p.out[:i], "PATH")
}

// absPath is an absolute path in a lesson's text.
var absPath = regexp.MustCompile(`/\S+`)

// checkFlow runs the lesson in the sandbox in each language and checks
// its questions against wants, in order, and its filter tasks (how many,
// and that tshark agrees with each). It returns the English run.
func checkFlow(t *testing.T, id string, wants []want, tasks int) played {
	t.Helper()
	return checkFlowIn(t, id, func(string) []want { return wants }, tasks)
}

// checkFlowIn is checkFlow with wants that depend on the language.
func checkFlowIn(t *testing.T, id string, wantsIn func(lang string) []want, tasks int) played {
	t.Helper()
	var en played
	for _, lang := range []string{"en", "ru", "zh"} {
		t.Run(lang, func(t *testing.T) {
			wants := wantsIn(lang)
			export, text, pcap := runInSandbox(t, id, lang)
			var qs, ts []*quiz.Question
			for _, q := range export.Questions {
				if q.Frame == 0 { // a filter task names frames by its model
					ts = append(ts, q)
				} else {
					qs = append(qs, q)
				}
			}
			if len(qs) != len(wants) || len(ts) != tasks {
				t.Fatalf("%d questions and %d tasks, want %d and %d: %+v", len(qs), len(ts), len(wants), tasks, export.Questions)
			}
			for i, w := range wants {
				q := qs[i]
				if q.Kind != w.kind || w.expect != "" && q.Expect != w.expect || q.Add != w.add || q.Predict != w.predict {
					t.Errorf("question %d: %s expects %q (add %d, predict %v); want %s, %q (add %d, predict %v)",
						i+1, q.Kind, q.Expect, q.Add, q.Predict, w.kind, w.expect, w.add, w.predict)
				}
				if q.Predict && strings.Contains(strings.ToLower(q.Prompt), frameWords[lang]) {
					t.Errorf("prediction %s names a frame the learner has not seen: %q", q.Kind, q.Prompt)
				}
				// Asked where it stands, numbered among the questions only.
				if !strings.Contains(squeeze(text), squeeze(q.Prompt)) {
					t.Errorf("question %s is not in the lesson's text: %q", q.Kind, q.Prompt)
				}
			}
			checkTasks(t, id, pcap, ts)
			if lang == "en" {
				en = played{out: text, qs: qs}
			}
		})
	}
	return en
}

// squeeze drops every blank: a wrapped line breaks Chinese text with
// no space to find again.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// keep copies a capture a test failed on out of the test's temporary
// folder, so that the difference can be looked at afterwards.
func keep(pcap string) string {
	data, err := os.ReadFile(pcap)
	if err != nil {
		return err.Error()
	}
	f, err := os.CreateTemp("", "wiretutor-failed-*.pcapng")
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err.Error()
	}
	return f.Name()
}

// checkTasks: each task's frames are what tshark selects with the
// task's model filter.
func checkTasks(t *testing.T, id, pcap string, ts []*quiz.Question) {
	ts2 := testenv.Tshark(t)
	for i, task := range lessontest.Lesson(t, id).Tasks {
		if task.Capture {
			continue // a capture filter (BPF), which tshark -Y cannot read
		}
		out, err := exec.Command(ts2, "-r", pcap, "-Y", task.Model, "-T", "fields", "-e", "frame.number").Output()
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(strings.Fields(string(out)), ",")
		if got == "" || got != ts[i].Expect {
			t.Errorf("task %s: tshark -Y %q selects %q, the lesson expects %q (the capture is kept: %s)", task.ID, task.Model, got, ts[i].Expect, keep(pcap))
		}
		for _, answer := range otherAnswers(id + "/" + task.ID) {
			if got := selectWith(t, pcap, answer); got != ts[i].Expect {
				t.Errorf("task %s: a learner's %q selects %q, the lesson expects %q", task.ID, answer, got, ts[i].Expect)
			}
		}
	}
}

// otherAnswers are filters a learner may well write for a task
// ("lesson/task"), other than its model, that must be graded right.
func otherAnswers(task string) []string {
	switch task {
	case "filters/hello":
		return []string{`frame contains "hello"`, `tcp contains "hello" || udp contains "hello"`, `data contains "hello"`}
	}
	return nil
}

// selectWith is the frames a display filter selects in a capture, as
// "1,2,3".
func selectWith(t *testing.T, pcap, expr string) string {
	f, err := filter.CompileDisplay(expr)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	var frames []string
	pkts := testenv.PacketsAt(t, pcap)
	for i := range pkts {
		if f.Match(&pkts[i]) {
			frames = append(frames, strconv.Itoa(pkts[i].Number))
		}
	}
	return strings.Join(frames, ",")
}

// TestChatFlow: the chat lesson predicts four numbers before it shows
// the capture (the connections, the bytes of the learner's message, the
// Ack it gets, the copy relayed to jack), then asks for the message's
// frame and jack's connection, a what-if on the Ack, and two filters.
// The learner's scripted line is in the lesson's language, so its bytes
// (UTF-8: two a Cyrillic letter, three a Chinese character) differ from
// its characters in ru and zh.
func TestChatFlow(t *testing.T) {
	checkFlowIn(t, "chat", func(lang string) []want {
		line := scriptedLine(t, lang)
		if lang != "en" && len(line) == utf8.RuneCountInString(line) {
			t.Fatalf("the scripted line %q is ASCII in %s: the test would not tell bytes from characters", line, lang)
		}
		msg := len(line) + 1 // the newline too
		return []want{
			{"chat-connections", "3", 1, true},
			{"chat-message-len", strconv.Itoa(msg), 0, true},
			{"chat-message-ack", strconv.Itoa(1 + len(scriptedNick) + 1 + msg), 0, true},
			{"chat-relay-len", strconv.Itoa(len(scriptedNick + ": " + line)), 0, true},
			{"chat-message-frame", "", 0, false},
			{"chat-jack-stream", "0", 0, false},
			{"chat-ack-whatif", strconv.Itoa(1 + len(scriptedNick) + 1 + msg + 10), 10, false},
		}
	}, 2)
}

// TestHTTPRawFlow: the HTTP lesson predicts five numbers before it shows
// the capture (the request's bytes, its Ack, the redirect's status and
// Content-Length, the HTTP/1.0 request's connection), then asks for an
// answer's length from the packet after it, a what-if on keep-alive,
// and two filters.
func TestHTTPRawFlow(t *testing.T) {
	req := len("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\n\r\n")
	checkFlow(t, "http-raw", []want{
		{"http-request-len", strconv.Itoa(req), 0, true},
		{"http-request-ack", strconv.Itoa(req + 1), 0, true},
		{"http-status", "301", 0, true},
		{"http-content-length", strconv.Itoa(len("<a href=\"/\">Moved Permanently</a>.\n\n")), 0, true},
		{"http-connections", "2", 0, true},
		{"http-answer-len", "", 0, false},
		{"http-whatif-stream", "3", 1, false},
	}, 2)
}
