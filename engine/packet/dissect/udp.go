package dissect

import (
	"net/netip"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// udpProtocol is UDP (udp), with Wireshark's stream indexes.
func udpProtocol() protocol {
	return protocol{
		name: "udp", has: hasPorts(TransportUDP, "UDP"),
		on:         []selector{{space: ipProto, num: uint16(layers.IPProtocolUDP)}},
		newDecoder: func(*Dissector) decoder { return &udpDecoder{convs: make(map[convKey]int)} },
		column:     named(TransportUDP.String()),
		info:       udpInfo,
		fields:     udpFields(),
	}
}

// UDP holds the udp.* fields of a Packet.
type UDP struct {
	Stream   int    // udp.stream
	Length   uint16 // udp.length
	Checksum uint16 // udp.checksum
}

// udpDecoder numbers the UDP conversations of a capture.
type udpDecoder struct {
	udp   layers.UDP
	convs map[convKey]int
}

func (d *udpDecoder) decode(b []byte, p *Packet) (selector, []byte, bool) {
	if d.udp.DecodeFromBytes(b, gopacket.NilDecodeFeedback) != nil {
		return selector{}, nil, cutPorts(b, "UDP", p)
	}
	u := &d.udp
	p.Transport = TransportUDP
	p.SrcPort, p.DstPort = uint16(u.SrcPort), uint16(u.DstPort)
	p.UDP = UDP{Length: u.Length, Checksum: u.Checksum}
	p.Payload = u.Payload
	p.UDP.Stream = d.stream(netip.AddrPortFrom(p.Src, p.SrcPort), netip.AddrPortFrom(p.Dst, p.DstPort))
	return selector{}, nil, true
}

// stream returns the udp.stream of the conversation between two
// endpoints, numbering a new one.
func (d *udpDecoder) stream(src, dst netip.AddrPort) int {
	k, _ := key(src, dst)
	idx, ok := d.convs[k]
	if !ok {
		idx = len(d.convs)
		d.convs[k] = idx
	}
	return idx
}

// udpInfo is UDP's Info column: the ports and the payload's length; the
// ports alone for a header the frame cuts short.
func udpInfo(buf []byte, p *Packet) []byte {
	buf = appendPorts(buf, p)
	if p.Malformed == "UDP" {
		return buf
	}
	buf = append(buf, " Len="...)
	return strconv.AppendInt(buf, int64(len(p.Payload)), 10)
}

func isUDP(p *Packet) bool { return p.Transport == TransportUDP }

func udpFields() []field {
	udpPorts := hasPorts(TransportUDP, "UDP")
	return []field{
		{"udp.srcport", dec(udpPorts, func(p *Packet) uint64 { return uint64(p.SrcPort) })},
		{"udp.dstport", dec(udpPorts, func(p *Packet) uint64 { return uint64(p.DstPort) })},
		{"udp.port", pairOf(udpPorts, func(p *Packet) uint64 { return uint64(p.SrcPort) }, func(p *Packet) uint64 { return uint64(p.DstPort) })},
		{"udp.length", dec(isUDP, func(p *Packet) uint64 { return uint64(p.UDP.Length) })},
		{"udp.checksum", hexf(4, isUDP, func(p *Packet) uint64 { return uint64(p.UDP.Checksum) })},
		{"udp.stream", dec(isUDP, func(p *Packet) uint64 { return uint64(p.UDP.Stream) })},
	}
}
