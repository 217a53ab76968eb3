package dissect

import "encoding/binary"

// udpDetails writes UDP as tshark -V shows it.
func udpDetails(t *tree, p *Packet, b []byte, _ *Details) { udpTree(t, p, b, true) }

// udpTree writes a UDP header's tree; stamps adds the conversation's
// [Timestamps], which tshark leaves out of a header an ICMP error quotes.
func udpTree(t *tree, p *Packet, b []byte, stamps bool) {
	if len(b) < 4 {
		return
	}
	sport, dport := binary.BigEndian.Uint16(b[0:]), binary.BigEndian.Uint16(b[2:])
	t.start().s("User Datagram Protocol, Src Port: ").u(uint64(sport)).s(", Dst Port: ").u(uint64(dport)).end()
	t.in()
	defer t.out()
	t.start().s("Source Port: ").u(uint64(sport)).end()
	t.start().s("Destination Port: ").u(uint64(dport)).end()
	if p.Malformed == "UDP" {
		return
	}
	u := &p.UDP
	t.start().s("Length: ").u(uint64(u.Length)).end()
	if u.Checksum == 0 {
		t.line("Checksum: 0x0000 [zero-value ignored]")
		t.line("[Checksum Status: Not present]")
	} else {
		t.start().s("Checksum: ").x(uint64(u.Checksum), 4).s(" [unverified]").end()
		t.line("[Checksum Status: Unverified]")
	}
	t.start().s("[Stream index: ").i(u.Stream).s("]").end()
	if u.Length == 8 {
		return // an empty datagram: tshark stops here
	}
	if stamps {
		t.line("[Timestamps]")
		t.in()
		t.start().s("[Time since first frame: ").secs(u.SinceFirst).s("]").end()
		t.start().s("[Time since previous frame: ").secs(u.SincePrev).s("]").end()
		t.out()
	}
	if n := len(p.Payload); n > 0 {
		t.start().s("UDP payload (").i(n).s(plural(n, " byte)", " bytes)")).end()
	}
}

// data writes a payload no protocol above claims, as tshark's "Data":
// with HexData, its bytes dumped first.
func (d *Details) data(t *tree, p *Packet) {
	if !hasPayload(p) {
		return
	}
	b := dataBytes(p)
	n := len(b)
	t.start().s("Data (").i(n).s(plural(n, " byte)", " bytes)")).end()
	if d.HexData {
		t.b = append(t.b, '\n')
		t.b = AppendHexDump(t.b, b)
	}
	t.in()
	t.start().s("Data: ")
	t.b = appendBytesField(t.b, b)
	t.end()
	t.start().s("[Length: ").i(n).s("]").end()
	t.out()
}

// appendBytesField writes a bytes field's value as tshark's details
// do: hex, cut after 36 bytes with "…".
func appendBytesField(buf, b []byte) []byte {
	const most = 36
	for i, c := range b {
		if i == most {
			return append(buf, "…"...)
		}
		buf = appendHex(buf, uint64(c), 2)
	}
	return buf
}

// AppendHexDump appends tshark's hex and ASCII dump of b (tshark -x):
// rows of 16 bytes, the offset in four hex digits, the bytes, and
// printable ASCII with dots for the rest.
func AppendHexDump(buf, b []byte) []byte {
	for off := 0; off < len(b); off += 16 {
		row := b[off:min(off+16, len(b))]
		buf = appendHex(buf, uint64(off), 4)
		buf = append(buf, "  "...)
		for i := range 16 {
			if i < len(row) {
				buf = appendHex(buf, uint64(row[i]), 2)
				buf = append(buf, ' ')
			} else {
				buf = append(buf, "   "...)
			}
		}
		buf = append(buf, "  "...)
		for _, c := range row {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			buf = append(buf, c)
		}
		buf = append(buf, '\n')
	}
	return buf
}
