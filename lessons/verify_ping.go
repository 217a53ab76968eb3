package lessons

import (
	"context"
	"fmt"
	"io"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/net/ping"
	"wiretutor/engine/packet/dissect"
)

// kernelEchoPeer is no program at all: the kernel answers a learner's
// echo requests to 127.0.0.1 itself, as it does ping's.
func kernelEchoPeer() course.Peer {
	return serving(course.Ports{ICMP: true}, func(context.Context, netenv.Net) (io.Closer, []string, error) { return nil, nil, nil })
}

// requests are the learner's echo requests.
func requests(e *course.Evidence) []*dissect.Packet {
	var out []*dissect.Packet
	for i := range e.Packets {
		if p := &e.Packets[i]; p.Transport == dissect.TransportICMP && p.ICMP.Type == ping.TypeEchoRequest {
			out = append(out, p)
		}
	}
	return out
}

// icmpRequest: the learner's program sent an echo request: type 8,
// code 0.
func icmpRequest(e *course.Evidence) course.Finding {
	reqs := requests(e)
	if len(reqs) == 0 {
		return found(false, "icmp.none", nil, nil)
	}
	p := reqs[0]
	d := map[string]any{"Ident": p.ICMP.Ident, "Seq": p.ICMP.Seq, "Code": p.ICMP.Code, "Count": len(reqs)}
	if p.ICMP.Code != 0 {
		return found(false, "icmp.bad_code", p, d)
	}
	return found(true, "icmp.request", p, d)
}

// icmpChecksum: every echo request's checksum is the Internet checksum
// of its message; where it is not, it says whether the carries were
// left out of the sum.
func icmpChecksum(e *course.Evidence) course.Finding {
	reqs := requests(e)
	if len(reqs) == 0 {
		return found(false, "icmp.none", nil, nil)
	}
	for _, p := range reqs {
		msg := append([]byte{byte(p.ICMP.Type), p.ICMP.Code, 0, 0,
			byte(p.ICMP.Ident >> 8), byte(p.ICMP.Ident), byte(p.ICMP.Seq >> 8), byte(p.ICMP.Seq)}, p.Payload...)
		want := ping.Checksum(msg)
		if p.ICMP.Checksum == want {
			continue
		}
		d := map[string]any{"Got": hex4(p.ICMP.Checksum), "Want": hex4(want), "Seq": p.ICMP.Seq}
		if p.ICMP.Checksum == unfolded(msg) {
			return found(false, "icmp.checksum_carry", p, d)
		}
		return found(false, "icmp.checksum_wrong", p, d)
	}
	return found(true, "icmp.checksum_ok", reqs[0], map[string]any{"Count": len(reqs), "Checksum": hex4(reqs[0].ICMP.Checksum)})
}

// unfolded is the checksum of b computed without adding the carries
// back: the low 16 bits of the sum, inverted (the usual mistake).
func unfolded(b []byte) uint16 { return ^uint16(ping.Sum(b)) }

// hex4 writes a 16-bit value as tshark writes a checksum.
func hex4(v uint16) string { return fmt.Sprintf("0x%04x", v) }

// icmpReply: every echo request got its reply (same identifier and
// sequence number), which the kernel sends only for a valid request.
func icmpReply(e *course.Evidence) course.Finding {
	reqs := requests(e)
	if len(reqs) == 0 {
		return found(false, "icmp.none", nil, nil)
	}
	answered := map[int]*dissect.Packet{}
	for i := range e.Packets {
		if p := &e.Packets[i]; p.Transport == dissect.TransportICMP && p.ICMP.Type == ping.TypeEchoReply && p.ICMP.RespTo > 0 {
			answered[p.ICMP.RespTo] = p
		}
	}
	for _, p := range reqs {
		if answered[p.Number] == nil {
			return found(false, "icmp.no_reply", p, map[string]any{"Seq": p.ICMP.Seq})
		}
	}
	r := answered[reqs[0].Number]
	return found(true, "icmp.replied", r, map[string]any{"Count": len(reqs), "Request": reqs[0].Number})
}

// icmpSequence: the requests share one identifier, and each has the
// next sequence number, as ping numbers them, so each reply tells which
// request it answers.
func icmpSequence(e *course.Evidence) course.Finding {
	reqs := requests(e)
	if len(reqs) == 0 {
		return found(false, "icmp.none", nil, nil)
	}
	for i, p := range reqs[1:] {
		prev := reqs[i]
		d := map[string]any{"Ident": p.ICMP.Ident, "Prev": prev.ICMP.Ident, "Seq": p.ICMP.Seq, "PrevSeq": prev.ICMP.Seq, "Want": prev.ICMP.Seq + 1}
		switch {
		case p.ICMP.Ident != prev.ICMP.Ident:
			return found(false, "icmp.ident_changed", p, d)
		case p.ICMP.Seq != prev.ICMP.Seq+1:
			return found(false, "icmp.seq_not_next", p, d)
		}
	}
	last := reqs[len(reqs)-1]
	return found(true, "icmp.sequenced", last, map[string]any{"Count": len(reqs), "Ident": last.ICMP.Ident, "First": reqs[0].ICMP.Seq, "Last": last.ICMP.Seq})
}
