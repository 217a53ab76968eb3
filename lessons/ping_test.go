package lessons_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
	"wiretutor/lessons/lessontest"
)

// played is one run of a lesson in the sandbox with --no-input: what it
// printed, and its questions (filter tasks left out) as --quiz-json
// exports them.
type played struct {
	out string
	qs  []*quiz.Question
}

// before is what the lesson printed before its question n (from 1).
func (p played) before(t *testing.T, n int) string {
	t.Helper()
	h := "Question " + strconv.Itoa(n) + " of "
	i := strings.Index(p.out, h)
	if i < 0 {
		t.Fatalf("no %q in the lesson's text:\n%s", h, p.out)
	}
	return p.out[:i]
}

// play runs the lesson in a fresh sandbox, in English, as an instructor
// would with --no-input.
func play(t *testing.T, id string) played {
	t.Helper()
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	tx, err := i18n.Load(content.FS, "en")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	qj := filepath.Join(t.TempDir(), "q.json")
	o := course.Options{Lang: "en", Content: content.FS, Net: sb, Capture: course.LiveTap(sb), NoInput: true,
		QuizJSON: qj, Out: &out, Term: render.Term{Width: 80}}
	if _, err := course.RunLesson(context.Background(), lessontest.Lesson(t, id), o, tx); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	data, err := os.ReadFile(qj)
	if err != nil {
		t.Fatal(err)
	}
	var ex quiz.Export
	if err := json.Unmarshal(data, &ex); err != nil {
		t.Fatal(err)
	}
	p := played{out: out.String()}
	for _, q := range ex.Questions {
		if q.Frame > 0 { // a filter task names no frame
			p.qs = append(p.qs, q)
		}
	}
	return p
}

// want is what one question of a lesson must be.
type want struct {
	kind, expect string
	predict      bool
	add          int64
}

func checkQuestions(t *testing.T, p played, ws []want) {
	t.Helper()
	if len(p.qs) != len(ws) {
		t.Fatalf("%d questions, want %d:\n%s", len(p.qs), len(ws), p.out)
	}
	for i, w := range ws {
		q := p.qs[i]
		if q.Kind != w.kind || q.Predict != w.predict || q.Add != w.add || (w.expect != "" && q.Expect != w.expect) {
			t.Errorf("question %d: %s expect %s predict %v add %d; want %+v", i+1, q.Kind, q.Expect, q.Predict, q.Add, w)
		}
		// A prediction's wording gives what the learner knows; the
		// frames are not on the screen yet, so it names none.
		if q.Predict && strings.Contains(strings.ToLower(q.Prompt), "frame") {
			t.Errorf("question %d, a prediction, names a frame: %q", i+1, q.Prompt)
		}
	}
}

// TestPingAsksWhereItTeaches: four predictions before the capture (the
// checksum on paper, the reply's type and sequence, the code for a
// closed port), then a question of two frames and a what-if; the text
// never gives the checksum before it is asked.
func TestPingAsksWhereItTeaches(t *testing.T) {
	p := play(t, "ping")
	checkQuestions(t, p, []want{
		{"icmp-checksum", "", true, 0},
		{"icmp-reply-type", "0", true, 0},
		{"icmp-seq", "3", true, 0},
		{"icmp-unreach-code", "3", true, 0},
		{"icmp-resp-to", "3", false, 0},
		{"icmp-ttl-routers", "61", false, -3},
	})
	if len(p.qs) > 0 {
		sum := strings.TrimPrefix(p.qs[0].Expect, "0x")
		if before := p.before(t, 1); strings.Contains(before, sum) {
			t.Errorf("the text gives the checksum %s before it is asked:\n%s", sum, before)
		}
	}
	for _, task := range []string{"Show only the echo replies.", "Show only the ICMP messages that report an error."} {
		if !strings.Contains(p.out, task) {
			t.Errorf("the lesson lacks the task %q", task)
		}
	}
}
