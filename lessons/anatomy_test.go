package lessons_test

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"wiretutor/engine/course"
	"wiretutor/engine/packet/anatomy"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/lessons/lessontest"
)

// anatomyTitle is the line an anatomy step starts with, in English.
var anatomyTitle = regexp.MustCompile(`Frame (\d+), field by field`)

// TestAnatomyBeforeNoAnswer runs each lesson that has an anatomy step
// in the sandbox: the step shows its frame, and no question asked after
// it asks for a field of that frame it showed (the learner predicts
// before seeing).
func TestAnatomyBeforeNoAnswer(t *testing.T) {
	for _, l := range lessontest.Course(t) {
		i := slices.IndexFunc(l.Steps, func(s course.Step) bool { return s.Kind == course.Anatomy })
		if i < 0 {
			continue
		}
		view := l.Steps[i].Anatomy
		t.Run(l.ID, func(t *testing.T) {
			export, text, pcap := runInSandbox(t, l.ID, "en")
			m := anatomyTitle.FindStringSubmatchIndex(text)
			if m == nil {
				t.Fatalf("no anatomy in the lesson's text:\n%s", text)
			}
			frame, _ := strconv.Atoi(text[m[2]:m[3]])
			pkts := testenv.PacketsAt(t, pcap)
			shown := map[string]bool{}
			for _, f := range anatomy.Fields(&pkts[frame-1], view.Layers...) {
				shown[f.Name] = true
				if !strings.Contains(text, f.Name) {
					t.Errorf("the anatomy does not name %s", f.Name)
				}
			}
			for _, q := range export.Questions {
				at := strings.Index(text, "Question "+strings.TrimPrefix(q.ID, "q")+" of ")
				if at > m[0] && q.Frame == frame && shown[q.Field] {
					t.Errorf("%s (%s of frame %d) is asked after the anatomy showed it", q.ID, q.Field, frame)
				}
			}
		})
	}
}
