package anatomy

// readUDP lists a UDP header (RFC 768): as tshark, the ports once it
// has both, the length and checksum once it has all eight bytes.
func readUDP(r *reader) {
	r.size = 8
	if !r.has(0, 4) {
		return
	}
	r.add("udp.srcport", 0, 2, 0, 0, dec(func() uint64 { return r.u16(0) }))
	r.add("udp.dstport", 2, 2, 0, 0, dec(func() uint64 { return r.u16(2) }))
	if !r.has(0, 8) {
		return
	}
	r.add("udp.length", 4, 2, 0, 0, decv(r.u16(4)))
	r.add("udp.checksum", 6, 2, 0, 0, hexOf(4, func() uint64 { return r.u16(6) }))
}
