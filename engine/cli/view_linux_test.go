//go:build linux

package cli_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"wiretutor/engine/testkit/benchdata"
	"wiretutor/engine/testkit/testenv"
)

// TestViewOnATerminal: wiretutor view on a real terminal draws the
// capture full screen (without colour: NO_COLOR is set), takes a display filter typed in its bar, and on
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
			if strings.Contains(out, "\x1b[38;") || strings.Contains(out, "\x1b[48;") {
				t.Errorf("colours under NO_COLOR:\n%q", out)
			}
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

// BenchmarkViewFirstScreen500k times wiretutor view on a capture of half
// a million packets from the start of the process to its first rows on
// the terminal, beside tshark printing its first 20 lines of it. (Later
// screens are drawn as differences from the one
// before, so only the first can be told from the terminal's bytes; the
// rest is timed in process, by BenchmarkExplorer500k.)
func BenchmarkViewFirstScreen500k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "500k.pcap")
	if _, err := benchdata.Write(path, testenv.Testdata("echo-lab.pcap"), 500_000); err != nil {
		b.Fatal(err)
	}
	ts := testenv.Tshark(b)
	var first, tshark time.Duration
	for range b.N {
		start := time.Now()
		if err := exec.Command(ts, "-r", path, "-c", "20").Run(); err != nil {
			b.Fatal(err)
		}
		tshark += time.Since(start)
		master, slave := testenv.Pty(b)
		scr := newScreen(master)
		start = time.Now()
		cmd := child(b, scr, slave, slave, slave, "view", path)
		if i, _ := scr.waitFor(0, "[SYN, ACK]"); i < 0 {
			b.Fatalf("no first screen:\n%q", scr)
		}
		first += time.Since(start)
		master.WriteString("q")
		exitCode(b, cmd)
		master.Close()
		slave.Close()
	}
	b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "first-screen-ms")
	b.ReportMetric(float64(tshark.Milliseconds())/float64(b.N), "tshark-c20-ms")
	b.ReportMetric(0, "ns/op")
}
