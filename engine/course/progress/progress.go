// Package progress keeps what a learner has done: which lessons are
// finished, their scores and dates, the lesson in progress and the
// chosen language. It is one JSON file in the XDG state folder, written
// atomically; a file that cannot be read is set aside, never fatal.
package progress

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/adrg/xdg"

	"wiretutor/engine/internal/atomicfile"
)

// FormatVersion is the version of the file's layout this package writes.
const FormatVersion = 1

// FileName is the progress file's name inside the state folder.
const FileName = "progress.json"

// State is everything the file holds.
type State struct {
	FormatVersion int    `json:"format_version"`
	Lang          string `json:"lang,omitempty"` // the language the learner chose
	// Current is the lesson last started: the one "continue" returns to.
	Current string             `json:"current,omitempty"`
	Lessons map[string]*Lesson `json:"lessons"`
	// Verify are the latest runs of wiretutor verify, oldest first, at
	// most MaxVerifyRuns.
	Verify []VerifyRun `json:"verify,omitempty"`
}

// MaxVerifyRuns is how many verify runs the file keeps.
const MaxVerifyRuns = 200

// VerifyRun is one run of wiretutor verify: a learner's program in a
// lesson's role, and whether it passed the lesson's checks.
type VerifyRun struct {
	Lesson string    `json:"lesson"`
	Role   string    `json:"role"`
	Passed bool      `json:"passed"`
	Checks int       `json:"checks"`
	Failed int       `json:"failed"`
	When   time.Time `json:"when"`
	// Capture is where the run's capture was saved, "" when it was not.
	Capture string `json:"capture,omitempty"`
}

// AddVerify records a verify run, forgetting the oldest past
// MaxVerifyRuns.
func (s *State) AddVerify(r VerifyRun) {
	s.Verify = append(s.Verify, r)
	if n := len(s.Verify) - MaxVerifyRuns; n > 0 {
		s.Verify = append(s.Verify[:0:0], s.Verify[n:]...)
	}
}

// Lesson is one lesson's record. Ids the course does not know (a lesson
// renamed or removed) are kept in the file and ignored by the course.
type Lesson struct {
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"` // the first time it was finished
	Done     bool      `json:"done"`
	// Score and Total are the best finished run's first-try right answers
	// out of its questions.
	Score int `json:"score"`
	Total int `json:"total"`
	// Second counts that run's answers right on the second try, after a
	// hint.
	Second int `json:"second,omitempty"`
	// Step is where an unfinished run stopped (0 when none is open), and
	// StepScore of StepTotal what that run had scored before it.
	Step      int `json:"step,omitempty"`
	StepScore int `json:"step_score,omitempty"`
	StepTotal int `json:"step_total,omitempty"`
	// StepSecond counts that run's answers right on the second try.
	StepSecond int `json:"step_second,omitempty"`
	// StepSeed is the --seed of the unfinished run (nil: none, its
	// numbers were fresh); resuming it uses the same seed.
	StepSeed *uint64 `json:"step_seed,omitempty"`
	// Seed is the --seed of the finished run whose score is kept, or nil.
	Seed *uint64 `json:"seed,omitempty"`
}

// Tally is one run's count of answers: right on the first try (the
// score), questions asked, right on the second try.
type Tally struct {
	Score, Total, Second int
}

// New returns an empty state.
func New() *State { return &State{FormatVersion: FormatVersion, Lessons: map[string]*Lesson{}} }

// Lesson returns id's record, or nil.
func (s *State) Lesson(id string) *Lesson { return s.Lessons[id] }

// Start records that the learner opened lesson id at now.
func (s *State) Start(id string, now time.Time) {
	l := s.Lessons[id]
	if l == nil {
		l = &Lesson{Started: now}
		s.Lessons[id] = l
	}
	s.Current = id
}

// Stop records that the learner left lesson id at step, unfinished,
// having scored score of total before it.
func (s *State) Stop(id string, step, score, total int, now time.Time) {
	s.StopRun(id, step, Tally{Score: score, Total: total}, nil, now)
}

// StopRun records that a run of lesson id, made with seed (nil: none),
// stopped before step with the tally t; resuming continues there, with
// the same seed.
func (s *State) StopRun(id string, step int, t Tally, seed *uint64, now time.Time) {
	s.Start(id, now)
	l := s.Lessons[id]
	l.Step, l.StepScore, l.StepTotal, l.StepSecond, l.StepSeed = step, t.Score, t.Total, t.Second, seed
}

// Finish records a finished run of lesson id with its score. The best
// score is kept; the date of the first finish is kept.
func (s *State) Finish(id string, score, total int, now time.Time) {
	s.FinishRun(id, Tally{Score: score, Total: total}, nil, now)
}

// FinishSecond is Finish for a run that also had second answers right
// on their second try; they are kept with the run whose score is kept.
func (s *State) FinishSecond(id string, score, total, second int, now time.Time) {
	s.FinishRun(id, Tally{Score: score, Total: total, Second: second}, nil, now)
}

// FinishRun records a finished run of lesson id, made with seed (nil:
// none), with the tally t. The best score is kept, with its second-try
// count and its seed; the date of the first finish is kept.
func (s *State) FinishRun(id string, t Tally, seed *uint64, now time.Time) {
	s.Start(id, now)
	l := s.Lessons[id]
	if !l.Done || t.Score > l.Score || t.Total != l.Total {
		l.Score, l.Total, l.Second, l.Seed = t.Score, t.Total, t.Second, seed
	}
	if !l.Done {
		l.Finished = now
	}
	l.Done = true
	l.Step, l.StepScore, l.StepTotal, l.StepSecond, l.StepSeed = 0, 0, 0, 0, nil
}

// Reset forgets lesson id.
func (s *State) Reset(id string) {
	delete(s.Lessons, id)
	if s.Current == id {
		s.Current = ""
	}
}

// ResetAll forgets every lesson; the language stays.
func (s *State) ResetAll() {
	s.Lessons = map[string]*Lesson{}
	s.Current = ""
}

// Store is the progress file.
type Store struct {
	Path string
}

// DefaultPath is where progress lives: $XDG_STATE_HOME/wiretutor on
// Linux (~/.local/state/wiretutor when unset), and each other OS's own
// place for such files. getenv is os.Getenv outside tests.
func DefaultPath(getenv func(string) string) string {
	dir := getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		dir = xdg.StateHome
	}
	return filepath.Join(dir, "wiretutor", FileName)
}

// CorruptError says the file could not be read and where it was moved.
type CorruptError struct {
	Path     string // the progress file
	SetAside string // where it is now ("" if it could not be moved)
	Err      error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("progress file %s is unreadable (set aside as %s): %v", e.Path, e.SetAside, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// ErrNewer: the file was written by a newer wiretutor.
var ErrNewer = errors.New("written by a newer version of wiretutor")

// NotRegularError says the progress path is not a regular file (a FIFO,
// a device, a folder): reading it could block for ever and writing would
// replace it, so it is neither read nor written.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("progress file %s is not a regular file (%v)", e.Path, e.Mode.Type())
}

// Load reads the file. A missing file is an empty state. A file that is
// not valid progress is renamed aside (progress.json.corrupt-<time>) and
// an empty state comes back with a *CorruptError, so the course goes on.
// A path that is not a regular file is refused with a *NotRegularError
// and a nil state, without opening it.
func (st *Store) Load() (*State, error) {
	data, err := st.read()
	var perr error
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return New(), nil
	case errors.Is(err, errTooBig):
		perr = err
	case err != nil:
		return nil, err
	default:
		s, err := parse(data)
		if err == nil {
			return s, nil
		}
		perr = err
	}
	aside := st.Path + ".corrupt-" + time.Now().UTC().Format("20060102T150405Z")
	if err := os.Rename(st.Path, aside); err != nil {
		aside = ""
	}
	return New(), &CorruptError{Path: st.Path, SetAside: aside, Err: perr}
}

// read returns the file's bytes, refusing anything but a regular file
// before opening it (opening a FIFO blocks until someone writes it).
func (st *Store) read() ([]byte, error) {
	if err := st.checkRegular(); err != nil {
		return nil, err
	}
	f, err := os.Open(st.Path)
	if err != nil {
		return nil, fmt.Errorf("read progress: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, &NotRegularError{Path: st.Path, Mode: fi.Mode()}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read progress: %w", err)
	}
	if len(data) > maxSize {
		return nil, errTooBig
	}
	return data, nil
}

var errTooBig = fmt.Errorf("larger than %d bytes", maxSize)

// maxSize bounds the file: a learner's record of a few dozen lessons is a
// few kilobytes.
const maxSize = 4 << 20

// checkRegular is nil when the path is missing or a regular file.
func (st *Store) checkRegular() error {
	fi, err := os.Stat(st.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return err
	case err != nil:
		return fmt.Errorf("read progress: %w", err)
	case !fi.Mode().IsRegular():
		return &NotRegularError{Path: st.Path, Mode: fi.Mode()}
	}
	return nil
}

func parse(data []byte) (*State, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	s := &State{}
	if err := dec.Decode(s); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("extra data after the JSON object")
	}
	switch {
	case s.FormatVersion == 0:
		return nil, errors.New("no format_version")
	case s.FormatVersion > FormatVersion:
		return nil, fmt.Errorf("format_version %d: %w", s.FormatVersion, ErrNewer)
	}
	if s.Lessons == nil {
		s.Lessons = map[string]*Lesson{}
	}
	for id, l := range s.Lessons {
		if l == nil || l.Score < 0 || l.Score > l.Total || l.Step < 0 || l.StepScore < 0 || l.StepScore > l.StepTotal {
			return nil, fmt.Errorf("lesson %q: impossible record", id)
		}
	}
	return s, nil
}

// Save writes the state atomically, creating the folder if needed. It
// replaces the file whole: a course that may run twice at once changes
// progress with Update instead.
func (st *Store) Save(s *State) error {
	if err := st.checkRegular(); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	s.FormatVersion = FormatVersion
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(st.Path), 0o700); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	if err := atomicfile.WriteFile(st.Path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	return nil
}

// Update applies change to the state in the file as it is now, and saves
// it, all under a lock on the file (progress.json.lock beside it), so two
// wiretutor processes never lose each other's progress: each change
// touches its own lesson on top of whatever the other wrote. A file found
// corrupt is set aside as by Load and the change applied to a fresh state.
// It returns the state written.
func (st *Store) Update(change func(*State)) (*State, error) {
	if err := os.MkdirAll(filepath.Dir(st.Path), 0o700); err != nil {
		return nil, fmt.Errorf("save progress: %w", err)
	}
	unlock, err := lockFile(st.Path + ".lock")
	if err != nil {
		return nil, fmt.Errorf("lock progress: %w", err)
	}
	defer unlock()
	s, err := st.Load()
	if s == nil {
		return nil, err
	}
	change(s)
	return s, st.Save(s)
}
