package dissect

import (
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/icmp"
)

// ICMPv6 types (RFC 4443) that the dissector reads beyond their names:
// echoes, whose header holds an identifier and a sequence number, and
// errors, which quote the packet that caused them.
const (
	icmpv6DestUnreachable = 1
	icmpv6PacketTooBig    = 2
	icmpv6TimeExceeded    = 3
	icmpv6ParamProblem    = 4
	icmpv6EchoRequest     = 128
	icmpv6EchoReply       = 129
)

// icmpv6Protocol is ICMPv6 (icmpv6): echoes matched to their requests,
// and errors with the packet they quote dissected. Its fields are not
// in wiretutor's list but its type and code; its Info column and
// details are tshark's.
func icmpv6Protocol() protocol {
	return protocol{
		name: "icmpv6", has: func(p *Packet) bool { return p.Transport == TransportICMPv6 },
		on: []selector{{space: ipProto, num: uint16(layers.IPProtocolICMPv6)}},
		newDecoder: func(d *Dissector) decoder {
			return &icmpv6Decoder{q: newQuoter(d), echoes: make(map[echoKey]echoSeen)}
		},
		details: icmpv6Details,
		column:  named(TransportICMPv6.String()),
		info:    icmpv6Info,
		fields: []field{
			{"icmpv6.type", dec(isICMPv6, func(p *Packet) uint64 { return uint64(p.ICMP.Type) })},
			{"icmpv6.code", dec(isICMPv6, func(p *Packet) uint64 { return uint64(p.ICMP.Code) })},
		},
	}
}

func isICMPv6(p *Packet) bool { return p.Transport == TransportICMPv6 }

// icmpv6Decoder remembers the echo requests awaiting their replies.
type icmpv6Decoder struct {
	icmp   layers.ICMPv6
	q      quoter
	echoes map[echoKey]echoSeen
}

func (d *icmpv6Decoder) decode(b []byte, p *Packet) (selector, []byte, bool) {
	if d.icmp.DecodeFromBytes(b, gopacket.NilDecodeFeedback) != nil {
		return selector{}, nil, false
	}
	ic := &d.icmp
	p.Transport = TransportICMPv6
	p.ICMP = ICMP{Type: icmp.Type(ic.TypeCode.Type()), Code: ic.TypeCode.Code(), Checksum: ic.Checksum}
	p.Payload = ic.Payload
	switch t := p.ICMP.Type; {
	case (t == icmpv6EchoRequest || t == icmpv6EchoReply) && len(p.Payload) >= 4:
		p.ICMP.IsEcho = true
		p.ICMP.Ident = binary.BigEndian.Uint16(p.Payload)
		p.ICMP.Seq = binary.BigEndian.Uint16(p.Payload[2:])
		p.Payload = p.Payload[4:]
		echo(d.echoes, t == icmpv6EchoRequest, p)
	case icmpv6IsError(t) && len(p.Payload) >= 4:
		d.q.quote(p.Payload[4:], true, p)
	}
	return selector{}, nil, true
}

// icmpv6IsError reports whether an ICMPv6 type is an error message,
// which quotes the packet that caused it.
func icmpv6IsError(t icmp.Type) bool { return t >= 1 && t <= 4 }

// icmpv6TypeName is Wireshark's name of an ICMPv6 type.
func icmpv6TypeName(t icmp.Type) string {
	switch t {
	case icmpv6DestUnreachable:
		return "Destination Unreachable"
	case icmpv6PacketTooBig:
		return "Packet Too Big"
	case icmpv6TimeExceeded:
		return "Time Exceeded"
	case icmpv6ParamProblem:
		return "Parameter Problem"
	case icmpv6EchoRequest:
		return "Echo (ping) request"
	case icmpv6EchoReply:
		return "Echo (ping) reply"
	case 130:
		return "Multicast Listener Query"
	case 131:
		return "Multicast Listener Report"
	case 132:
		return "Multicast Listener Done"
	case 133:
		return "Router Solicitation"
	case 134:
		return "Router Advertisement"
	case 135:
		return "Neighbor Solicitation"
	case 136:
		return "Neighbor Advertisement"
	case 137:
		return "Redirect"
	case 143:
		return "Multicast Listener Report Message v2"
	}
	return ""
}

// icmpv6CodeName is Wireshark's name of the code of an ICMPv6 error,
// "" for a type whose codes it does not name.
func icmpv6CodeName(t icmp.Type, code uint8) string {
	var names []string
	switch t {
	case icmpv6DestUnreachable:
		names = []string{"no route to destination", "Administratively prohibited",
			"Beyond scope of source address", "Address unreachable", "Port unreachable",
			"Source address failed ingress/egress policy", "Reject route to destination",
			"Error in Source Routing Header"}
	case icmpv6TimeExceeded:
		names = []string{"hop limit exceeded in transit", "fragment reassembly time exceeded"}
	case icmpv6ParamProblem:
		names = []string{"erroneous header field encountered", "unrecognized Next Header type encountered",
			"unrecognized IPv6 option encountered"}
	default:
		return ""
	}
	if int(code) < len(names) {
		return names[code]
	}
	return "Unknown"
}

// icmpv6Info is ICMPv6's Info column: the type's name, then the code's
// for an error, or the echo's identifier, sequence number and hop limit.
func icmpv6Info(buf []byte, p *Packet) []byte {
	ic := &p.ICMP
	name := icmpv6TypeName(ic.Type)
	if name == "" {
		buf = append(buf, "Unknown ("...)
		buf = strconv.AppendUint(buf, uint64(ic.Type), 10)
		return append(buf, ')')
	}
	buf = append(buf, name...)
	if c := icmpv6CodeName(ic.Type, ic.Code); c != "" {
		buf = append(buf, " ("...)
		buf = append(buf, c...)
		buf = append(buf, ')')
	}
	if !ic.IsEcho {
		return buf
	}
	buf = append(buf, " id=0x"...)
	buf = appendHex(buf, uint64(ic.Ident), 4)
	buf = append(buf, ", seq="...)
	buf = strconv.AppendUint(buf, uint64(ic.Seq), 10)
	buf = append(buf, ", hop limit="...)
	buf = strconv.AppendUint(buf, uint64(p.TTL), 10)
	if ic.RespTo != 0 {
		buf = append(buf, " (request in "...)
		buf = strconv.AppendInt(buf, int64(ic.RespTo), 10)
		buf = append(buf, ')')
	}
	return buf
}
