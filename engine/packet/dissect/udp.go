package dissect

import (
	"time"

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
		newDecoder: func(*Dissector) decoder { return &udpDecoder{convs: make(map[convKey]*udpConv)} },
		details:    udpDetails,
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

	// SinceFirst and SincePrev are udp.time_relative and udp.time_delta:
	// the time since the conversation's first datagram and its last.
	SinceFirst, SincePrev time.Duration
}

// udpDecoder numbers the UDP conversations of a capture.
type udpDecoder struct {
	udp   layers.UDP
	convs map[convKey]*udpConv
}

// udpConv is one UDP conversation: its index and its times.
type udpConv struct {
	index       int
	first, last time.Time
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
	c := d.conv(netip.AddrPortFrom(p.Src, p.SrcPort), netip.AddrPortFrom(p.Dst, p.DstPort))
	p.UDP.Stream = c.index
	if c.first.IsZero() {
		c.first, c.last = p.Time, p.Time
	}
	p.UDP.SinceFirst, p.UDP.SincePrev = p.Time.Sub(c.first), p.Time.Sub(c.last)
	c.last = p.Time
	return selector{}, nil, true
}

// stream returns the udp.stream of the conversation between two
// endpoints, numbering a new one.
func (d *udpDecoder) stream(src, dst netip.AddrPort) int {
	return d.conv(src, dst).index
}

// conv returns the conversation between two endpoints, numbering a
// new one.
func (d *udpDecoder) conv(src, dst netip.AddrPort) *udpConv {
	k, _ := key(src, dst)
	c, ok := d.convs[k]
	if !ok {
		c = &udpConv{index: len(d.convs)}
		d.convs[k] = c
	}
	return c
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
		{"udp.payload", payload(isUDP)},
	}
}
