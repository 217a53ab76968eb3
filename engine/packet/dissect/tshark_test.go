package dissect_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
)

// captures lists the committed captures whose tshark output sits beside
// them (testdata/regen.sh writes it).
func captures(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.pcap", "*.pcapng"} {
		m, err := filepath.Glob(filepath.Join("..", "..", "..", "testdata", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no captures under testdata")
	}
	return files
}

func dissectFile(t testing.TB, path string) ([]dissect.Packet, int) {
	t.Helper()
	f, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pkts, err := dissect.Collect(f)
	if err != nil {
		t.Fatal(err)
	}
	return pkts, f.Precision()
}

func stem(path string) string { return strings.TrimSuffix(path, filepath.Ext(path)) }

// TestSummaryMatchesTshark compares every line with tshark's default output.
func TestSummaryMatchesTshark(t *testing.T) {
	for _, path := range captures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			want, err := os.ReadFile(stem(path) + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			pkts, prec := dissectFile(t, path)
			var got bytes.Buffer
			for i := range pkts {
				got.Write(dissect.Summary(nil, &pkts[i], prec))
				got.WriteByte('\n')
			}
			compareLines(t, got.String(), string(want))
		})
	}
}

// TestFieldsMatchTshark compares every field of fields.list with
// `tshark -T fields`.
func TestFieldsMatchTshark(t *testing.T) {
	for _, path := range captures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			want, err := os.Open(stem(path) + ".fields.tsv")
			if err != nil {
				t.Fatal(err)
			}
			defer want.Close()
			pkts, _ := dissectFile(t, path)
			sc := bufio.NewScanner(want)
			sc.Scan()
			names := strings.Split(sc.Text(), "\t")
			for i := 0; sc.Scan(); i++ {
				if i >= len(pkts) {
					t.Fatalf("tshark has more frames than the %d we read", len(pkts))
				}
				vals := strings.Split(sc.Text(), "\t")
				for j, name := range names {
					if !dissect.KnownField(name) {
						t.Errorf("fields.list names %s, which dissect does not know", name)
						continue
					}
					got, _ := dissect.Field(&pkts[i], name)
					if got != vals[j] {
						t.Errorf("frame %d %s = %q, tshark says %q", i+1, name, got, vals[j])
					}
				}
			}
		})
	}
}

func compareLines(t *testing.T, got, want string) {
	t.Helper()
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("line %d:\n got: %q\nwant: %q", i+1, gl, wl)
		}
	}
}
