package course

import (
	"errors"
	"time"

	"wiretutor/engine/course/progress"
)

// Plan is the course a learner takes: its lessons in order and a title
// ("" for the course's own name). It is every lesson, or what a course
// file chose.
type Plan struct {
	Title   string
	Lessons []*Lesson
}

// Find returns the plan's lesson with the id, or nil.
func (p Plan) Find(id string) *Lesson {
	for _, l := range p.Lessons {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// Next is the lesson "continue" opens: the one in progress, else the
// first not done, in the plan's order; nil when all are done.
func (p Plan) Next(s *progress.State) *Lesson {
	if cur := s.Lesson(s.Current); cur != nil && !cur.Done {
		if l := p.Find(s.Current); l != nil {
			return l
		}
	}
	for _, l := range p.Lessons {
		if r := s.Lesson(l.ID); r == nil || !r.Done {
			return l
		}
	}
	return nil
}

// Done counts the plan's finished lessons.
func (p Plan) Done(s *progress.State) int {
	n := 0
	for _, l := range p.Lessons {
		if r := s.Lesson(l.ID); r != nil && r.Done {
			n++
		}
	}
	return n
}

// Outcome is the change a lesson run makes to the learner's progress:
// finished, or stopped part way (quit or interrupted) with where to
// resume; nil when the run leaves no trace (it failed).
func Outcome(id string, res Result, err error, interrupted bool, now time.Time) func(*progress.State) {
	switch {
	case err == nil && res.Completed:
		return func(s *progress.State) { s.FinishRun(id, res.tally(), res.Seed, now) }
	case errors.Is(err, ErrQuit) || interrupted:
		return func(s *progress.State) { s.StopRun(id, res.Step, res.tally(), res.Seed, now) }
	}
	return nil
}

func (r Result) tally() progress.Tally {
	return progress.Tally{Score: r.Score, Total: r.Total, Second: r.Second}
}

// Resume is where a run of the lesson starts for a learner with the
// progress s: the step an unfinished run stopped at and the score up to
// there (with its second tries and its seed), or the start.
func Resume(s *progress.State, id string) (start int, carry Result) {
	if r := s.Lesson(id); r != nil && r.Step > 0 {
		return r.Step, Result{Score: r.StepScore, Total: r.StepTotal, Second: r.StepSecond, Seed: r.StepSeed}
	}
	return 0, Result{}
}
