package netenv

import "testing"

// FuzzParseSegment: any bytes the link carries read as a segment or as
// nothing, without a panic, and a segment read never claims more
// payload than the packet holds.
func FuzzParseSegment(f *testing.F) {
	f.Add([]byte{0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1,
		0x23, 0x28, 0x9c, 0x40, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0})
	f.Add(make([]byte, 60))
	f.Add([]byte{0x60})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, ok := parseSegment(b)
		if ok && (s.Len < 0 || s.Len > len(b)) {
			t.Fatalf("a payload of %d bytes in a packet of %d", s.Len, len(b))
		}
	})
}
