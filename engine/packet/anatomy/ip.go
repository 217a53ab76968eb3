package anatomy

// readIPv4 lists an IPv4 header (RFC 791) field by field, each as far
// as the frame holds it.
func readIPv4(r *reader) {
	r.size = 20
	if r.has(0, 1) {
		r.size = max(int(r.b[0]&0x0f)*4, 20)
	}
	r.add("ip.version", 0, 1, 0xf0, 0, dec(func() uint64 { return r.u8(0) >> 4 }))
	r.add("ip.hdr_len", 0, 1, 0x0f, 0, dec(func() uint64 { return r.u8(0) & 0x0f * 4 }))
	if r.add("ip.dsfield", 1, 1, 0, 0, hexOf(2, func() uint64 { return r.u8(1) })) {
		r.add("ip.dsfield.dscp", 1, 1, 0xfc, 1, decv(r.u8(1)>>2))
		r.add("ip.dsfield.ecn", 1, 1, 0x03, 1, decv(r.u8(1)&3))
	}
	r.add("ip.len", 2, 2, 0, 0, dec(func() uint64 { return r.u16(2) }))
	r.add("ip.id", 4, 2, 0, 0, hexOf(4, func() uint64 { return r.u16(4) }))
	if r.add("ip.flags", 6, 1, 0xe0, 0, hexOf(2, func() uint64 { return r.u8(6) >> 5 })) {
		r.add("ip.flags.rb", 6, 1, 0x80, 1, decv(r.u8(6)>>7&1))
		r.add("ip.flags.df", 6, 1, 0x40, 1, decv(r.u8(6)>>6&1))
		r.add("ip.flags.mf", 6, 1, 0x20, 1, decv(r.u8(6)>>5&1))
	}
	r.add("ip.frag_offset", 6, 2, 0x1fff, 0, dec(func() uint64 { return r.u16(6) & 0x1fff * 8 }))
	r.add("ip.ttl", 8, 1, 0, 0, dec(func() uint64 { return r.u8(8) }))
	r.add("ip.proto", 9, 1, 0, 0, dec(func() uint64 { return r.u8(9) }))
	r.add("ip.checksum", 10, 2, 0, 0, hexOf(4, func() uint64 { return r.u16(10) }))
	r.add("ip.src", 12, 4, 0, 0, r.addrOf(12, 4))
	r.add("ip.dst", 16, 4, 0, 0, r.addrOf(16, 4))
}

// readIPv6 lists an IPv6 header (RFC 8200), each field as far as the
// frame holds it.
func readIPv6(r *reader) {
	r.size = 40
	r.add("ipv6.version", 0, 1, 0xf0, 0, dec(func() uint64 { return r.u8(0) >> 4 }))
	tclass := func() uint64 { return r.u16(0) >> 4 & 0xff }
	if r.add("ipv6.tclass", 0, 2, 0x0ff0, 0, hexOf(8, tclass)) {
		r.add("ipv6.tclass.dscp", 0, 2, 0x0fc0, 1, decv(tclass()>>2))
		r.add("ipv6.tclass.ecn", 0, 2, 0x0030, 1, decv(tclass()&3))
	}
	r.add("ipv6.flow", 1, 3, 0x0fffff, 0, hexOf(6, func() uint64 { return r.u32(0) & 0xfffff }))
	r.add("ipv6.plen", 4, 2, 0, 0, dec(func() uint64 { return r.u16(4) }))
	r.add("ipv6.nxt", 6, 1, 0, 0, dec(func() uint64 { return r.u8(6) }))
	r.add("ipv6.hlim", 7, 1, 0, 0, dec(func() uint64 { return r.u8(7) }))
	r.add("ipv6.src", 8, 16, 0, 0, r.addrOf(8, 16))
	r.add("ipv6.dst", 24, 16, 0, 0, r.addrOf(24, 16))
}
