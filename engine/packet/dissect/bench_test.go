package dissect_test

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/testkit/benchdata"
)

// BenchmarkDissect100k dissects a 100,000-packet capture held in memory
// and formats tshark's line for each packet: the work of `read` without
// the file and the terminal.
func BenchmarkDissect100k(b *testing.B) {
	rec := load100k(b)
	n := len(rec.Frames)
	b.ResetTimer()
	var line []byte
	for range b.N {
		d, _ := dissect.New(rec.Link)
		var p dissect.Packet
		for _, fr := range rec.Frames {
			if err := d.Dissect(fr.Data, fr.Info, &p); err != nil {
				b.Fatal(err)
			}
			line = dissect.Summary(line[:0], &p, 6)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/packet")
}

// write100k writes the 100,000-packet benchmark capture.
func write100k(b *testing.B) (string, int) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "100k.pcap")
	n, err := benchdata.Write(path, filepath.Join("..", "..", "..", "testdata", "echo-lab.pcap"), 100_000)
	if err != nil {
		b.Fatal(err)
	}
	return path, n
}

// load100k reads the benchmark capture into memory.
func load100k(b *testing.B) *capture.Recording {
	b.Helper()
	path, _ := write100k(b)
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

// BenchmarkReadFile100k is the same from the file: the reader included.
func BenchmarkReadFile100k(b *testing.B) {
	path, n := write100k(b)
	b.ResetTimer()
	var line []byte
	for range b.N {
		f, err := capture.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		d, _ := dissect.New(f.LinkType())
		var p dissect.Packet
		for {
			data, ci, err := f.ReadPacketData()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			d.Dissect(data, ci, &p)
			line = dissect.Summary(line[:0], &p, 6)
		}
		f.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/packet")
}

// BenchmarkNaiveGopacket100k is the naive baseline for BenchmarkDissect100k:
// gopacket.NewPacket, which allocates every layer of every packet, and
// fmt for the line.
func BenchmarkNaiveGopacket100k(b *testing.B) {
	rec := load100k(b)
	n := len(rec.Frames)
	b.ResetTimer()
	for range b.N {
		for i, fr := range rec.Frames {
			pk := gopacket.NewPacket(fr.Data, layers.LinkTypeEthernet, gopacket.Default)
			ip, _ := pk.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
			tcp, _ := pk.Layer(layers.LayerTypeTCP).(*layers.TCP)
			if ip == nil || tcp == nil {
				b.Fatal("not TCP/IPv4")
			}
			_ = fmt.Sprintf("%5d %s → %s TCP %d %d → %d Seq=%d Ack=%d Win=%d Len=%d", i+1, ip.SrcIP, ip.DstIP, len(fr.Data), tcp.SrcPort, tcp.DstPort, tcp.Seq, tcp.Ack, tcp.Window, len(tcp.Payload))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/packet")
}

// BenchmarkDetails100k dissects the 100,000-packet capture and writes
// every packet's details (tshark -V): the work of `read -V` without the
// file and the terminal.
func BenchmarkDetails100k(b *testing.B) {
	rec := load100k(b)
	n := len(rec.Frames)
	b.ResetTimer()
	var out []byte
	for range b.N {
		d, _ := dissect.New(rec.Link)
		d.KeepDetails()
		det := dissect.Details{Link: rec.Link, HexData: true}
		var p dissect.Packet
		for _, fr := range rec.Frames {
			if err := d.Dissect(fr.Data, fr.Info, &p); err != nil {
				b.Fatal(err)
			}
			out = det.Append(out[:0], &p)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/packet")
}
