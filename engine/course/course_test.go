package course_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
	"wiretutor/lessons/lessontest"
)

// replay is a live source that plays a capture file, then waits for
// Close like a real capture: the runner can be tested without rights.
type replay struct {
	frames []capture.Frame
	link   layers.LinkType
	once   sync.Once
	closed chan struct{}
}

func newReplay(t *testing.T, name string) *replay {
	t.Helper()
	rec := testenv.Recording(t, name)
	return &replay{frames: rec.Frames, link: rec.Link, closed: make(chan struct{})}
}

func (r *replay) LinkType() layers.LinkType { return r.link }

func (r *replay) Precision() int { return 6 }

func (r *replay) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	if len(r.frames) > 0 {
		f := r.frames[0]
		r.frames = r.frames[1:]
		return f.Data, f.Info, nil
	}
	<-r.closed
	return nil, gopacket.CaptureInfo{}, os.ErrClosed
}

func (r *replay) Close() error {
	r.once.Do(func() { close(r.closed) })
	return nil
}

func options(t *testing.T, lang string, fsys fs.FS, asker quiz.Asker, out io.Writer) (course.Options, *i18n.Catalog) {
	t.Helper()
	tx, err := i18n.Load(fsys, lang)
	if err != nil {
		t.Fatal(err)
	}
	// The sandbox, so no test here competes for the lab's real ports
	// with tests running in other packages at the same time.
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return course.Options{
		Lang: lang, Content: fsys, Net: sb, Asker: asker, NoInput: asker == nil,
		Out: out, Term: render.Term{Width: 80},
		// Each run of the exchange replays the lab's capture afresh.
		Capture: func(course.Ports) (course.LiveSource, error) { return newReplay(t, "echo-lab.pcap"), nil },
	}, tx
}

func TestRunLessonAnswersRightAndWrong(t *testing.T) {
	// Enter through every pause; answer the seven questions: the third
	// wrong twice, the sixth wrong and then, after the hint, right.
	answers := []string{"", "", "", "", "", "", "", "", "", "",
		"41950", "SYN, ACK", "0", "0", "13", "1", "9", "8", "fin ack", ""}
	var out bytes.Buffer
	script := &quiz.Script{Answers: answers}
	o, tx := options(t, "en", content.FS, script, &out)
	res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !res.Completed || res.Score != 5 || res.Total != 7 || res.Second != 1 {
		t.Errorf("result %+v, want 5 of 7 and 1 on the second try", res)
	}
	text := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{
		"Captured 12 packets.",                                   // the lab's capture: TCP and UDP
		"Ack = Seq + Len = 1 + 12 = 13",                          // the lesson's arithmetic, live
		"client got port 41950",                                  // the live ephemeral port
		"the answer is 1.",                                       // a wrong answer is told the right one
		"Seq = 0 + 1 = 1",                                        // and why
		"Right on the first try: 5 of 7.",                        // the score
		"Not yet: \"0\" is not it. The answer is larger than 0.", // a hint after the first wrong answer
		"Not yet: \"9\" is not it. The answer is smaller than 9.",
		"Right on the second try: 8.",
		"1 more right on the second try, after a hint.",
		"SYN Seq=0 Len=0 ────────▶│ 1",                                     // the ladder
		"4 0.000056 127.0.0.1 → 127.0.0.1 TCP 78 41950 → 10000 [PSH, ACK]", // tshark's line
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestRunLessonQuit(t *testing.T) {
	tests := []struct {
		name    string
		answers []string
	}{
		{"q at a pause", []string{"", "q"}},
		{"input ends", []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			o, tx := options(t, "en", content.FS, &quiz.Script{Answers: tt.answers}, &out)
			res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
			if !errors.Is(err, course.ErrQuit) || res.Completed {
				t.Errorf("got %+v, %v; want ErrQuit", res, err)
			}
		})
	}
}

// pauses are the answers that walk tcp-handshake from its first step to
// its quiz: one Enter per pause.
func pauses(n int) []string { return make([]string, n) }

// quizAnswers answer the tcp-handshake quiz of echo-lab.pcap, all right.
var quizAnswers = []string{"41950", "SYN, ACK", "1", "13", "1", "8", "FIN, ACK"}

// TestBackFromAQuestion: b at a question shows the text before the quiz
// again; the quiz then goes on at the question where the learner left,
// the first answer's score kept.
func TestBackFromAQuestion(t *testing.T) {
	answers := append(pauses(10), "41950", "b", "") // right, back, Enter on the text
	answers = append(answers, quizAnswers[1:]...)
	answers = append(answers, "")
	var out bytes.Buffer
	o, tx := options(t, "en", content.FS, &quiz.Script{Answers: answers}, &out)
	res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
	if err != nil || !res.Completed || res.Score != 7 || res.Total != 7 {
		t.Fatalf("%+v, %v; want 7 of 7\n%s", res, err, out.String())
	}
	text := out.String()
	// Question 2 was on the screen when b was typed, and is again after.
	if strings.Count(text, "Question 1 of 7") != 1 || strings.Count(text, "Question 2 of 7") != 2 {
		t.Errorf("the quiz must go on at question 2, not start again:\n%s", text)
	}
}

func TestNavigation(t *testing.T) {
	tests := []struct {
		name    string
		answers []string
		// counts of strings in the output
		want map[string]int
	}{
		{"straight through", append(append(pauses(10), quizAnswers...), ""),
			map[string]int{"What you will do": 1, "Captured 12 packets": 1, "Right on the first try: 7 of 7": 1}},
		{"back to the first step, and past it", append(append([]string{"", "b", "b", "", ""}, pauses(8)...), append(quizAnswers, "")...),
			map[string]int{"there is nothing before it": 1, "What you will do": 2, "Captured 12 packets": 1, "Right on the first try: 7 of 7": 1}},
		{"the capture again", append(append([]string{"", "", "c", "capture", ""}, pauses(8)...), append(quizAnswers, "")...),
			map[string]int{"The capture: 12 packets": 3, "Captured 12 packets": 1}},
		{"repeat the exchange", append(append([]string{"", "", "", "r"}, pauses(9)...), append(quizAnswers, "")...),
			map[string]int{"Captured 12 packets": 2, "The exchange ran again": 1, "The capture: 12 packets": 2}},
		{"a word that is no choice", append(append([]string{"", "xyz"}, pauses(10)...), append(quizAnswers, "")...),
			map[string]int{`"xyz" is not one of the choices`: 1, "Right on the first try: 7 of 7": 1}},
		{"a hint costs nothing", append(append(pauses(10), append([]string{"?"}, quizAnswers...)...), ""),
			map[string]int{"the answer is the field tcp.srcport of frame 1": 1, "Right on the first try: 7 of 7": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			script := &quiz.Script{Answers: tt.answers}
			o, tx := options(t, "en", content.FS, script, &out)
			res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
			if err != nil || !res.Completed || res.Score != 7 || res.Total != 7 {
				t.Fatalf("got %+v, %v; want 7 of 7 completed\n%s", res, err, out.String())
			}
			if len(script.Answers) != 0 {
				t.Errorf("%d answers left over: the walk asked fewer questions than expected", len(script.Answers))
			}
			text := strings.Join(strings.Fields(out.String()), " ")
			for s, n := range tt.want {
				if got := strings.Count(text, s); got != n {
					t.Errorf("%q appears %d times, want %d", s, got, n)
				}
			}
		})
	}
}

func TestQuitAndResume(t *testing.T) {
	tests := []struct {
		name      string
		first     []string
		wantStep  int
		wantCarry [2]int
		second    []string
		wantScore int
	}{
		// Steps: 0 intro, 1 sockets, 2 run, 3 packets, 4 ports, ... 12 quiz.
		{"quit at a pause", []string{"", "", "", "q"}, 5, [2]int{0, 0}, append(pauses(6), append(quizAnswers, "")...), 7},
		{"quit in the quiz", append(pauses(10), "41950", "SYN, ACK", "quit"), 12, [2]int{0, 0}, append(slices.Clone(quizAnswers), ""), 7},
		{"quit after the quiz", append(pauses(10), "41950", "0", "0", "1", "13", "1", "8", "FIN, ACK", "q"), 13, [2]int{6, 7}, nil, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			o, tx := options(t, "en", content.FS, &quiz.Script{Answers: tt.first}, &out)
			res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
			if !errors.Is(err, course.ErrQuit) || res.Completed || res.Step != tt.wantStep || res.Score != tt.wantCarry[0] || res.Total != tt.wantCarry[1] {
				t.Fatalf("first run: %+v, %v; want ErrQuit at step %d carrying %v", res, err, tt.wantStep, tt.wantCarry)
			}
			out.Reset()
			o, tx = options(t, "en", content.FS, &quiz.Script{Answers: tt.second}, &out)
			o.Start, o.Carry = res.Step, res
			res, err = course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
			if err != nil || !res.Completed || res.Score != tt.wantScore || res.Total != 7 {
				t.Fatalf("resumed: %+v, %v; want %d of 7\n%s", res, err, tt.wantScore, out.String())
			}
			text := strings.Join(strings.Fields(out.String()), " ")
			if i := strings.Index(text, "as tshark prints them"); i < 0 || i > strings.Index(text, "Question") && strings.Contains(text, "Question") {
				t.Errorf("the resumed run must show its new capture before anything refers to it:\n%.800s", text)
			}
			if !strings.Contains(text, "Resuming where you stopped") || strings.Contains(text, "What you will do") {
				t.Errorf("the resumed run must say so and not show the steps before:\n%.800s", text)
			}
		})
	}
}

func TestFallbackToEnglish(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range []string{"en/ui.toml", "en/tcp-handshake.md", "ru/ui.toml"} {
		data, err := fs.ReadFile(content.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	var out bytes.Buffer
	o, tx := options(t, "ru", fsys, nil, &out)
	res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
	if err != nil || !res.Completed {
		t.Fatalf("%+v %v", res, err)
	}
	if !strings.Contains(out.String(), "ещё не переведён на ваш язык") || !strings.Contains(out.String(), "The three-way handshake") {
		t.Errorf("want a one-line Russian notice and the English text:\n%.600s", out.String())
	}
}

func TestBrokenContent(t *testing.T) {
	fsys := fstest.MapFS{
		"en/ui.toml":          {Data: must(fs.ReadFile(content.FS, "en/ui.toml"))},
		"en/tcp-handshake.md": {Data: []byte("+++\nid = \"tcp-handshake\"\n+++\n## Heading without id\n")},
	}
	var out bytes.Buffer
	o, tx := options(t, "en", fsys, nil, &out)
	_, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
	if err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("got %v, want the line of the broken heading", err)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestFilterTasks runs the filters lesson on the lab's capture: its
// questions (two predictions, the second right after a hint; no ping
// in this capture, so no third; one reading), then right, wrong and
// broken filters, scored by the frames they select. Blanks go through
// the pauses; at a question or a task a blank is asked again.
func TestFilterTasks(t *testing.T) {
	answers := []string{"", "", "", "", "", "", "", "",
		"12",       // tcp.len of "hello server"
		"12", "20", // udp.length: the header forgotten, then counted
		"", "", "", "", "", "",
		"12", // the frame that udp.dstport == the client's port selects first
		"", "", "", "",
		"udp",
		"tcp.flags.syn", "tcp.flags.syn == 1", // the first selects every TCP packet
		"udp.srcport = 10001", "udp.srcport == 10001", // a syntax error costs no try
		"tcp.len > 0 || udp.length > 8",
		`data.data contains "hello"`,
		"tcp.port == 10000", "tcp port 10000",
		""}
	var out bytes.Buffer
	o, tx := options(t, "en", content.FS, &quiz.Script{Answers: answers}, &out)
	o.QuizJSON = filepath.Join(t.TempDir(), "tasks.json")
	res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "filters"), o, tx)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if res.Score != 7 || res.Total != 9 || res.Second != 1 {
		t.Errorf("score %d of %d (%d on the second try), want 7 of 9 and 1", res.Score, res.Total, res.Second)
	}
	text := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{
		"It picks 8 packets it should leave out:",
		"a single = is not an operator here",
		"this is display filter syntax",
		"Right: exactly the 10 packets the task asks for.",
		"Right on the second try: 20.",
		"Right on the first try: 7 of 9.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	data, _ := os.ReadFile(o.QuizJSON)
	if !strings.Contains(string(data), `"kind": "capture-filter"`) || !strings.Contains(string(data), `"expect": "11,12"`) {
		t.Errorf("exported tasks:\n%s", data)
	}
}
