package explorer_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/testkit/benchdata"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/view/explorer"
)

// captures lists the committed captures.
func captures(t *testing.T) []string {
	t.Helper()
	var caps []string
	for _, pat := range []string{"*.pcap", "*.pcapng"} {
		m, _ := filepath.Glob(testenv.Testdata(pat))
		caps = append(caps, m...)
	}
	if len(caps) < 20 {
		t.Fatalf("%d captures under testdata", len(caps))
	}
	return caps
}

// TestSpansMatchTshark: on every committed capture the tree of each
// frame has tshark's lines at tshark's depths, and every line whose
// bytes the explorer claims as its own (Node.Own) has the bytes tshark
// -T pdml gives it (testdata/NAME.spans.tsv). Most header lines must be
// placed: the share is reported and held above a floor.
func TestSpansMatchTshark(t *testing.T) {
	var own, placeable int
	for _, path := range captures(t) {
		name := filepath.Base(path)
		f, err := os.Open(strings.TrimSuffix(path, filepath.Ext(path)) + ".spans.tsv")
		if err != nil {
			t.Fatal(err) // regen.sh writes one for every capture
		}
		want := map[int][][3]int{}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var fr, depth, pos, size int
			if _, err := fmt.Sscanf(sc.Text(), "%d\t%d\t%d\t%d", &fr, &depth, &pos, &size); err != nil {
				t.Fatalf("%s: %q: %v", name, sc.Text(), err)
			}
			want[fr] = append(want[fr], [3]int{depth, pos, size})
		}
		f.Close()
		c, err := explorer.NewCursor(explorer.File(path))
		if err != nil {
			t.Fatal(err)
		}
		var prev time.Time
		for n := 1; n <= len(want); n++ {
			tr, err := c.Tree(context.Background(), n, prev, n > 1)
			if err != nil {
				t.Fatalf("%s frame %d: %v", name, n, err)
			}
			prev = time.Time{}
			rows := want[n]
			if len(tr.Nodes) != len(rows) {
				t.Errorf("%s frame %d: %d lines, tshark %d", name, n, len(tr.Nodes), len(rows))
				continue
			}
			for i, nd := range tr.Nodes {
				w := rows[i]
				if nd.Depth != w[0] {
					t.Errorf("%s frame %d line %d %q: depth %d, tshark %d", name, n, i, nd.Text, nd.Depth, w[0])
					break
				}
				if w[2] > 0 && !strings.HasPrefix(nd.Text, "[") {
					placeable++
				}
				if !nd.Own {
					continue
				}
				own++
				if nd.Off != w[1] || nd.Len != w[2] {
					t.Errorf("%s frame %d line %q: bytes %d+%d, tshark %d+%d", name, n, nd.Text, nd.Off, nd.Len, w[1], w[2])
				}
			}
		}
		c.Close()
	}
	t.Logf("%d of %d lines with bytes placed (%.1f%%)", own, placeable, 100*float64(own)/float64(placeable))
	if own*10 < placeable*8 {
		t.Errorf("only %d of %d lines with bytes placed", own, placeable)
	}
}

// TestTreesBackwards: the trees a Cursor gives walking a capture from
// its last frame back to its first (reading the file again from the
// start, keeping the trees before) read as tshark -V prints them in one
// pass from the first frame: the same lines at the same depths.
func TestTreesBackwards(t *testing.T) {
	// and one long enough to be read from the start several times
	long := filepath.Join(t.TempDir(), "long.pcap")
	if _, err := benchdata.Write(long, testenv.Testdata("echo-lab.pcap"), 1500); err != nil {
		t.Fatal(err)
	}
	for _, path := range append(captures(t), long) {
		name := filepath.Base(path)
		f, err := capture.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		det := dissect.Details{Link: f.LinkType()}
		if _, ng := f.InterfaceName(0); ng {
			det.Interface = func(i int) string { n, _ := f.InterfaceName(i); return n }
		}
		var want []string
		var times []time.Time
		for p, err := range dissect.ScanDetailed(f) {
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, string(det.AppendTree(nil, p)))
			times = append(times, p.Time)
		}
		f.Close()
		c, err := explorer.NewCursor(explorer.File(path))
		if err != nil {
			t.Fatal(err)
		}
		for n := len(want); n >= 1; n-- {
			var prev time.Time
			if n > 1 {
				prev = times[n-2]
			}
			tr, err := c.Tree(context.Background(), n, prev, n > 1)
			if err != nil {
				t.Fatalf("%s frame %d: %v", name, n, err)
			}
			var b strings.Builder
			for _, nd := range tr.Nodes {
				b.WriteString(strings.Repeat("    ", nd.Depth) + nd.Text + "\n")
			}
			if b.String() != want[n-1] {
				t.Errorf("%s frame %d backwards:\n%s\nin one pass:\n%s", name, n, b.String(), want[n-1])
			}
		}
		c.Close()
	}
}
