package course_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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

// rightAnswers answer tcp-handshake on echo-lab.pcap, all right, by the
// step that asks (as course.toml writes it): four predictions, four
// reading questions and the filter task.
var rightAnswers = map[string][]string{
	"ask:syn-ack-flags": {"SYN, ACK"}, "ask:first-data-seq": {"1"}, "ask:next-ack": {"13"}, "ask:close-flags": {"FIN, ACK"},
	"ask:ephemeral-port": {"41950"}, "ask:raw-to-relative": {"1"}, "ask:hs-ack-what-if": {"101"}, "ask:hs-fin-ack": {"14"},
	"tasks": {"tcp.len > 0"},
}

// handshakeTotal is how many answers tcp-handshake scores: its eight
// questions and its task.
const handshakeTotal = 9

// walk is what a learner types through tcp-handshake's steps from, up
// to but not including to (-1: its end): at a step that asks, the
// answers at gives for it, else the right ones; an Enter at each pause
// (after any step but the run, unless the next one asks too).
func walk(t *testing.T, from, to int, at map[string][]string) []string {
	t.Helper()
	steps := lessontest.Lesson(t, "tcp-handshake").Steps
	if to < 0 {
		to = len(steps)
	}
	asks := func(k course.StepKind) bool { return k == course.Ask || k == course.Quiz || k == course.Tasks }
	var in []string
	for i := from; i < to; i++ {
		st := steps[i]
		name := st.Kind.String()
		if st.Section != "" {
			name += ":" + st.Section
		}
		if asks(st.Kind) {
			a, ok := at[name]
			if !ok {
				a, ok = rightAnswers[name]
			}
			if !ok {
				t.Fatalf("no answer for the step %s", name)
			}
			in = append(in, a...)
		}
		if i < len(steps)-1 && st.Kind != course.Run && !asks(steps[i+1].Kind) {
			in = append(in, "")
		}
	}
	return in
}

// step is the index of tcp-handshake's step as course.toml writes it.
func step(t *testing.T, name string) int {
	t.Helper()
	for i, st := range lessontest.Lesson(t, "tcp-handshake").Steps {
		if n := st.Kind.String() + ":" + st.Section; n == name || n == name+":" {
			return i
		}
	}
	t.Fatalf("tcp-handshake has no step %s", name)
	return -1
}

func TestRunLessonAnswersRightAndWrong(t *testing.T) {
	// Two predictions wrong twice, the what-if and the last question
	// wrong and then, after the hint, right; the task wrong once, then
	// right.
	answers := walk(t, 0, -1, map[string][]string{
		"ask:first-data-seq": {"0", "0"},
		"ask:next-ack":       {"12", "12"},
		"ask:hs-ack-what-if": {"113", "101"},
		"ask:hs-fin-ack":     {"15", "14"},
		"tasks":              {"tcp", "tcp.len > 0"},
	})
	var out bytes.Buffer
	script := &quiz.Script{Answers: answers}
	o, tx := options(t, "en", content.FS, script, &out)
	res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	// Two questions and the task (its second filter) right later.
	if !res.Completed || res.Score != 4 || res.Total != handshakeTotal || res.Second != 3 || len(script.Answers) != 0 {
		t.Errorf("result %+v, %d answers left; want 4 of 9 and 3 later", res, len(script.Answers))
	}
	text := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{
		"Captured 12 packets.",          // the lab's capture: TCP and UDP
		"Ack = Seq + Len = 1 + 12 = 13", // the arithmetic, live, after a wrong answer
		"The client got port 41950",     // the live ephemeral port
		"the answer is 1.",              // a wrong answer is told the right one
		"Seq = 0 + 1 = 1",               // and why
		"Right on the first try: 4 of 9.",
		// A wrong prediction's hint points at the rule, a reading
		// question's at the frame.
		// One away, "larger" or "smaller" would be the answer: not said.
		"Not yet: \"0\" is not it. Hint: Seq is the number of a packet's first byte, and the SYN, with no data, used up one number.",
		"Not yet: \"15\" is not it. Hint: the answer is the field tcp.ack of frame 9.",
		"Right on the second try: 14.",
		// A what-if's answer is not the field's value: the hint starts
		// from it.
		"Not yet: \"113\" is not it. The answer is smaller than 113. Hint: start from the field tcp.ack of frame 5 as it is",
		"Right on the second try: 101.",
		"3 more right on the second try, after a hint.",
		"It picks 8 packets it should leave out:",                          // the task's first filter
		"SYN Seq=0 Len=0 ────────▶│ 1",                                     // the ladder
		"4 0.000056 127.0.0.1 → 127.0.0.1 TCP 78 41950 → 10000 [PSH, ACK]", // tshark's line
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// The predictions come before the capture, and no text before a
	// question states its answer: the Ack's arithmetic is the why of a
	// wrong answer, after the question.
	if q, c := strings.Index(text, "Question 4 of 8"), strings.Index(text, "The capture: 12 packets"); q < 0 || q > c {
		t.Errorf("the last prediction comes after the capture is shown")
	}
	if q, a := strings.Index(text, "Question 3 of 8"), strings.Index(text, "1 + 12 = 13"); a < q {
		t.Errorf("the text states the Ack before the question asks it")
	}
}

func TestRunLessonQuit(t *testing.T) {
	tests := []struct {
		name    string
		answers []string
	}{
		{"q at a pause", []string{"", "q"}},
		{"q at a prediction", []string{"", "", "q"}},
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

// TestBackFromAQuestion: b at a question shows the text before it
// again; the lesson then goes on at the question where the learner
// left, the answer before it kept.
func TestBackFromAQuestion(t *testing.T) {
	// b at the third question, the second of the two after "Counting
	// bytes": that text again, then the third question again.
	answers := walk(t, 0, -1, map[string][]string{"ask:next-ack": {"b", "13"}})
	var out bytes.Buffer
	o, tx := options(t, "en", content.FS, &quiz.Script{Answers: answers}, &out)
	res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
	if err != nil || !res.Completed || res.Score != handshakeTotal || res.Total != handshakeTotal {
		t.Fatalf("%+v, %v; want 9 of 9\n%s", res, err, out.String())
	}
	text := out.String()
	if strings.Count(text, "Question 2 of 8") != 1 || strings.Count(text, "Question 3 of 8") != 2 || strings.Count(text, "Counting bytes") != 2 {
		t.Errorf("the lesson must show the text again and go on at question 3, not ask question 2 again:\n%s", text)
	}
}

func TestNavigation(t *testing.T) {
	packets := step(t, "packets")
	tests := []struct {
		name    string
		answers []string
		// counts of strings in the output
		want map[string]int
	}{
		{"straight through", walk(t, 0, -1, nil),
			map[string]int{"What you will do": 1, "Captured 12 packets": 1, "Right on the first try: 9 of 9": 1}},
		{"back to the first step, and past it", append([]string{"", "b", "b", "", ""}, walk(t, 2, -1, nil)...),
			map[string]int{"there is nothing before it": 1, "What you will do": 2, "Captured 12 packets": 1, "Right on the first try: 9 of 9": 1}},
		{"the capture again", append(append(walk(t, 0, packets, nil), "c", "capture"), walk(t, packets, -1, nil)...),
			map[string]int{"The capture: 12 packets": 3, "Captured 12 packets": 1}},
		// The exchange again goes on after the run: the texts before the
		// capture again, their questions not (they were answered).
		{"repeat the exchange", append(append(walk(t, 0, packets, nil), "r"), walk(t, packets, -1, nil)...),
			map[string]int{"Captured 12 packets": 2, "The exchange ran again": 1, "The capture: 12 packets": 2, "Question 1 of 8": 1, "Counting bytes": 2}},
		{"a word that is no choice", append([]string{"", "xyz"}, walk(t, 1, -1, nil)...),
			map[string]int{`"xyz" is not one of the choices`: 1, "Right on the first try: 9 of 9": 1}},
		// ? at a prediction points at its rule, at a reading question at
		// the frame and field.
		{"a hint costs nothing", walk(t, 0, -1, map[string][]string{"ask:syn-ack-flags": {"?", "SYN, ACK"}, "ask:ephemeral-port": {"?", "41950"}}),
			map[string]int{"acknowledges the client's SYN, and it opens its own direction": 1, "the answer is the field tcp.srcport of frame 1": 1, "Right on the first try: 9 of 9": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			script := &quiz.Script{Answers: tt.answers}
			o, tx := options(t, "en", content.FS, script, &out)
			res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
			if err != nil || !res.Completed || res.Score != handshakeTotal || res.Total != handshakeTotal {
				t.Fatalf("got %+v, %v; want 9 of 9 completed\n%s", res, err, out.String())
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

func dropLast(in []string) []string { return in[:len(in)-1] }

func TestQuitAndResume(t *testing.T) {
	// Steps: 0 intro, 1 sockets, 2 run, 3 predict, 4 ask:syn-ack-flags,
	// 5 numbers, 6 and 7 two more predictions, ... the tasks, quiz, summary.
	numbers, nextAck, last := step(t, "text:numbers"), step(t, "ask:next-ack"), step(t, "text:quiz")
	packets := step(t, "packets")
	tests := []struct {
		name      string
		first     []string
		wantStep  int
		wantCarry [2]int
		second    []string
		wantScore int
	}{
		// q instead of the Enter at the pause after the first question.
		{"quit at a pause", append(dropLast(walk(t, 0, numbers, nil)), "q"), numbers, [2]int{1, 1}, walk(t, numbers, -1, nil), handshakeTotal},
		{"quit at a question", append(walk(t, 0, nextAck, nil), "quit"), nextAck, [2]int{2, 2}, walk(t, nextAck, -1, nil), handshakeTotal},
		{"quit after the questions", append(walk(t, 0, last, map[string][]string{"ask:next-ack": {"0", "0"}}), "q"), last + 1,
			[2]int{handshakeTotal - 1, handshakeTotal}, walk(t, last+1, -1, nil), handshakeTotal - 1},
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
			if err != nil || !res.Completed || res.Score != tt.wantScore || res.Total != handshakeTotal {
				t.Fatalf("resumed: %+v, %v; want %d of 9\n%s", res, err, tt.wantScore, out.String())
			}
			text := strings.Join(strings.Fields(out.String()), " ")
			// Resumed after the packet list, the new capture comes before
			// anything that refers to it; before it, a prediction is still
			// to come, and the capture waits for its step.
			shown, q := strings.Index(text, "as tshark prints them"), strings.Index(text, "Question")
			if tt.wantStep > packets && (shown < 0 || q >= 0 && shown > q) {
				t.Errorf("the resumed run must show its new capture before anything refers to it:\n%.800s", text)
			}
			if tt.wantStep < packets && shown < q {
				t.Errorf("the resumed run showed the capture before the prediction it answers:\n%.800s", text)
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
		"?", "udp", // ? recalls how a filter is written, and is no try
		"tcp.flags.syn", "tcp.flags.syn == 1", // the first selects every TCP packet
		"udp.srcport = 10001", "udp.srcport == 10001", // a syntax error costs no try
		"tcp.len > 0 || udp.length > 8",
		`data.data contains "hello"`,
		"?", "tcp.port == 10000", "tcp port 10000",
		""}
	var out bytes.Buffer
	o, tx := options(t, "en", content.FS, &quiz.Script{Answers: answers}, &out)
	o.QuizJSON = filepath.Join(t.TempDir(), "tasks.json")
	res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "filters"), o, tx)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	// The task answered on its second filter counts with the second
	// tries, beside the question.
	if res.Score != 7 || res.Total != 9 || res.Second != 2 {
		t.Errorf("score %d of %d (%d on the second try), want 7 of 9 and 2", res.Score, res.Total, res.Second)
	}
	text := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{
		"It picks 8 packets it should leave out:",
		"a single = is not an operator here",
		"this is display filter syntax",
		"Right: exactly the 10 packets the task asks for.",
		"Right on the second try: 20.",
		"Right on the first try: 7 of 9.",
		"A display filter is a field, a comparison and a value", // ? at a display filter task
		"A capture filter is written the pcap way",              // and at the capture filter task
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

// TestViewAtThePrompt: with a terminal to show it on (Options.View), v
// at the prompt opens the run's capture in the explorer, and says so
// when there is none yet; without one, v is no choice.
func TestViewAtThePrompt(t *testing.T) {
	packets := step(t, "packets")
	answers := append(append([]string{"v"}, walk(t, 0, packets, nil)...), "v")
	answers = append(answers, walk(t, packets, -1, nil)...)
	var out bytes.Buffer
	script := &quiz.Script{Answers: answers}
	o, tx := options(t, "en", content.FS, script, &out)
	var seen []int
	o.View = func(_ context.Context, rec *capture.Recording) { seen = append(seen, len(rec.Frames)) }
	res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
	if err != nil || !res.Completed {
		t.Fatalf("got %+v, %v\n%s", res, err, out.String())
	}
	if len(seen) != 1 || seen[0] != 12 {
		t.Errorf("the explorer opened on %v packets, want once on 12", seen)
	}
	text := strings.Join(strings.Fields(out.String()), " ")
	if !strings.Contains(text, "have not run yet") {
		t.Errorf("v before the run does not say there is no capture yet:\n%s", text)
	}

	out.Reset()
	script = &quiz.Script{Answers: append(append(walk(t, 0, packets, nil), "v"), walk(t, packets, -1, nil)...)}
	o, tx = options(t, "en", content.FS, script, &out)
	if _, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx); err != nil {
		t.Fatal(err)
	}
	if text := out.String(); !strings.Contains(text, `"v" is not one of the choices`) {
		t.Errorf("without a terminal v is no choice:\n%s", text)
	}
}
