package filter

import (
	"net/netip"

	"wiretutor/engine/packet/dissect"
)

// A field ANDed with a mask, as tshark 4.0 writes it: tcp.flags & 0x02
// (a test: are any of the bits set?), tcp.flags & 0x12 == 0x12 (the
// masked value compared), eth[0] & 1, ip.src & 255.0.0.0; the word
// form is bitwise_and.

// bitAnd is the getter of get's values ANDed with mask: numbers bit by
// bit, bytes and addresses byte by byte over the shorter of the two.
func bitAnd(get func(*dissect.Packet, []dissect.Value) []dissect.Value, mask literal) func(*dissect.Packet, []dissect.Value) []dissect.Value {
	return func(p *dissect.Packet, out []dissect.Value) []dissect.Value {
		vals := get(p, out)
		for i := len(out); i < len(vals); i++ {
			v := &vals[i]
			switch {
			case v.A.IsValid() && mask.A.IsValid():
				a, m := v.A.AsSlice(), mask.A.AsSlice()
				for j := range a {
					if j < len(m) {
						a[j] &= m[j]
					} else {
						a[j] = 0
					}
				}
				v.A, _ = netip.AddrFromSlice(a)
			case mask.B != nil:
				b := make([]byte, min(len(v.B), len(mask.B)))
				for j := range b {
					b[j] = v.B[j] & mask.B[j]
				}
				v.B = b // a copy: v.B may alias the frame
			default:
				v.U &= mask.U
			}
		}
		return vals
	}
}

// nonZero reports whether a masked value has any bit set.
func nonZero(v dissect.Value) bool {
	switch {
	case v.A.IsValid():
		return !v.A.IsUnspecified()
	case v.B != nil:
		for _, c := range v.B {
			if c != 0 {
				return true
			}
		}
		return false
	}
	return v.U != 0
}
