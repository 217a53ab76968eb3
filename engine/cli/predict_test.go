package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/text/i18n"
	"wiretutor/lessons/lessontest"
)

// TestPredictions: every lesson with questions asks at least two of them
// as predictions (before the capture that answers them is shown, in a
// prediction's wording), the same ones in every language, and across
// the course at least a third of the questions are predictions.
func TestPredictions(t *testing.T) {
	all, predicted := 0, 0
	for _, l := range lessontest.Course(t) {
		if l.Questions() == 0 {
			continue
		}
		t.Run(l.ID, func(t *testing.T) {
			// A question is known by its kind (and which of that kind it
			// is): the threads of a seeded run can still pack an ACK with
			// a FIN in one language's run and not the next, and then a
			// question that needs the one is not made. What a missing
			// wording changes is whether a question made is a prediction.
			var first map[string]bool
			for _, lang := range i18n.Available(content.FS) {
				qj := filepath.Join(t.TempDir(), "q.json")
				if code, _, errs := run(t, nil, "lesson", l.ID, "--no-input", "--seed", "1", "--lang", lang, "--quiz-json", qj); code != 0 {
					t.Fatalf("%s: exit %d: %s", lang, code, errs)
				}
				data, err := os.ReadFile(qj)
				if err != nil {
					t.Fatal(err)
				}
				var e quiz.Export
				if err := json.Unmarshal(data, &e); err != nil {
					t.Fatal(err)
				}
				marks := map[string]bool{}
				seen := map[string]int{}
				n := 0
				for _, q := range e.Questions {
					seen[q.Kind]++
					marks[q.Kind+"#"+strconv.Itoa(seen[q.Kind])] = q.Predict
					if q.Predict {
						n++
					}
				}
				if first == nil {
					first = marks
					all += len(marks)
					predicted += n
					if n < 2 {
						t.Errorf("%d of %d questions are predictions; a lesson with traffic needs two", n, len(marks))
					}
					continue
				}
				for k, p := range marks {
					if en, ok := first[k]; ok && en != p {
						t.Errorf("%s: %s is a prediction: %v, in English: %v; a wording is missing in one of them", lang, k, p, en)
					}
				}
			}
		})
	}
	if 3*predicted < all {
		t.Errorf("%d of the course's %d questions are predictions; at least a third should be", predicted, all)
	}
}
