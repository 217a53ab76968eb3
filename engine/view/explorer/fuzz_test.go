package explorer_test

import (
	"context"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/view/explorer"
)

// FuzzTree: any frame, however broken, gets a tree whose every line's
// bytes lie inside the frame, the bytes pane finds a line for each byte
// it can, and the index lists it; nothing panics.
func FuzzTree(f *testing.F) {
	for _, name := range []string{"echo-lab.pcap", "icmp-unreach.pcap", "arp.pcap", "runts.pcap", "http-api.pcap"} {
		c, err := capture.Open(testenv.Testdata(name))
		if err != nil {
			f.Fatal(err)
		}
		for {
			data, _, err := c.ReadPacketData()
			if err != nil {
				break
			}
			f.Add(append([]byte(nil), data...))
		}
		c.Close()
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := explorer.NewGrowing("fuzz", layers.LinkTypeEthernet, 9)
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(data), Length: len(data)}
		g.Add(ci, data)
		g.Add(ci, data) // twice: the second has history
		g.End(nil)
		cur, err := explorer.NewCursor(g)
		if err != nil {
			t.Fatal(err)
		}
		defer cur.Close()
		for n := 1; n <= 2; n++ {
			tr, err := cur.Tree(context.Background(), n, time.Time{}, false)
			if err != nil {
				t.Fatal(err)
			}
			for _, nd := range tr.Nodes {
				if nd.Len < 0 || nd.Off < 0 || nd.Off+nd.Len > len(tr.Data) {
					t.Fatalf("line %q: bytes %d+%d of a %d-byte frame", nd.Text, nd.Off, nd.Len, len(tr.Data))
				}
			}
			for b := range tr.Data {
				if i := tr.At(b); i >= len(tr.Nodes) {
					t.Fatalf("byte %d: line %d of %d", b, i, len(tr.Nodes))
				}
			}
		}
		x, err := explorer.Open(g)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		for done, _ := x.Done(); !done; done, _ = x.Done() {
			<-x.Changed()
		}
		if _, ok := x.Row(2); !ok {
			t.Fatal("frame 2 not listed")
		}
	})
}
