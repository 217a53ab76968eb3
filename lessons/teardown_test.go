package lessons_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
	"wiretutor/lessons/lessontest"
)

// teardownRun is one run of the tcp-teardown lesson: its capture and
// the socket table it showed after the exchange.
type teardownRun struct {
	pkts  []dissect.Packet
	after [][]string // proto, local, remote, state
	out   string
}

// runTeardown runs the lesson's exchange on the network netName with
// only the steps that capture and show the table after it (no text, no
// questions), or skips when the network cannot run it here.
func runTeardown(t *testing.T, netName string) teardownRun {
	t.Helper()
	if netName == course.NetKernel {
		testenv.NeedCapture(t)
	}
	tx, err := i18n.Load(content.FS, "en")
	if err != nil {
		t.Fatal(err)
	}
	nw, err := course.OpenNetwork(netName, course.Want{})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	l := *lessontest.Lesson(t, "tcp-teardown")
	l.Steps = []course.Step{{Kind: course.Run}, {Kind: course.Sockets, Section: course.AfterSnapshot}}
	pcap := filepath.Join(t.TempDir(), "teardown.pcapng")
	var out bytes.Buffer
	o := course.Options{Lang: "en", Content: content.FS, Net: nw.Net, Capture: nw.Capture, NoInput: true,
		Out: &out, Term: render.Term{Width: 120}, SaveCapture: pcap}
	if _, err := course.RunLesson(context.Background(), &l, o, tx); err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			t.Skipf("port 10000 is taken here (another test's echo server): %v", err)
		}
		t.Fatalf("%v\n%s", err, out.String())
	}
	pkts := testenv.PacketsAt(t, pcap)
	r := teardownRun{pkts: pkts, out: out.String()}
	if _, rest, ok := strings.Cut(r.out, tx.T("sockets.title.after", nil)); ok {
		for _, line := range strings.Split(rest, "\n")[2:] { // the heading's end, the column titles
			f := strings.Fields(line)
			if len(f) < 4 || !strings.HasPrefix(f[0], "tcp") {
				break
			}
			r.after = append(r.after, f)
		}
	}
	return r
}

// TestTeardownStatesAreTheSocketTable: the state machine's state after
// each connection's last frame is the state the socket table shows once
// the exchange is over: the end that closed first in TIME_WAIT, every
// other end gone (CLOSED has no row), on both networks.
func TestTeardownStatesAreTheSocketTable(t *testing.T) {
	for _, netName := range []string{course.NetSandbox, course.NetKernel} {
		t.Run(netName, func(t *testing.T) {
			r := runTeardown(t, netName)
			if len(r.after) == 0 {
				t.Fatalf("no socket table after the close:\n%s", r.out)
			}
			shown := map[[2]string]string{} // local, remote → state
			for _, row := range r.after {
				if row[3] != "LISTEN" {
					shown[[2]string{row[1], row[2]}] = row[3]
				}
			}
			conns := stream.TCPConns(r.pkts)
			if len(conns) != 4 {
				t.Fatalf("%d connections, want 4", len(conns))
			}
			waiting := 0
			for _, c := range conns {
				steps := c.States(r.pkts)
				last := steps[len(steps)-1]
				for _, end := range []struct {
					local, remote stream.Endpoint
					state         stream.State
				}{{c.Client, c.Server, last.Client.State}, {c.Server, c.Client, last.Server.State}} {
					key := [2]string{end.local.String(), end.remote.String()}
					got, ok := shown[key]
					switch {
					case end.state == stream.Closed && ok:
						t.Errorf("stream %d: %s is CLOSED after the last frame, the table shows it %s", c.Stream, end.local, got)
					case end.state != stream.Closed && got != string(end.state):
						t.Errorf("stream %d: %s is %s after the last frame, the table shows %q", c.Stream, end.local, end.state, got)
					}
					delete(shown, key)
					if end.state == stream.TimeWait {
						waiting++
					}
				}
				if c.FirstFIN >= 0 && c.RST < 0 {
					closer := last.End(c.FromClient(&r.pkts[c.FirstFIN]))
					if closer.State != stream.TimeWait {
						t.Errorf("stream %d: the end that closed first is %s, not TIME_WAIT", c.Stream, closer.State)
					}
				}
			}
			for key, state := range shown {
				t.Errorf("the table shows %v in %s, which no connection of the capture ends in", key, state)
			}
			if waiting != 2 {
				t.Errorf("%d ends in TIME_WAIT, want the clients of the orderly close and the half-close", waiting)
			}
		})
	}
}

// TestTeardownQuestions: on a capture of the lesson, every question it
// asks is made, with the answer the rules give; the predictions have
// their wording in every language, which neither holds the answer nor
// names a frame, on both networks (the kernel's close takes three
// packets, the sandbox's four).
func TestTeardownQuestions(t *testing.T) {
	for _, netName := range []string{course.NetSandbox, course.NetKernel} {
		t.Run(netName, func(t *testing.T) { checkTeardownQuestions(t, runTeardown(t, netName)) })
	}
}

func checkTeardownQuestions(t *testing.T, r teardownRun) {
	t.Helper()
	l := lessontest.Lesson(t, "tcp-teardown")
	c := &quiz.Capture{Packets: r.pkts, Conn: l.Focus(stream.TCPConns(r.pkts))}
	clientPort := strconv.Itoa(int(c.Conn.Client.Port()))
	want := map[string]string{
		"close-flags": "FIN, ACK", "teardown-closer-fin": "FIN_WAIT1", "teardown-other-fin": "CLOSE_WAIT",
		"teardown-other-fin2": "LAST_ACK", "teardown-closer-last": "TIME_WAIT", "teardown-half-close": "FIN_WAIT2",
		"refused-flags": "RST, ACK", "time-wait-port": clientPort, "teardown-server-first": "10000",
	}
	predictions := map[string]bool{"close-flags": true, "teardown-closer-fin": true, "teardown-other-fin": true,
		"teardown-other-fin2": true, "teardown-closer-last": true}
	for _, lang := range i18n.Available(content.FS) {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		asked, revealed, whatIf, states := 0, false, 0, 0
		for _, st := range l.Steps {
			switch st.Kind {
			case course.Packets, course.Ladder, course.Sockets, course.Follow:
				revealed = true
			}
			if st.Kind != course.Ask {
				continue
			}
			q, ok := st.Maker(c, tx)
			if !ok {
				t.Errorf("%s: %s made no question of the lesson's capture", lang, st.Section)
				continue
			}
			asked++
			if w, ok := want[st.Section]; ok && q.Shown != w {
				t.Errorf("%s: %s expects %q, want %q", lang, st.Section, q.Shown, w)
			}
			if q.Add != 0 {
				whatIf++
			}
			if q.Answer == quiz.KindState {
				states++
				if q.Field != "" || q.Kind != quiz.StateKind {
					t.Errorf("%s: %s is a state question with field %q, kind %q", lang, st.Section, q.Field, q.Kind)
				}
			}
			if predictions[st.Section] != !revealed {
				t.Errorf("%s: %s asked before the capture is shown: %v", lang, st.Section, !revealed)
			}
			if !revealed {
				if q.Predicted == "" {
					t.Errorf("%s: %s has no prediction wording", lang, st.Section)
				}
				if strings.Contains(q.Predicted, strconv.Itoa(q.Frame)) {
					t.Errorf("%s: the prediction %q names its frame %d", lang, q.Predicted, q.Frame)
				}
			}
			if strings.Contains(q.Prompt+q.Predicted, q.Shown) && (q.Answer == quiz.KindState || q.Answer == quiz.KindFlags) {
				t.Errorf("%s: %s words its own answer %s: %q", lang, st.Section, q.Shown, q.Prompt+" / "+q.Predicted)
			}
		}
		if asked != 12 || whatIf != 1 || states != 5 {
			t.Errorf("%s: %d questions (%d what-if, %d states), want 12 (1, 5)", lang, asked, whatIf, states)
		}
	}
}

// TestTeardownNoInput: the lesson as an instructor reads it
// (--no-input), in every language. Its exported questions expect what
// tshark prints; and the text above each question never holds its
// answer: the frame of the reset, the flags of the refusal, the port
// in TIME_WAIT. Answers of one character, the states, which the rules
// list for every question alike, and the server's port, which the lab
// gives, are left out.
func TestTeardownNoInput(t *testing.T) {
	l := lessontest.Lesson(t, "tcp-teardown")
	nw, err := course.OpenNetwork(course.NetSandbox, course.Want{})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	for _, lang := range i18n.Available(content.FS) {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		qj, pcap := filepath.Join(dir, "q.json"), filepath.Join(dir, "l.pcapng")
		var out bytes.Buffer
		o := course.Options{Lang: lang, Content: content.FS, Net: nw.Net, Capture: nw.Capture, NoInput: true,
			Out: &out, Term: render.Term{Width: 80}, QuizJSON: qj, SaveCapture: pcap}
		if _, err := course.RunLesson(context.Background(), l, o, tx); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		// The prose: the lines of text sections, indented by two blanks,
		// not the packet list (deeper), the ladder or the tables.
		var prose strings.Builder
		for _, line := range strings.Split(out.String(), "\n") {
			header := tx.T("quiz.header", map[string]any{"N": 0, "Total": 0})
			if h, _, _ := strings.Cut(header, "0"); h != "" && strings.HasPrefix(line, h) {
				prose.WriteString("\x00" + line + "\n") // where a question is asked
				continue
			}
			if strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && !strings.Contains(line, "|") {
				prose.WriteString(line + "\n")
			}
		}
		parts := strings.Split(prose.String(), "\x00")
		exported := readExport(t, qj)
		if lang == "en" {
			checkWithTshark(t, pcap, exported)
		}
		n := 0
		for i := 1; i < len(parts); i++ {
			if n >= len(exported) {
				break
			}
			q := exported[n]
			n++
			if _, ok := stream.ParseState(q.Expect); ok || len(q.Shown()) < 2 || q.Kind == "server-first-time-wait" {
				continue // the server's port is the lab's, named from the start: that question asks which end
			}
			before := strings.Join(parts[:i], "")
			before = strings.Join(strings.Fields(before), " ")
			if strings.Contains(before, q.Shown()) {
				t.Errorf("%s: the text before question %d (%s) states its answer %s", lang, n, q.Kind, q.Shown())
			}
		}
	}
}

// exportedQuestion is a question as --quiz-json writes it.
type exportedQuestion struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Frame  int    `json:"frame"`
	Field  string `json:"field"`
	Expect string `json:"expect"`
	Add    int64  `json:"add"`
}

// checkWithTshark: every question that names a field expects what
// tshark prints for it (plus add, for a what-if); a state question
// names none, and its kind says so.
func checkWithTshark(t *testing.T, pcap string, qs []exportedQuestion) {
	t.Helper()
	ts := testenv.Tshark(t)
	for _, q := range qs {
		if q.Field == "" {
			if q.Kind != quiz.StateKind {
				t.Errorf("%s: no field, and not a state question", q.Kind)
			}
			continue
		}
		out, err := exec.Command(ts, "-r", pcap, "-Y", "frame.number=="+strconv.Itoa(q.Frame), "-T", "fields", "-e", q.Field).Output()
		if err != nil {
			t.Fatal(err)
		}
		got := strings.TrimSpace(string(out))
		if n, err := strconv.ParseInt(got, 10, 64); err == nil && q.Add != 0 {
			got = strconv.FormatInt(n+q.Add, 10)
		}
		if got != q.Expect {
			t.Errorf("%s: tshark says frame %d %s = %q (+%d), the quiz expects %q", q.Kind, q.Frame, q.Field, got, q.Add, q.Expect)
		}
	}
}

// Shown is the answer as the learner writes it: flags by name.
func (q exportedQuestion) Shown() string {
	if q.Field == "tcp.flags" {
		if bits, ok := quiz.ParseFlags(q.Expect); ok {
			return quiz.FlagsText(bits)
		}
	}
	return q.Expect
}

// readExport reads the questions of a --quiz-json file, not its tasks.
func readExport(t *testing.T, path string) []exportedQuestion {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Questions []exportedQuestion `json:"questions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var qs []exportedQuestion
	for _, q := range doc.Questions {
		if strings.HasPrefix(q.ID, "q") {
			qs = append(qs, q)
		}
	}
	return qs
}
