package dissect_test

import (
	"slices"
	"testing"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
)

// TestLayers: where each protocol of a frame starts, and Data as
// captured, kept by Clone.
func TestLayers(t *testing.T) {
	f, err := capture.Open("../../../testdata/icmp-unreach.pcap")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pkts, err := dissect.Collect(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		frame int
		want  []dissect.Layer
	}{
		{1, []dissect.Layer{{"eth", 0}, {"ip", 14}, {"icmp", 34}}},
	} {
		p := &pkts[tc.frame-1]
		if got := p.Layers(); !slices.Equal(got, tc.want) {
			t.Errorf("frame %d: layers %v, want %v", tc.frame, got, tc.want)
		}
		if len(p.Data) != p.CapLen {
			t.Errorf("frame %d: %d bytes of data, want %d", tc.frame, len(p.Data), p.CapLen)
		}
		if off, ok := p.LayerOffset("ip"); !ok || p.Data[off]>>4 != 4 {
			t.Errorf("frame %d: ip at %d (%v) is not an IPv4 header", tc.frame, off, ok)
		}
		c := p.Clone()
		c.Data[0] ^= 0xff
		if p.Data[0] == c.Data[0] {
			t.Errorf("frame %d: Clone shares the frame's bytes", tc.frame)
		}
	}
}
