package course_test

import (
	"errors"
	"testing"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/course/progress"
)

func TestPlan(t *testing.T) {
	p := course.Plan{Lessons: []*course.Lesson{{ID: "a"}, {ID: "b"}, {ID: "c"}}}
	now := time.Unix(0, 0)
	tests := []struct {
		name     string
		progress func(s *progress.State)
		next     string
		done     int
	}{
		{"fresh", func(*progress.State) {}, "a", 0},
		{"first done", func(s *progress.State) { s.Finish("a", 1, 2, now) }, "b", 1},
		{"one in progress comes first", func(s *progress.State) { s.Finish("a", 1, 2, now); s.Stop("c", 3, 0, 0, now) }, "c", 1},
		{"a current lesson of another plan", func(s *progress.State) { s.Stop("zz", 3, 0, 0, now) }, "a", 0},
		{"all done", func(s *progress.State) { s.Finish("a", 1, 1, now); s.Finish("b", 1, 1, now); s.Finish("c", 0, 1, now) }, "", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := progress.New()
			tt.progress(s)
			next := ""
			if l := p.Next(s); l != nil {
				next = l.ID
			}
			if next != tt.next || p.Done(s) != tt.done {
				t.Errorf("next %q done %d, want %q %d", next, p.Done(s), tt.next, tt.done)
			}
		})
	}
}

func TestOutcome(t *testing.T) {
	now := time.Unix(0, 0)
	tests := []struct {
		name        string
		res         course.Result
		err         error
		interrupted bool
		want        string // "done", "stopped at N", or "" for no change
	}{
		{"finished", course.Result{Score: 2, Total: 3, Completed: true}, nil, false, "done"},
		{"quit", course.Result{Step: 4}, course.ErrQuit, false, "stopped at 4"},
		{"interrupted", course.Result{Step: 2}, errors.New("context canceled"), true, "stopped at 2"},
		{"failed", course.Result{}, errors.New("port in use"), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			change := course.Outcome("a", tt.res, tt.err, tt.interrupted, now)
			got := ""
			if change != nil {
				s := progress.New()
				change(s)
				switch r := s.Lesson("a"); {
				case r.Done:
					got = "done"
				default:
					got = "stopped at " + string(rune('0'+r.Step))
				}
				if start, _ := course.Resume(s, "a"); !s.Lesson("a").Done && start != tt.res.Step {
					t.Errorf("resume at %d, want %d", start, tt.res.Step)
				}
			}
			if got != tt.want {
				t.Errorf("%q, want %q", got, tt.want)
			}
		})
	}
}
