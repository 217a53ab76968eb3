package dissect

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"time"

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
			return &icmpDecoder{q: newQuoter(d), echoes: make(map[echoKey]echoSeen)}
		},
		details: icmpDetails,
		column:  named(TransportICMP.String()),
		info:    icmpInfo,
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
	// RespTime is icmp.resptime: for a reply whose request was seen,
	// the time since the request.
	RespTime time.Duration
}

// icmpDecoder remembers the echo requests awaiting their replies.
type icmpDecoder struct {
	icmp   layers.ICMPv4
	q      quoter // the packet an error quotes
	echoes map[echoKey]echoSeen
}

// echoKey names an echo request by its addresses and numbers.
type echoKey struct {
	src, dst netip.Addr
	id, seq  uint16
}

// echoSeen is the frame and time of an echo request.
type echoSeen struct {
	frame int
	at    time.Time
}

// echo matches an echo request or reply (ICMP's or ICMPv6's): a
// request is remembered, a reply finds its request's frame and the time
// since.
func echo(echoes map[echoKey]echoSeen, request bool, p *Packet) {
	ic := &p.ICMP
	if request {
		echoes[echoKey{src: p.Src, dst: p.Dst, id: ic.Ident, seq: ic.Seq}] = echoSeen{frame: p.Number, at: p.Time}
		return
	}
	if seen, ok := echoes[echoKey{src: p.Dst, dst: p.Src, id: ic.Ident, seq: ic.Seq}]; ok {
		ic.RespTo, ic.RespTime = seen.frame, p.Time.Sub(seen.at)
	}
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
		d.q.quote(ic.Payload, false, p)
	case t.IsEcho():
		p.ICMP.IsEcho, p.ICMP.Ident, p.ICMP.Seq = true, ic.Id, ic.Seq
		echo(d.echoes, t == icmp.EchoRequest, p)
	}
	return selector{}, nil, true
}

// quoter dissects the IP header and the first bytes of transport that
// an ICMP or ICMPv6 error carries back to the sender into a Packet it
// reuses for every error, which the error's Inner points to. A quoted
// UDP header belongs to its conversation, as in tshark.
type quoter struct {
	d     *Dissector // to find the UDP conversations a quote belongs to
	ip4   layers.IPv4
	inner Packet
	// The protocols' indexes in the table, for the quote's layers.
	ipv4, ipv6, udp uint8
}

func newQuoter(d *Dissector) quoter {
	q := quoter{d: d}
	for _, x := range []struct {
		idx *uint8
		sel selector
	}{
		{&q.ipv4, selector{space: etherType, num: uint16(layers.EthernetTypeIPv4)}},
		{&q.ipv6, selector{space: etherType, num: uint16(layers.EthernetTypeIPv6)}},
		{&q.udp, selector{space: ipProto, num: uint16(layers.IPProtocolUDP)}},
	} {
		if st := d.find(x.sel); st != nil {
			*x.idx = st.proto
		}
	}
	return q
}

// quote dissects b, the quoted datagram of an ICMP error (ICMPv6's when
// v6), into p.Inner. Its Data is b and its layers start there.
func (q *quoter) quote(b []byte, v6 bool, p *Packet) {
	in := &q.inner
	*in = Packet{Number: p.Number, Time: p.Time, Rel: p.Rel, Len: p.Len, CapLen: p.CapLen, Data: b}
	var t []byte // the quoted transport header and what follows
	if v6 {
		if len(b) < ipv6Header || b[0]>>4 != 6 {
			return
		}
		in.IPVersion = 6
		in.IPLen, in.IPProto, in.TTL = binary.BigEndian.Uint16(b[4:]), b[6], b[7]
		in.Src, in.Dst = netip.AddrFrom16([16]byte(b[8:24])), netip.AddrFrom16([16]byte(b[24:40]))
		in.layers[0] = layerAt{proto: q.ipv6}
		t = b[ipv6Header:min(len(b), ipv6Header+int(in.IPLen))]
	} else {
		if q.ip4.DecodeFromBytes(b, gopacket.NilDecodeFeedback) != nil {
			return
		}
		setIPv4(&q.ip4, in)
		in.layers[0] = layerAt{proto: q.ipv4}
		t = q.ip4.Payload
	}
	in.nlayers = 1
	p.Inner = in
	if p.Transport == TransportICMP && p.ICMP.Type == icmp.Redirect {
		// tshark shows a redirect's quoted UDP header without its payload.
		t = t[:min(len(t), 8)]
	}
	if in.IPProto == uint8(layers.IPProtocolUDP) && len(t) >= 8 {
		in.layers[1] = layerAt{proto: q.udp, off: uint16(len(b) - len(t))}
		in.nlayers = 2
		in.Transport = TransportUDP
		in.SrcPort, in.DstPort = binary.BigEndian.Uint16(t), binary.BigEndian.Uint16(t[2:])
		in.UDP = UDP{Length: binary.BigEndian.Uint16(t[4:]), Checksum: binary.BigEndian.Uint16(t[6:])}
		if u, ok := q.d.decoderFor(selector{space: ipProto, num: uint16(layers.IPProtocolUDP)}).(udpStreams); ok {
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
		start := len(buf)
		buf = append(buf, ic.Type.String()...)
		for len(buf)-start < 20 { // tshark pads the type's name to 20
			buf = append(buf, ' ')
		}
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
