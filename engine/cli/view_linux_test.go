//go:build linux

package cli_test

import (
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"wiretutor/engine/testkit/testenv"
)

// TestViewOnATerminal: wiretutor view on a real terminal draws the
// capture full screen, takes a display filter typed in its bar, and on
// q or SIGTERM leaves the alternate screen and gives the terminal back
// as it found it.
func TestViewOnATerminal(t *testing.T) {
	for _, how := range []string{"q", "SIGTERM"} {
		t.Run(how, func(t *testing.T) {
			master, slave := testenv.Pty(t)
			before, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			scr := newScreen(master)
			cmd := child(t, scr, slave, slave, slave, "view", testenv.Testdata("echo-lab.pcap"))
			i, at := scr.waitFor(0, "12 frames")
			if i < 0 {
				t.Fatalf("no first screen:\n%q", scr)
			}
			scr.waitFor(at, "[SYN, ACK]")
			master.WriteString("/tcp.flags.syn == 1")
			if i, at = scr.waitFor(at, "A valid filter"); i < 0 {
				t.Fatalf("the bar does not check the filter:\n%q", scr)
			}
			master.WriteString("\r")
			if i, at = scr.waitFor(at, "2 shown"); i < 0 {
				t.Fatalf("the filter is not applied:\n%q", scr)
			}
			if how == "q" {
				master.WriteString("q")
			} else {
				cmd.cmd.Process.Signal(syscall.SIGTERM)
			}
			if code := exitCode(t, cmd); code != 0 {
				t.Errorf("exit %d, want 0", code)
			}
			out := scr.drained(slave)
			if !strings.Contains(out[at:], "\x1b[?1049l") {
				t.Errorf("the alternate screen is not left:\n%q", out[at:])
			}
			after, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if after.Lflag != before.Lflag || after.Iflag != before.Iflag || after.Oflag != before.Oflag {
				t.Errorf("the terminal is not restored: %+v, was %+v", after, before)
			}
		})
	}
}
