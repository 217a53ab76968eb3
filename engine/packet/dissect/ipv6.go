package dissect

import (
	"encoding/binary"
	"net/netip"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// ipv6Header is the size of an IPv6 header.
const ipv6Header = 40

// ipv6Protocol is IPv6 (ipv6).
func ipv6Protocol() protocol {
	return protocol{
		name: "ipv6", has: ip6Has(1),
		on:         []selector{{space: etherType, num: uint16(layers.EthernetTypeIPv6)}},
		newDecoder: func(*Dissector) decoder { return new(ipv6Decoder) },
		details:    ipv6Details,
		column:     named("IPv6"),
		info:       ipv6Info,
		addr:       ipAddr(6),
		fields: []field{
			{"ipv6.src", addrs(isIPv6, true, false)},
			{"ipv6.dst", addrs(isIPv6, false, true)},
			{"ipv6.addr", addrs(isIPv6, true, true)},
			{"ipv6.hlim", dec(ip6Has(8), func(p *Packet) uint64 { return uint64(p.TTL) })},
			{"ipv6.plen", dec(ip6Has(6), func(p *Packet) uint64 { return uint64(p.IPLen) })},
			{"ipv6.nxt", dec(ip6Has(7), func(p *Packet) uint64 { return uint64(p.IPProto) })},
		},
	}
}

// ipv6Decoder reuses one gopacket layer for every frame.
type ipv6Decoder struct{ ip layers.IPv6 }

func (d *ipv6Decoder) decode(b []byte, p *Packet) (selector, []byte, bool) {
	if len(b) < ipv6Header {
		cutIPv6(b, p)
		return selector{}, nil, true
	}
	if err := d.ip.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
		return selector{}, nil, false
	}
	ip := &d.ip
	p.IPVersion = 6
	p.Src, _ = netip.AddrFromSlice(ip.SrcIP)
	p.Dst, _ = netip.AddrFromSlice(ip.DstIP)
	p.TTL, p.IPLen, p.IPProto = ip.HopLimit, ip.Length, uint8(ip.NextHeader)
	if ip.Length > 0 {
		setEthTail(p, b, ipv6Header+int(ip.Length))
	}
	return selector{space: ipProto, num: uint16(ip.NextHeader)}, ip.Payload, true
}

// cutIPv6 is cutIPv4 for an IPv6 header.
func cutIPv6(b []byte, p *Packet) {
	p.IPVersion, p.Malformed, p.cut = 6, "IPv6", len(b)
	n := len(b)
	if n >= 6 {
		p.IPLen = binary.BigEndian.Uint16(b[4:])
	}
	if n >= 7 {
		p.IPProto = b[6]
	}
	if n >= 8 {
		p.TTL = b[7]
	}
	if n >= 24 {
		p.Src = netip.AddrFrom16([16]byte(b[8:24]))
	}
}

// ipv6Info is the Info column tshark gives a cut IPv6 header; a whole
// one writes none.
func ipv6Info(buf []byte, p *Packet) []byte {
	if p.Malformed != "IPv6" {
		return buf
	}
	buf = append(buf, "Invalid IPv6 header ("...)
	buf = strconv.AppendInt(buf, int64(p.cut), 10)
	return append(buf, " bytes, need exactly 40)"...)
}

// ip6Has is ipHas for IPv6 fields.
func ip6Has(end int) func(*Packet) bool {
	has := ipHas(end)
	return func(p *Packet) bool { return p.IPVersion == 6 && has(p) }
}

func isIPv6(p *Packet) bool { return p.IPVersion == 6 }
