package dissect_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
)

// details writes the packet details of every frame of a capture, as
// `tshark -V` does.
func details(t testing.TB, path string, d dissect.Details) []byte {
	t.Helper()
	f, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d.Link = f.LinkType()
	if _, ng := f.InterfaceName(0); ng {
		d.Interface = func(i int) string { name, _ := f.InterfaceName(i); return name }
	}
	var out []byte
	for p, err := range dissect.ScanDetailed(f) {
		if err != nil {
			t.Fatal(err)
		}
		out = d.Append(out, p)
	}
	return out
}

// TestDetailsAgainstTshark: the details of every committed capture are
// tshark's, line for line (testdata/NAME.details.txt, written by
// testdata/regen.sh).
func TestDetailsAgainstTshark(t *testing.T) {
	caps, _ := filepath.Glob("../../../testdata/*.pcap*")
	for _, c := range caps {
		name := strings.TrimSuffix(filepath.Base(c), filepath.Ext(c))
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(c, filepath.Ext(c)) + ".details.txt")
			if err != nil {
				t.Fatal(err)
			}
			got := details(t, c, dissect.Details{HexData: true})
			if !bytes.Equal(got, want) {
				t.Error(firstDiff(got, want))
			}
		})
	}
}

// firstDiff describes where two outputs part: the line and a little
// context before it.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			ctx := w[max(0, i-6):i]
			return "line " + strconv.Itoa(i+1) + ":\n  got:  " + gl + "\n  want: " + wl + "\n  after:\n    " + strings.Join(ctx, "\n    ")
		}
	}
	return ""
}
