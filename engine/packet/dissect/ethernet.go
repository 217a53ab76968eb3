package dissect

import (
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
			{"eth.padding", fieldDef{kind: KindBytes, fmt: fmtHexDump, get: func(p *Packet, out []Value) []Value {
				if !p.HasEth || p.EthPad == 0 {
					return out
				}
				return append(out, Value{B: p.Data[len(p.Data)-p.EthPad:]})
			}}},
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
