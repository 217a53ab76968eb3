package explorer_test

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/view/explorer"
)

// TestHierarchyMatchesTshark: the protocol hierarchy of every committed
// capture is the one tshark -q -z io,phs prints, line for line. tshark
// counts the "[N Reassembled TCP Segments]" field of a message several
// segments carried as a protocol, placed as its reassembly happened to
// add it (before HTTP in one capture, after its body in another); the
// explorer lists protocols only, and captures where tshark shows one
// are left out.
func TestHierarchyMatchesTshark(t *testing.T) {
	tshark := testenv.Tshark(t)
	for _, path := range captures(t) {
		out, err := exec.Command(tshark, "-r", path, "-q", "-z", "io,phs").Output()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if strings.Contains(string(out), "tcp.segments") {
			t.Logf("%s: tshark counts tcp.segments as a protocol", filepath.Base(path))
			continue
		}
		var want []string
		in := false
		for _, line := range strings.Split(string(out), "\n") {
			switch {
			case strings.HasPrefix(line, "Filter:"):
				in = true
			case strings.HasPrefix(line, "====="):
				in = false
			case in && strings.TrimSpace(line) != "":
				want = append(want, strings.Join(strings.Fields(line), " ")+fmt.Sprintf(" @%d", len(line)-len(strings.TrimLeft(line, " "))))
			}
		}
		s, err := explorer.Statistics(context.Background(), explorer.File(path), nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range s.Protocols {
			got = append(got, fmt.Sprintf("%s frames:%d bytes:%d @%d", p.Name, p.Frames, p.Bytes, 2*p.Depth))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: hierarchy\n%s\ntshark\n%s", filepath.Base(path), strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
