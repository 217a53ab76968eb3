package anatomy

import "wiretutor/engine/packet/dissect"

// tcpFlags are the bits of tcp.flags (the 12 bits after the data
// offset), from the first: their names, the byte of the two they sit
// in, and their bits there.
var tcpFlags = [...]struct {
	name string
	at   int
	mask uint64
}{
	{"tcp.flags.res", 12, 0x0e},
	{"tcp.flags.ae", 12, 0x01},
	{"tcp.flags.cwr", 13, 0x80},
	{"tcp.flags.ece", 13, 0x40},
	{"tcp.flags.urg", 13, 0x20},
	{"tcp.flags.ack", 13, 0x10},
	{"tcp.flags.push", 13, 0x08},
	{"tcp.flags.reset", 13, 0x04},
	{"tcp.flags.syn", 13, 0x02},
	{"tcp.flags.fin", 13, 0x01},
}

// readTCP lists a TCP header (RFC 9293). As tshark, it lists the ports
// once it has both, and the rest only when the frame holds the whole
// fixed header.
func readTCP(r *reader) {
	r.size = 20
	if r.has(12, 1) {
		r.size = max(int(r.b[12]>>4)*4, 20)
	}
	if !r.has(0, 4) {
		return
	}
	r.add("tcp.srcport", 0, 2, 0, 0, dec(func() uint64 { return r.u16(0) }))
	r.add("tcp.dstport", 2, 2, 0, 0, dec(func() uint64 { return r.u16(2) }))
	if !r.has(0, 20) {
		return
	}
	t := &r.p.TCP
	tracked := r.p.Transport == dissect.TransportTCP // relative numbers known
	if tracked {
		r.add("tcp.seq", 4, 4, 0, 0, decv(uint64(t.Seq)))
		r.add("tcp.seq_raw", 4, 4, 0, 1, decv(r.u32(4)))
		r.add("tcp.ack", 8, 4, 0, 0, decv(uint64(t.Ack)))
		r.add("tcp.ack_raw", 8, 4, 0, 1, decv(r.u32(8)))
	} else {
		r.add("tcp.seq_raw", 4, 4, 0, 0, decv(r.u32(4)))
		r.add("tcp.ack_raw", 8, 4, 0, 0, decv(r.u32(8)))
	}
	r.add("tcp.hdr_len", 12, 1, 0xf0, 0, decv(r.u8(12)>>4*4))
	r.add("tcp.flags", 12, 2, 0x0fff, 0, hexOf(4, func() uint64 { return r.u16(12) & 0x0fff }))
	for _, f := range tcpFlags {
		v := r.u8(f.at) & f.mask
		for m := f.mask; m&1 == 0; m >>= 1 {
			v >>= 1
		}
		r.add(f.name, f.at, 1, f.mask, 1, decv(v))
	}
	r.add("tcp.window_size_value", 14, 2, 0, 0, decv(r.u16(14)))
	r.add("tcp.checksum", 16, 2, 0, 0, hexOf(4, func() uint64 { return r.u16(16) }))
	r.add("tcp.urgent_pointer", 18, 2, 0, 0, decv(r.u16(18)))
	if r.size > 20 && r.has(20, r.size-20) {
		r.add("tcp.options", 20, r.size-20, 0, 0, r.bytesOf(20, r.size-20))
		readOptions(r, tracked)
	}
}

// TCP option kinds (RFC 9293, 7323, 2018).
const (
	optEOL, optNOP, optMSS, optWS, optSACKPerm, optSACK = 0, 1, 2, 3, 4, 5
	optTimestamp                                        = 8
)

// optionNames are tshark's names of the options it shows by kind.
var optionNames = map[uint64]string{
	optEOL: "tcp.options.eol", optNOP: "tcp.options.nop", optMSS: "tcp.options.mss",
	optWS: "tcp.options.wscale", optSACKPerm: "tcp.options.sack_perm", optSACK: "tcp.options.sack",
	optTimestamp: "tcp.options.timestamp",
}

// readOptions lists each option of the header: the option as a whole,
// then its kind, length and values. An option of a kind tshark decodes
// otherwise lists its kind and length only; an option whose length
// runs past the header ends the list.
func readOptions(r *reader, tracked bool) {
	t := &r.p.TCP
	for off := 20; off < r.size; {
		kind := r.u8(off)
		name, known := optionNames[kind]
		if kind == optEOL || kind == optNOP {
			r.add(name, off, 1, 0, 1, r.bytesOf(off, 1))
			r.add("tcp.option_kind", off, 1, 0, 2, decv(kind))
			if kind == optEOL {
				return
			}
			off++
			continue
		}
		if off+1 >= r.size {
			return
		}
		n := int(r.u8(off + 1))
		if n < 2 || off+n > r.size {
			return
		}
		if known {
			r.add(name, off, n, 0, 1, r.bytesOf(off, n))
		}
		depth := 2
		if !known {
			depth = 1
		}
		r.add("tcp.option_kind", off, 1, 0, depth, decv(kind))
		r.add("tcp.option_len", off+1, 1, 0, depth, decv(uint64(n)))
		switch {
		case kind == optMSS && n == 4:
			r.add("tcp.options.mss_val", off+2, 2, 0, 2, decv(r.u16(off+2)))
		case kind == optWS && n == 3:
			r.add("tcp.options.wscale.shift", off+2, 1, 0, 2, decv(r.u8(off+2)))
		case kind == optTimestamp && n == 10:
			r.add("tcp.options.timestamp.tsval", off+2, 4, 0, 2, decv(r.u32(off+2)))
			r.add("tcp.options.timestamp.tsecr", off+6, 4, 0, 2, decv(r.u32(off+6)))
		case kind == optSACK:
			// The edges are the other side's numbers, relative as its
			// Ack is.
			base := uint32(0)
			if tracked {
				base = t.AckRaw - t.Ack
			}
			for b := off + 2; b+8 <= off+n; b += 8 {
				r.add("tcp.options.sack_le", b, 4, 0, 2, decv(uint64(uint32(r.u32(b))-base)))
				r.add("tcp.options.sack_re", b+4, 4, 0, 2, decv(uint64(uint32(r.u32(b+4))-base)))
			}
		}
		off += n
	}
}
