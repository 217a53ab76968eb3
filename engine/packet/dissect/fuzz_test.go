package dissect_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
)

// FuzzDissect dissects arbitrary frames of every link type, two at a
// time so conversation state is exercised: no input may panic, a
// packet's clone shows what the packet shows, and its details are the
// same for the clone and end in one blank line.
func FuzzDissect(f *testing.F) {
	for _, name := range []string{"echo-lab.pcap", "echo-ipv6.pcap", "icmp-unreach.pcap", "runts.pcap", "analysis-swap.pcapng", "echo-10000.pcap", "eth-trailer.pcap"} {
		c, err := capture.Open(filepath.Join("..", "..", "..", "testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		rec, _ := capture.ReadAll(c, 6)
		c.Close()
		for _, fr := range rec.Frames {
			f.Add(uint8(0), fr.Data, fr.Data)
		}
	}
	links := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw, layers.LinkTypeNull, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2}
	f.Fuzz(func(t *testing.T, link uint8, a, b []byte) {
		d, err := dissect.New(links[int(link)%len(links)])
		if err != nil {
			t.Fatal(err)
		}
		d.KeepDetails()
		var p dissect.Packet
		det := dissect.Details{Link: links[int(link)%len(links)], HexData: link&1 == 0}
		for i, fr := range [][]byte{a, b, a} {
			ci := gopacket.CaptureInfo{Timestamp: time.Unix(int64(i), 0), Length: len(fr), CaptureLength: len(fr)}
			if d.Dissect(fr, ci, &p) != nil {
				continue
			}
			line := string(dissect.Summary(nil, &p, 6))
			c := p.Clone()
			for _, name := range dissect.FieldNames() {
				v, ok := dissect.Field(&p, name)
				if cv, cok := dissect.Field(c, name); cv != v || cok != ok {
					t.Fatalf("%s: %q, %v; its clone's %q, %v", name, v, ok, cv, cok)
				}
			}
			if cl := string(dissect.Summary(nil, c, 6)); cl != line {
				t.Fatalf("summary %q; its clone's %q", line, cl)
			}
			for _, l := range append(p.Layers(), dissect.Layer{Proto: "tcp"}, dissect.Layer{Proto: "udp"}, dissect.Layer{Proto: "arp"}) {
				if b, ok := p.LayerBytes(l.Proto); ok && len(b) > len(p.Data) {
					t.Fatalf("%s: %d bytes of a %d-byte frame", l.Proto, len(b), len(p.Data))
				}
			}
			out := string(det.Append(nil, &p))
			if !strings.HasSuffix(out, "\n\n") || strings.Contains(out, "\n\n\n") {
				t.Fatalf("details do not end in one blank line:\n%s", out)
			}
			if co := string((&dissect.Details{Link: det.Link, HexData: det.HexData}).Append(nil, c)); strings.Count(co, "\n") != strings.Count(out, "\n") {
				t.Fatalf("details of the clone differ:\n%s\n%s", out, co)
			}
		}
	})
}
