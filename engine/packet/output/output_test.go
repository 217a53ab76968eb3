package output_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/output"
	"wiretutor/engine/testkit/testenv"
)

func testdata(name string) string { return testenv.Testdata(name) }

// each calls fn with every packet of a committed capture and its
// precision.
func each(t testing.TB, file string, fn func(p *dissect.Packet, prec int) error) {
	t.Helper()
	prec := testenv.Recording(t, file).Precision
	for _, p := range testenv.Packets(t, file) {
		if err := fn(&p, prec); err != nil {
			t.Fatal(err)
		}
	}
}

// captures are the committed captures' file names, by name without
// extension.
func captures(t *testing.T) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(testdata("*.pcap*"))
	if len(files) < 10 {
		t.Fatalf("%d captures in testdata", len(files))
	}
	out := map[string]string{}
	for _, f := range files {
		f = filepath.Base(f)
		out[strings.TrimSuffix(strings.TrimSuffix(f, ".pcapng"), ".pcap")] = f
	}
	return out
}

// TestTsharkFollow: every view of stream 0 of every capture is what
// `tshark -q -z follow,tcp,VIEW,0` printed (testdata/*.follow-*.txt).
func TestTsharkFollow(t *testing.T) {
	n := 0
	for name, path := range captures(t) {
		for _, view := range []string{output.ASCII, output.Hex, output.Raw} {
			want, err := os.ReadFile(testdata(name + ".follow-" + view + ".txt"))
			if err != nil {
				continue
			}
			n++
			var got bytes.Buffer
			f := output.NewTsharkFollow(&got, 0, view)
			each(t, path, func(p *dissect.Packet, _ int) error { return f.Add(p) })
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Errorf("%s %s:\n got:\n%s\nwant:\n%s", name, view, got.String(), want)
			}
		}
	}
	if n < 12 {
		t.Errorf("only %d follow files compared", n)
	}
}

// TestTsharkFollowNoStream: a stream no packet belongs to still gets
// tshark's frame, with ":0" for its ends.
func TestTsharkFollowNoStream(t *testing.T) {
	var got bytes.Buffer
	f := output.NewTsharkFollow(&got, 9, output.Raw)
	each(t, "echo-lab.pcap", func(p *dissect.Packet, _ int) error { return f.Add(p) })
	f.Close()
	want := "\n===================================================================\nFollow: tcp,raw\nFilter: tcp.stream eq 9\nNode 0: :0\nNode 1: :0\n===================================================================\n"
	if got.String() != want {
		t.Errorf("got %q, want %q", got.String(), want)
	}
}

// TestFollowTurns: each side's offsets run on from its last turn, the
// first turn alone is First, and Bytes counts both sides.
func TestFollowTurns(t *testing.T) {
	for name, path := range captures(t) {
		var sent [2]int
		turns := 0
		f := output.NewFollow(0, func(turn output.Turn) error {
			side := 0
			if !turn.FromClient {
				side = 1
			}
			if turn.Offset != sent[side] || turn.First != (turns == 0) || !turn.Client.IsValid() {
				t.Errorf("%s: turn %d: offset %d (want %d), first %v", name, turns, turn.Offset, sent[side], turn.First)
			}
			sent[side] += len(turn.Data)
			turns++
			return nil
		})
		each(t, path, func(p *dissect.Packet, _ int) error { return f.Add(p) })
		if err := f.Flush(); err != nil {
			t.Fatal(err)
		}
		if f.Bytes() != sent[0]+sent[1] {
			t.Errorf("%s: Bytes %d, the turns carried %d", name, f.Bytes(), sent[0]+sent[1])
		}
	}
}

// TestPrinter: the text lines and -T fields are tshark's own (the
// committed NAME.txt and NAME.fields.tsv, without its header line).
func TestPrinter(t *testing.T) {
	list, err := os.ReadFile(testdata("fields.list"))
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(list))
	for name, path := range captures(t) {
		for _, tt := range []struct {
			format, file string
			fields       []string
		}{{output.Text, name + ".txt", nil}, {output.Fields, name + ".fields.tsv", fields}} {
			want, err := os.ReadFile(testdata(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if tt.format == output.Fields {
				_, want, _ = bytes.Cut(want, []byte("\n"))
			}
			var got bytes.Buffer
			pr := output.NewPrinter(&got, tt.format, tt.fields)
			each(t, path, pr.Print)
			if err := pr.Close(); err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Errorf("%s: %s differs from tshark's", name, tt.file)
			}
		}
	}
}

// TestPrinterJSON: -T json -e is tshark's byte for byte, columns whose
// text holds commas, HTTP bodies (commas, newlines, "</") and an empty
// selection included.
func TestPrinterJSON(t *testing.T) {
	ts := testenv.Tshark(t)
	fields := []string{"frame.number", "ip.src", "tcp.port", "udp.port", "tcp.payload", "_ws.col.Info", "http.file_data", "_ws.malformed"}
	all := captures(t)
	for _, name := range []string{"echo-lab", "echo-utf8", "http-claim", "http-api", "http-python", "icmp-unreach", "runts", "analysis-sandbox-drop"} {
		path := all[name]
		args := []string{"-r", testdata(path), "-T", "json"}
		for _, f := range fields {
			args = append(args, "-e", f)
		}
		want, err := exec.Command(ts, args...).Output()
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		pr := output.NewPrinter(&got, output.JSON, fields)
		each(t, path, pr.Print)
		pr.Close()
		if got.String() != string(want) {
			g, w := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Errorf("%s: -T json differs from tshark's at line %d:\n got %.200q\nwant %.200q", name, i+1, g[i], w[i])
					break
				}
			}
			if len(g) != len(w) {
				t.Errorf("%s: -T json has %d lines, tshark's %d", name, len(g), len(w))
			}
		}
	}
	var got bytes.Buffer
	output.NewPrinter(&got, output.JSON, fields).Close()
	if got.String() != "[]\n" {
		t.Errorf("no packets: %q", got.String())
	}
}
