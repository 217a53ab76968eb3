package output_test

import (
	"io"
	"path/filepath"
	"testing"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/output"
	"wiretutor/engine/testkit/benchdata"
)

// load100k reads the 100,000-packet benchmark capture into memory.
func load100k(b *testing.B) *capture.Recording {
	b.Helper()
	path := filepath.Join(b.TempDir(), "100k.pcap")
	if _, err := benchdata.Write(path, testdata("echo-lab.pcap"), 100_000); err != nil {
		b.Fatal(err)
	}
	f, err := capture.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rec, err := capture.ReadAll(f, f.Precision())
	if err != nil {
		b.Fatal(err)
	}
	return rec
}

// benchPrint dissects the capture held in memory and prints every
// packet with opt: the work of `read` without the file and the
// terminal.
func benchPrint(b *testing.B, format string, fields []string, opt output.Options) {
	rec := load100k(b)
	b.ResetTimer()
	for range b.N {
		d, _ := dissect.New(rec.Link)
		pr := output.NewPrinterOptions(io.Discard, format, fields, opt)
		var p dissect.Packet
		for _, fr := range rec.Frames {
			if err := d.Dissect(fr.Data, fr.Info, &p); err != nil {
				b.Fatal(err)
			}
			if err := pr.Print(&p, 6); err != nil {
				b.Fatal(err)
			}
		}
		pr.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rec.Frames)), "ns/packet")
}

// BenchmarkText100k: tshark's lines, the baseline the others add to.
func BenchmarkText100k(b *testing.B) { benchPrint(b, output.Text, nil, output.Options{}) }

// BenchmarkHex100k: the hex dump alone, as read -x.
func BenchmarkHex100k(b *testing.B) { benchPrint(b, output.Text, nil, output.Options{Hex: true}) }

// BenchmarkSummaryHex100k: the line and the dump, as read -P -x.
func BenchmarkSummaryHex100k(b *testing.B) {
	benchPrint(b, output.Text, nil, output.Options{Summary: true, Hex: true})
}

// BenchmarkEK100k: -T ek -e ip.src -e tcp.port -e tcp.len.
func BenchmarkEK100k(b *testing.B) {
	benchPrint(b, output.EK, []string{"ip.src", "tcp.port", "tcp.len"}, output.Options{})
}

// BenchmarkAppendHex: one 74-byte frame's dump.
func BenchmarkAppendHex(b *testing.B) {
	frame := make([]byte, 74)
	for i := range frame {
		frame[i] = byte(i * 13)
	}
	var buf []byte
	b.SetBytes(int64(len(frame)))
	for range b.N {
		buf = output.AppendHex(buf[:0], frame)
	}
}
