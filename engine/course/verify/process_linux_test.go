package verify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStopEndsTheGroup: stopping a program in a group of its own ends
// the children it started too, and leaves no process behind.
func TestStopEndsTheGroup(t *testing.T) {
	dir := t.TempDir()
	ready := filepath.Join(dir, "ready")
	// The shell starts a child that would sleep for an hour, says so,
	// then waits for it.
	lines := make(chan Line, 10)
	p, err := startProcess([]string{"/bin/sh", "-c", "sleep 3600 & echo $! > " + ready + "; echo started; wait"}, nil, nil,
		func(l Line) { lines <- l }, true)
	if err != nil {
		t.Fatal(err)
	}
	if l := <-lines; l.Text != "started" {
		t.Fatalf("first line %q", l.Text)
	}
	data, err := os.ReadFile(ready)
	if err != nil {
		t.Fatal(err)
	}
	child := strings.TrimSpace(string(data))
	p.stop()
	if p.code() != -1 {
		t.Errorf("exit code %d, want -1 (a signal)", p.code())
	}
	if _, err := os.Stat("/proc/" + child); err == nil {
		st, _ := os.ReadFile("/proc/" + child + "/stat")
		if !strings.Contains(string(st), ") Z ") { // a zombie is gone already
			t.Errorf("the child %s still runs after stop", child)
		}
	}
}
