//go:build !windows

package progress

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestFIFORefused: a FIFO at the progress path used to hang every
// command (opening it for reading waits for a writer). It is refused
// without being opened, and left where it is.
func TestFIFORefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := unix.Mkfifo(path, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	st := &Store{Path: path}
	var nr *NotRegularError
	if s, err := st.Load(); s != nil || !errors.As(err, &nr) {
		t.Fatalf("Load: %v, %v; want a NotRegularError", s, err)
	}
	if _, err := st.Update(func(s *State) { s.Lang = "ru" }); !errors.As(err, &nr) {
		t.Errorf("Update: %v; want a NotRegularError", err)
	}
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", fi.Mode(), err)
	}
	// A FIFO where the lock file goes is refused too, without blocking.
	if err := unix.Mkfifo(path+"2.lock", 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := (&Store{Path: path + "2"}).Update(func(*State) {}); err == nil {
		t.Error("Update with a FIFO as its lock file succeeded")
	}
}
