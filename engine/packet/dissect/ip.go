package dissect

// What IPv4 and IPv6 share: the address fields and columns, and which
// fields a header the frame cuts short still holds.

// ipHas reports whether the packet's IP header holds the bytes up to
// end: always for a whole header, and for one the frame cuts short,
// when the field's bytes were captured.
func ipHas(end int) func(*Packet) bool {
	return func(p *Packet) bool {
		if p.IPVersion == 0 {
			return false
		}
		return p.Malformed != "IPv4" && p.Malformed != "IPv6" || p.cut >= end
	}
}

// addrs is ip.src, ip.dst or ip.addr (both), and the same for IPv6.
func addrs(has func(*Packet) bool, src, dst bool) fieldDef {
	return fieldDef{kind: KindAddr, fmt: fmtAddr, get: func(p *Packet, out []Value) []Value {
		if !has(p) {
			return out
		}
		// A cut header holds the source address without the
		// destination, or neither.
		if src && p.Src.IsValid() {
			out = append(out, Value{A: p.Src})
		}
		if dst && p.Dst.IsValid() {
			out = append(out, Value{A: p.Dst})
		}
		return out
	}}
}

// ipAddr returns the address columns of one IP version: the address,
// when the header holds it.
func ipAddr(version int) func(buf []byte, p *Packet, src bool) ([]byte, bool) {
	return func(buf []byte, p *Packet, src bool) ([]byte, bool) {
		a := p.Dst
		if src {
			a = p.Src
		}
		if p.IPVersion != version || !a.IsValid() {
			return buf, false
		}
		return a.AppendTo(buf), true
	}
}
