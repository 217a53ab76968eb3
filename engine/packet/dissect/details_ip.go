package dissect

import (
	"encoding/binary"
	"net/netip"
)

// This file writes IPv4's and IPv6's packet details, as tshark -V shows
// them. A header the frame cuts short shows the fields it holds whole.

// ipProtoName is Wireshark's name of an IP protocol number.
func ipProtoName(v uint8, v6 bool) string {
	switch v {
	case 1:
		return "ICMP"
	case 6:
		return "TCP"
	case 17:
		return "UDP"
	case 58:
		if v6 {
			return "ICMPv6"
		}
		return "IPv6-ICMP"
	case 0:
		return "IPv6 Hop-by-Hop Option"
	case 41:
		return "IPv6"
	case 59:
		return "IPv6 No Next Header"
	}
	return "Unknown"
}

// dscpName is Wireshark's name of a DSCP and its short form.
func dscpName(v uint8) (long, short string) {
	switch v {
	case 0:
		return "Default", "CS0"
	case 1:
		return "Lower Effort", "LE"
	case 46:
		return "Expedited Forwarding", "EF"
	case 44:
		return "Voice Admit", "VOICE-ADMIT"
	}
	if v%8 == 0 {
		n := string(rune('0' + v/8))
		return "Class Selector " + n, "CS" + n
	}
	if c, d := v/8, v%8; c >= 1 && c <= 4 && (d == 2 || d == 4 || d == 6) {
		n := string(rune('0'+c)) + string(rune('0'+d/2))
		return "Assured Forwarding " + n, "AF" + n
	}
	return "Unknown", "Unknown"
}

// ecnName is Wireshark's name of an ECN codepoint and its short form.
func ecnName(v uint8) (long, short string) {
	switch v {
	case 1:
		return "ECN-Capable Transport codepoint '01'", "ECT(1)"
	case 2:
		return "ECN-Capable Transport codepoint '10'", "ECT(0)"
	case 3:
		return "Congestion Experienced", "CE"
	}
	return "Not ECN-Capable Transport", "Not-ECT"
}

// dsLines writes a DS field's line and its two parts, the field's bits
// at shift in a width-bit word.
func dsLines(t *tree, label string, ds uint8, word uint64, shift, width int) {
	dl, ds2 := dscpName(ds >> 2)
	el, es := ecnName(ds & 3)
	t.start()
	if width > 8 {
		t.bits(word, 0xff<<shift, width)
	}
	t.s(label).x(uint64(ds), 2).s(" (DSCP: ").s(ds2).s(", ECN: ").s(es).s(")").end()
	t.in()
	t.start().bits(word, 0xfc<<shift, width).s("Differentiated Services Codepoint: ").s(dl).s(" (").u(uint64(ds >> 2)).s(")").end()
	t.start().bits(word, 0x03<<shift, width).s("Explicit Congestion Notification: ").s(el).s(" (").u(uint64(ds & 3)).s(")").end()
	t.out()
}

// ipv4Details writes IPv4.
func ipv4Details(t *tree, p *Packet, b []byte, _ *Details) {
	n := len(b)
	if n == 0 {
		return
	}
	t.start().s("Internet Protocol Version 4")
	if n >= 16 {
		t.s(", Src: ")
		ipAddrText(t, netip.AddrFrom4([4]byte(b[12:16])))
	}
	if n >= 20 {
		t.s(", Dst: ")
		ipAddrText(t, netip.AddrFrom4([4]byte(b[16:20])))
	}
	t.end()
	t.in()
	defer t.out()
	v, ihl := uint64(b[0]>>4), uint64(b[0]&15)
	t.start().bits(uint64(b[0]), 0xf0, 8).s("Version: ").u(v).end()
	t.start().bits(uint64(b[0]), 0x0f, 8).s("Header Length: ").u(ihl * 4).s(" bytes (").u(ihl).s(")").end()
	if n < 2 {
		return
	}
	dsLines(t, "Differentiated Services Field: ", b[1], uint64(b[1]), 0, 8)
	if n < 4 {
		return
	}
	total := int(binary.BigEndian.Uint16(b[2:]))
	t.start().s("Total Length: ").i(total).end()
	if total > n {
		t.in()
		t.expertf("Error", "Protocol", func(t *tree) {
			t.s("IPv4 total length exceeds packet length (").i(n).s(" bytes)")
		})
		t.out()
	}
	if n < 6 {
		return
	}
	id := uint64(binary.BigEndian.Uint16(b[4:]))
	t.start().s("Identification: ").x(id, 4).s(" (").u(id).s(")").end()
	if n < 8 {
		return
	}
	ff := uint64(binary.BigEndian.Uint16(b[6:]))
	fl := uint64(b[6])
	t.start().bits(fl, 0xe0, 8).s("Flags: ").x(fl>>5, 1)
	if fl&0x40 != 0 {
		t.s(", Don't fragment")
	}
	if fl&0x20 != 0 {
		t.s(", More fragments")
	}
	t.end()
	t.in()
	t.flag(fl, 0x80, 8, "Reserved bit")
	t.flag(fl, 0x40, 8, "Don't fragment")
	t.flag(fl, 0x20, 8, "More fragments")
	t.out()
	t.start().bits(ff, 0x1fff, 16).s("Fragment Offset: ").u((ff & 0x1fff) * 8).end()
	if n < 9 {
		return
	}
	t.start().s("Time to Live: ").u(uint64(b[8])).end()
	if n < 10 {
		return
	}
	t.start().s("Protocol: ").s(ipProtoName(b[9], false)).s(" (").u(uint64(b[9])).s(")").end()
	if n < 12 {
		return
	}
	t.start().s("Header Checksum: ").x(uint64(binary.BigEndian.Uint16(b[10:])), 4).s(" [validation disabled]").end()
	t.line("[Header checksum status: Unverified]")
	if n < 16 {
		return
	}
	t.start().s("Source Address: ")
	ipAddrText(t, netip.AddrFrom4([4]byte(b[12:16]))).end()
	if n < 20 {
		return
	}
	t.start().s("Destination Address: ")
	ipAddrText(t, netip.AddrFrom4([4]byte(b[16:20]))).end()
}

// expertf is expert with its text written by fn.
func (t *tree) expertf(severity, group string, fn func(t *tree)) {
	mark := len(t.b)
	fn(t)
	text := string(t.b[mark:])
	t.b = t.b[:mark]
	t.expert(severity, group, text)
}

// ipv6Details writes IPv6's fixed header.
func ipv6Details(t *tree, p *Packet, b []byte, _ *Details) {
	n := len(b)
	if n == 0 {
		return
	}
	t.start().s("Internet Protocol Version 6")
	if n >= 40 {
		// tshark names the addresses once the whole header is there.
		t.s(", Src: ")
		ipAddrText(t, netip.AddrFrom16([16]byte(b[8:24])))
		t.s(", Dst: ")
		ipAddrText(t, netip.AddrFrom16([16]byte(b[24:40])))
	}
	t.end()
	t.in()
	defer t.out()
	t.start().bits(uint64(b[0]), 0xf0, 8).s("Version: ").u(uint64(b[0] >> 4)).end()
	if n < 40 {
		t.expert("Error", "Malformed", "IPv6 header must be exactly 40 bytes")
	}
	if n < 4 {
		return
	}
	w := uint64(binary.BigEndian.Uint32(b))
	dsLines(t, "Traffic Class: ", uint8(w>>20), w, 20, 32)
	t.start().bits(w&0xffffff, 0xfffff, 24).s("Flow Label: ").x(w&0xfffff, 5).end()
	if n < 6 {
		return
	}
	t.start().s("Payload Length: ").u(uint64(binary.BigEndian.Uint16(b[4:]))).end()
	if n < 7 {
		return
	}
	t.start().s("Next Header: ").s(ipProtoName(b[6], true)).s(" (").u(uint64(b[6])).s(")").end()
	if n < 8 {
		return
	}
	t.start().s("Hop Limit: ").u(uint64(b[7])).end()
	if n < 24 {
		return
	}
	t.start().s("Source Address: ")
	ipAddrText(t, netip.AddrFrom16([16]byte(b[8:24]))).end()
	if n < 40 {
		return
	}
	t.start().s("Destination Address: ")
	ipAddrText(t, netip.AddrFrom16([16]byte(b[24:40]))).end()
}
