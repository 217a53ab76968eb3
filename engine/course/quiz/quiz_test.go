package quiz_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		in   string
		want dissect.TCPFlags
		ok   bool
	}{
		{"SYN, ACK", 0x12, true},
		{"syn ack", 0x12, true},
		{"ACK+SYN", 0x12, true},
		{"[FIN, ACK]", 0x11, true},
		{"0x012", 0x12, true},
		{"0x0012", 0x12, true},
		{"012", 0x12, true}, // as tshark prints it, hex: not octal 10
		{"12", 0x12, true},
		{"18", 0x18, true},
		{"ece", 0x40, true},   // a name, though its letters are hex digits
		{"ＳＹＮ，ＡＣＫ", 0, false}, // full width is folded by Check, not here
		{"SYN，ACK", 0x12, true},
		{"push ack", 0x18, true},
		{"SYN, BANANA", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := quiz.ParseFlags(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseFlags(%q) = %#x, %v; want %#x, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		q      quiz.Question
		answer string
		want   bool
	}{
		{quiz.Question{Answer: quiz.KindNumber, Expect: "13"}, " 13 ", true},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "13"}, "12", false},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "144"}, "0x90", true},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "144"}, "0X90", true},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "144"}, "90", false},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "8"}, "#8", true},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "8"}, "eight", false},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "55412"}, "５５４１２", true},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "8", Field: "frame.number"}, "frame 8", true},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "8", Field: "frame.number"}, "кадр 8", true},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "8", Field: "frame.number"}, "кадр №8", true},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "8", Field: "frame.number"}, "第 8 帧", true},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "8", Field: "frame.number"}, "第８帧", true},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "8", Field: "frame.number"}, "frame #8", true},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "8", Field: "frame.number"}, "frame 8 or 9", false},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "8", Field: "frame.number"}, "frame 9", false},
		{quiz.Question{Answer: quiz.KindNumber, Expect: "10000", Field: "tcp.dstport"}, "port 10000", false},
		{quiz.Question{Answer: quiz.KindFlags, Expect: "0x0012"}, "012", true},
		{quiz.Question{Answer: quiz.KindFlags, Expect: "0x0012"}, "ＳＹＮ，ＡＣＫ", true},
		{quiz.Question{Answer: quiz.KindFlags, Expect: "0x0012"}, "SYN, ACK", true},
		{quiz.Question{Answer: quiz.KindFlags, Expect: "0x0012"}, "SYN", false},
		{quiz.Question{Answer: quiz.KindText, Expect: "POST"}, " post ", true},
		{quiz.Question{Answer: quiz.KindText, Expect: "/api/v1/user/repos"}, "/api/v1/user", false},
		{quiz.Question{Answer: quiz.KindHex, Expect: "0xf7fd"}, "F7FD", true},
		{quiz.Question{Answer: quiz.KindSeconds, Expect: "3.002017082"}, "3", true},
		{quiz.Question{Answer: quiz.KindSeconds, Expect: "3.002017082"}, "3,0 с", true},
		{quiz.Question{Answer: quiz.KindSeconds, Expect: "3.002017082"}, "3 秒", true},
		{quiz.Question{Answer: quiz.KindSeconds, Expect: "3.002017082"}, "3.1s", true},
		{quiz.Question{Answer: quiz.KindSeconds, Expect: "3.002017082"}, "2", false},
		{quiz.Question{Answer: quiz.KindSeconds, Expect: "0.202245332"}, "0.2", true},
		{quiz.Question{Answer: quiz.KindSeconds, Expect: "0.202245332"}, "1", false},
		{quiz.Question{Answer: quiz.KindSeconds, Expect: "0.202245332"}, "-0.2", false},
		{quiz.Question{Answer: quiz.KindSeconds, Expect: "0.202245332"}, "soon", false},
		{quiz.Question{Answer: quiz.KindHex, Expect: "0xf7fd"}, "0xF7FD", true},
		{quiz.Question{Answer: quiz.KindHex, Expect: "0xf7fd"}, "f7 fd", true},
		{quiz.Question{Answer: quiz.KindHex, Expect: "0xf7fd"}, "63485", false},
		{quiz.Question{Answer: quiz.KindHex, Expect: "0xf7fd"}, "0x", false},
	}
	for _, tt := range tests {
		if got := tt.q.Check(tt.answer); got != tt.want {
			t.Errorf("%+v Check(%q) = %v", tt.q, tt.answer, got)
		}
	}
}

// texts echoes the id and data, so tests see what a question was told.
type texts struct{}

func (texts) T(id string, data any) string {
	b, _ := json.Marshal(data)
	return id + " " + string(b)
}

func labCapture(t *testing.T) *quiz.Capture {
	t.Helper()
	pkts := testenv.Packets(t, "echo-lab.pcap")
	return &quiz.Capture{Packets: pkts, Conn: stream.TCPConns(pkts)[0]}
}

var makers = []quiz.Maker{quiz.EphemeralPort, quiz.SynAckFlags, quiz.FirstDataSeq, quiz.NextAck, quiz.RawToRelative, quiz.CloseFrame, quiz.CloseFlags}

// TestQuestionsFromCapture: each question's expected answer is exactly
// the dissected field of its frame, and the values are the lab's.
func TestQuestionsFromCapture(t *testing.T) {
	c := labCapture(t)
	qs := quiz.Make(c, texts{}, makers...)
	want := []struct{ kind, field, expect, shown string }{
		{"ephemeral-port", "tcp.srcport", "41950", "41950"},
		{"synack-flags", "tcp.flags", "0x0012", "SYN, ACK"},
		{"first-data-seq", "tcp.seq", "1", "1"},
		{"next-ack", "tcp.ack", "13", "13"},
		{"raw-to-relative", "tcp.seq", "1", "1"},
		{"close-frame", "frame.number", "8", "8"},
		{"close-flags", "tcp.flags", "0x0011", "FIN, ACK"},
	}
	if len(qs) != len(want) {
		t.Fatalf("%d questions, want %d", len(qs), len(want))
	}
	for i, q := range qs {
		v, ok := dissect.Field(&c.Packets[q.Frame-1], q.Field)
		if !ok || v != q.Expect {
			t.Errorf("%s: expect %q but frame %d %s is %q", q.Kind, q.Expect, q.Frame, q.Field, v)
		}
		if q.Kind != want[i].kind || q.Field != want[i].field || q.Expect != want[i].expect || q.Shown != want[i].shown {
			t.Errorf("question %d = %s %s %s, want %+v", i, q.Kind, q.Field, q.Expect, want[i])
		}
		if !q.Check(q.Shown) {
			t.Errorf("%s: the answer shown to the learner (%q) does not pass Check", q.Kind, q.Shown)
		}
	}
	// The explanation of the Ack works the sum out of the packets.
	if !strings.Contains(qs[3].Explain, `"DataLen":12`) || !strings.Contains(qs[3].Explain, `"DataSeq":1`) {
		t.Errorf("next-ack explanation lacks its numbers: %s", qs[3].Explain)
	}
}

func TestRunScoresFirstTry(t *testing.T) {
	c := labCapture(t)
	qs := quiz.Make(c, texts{}, makers...)
	answers := []string{"41950", "SYN", "SYN", "1", "13", "1", "8", "FIN, ACK"} // one wrong twice
	var out bytes.Buffer
	res, err := quiz.Run(qs, &quiz.Script{Answers: append([]string{"", "  "}, answers...)}, &out, texts{}, quiz.Style{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Asked != 7 || res.Correct != 6 || res.Second != 0 {
		t.Errorf("result %+v, want 6 of 7", res)
	}
	if !strings.Contains(out.String(), "quiz.try_again") || !strings.Contains(out.String(), "quiz.retry.flags") {
		t.Errorf("a first wrong answer must get a hint from the capture and a second try:\n%s", out.String())
	}
	// Wrong, then right after the hint: it does not score, it is counted.
	second := []string{"41950", "SYN", "SYN, ACK", "1", "13", "1", "8", "FIN, ACK"}
	if res, err := quiz.Run(qs, &quiz.Script{Answers: second}, &out, texts{}, quiz.Style{}); err != nil || res.Correct != 6 || res.Second != 1 {
		t.Errorf("right on the second try: %+v, %v", res, err)
	}
	if !strings.Contains(out.String(), "quiz.wrong") || !strings.Contains(out.String(), "quiz.synack_flags.why") {
		t.Errorf("a wrong answer must be told the answer and why:\n%s", out.String())
	}
	_, err = quiz.Run(qs, &quiz.Script{}, &out, texts{}, quiz.Style{})
	if err != quiz.ErrNoInput {
		t.Errorf("ended input: %v", err)
	}
}

func TestLinesAsker(t *testing.T) {
	var out bytes.Buffer
	a := quiz.NewLines(strings.NewReader("13\r\nlast"), &out)
	for _, want := range []string{"13", "last"} {
		got, err := a.Ask("?")
		if err != nil || got != want {
			t.Errorf("got %q %v, want %q", got, err, want)
		}
	}
	if _, err := a.Ask("?"); err != quiz.ErrNoInput {
		t.Errorf("after the end: %v", err)
	}
}

func TestWriteJSON(t *testing.T) {
	qs := quiz.Make(labCapture(t), texts{}, makers...)
	path := filepath.Join(t.TempDir(), "q.json")
	if err := quiz.WriteJSON(path, quiz.Export{Lesson: "tcp-handshake", Questions: qs}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	var got struct {
		Lesson    string `json:"lesson"`
		Questions []struct {
			ID, Kind, Field, Expect, Prompt string
			Frame                           int
		} `json:"questions"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Lesson != "tcp-handshake" || len(got.Questions) != 7 || got.Questions[3].Expect != "13" || got.Questions[3].Frame != 5 || got.Questions[0].ID != "q1" {
		t.Errorf("exported %s", data)
	}
}

// wordTexts knows the command words; every other message is its id.
type wordTexts struct{ texts }

func (w wordTexts) T(id string, data any) string {
	switch id {
	case "quiz.words.hint":
		return "?, Hint, подсказка"
	case "nav.words.quit":
		return "q, quit"
	case "nav.words.capture":
		return "c, capture"
	}
	return w.texts.T(id, data)
}

// TestRunBackAtAQuestion: b at a question ends the quiz with ErrBack
// where the lesson allows it, counting the questions done; elsewhere it
// is an answer like any other.
func TestRunBackAtAQuestion(t *testing.T) {
	qs := quiz.Make(labCapture(t), texts{}, makers[:2]...)
	res, err := quiz.Run(qs, &quiz.Script{Answers: []string{"41950", "b"}}, io.Discard, backTexts{}, quiz.Style{Back: true})
	if err != quiz.ErrBack || res.Asked != 1 || res.Correct != 1 {
		t.Errorf("%+v, %v; want ErrBack after 1 of 1", res, err)
	}
	res, err = quiz.Run(qs, &quiz.Script{Answers: []string{"41950", "b", "b"}}, io.Discard, backTexts{}, quiz.Style{})
	if err != nil || res.Asked != 2 || res.Correct != 1 {
		t.Errorf("without Back: %+v, %v; want b graded as a wrong answer", res, err)
	}
}

type backTexts struct{ texts }

func (b backTexts) T(id string, data any) string {
	if id == "nav.words.back" {
		return "b, back"
	}
	return b.texts.T(id, data)
}

// TestRunCaptureAtAQuestion: c at a question shows the capture again
// and is not an answer.
func TestRunCaptureAtAQuestion(t *testing.T) {
	qs := quiz.Make(labCapture(t), texts{}, makers[0])
	shown := 0
	st := quiz.Style{Capture: func() { shown++ }}
	var out bytes.Buffer
	res, err := quiz.Run(qs, &quiz.Script{Answers: []string{"c", " C ", "41950"}}, &out, wordTexts{}, st)
	if err != nil || shown != 2 || res.Asked != 1 || res.Correct != 1 {
		t.Errorf("capture shown %d times, %+v, %v; want 2 and 1 of 1", shown, res, err)
	}
}

// TestRunNoCaptureAtAPrediction: c at a prediction does not show the
// capture (it would answer it) and is not an answer either.
func TestRunNoCaptureAtAPrediction(t *testing.T) {
	qs := quiz.Make(labCapture(t), texts{}, makers[0])
	qs[0].Predict = true
	shown := 0
	st := quiz.Style{Capture: func() { shown++ }}
	var out bytes.Buffer
	res, err := quiz.Run(qs, &quiz.Script{Answers: []string{"c", "41950"}}, &out, wordTexts{}, st)
	if err != nil || shown != 0 || res.Correct != 1 || !strings.Contains(out.String(), "quiz.predict_first") {
		t.Errorf("capture shown %d times, %+v, %v:\n%s\nwant it never shown and the question answered", shown, res, err, out.String())
	}
}

// TestWhatIf: a what-if question expects its field's value plus Add,
// and says so in its JSON, so a grader can check it with tshark.
func TestWhatIf(t *testing.T) {
	tests := []struct {
		field string
		add   int64
		want  string
	}{
		{"13", 88, "101"},
		{"13", -12, "1"},
		{"13", 0, "13"},
	}
	for _, tt := range tests {
		q := (&quiz.Question{Expect: tt.field, Answer: quiz.KindNumber}).WhatIf(tt.add)
		if q.Expect != tt.want || q.Shown != tt.want || !q.Check(tt.want) || q.FromField(tt.field) != tt.want {
			t.Errorf("%s + %d: expect %q shown %q, want %q", tt.field, tt.add, q.Expect, q.Shown, tt.want)
		}
		data, _ := json.Marshal(q)
		if has := strings.Contains(string(data), `"add":`); has != (tt.add != 0) {
			t.Errorf("%s + %d: JSON %s", tt.field, tt.add, data)
		}
	}
}

func TestRunHintAndQuit(t *testing.T) {
	c := labCapture(t)
	qs := quiz.Make(c, texts{}, makers...)
	tests := []struct {
		name        string
		answers     []string
		wantErr     error
		wantAsked   int
		wantCorrect int
		wantHints   int
	}{
		{"hint then right", []string{"?", "41950"}, quiz.ErrNoInput, 1, 1, 1},
		{"hint word in another case and language", []string{" HINT ", "ПОДСКАЗКА", "41950"}, quiz.ErrNoInput, 1, 1, 2},
		{"quit at the first", []string{"q"}, quiz.ErrInterrupted, 0, 0, 0},
		{"quit after one wrong answer, twice (and its hint)", []string{"1", "1", "Quit"}, quiz.ErrInterrupted, 1, 0, 1},
		{"quit at the second try", []string{"1", "Quit"}, quiz.ErrInterrupted, 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			res, err := quiz.Run(qs, &quiz.Script{Answers: tt.answers}, &out, wordTexts{}, quiz.Style{})
			if err != tt.wantErr || res.Asked != tt.wantAsked || res.Correct != tt.wantCorrect {
				t.Errorf("got %+v, %v; want asked %d correct %d, %v", res, err, tt.wantAsked, tt.wantCorrect, tt.wantErr)
			}
			if n := strings.Count(out.String(), "quiz.hint "); n != tt.wantHints {
				t.Errorf("%d hints shown, want %d", n, tt.wantHints)
			}
			// (A hint inside a retry's message is quoted there once more.)
			if tt.wantHints > 0 && !strings.Contains(strings.ReplaceAll(out.String(), `\`, ""), `"Field":"tcp.srcport","Frame":1`) {
				t.Errorf("the hint names no frame and field:\n%s", out.String())
			}
		})
	}
}

func TestLinesChoose(t *testing.T) {
	tests := []struct {
		name, in string
		want     int
		err      error
	}{
		{"a number", "2\n", 1, nil},
		{"enter takes the default", "\n", 2, nil},
		{"out of range, then right", "9\n0\nabc\n1\n", 0, nil},
		{"with a dot", "3.\n", 2, nil},
		{"input ends", "", 0, quiz.ErrNoInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			got, err := quiz.NewLines(strings.NewReader(tt.in), &out).Choose("Pick", []string{"one", "two", "three"}, 2)
			if got != tt.want || err != tt.err {
				t.Errorf("got %d, %v; want %d, %v", got, err, tt.want, tt.err)
			}
			if !strings.Contains(out.String(), "  1. one\n  2. two\n  3. three\n") || !strings.Contains(out.String(), "Pick [3]") {
				t.Errorf("the options and prompt are not shown:\n%s", out.String())
			}
		})
	}
}

// allMakers is every maker of this package.
var allMakers = []quiz.Maker{
	quiz.EphemeralPort, quiz.BoundPort, quiz.SynAckFlags, quiz.FirstDataSeq, quiz.NextAck, quiz.RawToRelative,
	quiz.CloseFrame, quiz.CloseFlags, quiz.SecondFinAck, quiz.TimeWaitPort, quiz.ResetFrame, quiz.RefusedFlags,
	quiz.UDPClientPort, quiz.UDPLength, quiz.UDPReplyPort, quiz.UDPReplyFrame, quiz.UDPEmptyLength, quiz.UDPBoundary,
}

// tsharkFields reads a committed NAME.fields.tsv: tshark's value of
// each field of fields.list, by frame number.
func tsharkFields(t *testing.T, capture string) map[string]map[string]string {
	t.Helper()
	data, err := os.ReadFile(testenv.Testdata(strings.TrimSuffix(capture, filepath.Ext(capture)) + ".fields.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	names := strings.Split(lines[0], "\t")
	frames := map[string]map[string]string{}
	for _, line := range lines[1:] {
		row := map[string]string{}
		for i, v := range strings.Split(line, "\t") {
			if i < len(names) {
				row[names[i]] = v
			}
		}
		frames[row["frame.number"]] = row
	}
	return frames
}

// TestQuestionsAreTsharkFields: every question any maker makes from a
// committed capture (about each of its connections, or none) names a
// frame and a field, and expects what `tshark -T fields -e FIELD`
// printed for that frame; the answer shown to a learner passes.
func TestQuestionsAreTsharkFields(t *testing.T) {
	var files []string
	for _, pat := range []string{"*.pcap", "*.pcapng"} {
		f, err := filepath.Glob(testenv.Testdata(pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f...)
	}
	kinds := map[string]bool{}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			tshark := tsharkFields(t, name)
			pkts := testenv.Packets(t, name)
			for _, conn := range append([]*stream.Conn{nil}, stream.TCPConns(pkts)...) {
				for _, q := range quiz.Make(&quiz.Capture{Packets: pkts, Conn: conn}, texts{}, allMakers...) {
					kinds[q.Kind] = true
					row, ok := tshark[strconv.Itoa(q.Frame)]
					if !ok {
						t.Errorf("%s: frame %d is not in the capture", q.Kind, q.Frame)
						continue
					}
					if want, ok := row[q.Field]; !ok || q.Expect != q.FromField(want) {
						t.Errorf("%s: frame %d %s expects %q; tshark printed %q (a field of fields.list: %v)", q.Kind, q.Frame, q.Field, q.Expect, want, ok)
					}
					if !q.Check(q.Shown) {
						t.Errorf("%s: the answer shown (%q) does not pass", q.Kind, q.Shown)
					}
				}
			}
		})
	}
	if len(kinds) < 10 {
		t.Errorf("the committed captures make only %d kinds of question: %v", len(kinds), kinds)
	}
}

// TestRetryOfAPrediction: the hint after a wrong prediction points at
// the rule, not at the capture the learner has not seen.
func TestRetryOfAPrediction(t *testing.T) {
	q := quiz.Make(labCapture(t), texts{}, makers[0])[0]
	if got := q.Retry(texts{}, "1"); !strings.Contains(got, "quiz.hint") || strings.Contains(got, "quiz.retry.rule") {
		t.Errorf("a reading question's retry: %s", got)
	}
	q.Predict = true
	var out bytes.Buffer
	if _, err := quiz.Run([]*quiz.Question{q}, &quiz.Script{Answers: []string{"?", "41950"}}, &out, wordTexts{}, quiz.Style{}); err != nil || strings.Contains(out.String(), "quiz.hint") || !strings.Contains(out.String(), "quiz.retry.rule") {
		t.Errorf("? at a prediction must point at the rule: %v\n%s", err, out.String())
	}
	if got := q.Retry(texts{}, "1"); strings.Contains(got, "quiz.hint") || !strings.Contains(got, "quiz.retry.rule") || strings.Contains(got, "quiz.retry.larger") {
		t.Errorf("a prediction's retry, for a port (no count: no larger or smaller): %s", got)
	}
}

// TestPredictionRule: a prediction with a rule of its own is reminded of
// it, at ? and after a wrong answer, instead of the general sentence.
func TestPredictionRule(t *testing.T) {
	q := quiz.Make(labCapture(t), texts{}, makers[0])[0]
	q.Predict, q.Rule = true, "the rule of this question"
	var out bytes.Buffer
	if _, err := quiz.Run([]*quiz.Question{q}, &quiz.Script{Answers: []string{"?", "1", "41950"}}, &out, wordTexts{}, quiz.Style{}); err != nil ||
		strings.Count(out.String(), "the rule of this question") != 2 || strings.Contains(out.String(), "quiz.retry.rule") {
		t.Errorf("want the question's rule at ? and after the wrong answer: %v\n%s", err, out.String())
	}
}

// TestRetryDirection: "larger" or "smaller" is said of a count (an
// Ack, a length) more than one away, never of a name (a port) nor one
// away, where it would be the answer.
func TestRetryDirection(t *testing.T) {
	ack, _ := quiz.NextAck(labCapture(t), texts{}) // 13
	port, _ := quiz.EphemeralPort(labCapture(t), texts{})
	tests := []struct {
		q     *quiz.Question
		given string
		want  string // "" for no direction
	}{
		{ack, "1", "quiz.retry.larger"},
		{ack, "100", "quiz.retry.smaller"},
		{ack, "12", ""},
		{ack, "14", ""},
		{port, "1", ""},
		{port, "60000", ""},
	}
	for _, tt := range tests {
		got := tt.q.Retry(texts{}, tt.given)
		for _, dir := range []string{"quiz.retry.larger", "quiz.retry.smaller"} {
			if strings.Contains(got, dir) != (dir == tt.want) {
				t.Errorf("%s, %s given: %s", tt.q.Field, tt.given, got)
			}
		}
	}
}

// TestSecondsShown: a time the learner is told is written with three
// decimals, in their decimal mark and unit; without the words, plain.
func TestSecondsShown(t *testing.T) {
	pkts, err := dissect.CollectDetailed(testenv.Recording(t, "analysis-kernel.pcap").Source())
	if err != nil {
		t.Fatal(err)
	}
	p := &pkts[10] // frame 11, a retransmission 0.02 s after its original
	for lang, want := range map[string]string{"en": "0.020 s", "ru": "0,020 с", "zh": "0.020 秒"} {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		q := quiz.FieldQuestion("rto", p, "tcp.analysis.rto", quiz.KindSeconds, tx, "loss_rto", nil)
		if q.Shown != want || q.Expect != "0.019978000" || !q.Check("0.02") {
			t.Errorf("%s: shown %q, expect %q; want %q", lang, q.Shown, q.Expect, want)
		}
	}
	if q := quiz.FieldQuestion("rto", p, "tcp.analysis.rto", quiz.KindSeconds, plainTexts{}, "loss_rto", nil); q.Shown != "0.020" {
		t.Errorf("without words: %q", q.Shown)
	}
}

// plainTexts has no words: each message is its id.
type plainTexts struct{}

func (plainTexts) T(id string, _ any) string { return id }
