package netenv

import (
	"encoding/binary"
	"net/netip"
)

// Segment is what a Rule sees of a TCP segment crossing the sandbox
// link: its ends, raw sequence numbers, flags and payload length.
type Segment struct {
	Src, Dst netip.AddrPort
	Seq, Ack uint32
	Flags    uint8 // the TCP header's flag byte: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10
	Len      int   // payload bytes
}

// The flag bits of Segment.Flags.
const (
	SegFIN = 0x01
	SegSYN = 0x02
	SegRST = 0x04
	SegPSH = 0x08
	SegACK = 0x10
)

// Rule is a loss a lesson chooses: Drop reports whether the link loses
// a TCP segment. It is called for every TCP segment in the order they
// cross, one at a time, so it may keep state of its own (a count per
// connection, say) without a lock. A retransmission crosses again and is
// asked again.
type Rule struct {
	Name string // what the rule loses, for logs and tests
	Drop func(s Segment) bool
}

// parseSegment reads the TCP segment of an IPv4 or IPv6 packet without
// extension headers; ok is false for anything else.
func parseSegment(ip []byte) (s Segment, ok bool) {
	if len(ip) < 1 {
		return s, false
	}
	var src, dst netip.Addr
	var tcp []byte
	switch ip[0] >> 4 {
	case 4:
		if len(ip) < 20 || ip[9] != 6 {
			return s, false
		}
		ihl := int(ip[0]&0x0f) * 4
		total := int(binary.BigEndian.Uint16(ip[2:4]))
		if ihl < 20 || total > len(ip) || total < ihl+20 {
			return s, false
		}
		src, dst = netip.AddrFrom4([4]byte(ip[12:16])), netip.AddrFrom4([4]byte(ip[16:20]))
		tcp = ip[ihl:total]
	case 6:
		if len(ip) < 40 || ip[6] != 6 {
			return s, false
		}
		plen := int(binary.BigEndian.Uint16(ip[4:6]))
		if 40+plen > len(ip) || plen < 20 {
			return s, false
		}
		src, dst = netip.AddrFrom16([16]byte(ip[8:24])), netip.AddrFrom16([16]byte(ip[24:40]))
		tcp = ip[40 : 40+plen]
	default:
		return s, false
	}
	off := int(tcp[12]>>4) * 4
	if off < 20 || off > len(tcp) {
		return s, false
	}
	return Segment{
		Src:   netip.AddrPortFrom(src, binary.BigEndian.Uint16(tcp[0:2])),
		Dst:   netip.AddrPortFrom(dst, binary.BigEndian.Uint16(tcp[2:4])),
		Seq:   binary.BigEndian.Uint32(tcp[4:8]),
		Ack:   binary.BigEndian.Uint32(tcp[8:12]),
		Flags: tcp[13],
		Len:   len(tcp) - off,
	}, true
}

// dropByRule reports whether one of rules loses the IP packet raw.
func dropByRule(rules []Rule, raw []byte) bool {
	if len(rules) == 0 {
		return false
	}
	s, ok := parseSegment(raw)
	if !ok {
		return false
	}
	for _, r := range rules {
		if r.Drop(s) {
			return true
		}
	}
	return false
}
