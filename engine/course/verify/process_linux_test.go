package verify

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
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
	child, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	// A descriptor of the child, readable once it has ended: the test
	// waits on that event, not on a delay.
	fd, err := unix.PidfdOpen(child, 0)
	if err != nil {
		t.Skip("no pidfd:", err)
	}
	defer unix.Close(fd)
	p.stop()
	if p.code() != -1 {
		t.Errorf("exit code %d, want -1 (a signal)", p.code())
	}
	// The guard only bounds a failing test; a passing one returns as
	// soon as the kernel says the child is gone.
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	for {
		n, err := unix.Poll(fds, 60_000)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			t.Errorf("the child %d still runs a minute after stop (%v)", child, err)
		}
		break
	}
}
