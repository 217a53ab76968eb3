package dissect

import (
	"encoding/binary"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// ipv4Header is the size of an IPv4 header without options.
const ipv4Header = 20

// ipv4Protocol is IPv4 (ip).
func ipv4Protocol() protocol {
	return protocol{
		name: "ip", has: ip4Has(1),
		on:         []selector{{space: etherType, num: uint16(layers.EthernetTypeIPv4)}},
		newDecoder: func(*Dissector) decoder { return new(ipv4Decoder) },
		details:    ipv4Details,
		column:     named("IPv4"),
		addr:       ipAddr(4),
		fields: []field{
			{"ip.version", dec(ipHas(1), func(p *Packet) uint64 { return uint64(p.IPVersion) })},
			{"ip.src", addrs(isIPv4, true, false)},
			{"ip.dst", addrs(isIPv4, false, true)},
			{"ip.addr", addrs(isIPv4, true, true)},
			{"ip.ttl", dec(ip4Has(9), func(p *Packet) uint64 { return uint64(p.TTL) })},
			{"ip.len", dec(ip4Has(4), func(p *Packet) uint64 { return uint64(p.IPLen) })},
			{"ip.proto", dec(ip4Has(10), func(p *Packet) uint64 { return uint64(p.IPProto) })},
			{"ip.id", hexf(4, ip4Has(6), func(p *Packet) uint64 { return uint64(p.IPID) })},
			{"ip.flags", hexf(2, ip4Has(8), func(p *Packet) uint64 { return uint64(p.IPFlags) })},
			{"ip.checksum", hexf(4, ip4Has(12), func(p *Packet) uint64 { return uint64(p.IPChecksum) })},
			{"ip.dsfield", hexf(2, ip4Has(2), func(p *Packet) uint64 { return uint64(p.IPDSField) })},
			{"ip.dsfield.dscp", dec(ip4Has(2), func(p *Packet) uint64 { return uint64(p.IPDSField >> 2) })},
			{"ip.dsfield.ecn", dec(ip4Has(2), func(p *Packet) uint64 { return uint64(p.IPDSField & 3) })},
			{"ip.hdr_len", dec(ip4Has(1), func(p *Packet) uint64 { return uint64(p.IPHdrLen) })},
			{"ip.frag_offset", dec(ip4Has(8), func(p *Packet) uint64 { return uint64(p.IPFragOff) })},
			{"ip.flags.rb", dec(ip4Has(8), func(p *Packet) uint64 { return uint64(p.IPFlags>>2) & 1 })},
			{"ip.flags.df", dec(ip4Has(8), func(p *Packet) uint64 { return uint64(p.IPFlags>>1) & 1 })},
			{"ip.flags.mf", dec(ip4Has(8), func(p *Packet) uint64 { return uint64(p.IPFlags) & 1 })},
		},
	}
}

// ipv4Decoder reuses one gopacket layer for every frame.
type ipv4Decoder struct{ ip layers.IPv4 }

func (d *ipv4Decoder) decode(b []byte, p *Packet) (selector, []byte, bool) {
	if len(b) < ipv4Header || int(b[0]&0x0f)*4 > len(b) {
		cutIPv4(b, p)
		return selector{}, nil, true
	}
	if err := d.ip.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
		return selector{}, nil, false
	}
	setIPv4(&d.ip, p)
	if int(p.IPLen) >= p.IPHdrLen {
		setEthTail(p, b, int(p.IPLen))
	}
	if d.ip.FragOffset != 0 || d.ip.Flags&layers.IPv4MoreFragments != 0 {
		// A fragment: Wireshark reassembles, we show the IP layer.
		return selector{}, nil, true
	}
	return selector{space: ipProto, num: uint16(d.ip.Protocol)}, d.ip.Payload, true
}

// setIPv4 copies a decoded IPv4 header's fields into p: a frame's, or
// the one an ICMP error quotes.
func setIPv4(ip *layers.IPv4, p *Packet) {
	p.IPVersion = 4
	p.Src, _ = netip.AddrFromSlice(ip.SrcIP.To4())
	p.Dst, _ = netip.AddrFromSlice(ip.DstIP.To4())
	p.TTL, p.IPID, p.IPLen = ip.TTL, ip.Id, ip.Length
	p.IPProto, p.IPFlags, p.IPChecksum, p.IPDSField = uint8(ip.Protocol), uint8(ip.Flags), ip.Checksum, ip.TOS
	p.IPHdrLen, p.IPFragOff = int(ip.IHL)*4, ip.FragOffset*8
}

// cutIPv4 keeps the fields of an IPv4 header that the frame cuts
// short, each only when all its bytes were captured, as tshark adds
// them one by one until the first that does not fit.
func cutIPv4(b []byte, p *Packet) {
	p.IPVersion, p.Malformed, p.cut = 4, "IPv4", len(b)
	n := len(b)
	if n >= 1 {
		p.IPHdrLen = int(b[0]&0x0f) * 4
	}
	if n >= 2 {
		p.IPDSField = b[1]
	}
	if n >= 4 {
		p.IPLen = binary.BigEndian.Uint16(b[2:])
	}
	if n >= 6 {
		p.IPID = binary.BigEndian.Uint16(b[4:])
	}
	if n >= 8 {
		p.IPFlags = uint8(binary.BigEndian.Uint16(b[6:]) >> 13)
		p.IPFragOff = binary.BigEndian.Uint16(b[6:]) & 0x1fff * 8
	}
	if n >= 9 {
		p.TTL = b[8]
	}
	if n >= 10 {
		p.IPProto = b[9]
	}
	if n >= 12 {
		p.IPChecksum = binary.BigEndian.Uint16(b[10:])
	}
	if n >= 16 {
		p.Src = netip.AddrFrom4([4]byte(b[12:16]))
	}
	if n >= 20 {
		p.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	}
}

// ip4Has is ipHas for IPv4 fields.
func ip4Has(end int) func(*Packet) bool {
	has := ipHas(end)
	return func(p *Packet) bool { return p.IPVersion == 4 && has(p) }
}

func isIPv4(p *Packet) bool { return p.IPVersion == 4 }
