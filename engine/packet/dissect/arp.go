package dissect

import (
	"encoding/binary"
	"net/netip"
)

// arpHeader is the fixed part of an ARP message: hardware and protocol
// types, their sizes and the opcode; the four addresses follow.
const arpHeader = 8

// The ARP opcodes Wireshark names.
const (
	arpRequest        = 1
	arpReply          = 2
	arpReverseRequest = 3
	arpReverseReply   = 4
	arpInverseRequest = 8
	arpInverseReply   = 9
)

// arpProtocol is the Address Resolution Protocol (arp, RFC 826): who
// has an IPv4 address, and which Ethernet address has it, as tshark
// shows it, gratuitous ARP, announcements and probes included.
func arpProtocol() protocol {
	return protocol{
		name: "arp", has: hasARP,
		on:         []selector{{space: etherType, num: 0x0806}},
		newDecoder: func(*Dissector) decoder { return arpDecoder{} },
		details:    arpDetails,
		column:     arpColumn,
		info:       arpInfo,
		addr:       ethAddr,
		fields: []field{
			{"arp.hw.type", dec(hasARP, func(p *Packet) uint64 { return uint64(p.ARP.HwType) })},
			{"arp.proto.type", hexf(4, hasARP, func(p *Packet) uint64 { return uint64(p.ARP.ProtoType) })},
			{"arp.hw.size", dec(hasARP, func(p *Packet) uint64 { return uint64(p.ARP.HwSize) })},
			{"arp.proto.size", dec(hasARP, func(p *Packet) uint64 { return uint64(p.ARP.ProtoSize) })},
			{"arp.opcode", dec(hasARP, func(p *Packet) uint64 { return uint64(p.ARP.Opcode) })},
			{"arp.isgratuitous", arpFlag(func(a *ARP) bool { return a.Gratuitous })},
			{"arp.isannouncement", arpFlag(func(a *ARP) bool { return a.Announcement })},
			{"arp.isprobe", arpFlag(func(a *ARP) bool { return a.Probe })},
			{"arp.src.hw_mac", arpMAC(func(a *ARP) []byte { return a.SenderHW })},
			{"arp.dst.hw_mac", arpMAC(func(a *ARP) []byte { return a.TargetHW })},
			{"arp.src.proto_ipv4", arpIPv4(func(a *ARP) []byte { return a.SenderProto })},
			{"arp.dst.proto_ipv4", arpIPv4(func(a *ARP) []byte { return a.TargetProto })},
			{"arp.src.hw", arpBytes(false, func(a *ARP) []byte { return a.SenderHW })},
			{"arp.dst.hw", arpBytes(false, func(a *ARP) []byte { return a.TargetHW })},
			{"arp.src.proto", arpBytes(true, func(a *ARP) []byte { return a.SenderProto })},
			{"arp.dst.proto", arpBytes(true, func(a *ARP) []byte { return a.TargetProto })},
		},
	}
}

// ARP holds the arp.* fields of a Packet. The addresses alias the
// packet's bytes; they are nil when the frame cuts the message short.
type ARP struct {
	HwType, ProtoType  uint16 // arp.hw.type, arp.proto.type
	HwSize, ProtoSize  uint8  // arp.hw.size, arp.proto.size
	Opcode             uint16 // arp.opcode
	SenderHW, TargetHW []byte // arp.src.hw_mac, arp.dst.hw_mac (arp.src.hw ... for other hardware)
	SenderProto        []byte // arp.src.proto_ipv4 (arp.src.proto for other protocols)
	TargetProto        []byte // arp.dst.proto_ipv4
	Gratuitous         bool   // arp.isgratuitous: a request or reply about the sender's own address
	Announcement       bool   // arp.isannouncement: a gratuitous request to no one in particular
	Probe              bool   // arp.isprobe: a request from 0.0.0.0 (RFC 5227)
}

// MAC reports whether the hardware addresses are Ethernet's: Ethernet,
// experimental Ethernet or IEEE 802, six bytes.
func (a *ARP) MAC() bool {
	return a.HwSize == 6 && (a.HwType == 1 || a.HwType == 2 || a.HwType == 6)
}

// IPv4 reports whether the protocol addresses are IPv4's.
func (a *ARP) IPv4() bool { return a.ProtoType == 0x0800 && a.ProtoSize == 4 }

func hasARP(p *Packet) bool { return p.HasARP }

// arpWhole is an ARP message the frame holds all of.
func arpWhole(p *Packet) bool { return p.HasARP && p.ARP.TargetProto != nil }

type arpDecoder struct{}

func (arpDecoder) decode(b []byte, p *Packet) (selector, []byte, bool) {
	p.HasARP = true
	a := &p.ARP
	*a = ARP{}
	if len(b) < arpHeader {
		p.Malformed, p.cut = "ARP/RARP", len(b)
		return selector{}, nil, true
	}
	a.HwType, a.ProtoType = binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:])
	a.HwSize, a.ProtoSize = b[4], b[5]
	a.Opcode = binary.BigEndian.Uint16(b[6:])
	h, pr := int(a.HwSize), int(a.ProtoSize)
	end := arpHeader + 2*(h+pr)
	if len(b) < end {
		p.Malformed, p.cut = "ARP/RARP", len(b)
		return selector{}, nil, true
	}
	at := arpHeader
	take := func(n int) []byte { s := b[at : at+n : at+n]; at += n; return s }
	a.SenderHW, a.SenderProto, a.TargetHW, a.TargetProto = take(h), take(pr), take(h), take(pr)
	p.EthTail = len(b) - end
	if a.MAC() && a.IPv4() {
		own := string(a.SenderProto) == string(a.TargetProto)
		a.Gratuitous = own && (a.Opcode == arpRequest || a.Opcode == arpReply)
		a.Announcement = a.Gratuitous && a.Opcode == arpRequest && allZero(a.TargetHW)
		a.Probe = a.Opcode == arpRequest && allZero(a.SenderProto) && allZero(a.TargetHW)
	}
	return selector{}, nil, true
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func arpFlag(get func(*ARP) bool) fieldDef {
	return fieldDef{kind: KindBool, fmt: fmtDec, get: func(p *Packet, out []Value) []Value {
		if !arpWhole(p) || !get(&p.ARP) {
			return out
		}
		return append(out, Value{U: 1})
	}}
}

func arpMAC(get func(*ARP) []byte) fieldDef {
	return fieldDef{kind: KindBytes, fmt: fmtMAC, get: func(p *Packet, out []Value) []Value {
		if !arpWhole(p) || !p.ARP.MAC() {
			return out
		}
		return append(out, Value{B: get(&p.ARP)})
	}}
}

func arpIPv4(get func(*ARP) []byte) fieldDef {
	return fieldDef{kind: KindAddr, fmt: fmtAddr, get: func(p *Packet, out []Value) []Value {
		if !arpWhole(p) || !p.ARP.IPv4() {
			return out
		}
		return append(out, Value{A: netip.AddrFrom4([4]byte(get(&p.ARP)))})
	}}
}

// arpBytes is an address of a kind tshark has no field of its own for:
// hardware addresses that are not Ethernet's, protocol addresses that
// are not IPv4's.
func arpBytes(proto bool, get func(*ARP) []byte) fieldDef {
	return fieldDef{kind: KindBytes, fmt: fmtHexDump, get: func(p *Packet, out []Value) []Value {
		if !arpWhole(p) || (proto && p.ARP.IPv4()) || (!proto && p.ARP.MAC()) {
			return out
		}
		return append(out, Value{B: get(&p.ARP)})
	}}
}

// arpColumn is the Protocol column: reverse ARP and inverse ARP have
// names of their own.
func arpColumn(p *Packet) string {
	switch p.ARP.Opcode {
	case arpReverseRequest, arpReverseReply:
		if arpWhole(p) {
			return "RARP"
		}
	case arpInverseRequest, arpInverseReply:
		if arpWhole(p) {
			return "Inverse ARP"
		}
	}
	return "ARP"
}

// arpOpName is Wireshark's name of an opcode.
func arpOpName(op uint16) string {
	switch op {
	case arpRequest:
		return "request"
	case arpReply:
		return "reply"
	case arpReverseRequest:
		return "reverse request"
	case arpReverseReply:
		return "reverse reply"
	case arpInverseRequest:
		return "inverse request"
	case arpInverseReply:
		return "inverse reply"
	case 24:
		return "experimental 1"
	case 25:
		return "experimental 2"
	}
	return "Unknown"
}

// appendARPHW writes a hardware address as the Info column does: an
// Ethernet address in full (no maker's name), else its bytes in hex.
func appendARPHW(buf []byte, a *ARP, hw []byte) []byte {
	if a.MAC() {
		return appendMAC(buf, [6]byte(hw))
	}
	return appendHexBytes(buf, hw)
}

func appendARPProto(buf []byte, a *ARP, pa []byte) []byte {
	if a.IPv4() {
		return netip.AddrFrom4([4]byte(pa)).AppendTo(buf)
	}
	return appendHexBytes(buf, pa)
}

func appendHexBytes(buf []byte, b []byte) []byte {
	for _, c := range b {
		buf = append(buf, hexDigits[c>>4], hexDigits[c&15])
	}
	return buf
}

// arpInfo is the Info column: "Who has 192.168.24.2? Tell 192.168.24.1",
// "192.168.24.2 is at 02:00:00:00:00:02", and the special cases.
func arpInfo(buf []byte, p *Packet) []byte {
	if !arpWhole(p) {
		return buf
	}
	a := &p.ARP
	sha, spa := func(b []byte) []byte { return appendARPHW(b, a, a.SenderHW) }, func(b []byte) []byte { return appendARPProto(b, a, a.SenderProto) }
	tha, tpa := func(b []byte) []byte { return appendARPHW(b, a, a.TargetHW) }, func(b []byte) []byte { return appendARPProto(b, a, a.TargetProto) }
	switch a.Opcode {
	case arpRequest:
		switch {
		case a.Announcement:
			return spa(append(buf, "ARP Announcement for "...))
		case a.Gratuitous:
			return append(spa(append(buf, "Gratuitous ARP for "...)), " (Request)"...)
		case a.Probe:
			return append(tpa(append(buf, "Who has "...)), "? (ARP Probe)"...)
		}
		return spa(append(tpa(append(buf, "Who has "...)), "? Tell "...))
	case arpReply:
		if a.Gratuitous {
			return append(spa(append(buf, "Gratuitous ARP for "...)), " (Reply)"...)
		}
		return sha(append(spa(buf), " is at "...))
	case arpReverseRequest, arpInverseRequest:
		return sha(append(tha(append(buf, "Who is "...)), "? Tell "...))
	case arpReverseReply:
		return tpa(append(tha(buf), " is at "...))
	case arpInverseReply:
		return spa(append(sha(buf), " is at "...))
	}
	buf = append(buf, "Unknown ARP opcode 0x"...)
	return appendHex(buf, uint64(a.Opcode), 4)
}

// arpHWName is Wireshark's name of an ARP hardware type (IANA's list).
func arpHWName(v uint16) string {
	names := [...]string{
		"NET/ROM pseudo", "Ethernet", "Experimental Ethernet", "AX.25", "ProNET", "Chaos",
		"IEEE 802", "ARCNET", "Hyperchannel", "Lanstar", "Autonet Short Address", "Localtalk",
		"LocalNet", "Ultra link", "SMDS", "Frame Relay DLCI", "ATM", "HDLC", "Fibre Channel",
		"ATM (RFC 2225)", "Serial Line", "ATM", "MIL-STD-188-220", "Metricom STRIP",
		"IEEE 1394.1995", "MAPOS", "Twinaxial", "EUI-64", "HIPARP", "IP and ARP over ISO 7816-3",
		"ARPSec", "IPsec tunnel", "InfiniBand", "TIA-102 Project 25 CAI", "Wiegand Interface",
		"Pure IP", "Experimental 1", "HFI", "Unified Bus",
	}
	switch {
	case int(v) < len(names):
		return names[v]
	case v == 256:
		return "Experimental 2"
	case v == 257:
		return "AEthernet"
	}
	return "Unknown"
}

// arpDetails writes the ARP subtree as tshark -V does.
func arpDetails(t *tree, p *Packet, b []byte, _ *Details) {
	a := &p.ARP
	t.start().s("Address Resolution Protocol")
	if arpWhole(p) {
		t.s(" (")
		switch {
		case a.Announcement:
			t.s("ARP Announcement")
		case a.Probe:
			t.s("ARP Probe")
		case a.Gratuitous:
			t.s(arpOpName(a.Opcode)).s("/gratuitous ARP")
		default:
			t.s(arpOpName(a.Opcode))
		}
		t.s(")")
	}
	t.end()
	t.in()
	defer t.out()
	if len(b) >= 2 {
		t.start().s("Hardware type: ").s(arpHWName(a.HwType)).s(" (").u(uint64(a.HwType)).s(")").end()
	}
	if len(b) >= 4 {
		etherTypeLine(t, "Protocol type: ", a.ProtoType)
	}
	if len(b) >= 5 {
		t.start().s("Hardware size: ").u(uint64(b[4])).end()
	}
	if len(b) >= 6 {
		t.start().s("Protocol size: ").u(uint64(b[5])).end()
	}
	if len(b) >= arpHeader {
		t.start().s("Opcode: ").s(arpOpName(a.Opcode)).s(" (").u(uint64(a.Opcode)).s(")").end()
	}
	if !arpWhole(p) {
		return
	}
	if a.Gratuitous {
		t.line("[Is gratuitous: True]")
	}
	if a.Announcement {
		t.line("[Is announcement: True]")
	}
	if a.Probe {
		t.line("[Is probe: True]")
	}
	for _, side := range []struct {
		who    string
		hw, pa []byte
	}{{"Sender", a.SenderHW, a.SenderProto}, {"Target", a.TargetHW, a.TargetProto}} {
		t.start().s(side.who)
		if a.MAC() {
			t.s(" MAC address: ")
			macLine(t, [6]byte(side.hw))
		} else {
			t.s(" hardware address: ")
			t.b = appendHexBytes(t.b, side.hw)
		}
		t.end()
		t.start().s(side.who)
		if a.IPv4() {
			t.s(" IP address: ")
		} else {
			t.s(" protocol address: ")
		}
		t.b = appendARPProto(t.b, a, side.pa)
		t.end()
	}
}
