package capture_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
)

func testdata(name string) string { return filepath.Join("..", "..", "..", "testdata", name) }

func TestOpenBadInput(t *testing.T) {
	lab, _ := os.ReadFile(testdata("echo-lab.pcap"))
	ng, _ := os.ReadFile(testdata("echo-midstream.pcapng"))
	tests := []struct {
		name string
		data []byte
		open error // from Open
		read error // from the frames
	}{
		{"empty", nil, capture.ErrNotCapture, nil},
		{"text", []byte("hello, this is not a capture\n"), capture.ErrNotCapture, nil},
		{"pcap header cut", lab[:10], capture.ErrTruncated, nil},
		{"pcap cut in a frame", lab[:300], nil, capture.ErrTruncated},
		{"pcapng cut in a block", ng[:len(ng)-10], nil, capture.ErrTruncated},
		{"pcapng garbage after the magic", []byte("\x0a\x0d\x0d\x0a\x1c\x00\x00\x00garbage-garbage-garbage"), capture.ErrCorrupt, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f")
			os.WriteFile(path, tt.data, 0o644)
			f, err := capture.Open(path)
			if tt.open != nil {
				if !errors.Is(err, tt.open) {
					t.Fatalf("Open: %v, want %v", err, tt.open)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			_, err = capture.ReadAll(f, f.Precision())
			if !errors.Is(err, tt.read) {
				t.Fatalf("read: %v, want %v", err, tt.read)
			}
			var fe *capture.FileError
			if !errors.As(err, &fe) || fe.Path != path || fe.After == 0 {
				t.Errorf("error %v should name the file and the frames read before", err)
			}
		})
	}
}

// TestUnknownBlocksSkipped: a pcapng block of an unknown type is
// skipped, as Wireshark does.
func TestUnknownBlocksSkipped(t *testing.T) {
	ng, _ := os.ReadFile(testdata("echo-midstream.pcapng"))
	// Find the end of the first two blocks (SHB, IDB) and insert an
	// unknown block (type 0x0BADBEEF) there.
	off := 0
	for range 2 {
		off += int(uint32(ng[off+4]) | uint32(ng[off+5])<<8 | uint32(ng[off+6])<<16 | uint32(ng[off+7])<<24)
	}
	unknown := []byte{0xef, 0xbe, 0xad, 0x0b, 16, 0, 0, 0, 1, 2, 3, 4, 16, 0, 0, 0}
	data := append(append(append([]byte{}, ng[:off]...), unknown...), ng[off:]...)
	f, err := capture.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := capture.ReadAll(f, 6)
	if err != nil || len(rec.Frames) != 9 {
		t.Fatalf("%d frames, %v; want 9", len(rec.Frames), err)
	}
}

func TestWriteRoundTrip(t *testing.T) {
	f, err := capture.Open(testdata("echo-lab.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := capture.ReadAll(f, f.Precision())
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if f.Comment() != "" {
		t.Errorf("a pcap file has comment %q", f.Comment())
	}
	rec.Comment = "wiretutor verify tcp-handshake"
	out := filepath.Join(t.TempDir(), "out.pcapng")
	if err := capture.WriteFile(out, rec, "lo"); err != nil {
		t.Fatal(err)
	}
	g, err := capture.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if g.Precision() != 9 || g.LinkType() != layers.LinkTypeEthernet {
		t.Errorf("precision %d, link %v", g.Precision(), g.LinkType())
	}
	if g.Comment() != rec.Comment {
		t.Errorf("comment %q back, want %q", g.Comment(), rec.Comment)
	}
	back, err := capture.ReadAll(g, g.Precision())
	if err != nil || len(back.Frames) != len(rec.Frames) {
		t.Fatalf("%d frames back, %v", len(back.Frames), err)
	}
	for i := range back.Frames {
		a, b := rec.Frames[i], back.Frames[i]
		if !bytes.Equal(a.Data, b.Data) || !a.Info.Timestamp.Equal(b.Info.Timestamp) || a.Info.Length != b.Info.Length {
			t.Errorf("frame %d differs after the round trip", i+1)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("the atomic write left %d files behind", len(entries))
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	w, err := capture.Create(filepath.Join(dir, "x.pcapng"), layers.LinkTypeEthernet, "lo")
	if err != nil {
		t.Fatal(err)
	}
	w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Now(), Length: 3}, []byte{1, 2, 3})
	w.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("abort left %v", entries)
	}
}

// FuzzReadAndDissect feeds arbitrary bytes through the file reader and
// the dissector: any error is fine, a panic or a hang is not.
func FuzzReadAndDissect(f *testing.F) {
	for _, name := range []string{"echo-lab.pcap", "echo-midstream.pcapng", "icmp-unreach.pcap", "echo-ipv6.pcap"} {
		data, err := os.ReadFile(testdata(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := capture.NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		d, err := dissect.New(r.LinkType())
		if err != nil {
			return
		}
		var p dissect.Packet
		for range 1000 {
			frame, ci, err := r.ReadPacketData()
			if errors.Is(err, io.EOF) || err != nil {
				return
			}
			if d.Dissect(frame, ci, &p) == nil {
				dissect.Summary(nil, &p, r.Precision())
				for _, name := range dissect.FieldNames() {
					dissect.Field(&p, name)
				}
			}
		}
	})
}
