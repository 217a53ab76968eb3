package course_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/course/syllabus"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/lessons"
)

// registry knows one script, "echo", whose traffic is done once the
// capture holds a FIN, and one quiz maker, "port".
type registry struct{}

func (registry) Script(name string) (course.Script, bool) {
	if name != "echo" {
		return course.Script{}, false
	}
	return course.Script{
		Run:       func(context.Context, netenv.Net, course.Hooks) error { return nil },
		Snapshots: []string{"open"},
		Done: func(pkts []dissect.Packet) bool {
			return slices.ContainsFunc(pkts, func(p dissect.Packet) bool { return p.TCP.Has(dissect.FlagFIN) })
		},
	}, true
}

func (registry) Maker(name string) (quiz.Maker, bool) {
	return quiz.EphemeralPort, name == "port"
}

const goodEntry = `[[lesson]]
id = "mine"
exchange = "echo"
steps = ["text:intro", "run", "packets", "sockets:open", "quiz", "tasks", "summary"]
quiz = ["port"]
requires = [
  { id = "syn", filter = "tcp.flags.syn == 1 && tcp.flags.ack == 0", min = 1 },
  { id = "data", filter = "tcp.len > 0", min = 2 },
]
tasks = [
  { id = "udp", model = "udp" },
  { id = "tcp", model = "tcp port 10000", capture = true },
]
`

func TestBuild(t *testing.T) {
	s, err := syllabus.ParseManifest([]byte(goodEntry))
	if err != nil {
		t.Fatal(err)
	}
	ls, err := course.Build(s, registry{})
	if err != nil {
		t.Fatal(err)
	}
	l := ls[0]
	var steps []string
	for _, st := range l.Steps {
		steps = append(steps, st.Kind.String()+":"+st.Section)
	}
	if got := strings.Join(steps, " "); got != "text:intro run: packets: sockets:open quiz: tasks: summary:" {
		t.Errorf("steps %s", got)
	}
	if l.ID != "mine" || l.Script != "echo" || len(l.Quiz) != 1 || len(l.Requires) != 2 || l.Requires[1].Min != 2 ||
		len(l.Tasks) != 2 || !l.Tasks[1].Capture || l.Tasks[1].Model != "tcp port 10000" {
		t.Errorf("lesson %+v", l)
	}
	if got := l.Sections(); !slices.Equal(got, []string{"intro"}) {
		t.Errorf("sections %v", got)
	}

	// Complete: every requirement, then the script's Done.
	pkts := testenv.Packets(t, "echo-lab.pcap")
	for _, tt := range []struct {
		n    int
		want bool
	}{
		{1, false},            // a SYN, no data yet
		{6, false},            // both data segments, no FIN yet
		{len(pkts), true},     // the whole connection
		{len(pkts) - 3, true}, // the first FIN is in
	} {
		if got := l.Complete(pkts[:tt.n]); got != tt.want {
			t.Errorf("complete after %d frames: %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name, from, to string
		code           string
		line           int
	}{
		{"unknown exchange", `exchange = "echo"`, `exchange = "ehco"`, syllabus.CodeUnknownExchange, 3},
		{"no exchange", `exchange = "echo"`, ``, syllabus.CodeNoExchange, 2},
		{"unknown step", `"sockets:open"`, `"socket:open"`, syllabus.CodeUnknownStep, 4},
		{"unknown snapshot", `"sockets:open"`, `"sockets:opne"`, syllabus.CodeUnknownSnapshot, 4},
		{"text without a section", `"text:intro"`, `"text"`, syllabus.CodeStepArg, 4},
		{"run with an argument", `"run"`, `"run:now"`, syllabus.CodeStepArg, 4},
		{"no steps", `steps = ["text:intro", "run", "packets", "sockets:open", "quiz", "tasks", "summary"]`, `steps = []`, syllabus.CodeNoSteps, 4},
		{"unknown maker", `quiz = ["port"]`, `quiz = ["prot"]`, syllabus.CodeUnknownMaker, 5},
		{"requirement filter", `tcp.len > 0`, `tcp.lenn > 0`, syllabus.CodeBadFilter, 8},
		{"requirement min", `min = 2`, `min = 0`, syllabus.CodeBadRequire, 8},
		{"task filter", `model = "udp"`, `model = "udp =="`, syllabus.CodeBadFilter, 11},
		{"capture task filter", `tcp port 10000`, `tcp prot 10000`, syllabus.CodeBadFilter, 12},
		{"task without model", `model = "udp"`, `model = ""`, syllabus.CodeBadTask, 11},
		{"no id", `id = "mine"`, ``, syllabus.CodeNoID, 1},
		{"defined twice", goodEntry, goodEntry + "\n" + goodEntry, syllabus.CodeDefined, 16},
		{"unknown key", `quiz = ["port"]`, `quizz = ["port"]`, syllabus.CodeUnknownKey, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(goodEntry, tt.from, tt.to, 1)
			s, err := syllabus.ParseManifest([]byte(src))
			if err == nil {
				_, err = course.Build(s, registry{})
			}
			var e *syllabus.Error
			if !errors.As(err, &e) || e.Code != tt.code || e.Line != tt.line {
				t.Errorf("error %v, want %s on line %d", err, tt.code, tt.line)
			}
		})
	}
}

func TestParseStep(t *testing.T) {
	for _, name := range course.StepKindNames() {
		s := strings.Replace(name, "…", "x", 1)
		st, err := course.ParseStep(s)
		if err != nil || st.Kind.String()+strings.TrimPrefix(s, st.Kind.String()) != s {
			t.Errorf("%s: %v %+v", s, err, st)
		}
	}
}

// TestBuildErrorLines: each fault is told at the line where it is
// written, whatever else on other lines looks like it.
func TestBuildErrorLines(t *testing.T) {
	two := "[[lesson]] # the first\nid = \"a\"\nexchange = \"echo\"\nsteps = [\"run\", \"quiz\"]\nquiz = [\"port\"]\n" +
		"requires = [\n  { id = \"x\", filter = \"tcp\", min = 1 },\n  { id = \"y\", filter = \"tcp\", min = 1 },\n]\n\n" +
		"[[lesson]]\nid = \"b\"\nexchange = \"echo\"\nsteps = [\"run\"]\n"
	tests := []struct {
		name, from, to string
		code           string
		line           int
	}{
		{"a bad step under a commented header", `["run", "quiz"]`, `["run", "qiuz"]`, syllabus.CodeUnknownStep, 4},
		{"a misspelt key in the second lesson", "steps = [\"run\"]\n", "step = [\"run\"]\n", syllabus.CodeUnknownKey, 14},
		{"the second of two like requirements", `{ id = "y", filter = "tcp", min = 1 }`, `{ id = "y", filter = "tcp", min = 0 }`, syllabus.CodeBadRequire, 8},
		{"a requirement without a filter", `{ id = "y", filter = "tcp", min = 1 }`, `{ id = "y", min = 1 }`, syllabus.CodeBadRequire, 8},
		{"a requirement id twice", `{ id = "y",`, `{ id = "x",`, syllabus.CodeIDTwice, 7},
		{"a capture step before run", `["run", "quiz"]`, `["quiz", "run"]`, syllabus.CodeBeforeRun, 4},
		{"two runs", `["run", "quiz"]`, `["run", "run", "quiz"]`, syllabus.CodeRunTwice, 4},
		{"a quiz step with no questions", `quiz = ["port"]`, `quiz = []`, syllabus.CodeNothingToAsk, 4},
		{"a course file's key in the manifest", "[[lesson]] # the first", "lessons = [\"a\"]\n[[lesson]]", syllabus.CodeManifestKey, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(two, tt.from, tt.to, 1)
			if src == two {
				t.Fatal("the edit changed nothing")
			}
			s, err := syllabus.ParseManifest([]byte(src))
			if err == nil {
				_, err = course.Build(s, registry{})
			}
			var e *syllabus.Error
			if !errors.As(err, &e) || e.Code != tt.code || e.Line != tt.line {
				t.Errorf("error %v, want %s on line %d\n%s", err, tt.code, tt.line, src)
			}
		})
	}
	if _, err := syllabus.ParseManifest([]byte("# nothing here\n")); err == nil || err.(*syllabus.Error).Code != syllabus.CodeNoEntries {
		t.Errorf("an empty manifest: %v", err)
	}
}

// TestAskSteps: questions placed among the steps are asked where they
// stand, numbered among all the lesson's, and those asked before the
// capture is shown are predictions.
func TestAskSteps(t *testing.T) {
	src := `[[lesson]]
id = "tcp-handshake"
exchange = "echo-tcp"
steps = ["text:intro", "run", "ask:next-ack", "packets", "ask:syn-ack-flags", "quiz", "summary"]
quiz = ["close-flags"]
`
	s, err := syllabus.ParseManifest([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ls, err := course.Build(s, lessons.Registry{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	o, tx := options(t, "en", content.FS, nil, &out)
	o.QuizJSON = filepath.Join(t.TempDir(), "q.json")
	if _, err := course.RunLesson(context.Background(), ls[0], o, tx); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{
		"Question 1 of 3: The client is about to send 12 bytes starting at Seq=1. What Ack will the server send back?", // a prediction's wording
		"Question 2 of 3: Which flags are set in frame 2",                                                              // a reading question's, once the capture is shown
		"Question 3 of 3: ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the lesson lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "Question 1 of 3") > strings.Index(text, "as tshark prints them") {
		t.Errorf("the prediction comes after the capture:\n%s", text)
	}
	data, err := os.ReadFile(o.QuizJSON)
	if err != nil {
		t.Fatal(err)
	}
	var exp quiz.Export
	if err := json.Unmarshal(data, &exp); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range exp.Questions {
		got = append(got, fmt.Sprintf("%s %s %v", q.ID, q.Field, q.Predict))
	}
	if want := []string{"q1 tcp.ack true", "q2 tcp.flags false", "q3 tcp.flags false"}; !slices.Equal(got, want) {
		t.Errorf("exported %v, want %v", got, want)
	}
	// A step that asks a question nobody makes is refused where it is.
	bad := strings.Replace(src, "ask:next-ack", "ask:next-akc", 1)
	s, _ = syllabus.ParseManifest([]byte(bad))
	var e *syllabus.Error
	if _, err := course.Build(s, lessons.Registry{}); !errors.As(err, &e) || e.Code != syllabus.CodeUnknownMaker || e.Line != 4 {
		t.Errorf("an unknown maker in an ask step: %v", err)
	}
}
