package dissect

import (
	"encoding/binary"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/icmp"
)

// ICMPv6 echo types (RFC 4443), whose header holds an identifier and a
// sequence number.
const (
	icmpv6EchoRequest = 128
	icmpv6EchoReply   = 129
)

// icmpv6Protocol is ICMPv6 (icmpv6). wiretutor reads its type, code and
// echo numbers, and shows no fields or Info text of its own.
func icmpv6Protocol() protocol {
	return protocol{
		name: "icmpv6", has: func(p *Packet) bool { return p.Transport == TransportICMPv6 },
		on:         []selector{{space: ipProto, num: uint16(layers.IPProtocolICMPv6)}},
		newDecoder: func(*Dissector) decoder { return new(icmpv6Decoder) },
		column:     named(TransportICMPv6.String()),
	}
}

type icmpv6Decoder struct{ icmp layers.ICMPv6 }

func (d *icmpv6Decoder) decode(b []byte, p *Packet) (selector, []byte, bool) {
	if d.icmp.DecodeFromBytes(b, gopacket.NilDecodeFeedback) != nil {
		return selector{}, nil, false
	}
	ic := &d.icmp
	p.Transport = TransportICMPv6
	p.ICMP = ICMP{Type: icmp.Type(ic.TypeCode.Type()), Code: ic.TypeCode.Code(), Checksum: ic.Checksum}
	p.Payload = ic.Payload
	if t := p.ICMP.Type; (t == icmpv6EchoRequest || t == icmpv6EchoReply) && len(p.Payload) >= 4 {
		p.ICMP.IsEcho = true
		p.ICMP.Ident = binary.BigEndian.Uint16(p.Payload)
		p.ICMP.Seq = binary.BigEndian.Uint16(p.Payload[2:])
		p.Payload = p.Payload[4:]
	}
	return selector{}, nil, true
}
