//go:build !windows

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestProgressFIFO: a FIFO at the progress path used to hang every
// command. Now each command says so once and goes on, progress kept in
// memory, the FIFO left alone.
func TestProgressFIFO(t *testing.T) {
	state := t.TempDir()
	dir := filepath.Join(state, "wiretutor")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "progress.json")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	env := map[string]string{"XDG_STATE_HOME": state, "LANG": "en"}
	for _, args := range [][]string{{"lessons"}, {"lesson", "udp-echo", "--net", "sandbox"}} {
		code, _, errs := runIn(t, env, "q\n", args...)
		if code != 0 || strings.Count(errs, "is not an ordinary file") != 1 {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit 0 and the notice once", args, code, errs)
		}
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v", err)
	}
}
