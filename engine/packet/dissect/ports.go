package dissect

import (
	"encoding/binary"
	"strconv"
)

// What TCP and UDP share: ports, including those of a header the frame
// cuts short.

// hasPorts reports whether the packet carries transport ports for
// proto: a whole header, or a cut one whose ports were captured. A
// header cut after its ports is there for tshark: its dissector has read
// its first field.
func hasPorts(t Transport, proto string) func(*Packet) bool {
	return func(p *Packet) bool {
		return p.Transport == t || p.Malformed == proto && p.cut >= 4
	}
}

// cutPorts marks a TCP or UDP header the frame cuts short. tshark reads
// its ports when they were captured, and nothing more: the segment
// joins no conversation and no stream. It reports whether the ports
// were there, which makes the protocol the packet's highest layer.
func cutPorts(b []byte, proto string, p *Packet) bool {
	p.Malformed, p.cut = proto, len(b)
	if len(b) < 4 {
		return false
	}
	p.SrcPort, p.DstPort = binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:])
	return true
}

// appendPorts writes the ports as the Info column starts: "41950 → 10000".
func appendPorts(buf []byte, p *Packet) []byte {
	buf = strconv.AppendUint(buf, uint64(p.SrcPort), 10)
	buf = append(buf, " → "...)
	return strconv.AppendUint(buf, uint64(p.DstPort), 10)
}
