package dissect

import (
	"encoding/binary"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// ethHeader is the size of an Ethernet header.
const ethHeader = 14

// ethernetProtocol is Ethernet II (eth), the link layer of loopback and
// of the sandbox's captures.
func ethernetProtocol() protocol {
	return protocol{
		name: "eth", has: hasEth,
		on:         []selector{{space: linkType, num: uint16(layers.LinkTypeEthernet)}},
		newDecoder: func(*Dissector) decoder { return new(ethernetDecoder) },
		details:    ethDetails, ethertype: true,
		column: named("Ethernet"),
		addr:   ethAddr,
		fields: []field{
			{"eth.src", mac(func(p *Packet) *[6]byte { return &p.EthSrc })},
			{"eth.dst", mac(func(p *Packet) *[6]byte { return &p.EthDst })},
			{"eth.addr", fieldDef{kind: KindBytes, fmt: fmtMAC, get: func(p *Packet, out []Value) []Value {
				if !p.HasEth {
					return out
				}
				return append(out, Value{B: p.EthDst[:]}, Value{B: p.EthSrc[:]})
			}}},
			{"eth.type", hexf(4, hasEth, func(p *Packet) uint64 { return uint64(p.EthType) })},
			{"eth.padding", ethTail(func(t EthTrailer) []byte { return t.Padding })},
			{"eth.trailer", ethTail(func(t EthTrailer) []byte { return t.Trailer })},
			{"eth.fcs", hexf(8, hasFCS, func(p *Packet) uint64 { return uint64(p.EthTrailer().FCS) })},
			{"eth.fcs.status", dec(hasFCS, func(*Packet) uint64 { return 2 })}, // unverified
		},
	}
}

// ethernetDecoder reuses one gopacket layer for every frame.
type ethernetDecoder struct{ eth layers.Ethernet }

func (e *ethernetDecoder) decode(data []byte, p *Packet) (selector, []byte, bool) {
	if len(data) < ethHeader || e.eth.DecodeFromBytes(data, gopacket.NilDecodeFeedback) != nil {
		// tshark shows the addresses that were captured, in its
		// columns only.
		p.Malformed, p.cut = "Ethernet", len(data)
		copy(p.EthDst[:], data)
		if len(data) > 6 {
			copy(p.EthSrc[:], data[6:])
		}
		return selector{}, nil, true
	}
	p.HasEth = true
	copy(p.EthSrc[:], e.eth.SrcMAC)
	copy(p.EthDst[:], e.eth.DstMAC)
	p.EthType = uint16(e.eth.EthernetType)
	return selector{space: etherType, num: p.EthType}, e.eth.Payload, true
}

func hasEth(p *Packet) bool { return p.HasEth }

// ethAddr is the address columns' Ethernet address, when the frame holds
// it whole.
func ethAddr(buf []byte, p *Packet, src bool) ([]byte, bool) {
	m, need := &p.EthDst, 6
	if src {
		m, need = &p.EthSrc, 12
	}
	if !p.HasEth && (p.Malformed != "Ethernet" || p.cut < need) {
		return buf, false
	}
	return appendMACName(buf, *m), true
}

func mac(get func(*Packet) *[6]byte) fieldDef {
	return fieldDef{kind: KindBytes, fmt: fmtMAC, get: func(p *Packet, out []Value) []Value {
		if !p.HasEth {
			return out
		}
		return append(out, Value{B: get(p)[:]})
	}}
}

// appendMACName writes an Ethernet address as tshark's address columns
// show it, with its maker's name for the first three bytes: the
// all-zero prefix of loopback captures is "00:00:00" in Wireshark's
// table, and ff:ff:ff:ff:ff:ff is "Broadcast". wiretutor carries no
// other names, so other addresses print in full.
func appendMACName(buf []byte, m [6]byte) []byte {
	switch {
	case m == [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}:
		return append(buf, "Broadcast"...)
	case m[0] == 0 && m[1] == 0 && m[2] == 0:
		buf = append(buf, "00:00:00_"...)
		for i, b := range m[3:] {
			if i > 0 {
				buf = append(buf, ':')
			}
			buf = append(buf, hexDigits[b>>4], hexDigits[b&15])
		}
		return buf
	}
	return appendMAC(buf, m)
}

// appendMAC writes an Ethernet address as eth.src prints it.
func appendMAC(buf []byte, m [6]byte) []byte {
	for i, b := range m {
		if i > 0 {
			buf = append(buf, ':')
		}
		buf = append(buf, hexDigits[b>>4], hexDigits[b&15])
	}
	return buf
}

// EthTrailer is what tshark 4.0 makes of the bytes after what the
// protocol above Ethernet holds (add_ethernet_trailer, with its default
// preferences: padding of zeros, an FCS guessed).
type EthTrailer struct {
	// Padding is the zeros that bring a frame up to Ethernet's
	// 60-byte minimum.
	Padding []byte
	// Trailer is what follows the padding and is not the FCS; NoZeros
	// says the frame was short enough to be padded but its bytes were
	// not zeros (tshark's note "Didn't find padding of zeros").
	Trailer []byte
	NoZeros bool
	// HasFCS says the last 4 bytes are taken for the frame check
	// sequence, FCS: tshark guesses so for a frame of 64 bytes or more
	// with 4 or more bytes left after the padding.
	HasFCS bool
	FCS    uint32
}

// EthTrailer splits the frame's EthTail bytes as tshark does; a frame
// the capture cut short has none.
func (p *Packet) EthTrailer() EthTrailer {
	var t EthTrailer
	if !p.HasEth || p.EthTail <= 0 || p.EthTail > len(p.Data) || len(p.Data) != p.Len {
		return t
	}
	rest := p.Data[len(p.Data)-p.EthTail:]
	if held := p.Len - len(rest); p.Len >= 60 && held < 60 {
		pad := rest[:60-held]
		if allZero(pad) {
			t.Padding, rest = pad, rest[len(pad):]
		} else {
			t.NoZeros = true
		}
	}
	if p.Len >= 64 && len(rest) >= 4 {
		t.HasFCS, t.FCS = true, binary.BigEndian.Uint32(rest[len(rest)-4:])
		rest = rest[:len(rest)-4]
	}
	if len(rest) > 0 {
		t.Trailer = rest
	}
	return t
}

// hasFCS reports a frame whose last 4 bytes tshark takes for its FCS.
func hasFCS(p *Packet) bool { return p.EthTrailer().HasFCS }

// ethTail is a bytes field of the frame's trailer.
func ethTail(get func(EthTrailer) []byte) fieldDef {
	return fieldDef{kind: KindBytes, fmt: fmtHexDump, get: func(p *Packet, out []Value) []Value {
		if b := get(p.EthTrailer()); len(b) > 0 {
			return append(out, Value{B: b})
		}
		return out
	}}
}

// setEthTail records, for an IP packet straight on Ethernet, how many
// of the frame's bytes follow the packet's length; b is the packet's
// bytes to the frame's end and end the length its header gives.
func setEthTail(p *Packet, b []byte, end int) {
	if p.HasEth && p.Inner == nil && end > 0 && end < len(b) {
		p.EthTail = len(b) - end
	}
}
