package output_test

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/output"
	"wiretutor/engine/testkit/testenv"
)

// hexFrames splits what `tshark -x` printed (NAME.hex.txt) into each
// frame's dump, the blank line that ends it left out.
func hexFrames(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(testdata(name + ".hex.txt"))
	if err != nil {
		t.Fatal(err)
	}
	frames := strings.SplitAfter(string(b), "\n\n")
	if frames[len(frames)-1] != "" {
		t.Fatalf("%s.hex.txt does not end in a blank line", name)
	}
	frames = frames[:len(frames)-1]
	for i := range frames {
		frames[i] = strings.TrimSuffix(frames[i], "\n")
	}
	return frames
}

// sourcesIn reads the data sources after the frame's own back from
// tshark's dump of a frame ("Reassembled TCP (215 bytes):" and its rows,
// "De-chunked entity body (48 bytes):"…): what tshark's reassembly handed
// to HTTP, which the test gives the printer through Options.Sources.
func sourcesIn(t *testing.T, dump string) []dissect.DataSource {
	t.Helper()
	var out []dissect.DataSource
	for row := range strings.Lines(dump) {
		if name, size, ok := strings.Cut(strings.TrimSuffix(row, " bytes):\n"), " ("); ok && !strings.HasPrefix(row, "0") {
			if name != "Frame" {
				out = append(out, dissect.DataSource{Name: name + "\x00" + size})
			}
			continue
		}
		if len(out) == 0 || len(row) < 6 {
			continue
		}
		cells, _, _ := strings.Cut(row[6:], "  ")
		b, err := hex.DecodeString(strings.ReplaceAll(cells, " ", ""))
		if err != nil {
			t.Fatalf("row %q: %v", row, err)
		}
		out[len(out)-1].Data = append(out[len(out)-1].Data, b...)
	}
	for i, s := range out {
		name, size, _ := strings.Cut(s.Name, "\x00")
		if strconv.Itoa(len(s.Data)) != size {
			t.Fatalf("read %d bytes of %s back, tshark says %s", len(s.Data), name, size)
		}
		out[i].Name = name
	}
	return out
}

// TestPrinterHex: -x is tshark's dump of every frame of every capture,
// byte for byte (NAME.hex.txt). Where tshark also shows the reassembled
// message (HTTP over several segments), the printer shows both sources,
// given those bytes; without them, the frame's dump alone.
func TestPrinterHex(t *testing.T) {
	sources := 0
	for name, path := range captures(t) {
		want := hexFrames(t, name)
		reassembled := map[int][]dissect.DataSource{}
		for i, dump := range want {
			if s := sourcesIn(t, dump); s != nil {
				reassembled[i+1] = s
				sources += len(s)
			}
		}
		var got bytes.Buffer
		pr := output.NewPrinterOptions(&got, output.Text, nil, output.Options{
			Hex:     true,
			Sources: func(p *dissect.Packet) []dissect.DataSource { return reassembled[p.Number] },
		})
		each(t, path, pr.Print)
		if err := pr.Close(); err != nil {
			t.Fatal(err)
		}
		if got.String() != strings.Join(want, "\n")+"\n" {
			t.Errorf("%s: -x differs from tshark's:\n%s", name, firstDiff(got.String(), strings.Join(want, "\n")+"\n"))
		}

		// Without the reassembled bytes: each frame's own dump.
		got.Reset()
		pr = output.NewPrinterOptions(&got, output.Text, nil, output.Options{Hex: true})
		i := 0
		each(t, path, func(p *dissect.Packet, prec int) error {
			w := want[i]
			if _, ok := reassembled[p.Number]; ok {
				_, w, _ = strings.Cut(w, "bytes):\n")
				w = w[:strings.Index(w, "\n"+reassembled[p.Number][0].Name+" (")+1]
			}
			i++
			got.Reset()
			if err := pr.Print(p, prec); err != nil {
				return err
			}
			pr.Close()
			if got.String() != w+"\n" {
				t.Errorf("%s frame %d: got\n%s\nwant\n%s", name, p.Number, got.String(), w)
			}
			return nil
		})
	}
	if sources != 26 {
		t.Errorf("the captures' frames show %d sources besides the frames, tshark showed 26", sources)
	}
}

// TestPrinterOrder: the summary line, the details and the dump come in
// tshark's order, with its blank lines, for every mix of -P, -V and -x.
func TestPrinterOrder(t *testing.T) {
	details := func(buf []byte, p *dissect.Packet) []byte {
		return append(buf, "Frame "+strconv.Itoa(p.Number)+"\n    details\n"...)
	}
	for _, tt := range []struct {
		name string
		opt  output.Options
		want string
	}{
		{"none", output.Options{}, "S\n"},
		{"-P", output.Options{Summary: true}, "S\n"},
		{"-x", output.Options{Hex: true}, "H\n\n"},
		{"-P -x", output.Options{Summary: true, Hex: true}, "S\n\nH\n\n"},
		{"-V", output.Options{Details: details}, "D\n\n"},
		{"-P -V", output.Options{Summary: true, Details: details}, "S\nD\n\n"},
		{"-V -x", output.Options{Details: details, Hex: true}, "D\n\nH\n\n"},
		{"-P -V -x", output.Options{Summary: true, Details: details, Hex: true}, "S\nD\n\nH\n\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got bytes.Buffer
			pr := output.NewPrinterOptions(&got, output.Text, nil, tt.opt)
			p := &testenv.Packets(t, "echo-lab.pcap")[0]
			if err := pr.Print(p, 6); err != nil {
				t.Fatal(err)
			}
			pr.Close()
			want := strings.NewReplacer(
				"S\n", string(dissect.Summary(nil, p, 6))+"\n",
				"D\n", "Frame 1\n    details\n",
				"H\n", string(output.AppendHex(nil, p.Data)),
			).Replace(tt.want)
			if got.String() != want {
				t.Errorf("got\n%q\nwant\n%q", got.String(), want)
			}
		})
	}
}

// TestPrinterSummaryHex: -P -x is each frame's tshark line, a blank
// line, its dump and a blank line, as `tshark -P -x` prints them.
func TestPrinterSummaryHex(t *testing.T) {
	for _, name := range []string{"echo-lab", "http-api", "runts"} {
		path := captures(t)[name]
		lines, err := os.ReadFile(testdata(name + ".txt"))
		if err != nil {
			t.Fatal(err)
		}
		var want strings.Builder
		dumps := hexFrames(t, name)
		for i, line := range strings.SplitAfter(strings.TrimSuffix(string(lines), "\n"), "\n") {
			want.WriteString(strings.TrimSuffix(line, "\n") + "\n\n" + dumps[i] + "\n")
		}
		var got bytes.Buffer
		pr := output.NewPrinterOptions(&got, output.Text, nil, output.Options{Summary: true, Hex: true})
		each(t, path, pr.Print)
		pr.Close()
		if got.String() != want.String() {
			t.Errorf("%s: -P -x differs:\n%s", name, firstDiff(got.String(), want.String()))
		}
	}
}

// TestAppendHexLong: a frame longer than 64 KiB gets as many offset
// digits as its last offset needs, on every row, as tshark writes them;
// 64 KiB exactly keeps four. tshark reads frames a test writes.
func TestAppendHexLong(t *testing.T) {
	ts := testenv.Tshark(t)
	for _, size := range []int{1, 15, 16, 17, 65536, 65537, 70000} {
		frame := make([]byte, size)
		for i := range frame {
			frame[i] = byte(i * 7)
		}
		path := filepath.Join(t.TempDir(), "long.pcap")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := pcapgo.NewWriter(f)
		w.WriteFileHeader(262144, layers.LinkTypeEthernet)
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: size, Length: size}
		if err := w.WritePacket(ci, frame); err != nil {
			t.Fatal(err)
		}
		f.Close()
		want, err := exec.Command(ts, "-r", path, "-x").Output()
		if err != nil {
			t.Fatal(err)
		}
		got := append(output.AppendHex(nil, frame), '\n')
		if string(got) != string(want) {
			t.Errorf("%d bytes:\n%s", size, firstDiff(string(got), string(want)))
		}
	}
	if got := output.AppendHex([]byte("x"), nil); string(got) != "x" {
		t.Errorf("no bytes: %q", got)
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "line " + strconv.Itoa(i+1) + ":\n got " + strconv.Quote(g[i]) + "\nwant " + strconv.Quote(w[i])
		}
	}
	return "got " + strconv.Itoa(len(g)) + " lines, want " + strconv.Itoa(len(w))
}
