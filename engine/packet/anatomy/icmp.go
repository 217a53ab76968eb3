package anatomy

// ICMP types (RFC 792) whose second word this package reads.
const (
	icmpEchoReply    = 0
	icmpUnreachable  = 3
	icmpEchoRequest  = 8
	icmpTimeExceeded = 11
	// icmpFragNeeded is the unreachable code that carries the MTU.
	icmpFragNeeded = 4
)

// ICMPv6 types (RFC 4443) whose second word this package reads.
const (
	icmpv6Unreachable  = 1
	icmpv6TimeExceeded = 3
	icmpv6EchoRequest  = 128
	icmpv6EchoReply    = 129
)

// readICMP lists an ICMP header (RFC 792): type, code and checksum, and
// the second word as the type makes it: an echo's identifier and
// sequence number, an error's unused bytes (and the MTU of a
// "fragmentation needed").
func readICMP(r *reader) {
	r.size = 8
	common(r, "icmp")
	if !r.has(0, 2) {
		return
	}
	switch typ, code := r.u8(0), r.u8(1); {
	case typ == icmpEchoRequest || typ == icmpEchoReply:
		r.add("icmp.ident", 4, 2, 0, 0, dec(func() uint64 { return r.u16(4) }))
		r.add("icmp.seq", 6, 2, 0, 0, dec(func() uint64 { return r.u16(6) }))
	case typ == icmpUnreachable && code == icmpFragNeeded:
		r.add("icmp.unused", 4, 2, 0, 0, r.bytesOf(4, 2))
		r.add("icmp.mtu", 6, 2, 0, 0, dec(func() uint64 { return r.u16(6) }))
	case typ == icmpUnreachable || typ == icmpTimeExceeded:
		r.add("icmp.unused", 4, 4, 0, 0, r.bytesOf(4, 4))
	default:
		r.size = 4
	}
}

// readICMPv6 lists an ICMPv6 header (RFC 4443): type, code and
// checksum, and an echo's identifier and sequence number or an error's
// reserved bytes.
func readICMPv6(r *reader) {
	r.size = 4
	common(r, "icmpv6")
	if !r.has(0, 1) {
		return
	}
	switch typ := r.u8(0); typ {
	case icmpv6EchoRequest, icmpv6EchoReply:
		r.size = 8
		r.add("icmpv6.echo.identifier", 4, 2, 0, 0, hexOf(4, func() uint64 { return r.u16(4) }))
		r.add("icmpv6.echo.sequence_number", 6, 2, 0, 0, dec(func() uint64 { return r.u16(6) }))
	case icmpv6Unreachable, icmpv6TimeExceeded:
		r.size = 8
		r.add("icmpv6.reserved", 4, 4, 0, 0, r.bytesOf(4, 4))
	}
}

// common lists the type, code and checksum every ICMP message starts
// with.
func common(r *reader, proto string) {
	r.add(proto+".type", 0, 1, 0, 0, dec(func() uint64 { return r.u8(0) }))
	r.add(proto+".code", 1, 1, 0, 0, dec(func() uint64 { return r.u8(1) }))
	r.add(proto+".checksum", 2, 2, 0, 0, hexOf(4, func() uint64 { return r.u16(2) }))
}
