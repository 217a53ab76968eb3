package dissect

import (
	"encoding/binary"
	"net/netip"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/icmp"
)

// icmpProtocol is ICMP (icmp): echoes matched to their requests, and
// errors with the datagram they quote dissected.
func icmpProtocol() protocol {
	return protocol{
		name: "icmp", has: isICMP,
		on: []selector{{space: ipProto, num: uint16(layers.IPProtocolICMPv4)}},
		newDecoder: func(d *Dissector) decoder {
			return &icmpDecoder{d: d, echoes: make(map[echoKey]int)}
		},
		column: named(TransportICMP.String()),
		info:   icmpInfo,
		fields: []field{
			{"icmp.type", dec(isICMP, func(p *Packet) uint64 { return uint64(p.ICMP.Type) })},
			{"icmp.code", dec(isICMP, func(p *Packet) uint64 { return uint64(p.ICMP.Code) })},
			{"icmp.checksum", hexf(4, isICMP, func(p *Packet) uint64 { return uint64(p.ICMP.Checksum) })},
			{"icmp.ident", dec(isEcho, func(p *Packet) uint64 { return uint64(p.ICMP.Ident) })},
			{"icmp.seq", dec(isEcho, func(p *Packet) uint64 { return uint64(p.ICMP.Seq) })},
			{"icmp.seq_le", dec(isEcho, func(p *Packet) uint64 { return uint64(p.ICMP.Seq>>8 | p.ICMP.Seq<<8) })},
			{"icmp.resp_to", dec(func(p *Packet) bool { return isEcho(p) && p.ICMP.RespTo != 0 },
				func(p *Packet) uint64 { return uint64(p.ICMP.RespTo) })},
		},
	}
}

// ICMP holds the icmp.* fields of a Packet (icmpv6.* for ICMPv6).
type ICMP struct {
	// Type is icmp.type. For ICMPv6 it holds icmpv6.type, whose numbers
	// are ICMPv6's (RFC 4443), not those package icmp names.
	Type     icmp.Type
	Code     uint8  // icmp.code
	Checksum uint16 // icmp.checksum
	Ident    uint16 // icmp.ident (echo only)
	Seq      uint16 // icmp.seq (echo only)
	IsEcho   bool   // an echo request or reply, so Ident and Seq mean something
	RespTo   int    // icmp.resp_to: for a reply, the request's frame, or 0
}

// icmpDecoder remembers the echo requests awaiting their replies.
type icmpDecoder struct {
	d      *Dissector // to find the UDP conversations a quote belongs to
	icmp   layers.ICMPv4
	quote  layers.IPv4 // the header an error quotes
	echoes map[echoKey]int
}

type echoKey struct {
	src, dst netip.Addr
	id, seq  uint16
}

// udpStreams numbers UDP conversations (the UDP decoder does).
type udpStreams interface {
	stream(src, dst netip.AddrPort) int
}

func (d *icmpDecoder) decode(b []byte, p *Packet) (selector, []byte, bool) {
	if d.icmp.DecodeFromBytes(b, gopacket.NilDecodeFeedback) != nil {
		return selector{}, nil, false
	}
	ic := &d.icmp
	p.Transport = TransportICMP
	p.ICMP = ICMP{Type: icmp.Type(ic.TypeCode.Type()), Code: ic.TypeCode.Code(), Checksum: ic.Checksum}
	p.Payload = ic.Payload
	switch t := p.ICMP.Type; {
	case t.IsError():
		d.quoted(ic.Payload, p)
	case t.IsEcho():
		p.ICMP.IsEcho, p.ICMP.Ident, p.ICMP.Seq = true, ic.Id, ic.Seq
		if t == icmp.EchoRequest {
			d.echoes[echoKey{src: p.Src, dst: p.Dst, id: ic.Id, seq: ic.Seq}] = p.Number
		} else {
			p.ICMP.RespTo = d.echoes[echoKey{src: p.Dst, dst: p.Src, id: ic.Id, seq: ic.Seq}]
		}
	}
	return selector{}, nil, true
}

// quoted dissects the IPv4 header and the first bytes of transport that
// an ICMP error carries back to the sender. A quoted UDP header belongs
// to its conversation, as in tshark.
func (d *icmpDecoder) quoted(b []byte, p *Packet) {
	if d.quote.DecodeFromBytes(b, gopacket.NilDecodeFeedback) != nil {
		return
	}
	ip := &d.quote
	in := &Packet{Number: p.Number, Time: p.Time, Rel: p.Rel, Len: p.Len, CapLen: p.CapLen}
	setIPv4(ip, in)
	p.Inner = in
	if ip.Protocol == layers.IPProtocolUDP && len(ip.Payload) >= 8 {
		t := ip.Payload
		in.Transport = TransportUDP
		in.SrcPort, in.DstPort = binary.BigEndian.Uint16(t), binary.BigEndian.Uint16(t[2:])
		in.UDP = UDP{Length: binary.BigEndian.Uint16(t[4:]), Checksum: binary.BigEndian.Uint16(t[6:])}
		if u, ok := d.d.decoderFor(selector{space: ipProto, num: uint16(layers.IPProtocolUDP)}).(udpStreams); ok {
			in.UDP.Stream = u.stream(netip.AddrPortFrom(in.Src, in.SrcPort), netip.AddrPortFrom(in.Dst, in.DstPort))
		}
		in.Payload = t[8:]
	}
}

// icmpInfo is ICMP's Info column: the type's name, then the code's for
// an error, or the echo's identifier, sequence number and TTL.
func icmpInfo(buf []byte, p *Packet) []byte {
	ic := &p.ICMP
	if !ic.Type.Known() || !ic.IsEcho {
		buf = append(buf, ic.Type.String()...)
		if c := ic.Type.CodeName(ic.Code); c != "" {
			buf = append(buf, " ("...)
			buf = append(buf, c...)
			buf = append(buf, ')')
		}
		return buf
	}
	start := len(buf)
	buf = append(buf, ic.Type.String()...)
	for len(buf)-start < 20 {
		buf = append(buf, ' ')
	}
	buf = append(buf, " id=0x"...)
	buf = appendHex(buf, uint64(ic.Ident), 4)
	buf = append(buf, ", seq="...)
	buf = strconv.AppendUint(buf, uint64(ic.Seq), 10)
	buf = append(buf, '/')
	buf = strconv.AppendUint(buf, uint64(ic.Seq>>8|ic.Seq<<8), 10)
	buf = append(buf, ", ttl="...)
	buf = strconv.AppendUint(buf, uint64(p.TTL), 10)
	if ic.RespTo != 0 {
		buf = append(buf, " (request in "...)
		buf = strconv.AppendInt(buf, int64(ic.RespTo), 10)
		buf = append(buf, ')')
	}
	return buf
}

func isICMP(p *Packet) bool { return p.Transport == TransportICMP }
func isEcho(p *Packet) bool { return p.Transport == TransportICMP && p.ICMP.IsEcho }
