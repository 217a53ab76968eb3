package progress

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestUpdateKeepsOthers: two courses running at once (two Stores on one
// file, each with the state it loaded at its start) never lose each
// other's lessons, however their changes interleave.
func TestUpdateKeepsOthers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wiretutor", FileName)
	a, b := &Store{Path: path}, &Store{Path: path}
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if _, err := a.Update(func(s *State) { s.Start("tcp-handshake", t0) }); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Update(func(s *State) { s.Finish("sockets", 3, 4, t0) }); err != nil {
		t.Fatal(err)
	}
	got, err := a.Update(func(s *State) { s.Stop("tcp-handshake", 5, 2, 3, t0) })
	if err != nil {
		t.Fatal(err)
	}
	if l := got.Lesson("sockets"); l == nil || !l.Done || l.Score != 3 {
		t.Errorf("the other course's finished lesson was lost: %+v", got.Lessons)
	}
	if l := got.Lesson("tcp-handshake"); l == nil || l.Step != 5 {
		t.Errorf("this course's own lesson: %+v", l)
	}
}

// TestUpdateConcurrent: many updates from goroutines, each through its
// own Store as separate processes would, all land.
func TestUpdateConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wiretutor", FileName)
	const workers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := &Store{Path: path}
			for i := range each {
				id := fmt.Sprintf("lesson-%d-%d", w, i)
				if _, err := st.Update(func(s *State) { s.Finish(id, 1, 1, time.Now()) }); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s, err := (&Store{Path: path}).Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Lessons) != workers*each {
		t.Errorf("%d lessons recorded, want %d", len(s.Lessons), workers*each)
	}
}

// TestNotRegularRefused: a folder (and, where the system has them, a
// FIFO: see the unix test) at the progress path is refused, never opened
// for reading nor replaced.
func TestNotRegularRefused(t *testing.T) {
	dir := t.TempDir()
	st := &Store{Path: dir}
	s, err := st.Load()
	var nr *NotRegularError
	if s != nil || !errors.As(err, &nr) || nr.Path != dir {
		t.Fatalf("Load of a folder: %v, %v; want a NotRegularError", s, err)
	}
	if err := st.Save(New()); !errors.As(err, &nr) {
		t.Errorf("Save over a folder: %v; want a NotRegularError", err)
	}
	if _, err := st.Update(func(*State) {}); !errors.As(err, &nr) {
		t.Errorf("Update of a folder: %v; want a NotRegularError", err)
	}
}
