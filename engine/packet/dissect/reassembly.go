package dissect

import "net/netip"

// This file holds what TCP shows of a message that a protocol above it
// gathered from several segments: the segments and the bytes, as
// tshark's "[N Reassembled TCP Segments]" tree shows them.

// tcpDir is one direction of a TCP stream: the stream and its sender.
type tcpDir struct {
	stream int
	from   netip.AddrPort
}

// tcpSeg is a segment a message was gathered from: its frame and how
// many of its bytes the message took.
type tcpSeg struct{ frame, n int }

// reassemblyDetails writes the segments a message was gathered from and
// the start of its bytes (data: at least the first 36 the tree shows,
// or all of them).
func reassemblyDetails(t *tree, segs []tcpSeg, data []byte) {
	total := 0
	for _, s := range segs {
		total += s.n
	}
	t.start().s("[").i(len(segs)).s(" Reassembled TCP Segments (").i(total).s(plural(total, " byte): ", " bytes): "))
	for i, s := range segs {
		if i > 0 {
			t.s(", ")
		}
		t.s("#").i(s.frame).s("(").i(s.n).s(")")
	}
	t.s("]").end()
	t.in()
	defer t.out()
	off := 0
	for _, s := range segs {
		if s.n == 0 {
			t.start().s("[Frame: ").i(s.frame).s(" (no data)]").end()
			continue
		}
		t.start().s("[Frame: ").i(s.frame).s(", payload: ").i(off).s("-").i(off + s.n - 1).s(" (").i(s.n).s(plural(s.n, " byte)]", " bytes)]")).end()
		off += s.n
	}
	t.start().s("[Segment count: ").i(len(segs)).s("]").end()
	t.start().s("[Reassembled TCP length: ").i(total).s("]").end()
	t.start().s("[Reassembled TCP Data: ")
	t.b = appendBytesField(t.b, data[:min(len(data), total)])
	t.s("]").end()
}

// DataSource is a buffer tshark dissects besides the frame, under the
// name its -x dump gives it.
type DataSource struct {
	Name string // "Reassembled TCP", "De-chunked entity body"
	Data []byte
}

// Sources lists the data sources tshark shows after a frame's own bytes
// (-x): the message several segments carried, then a chunked body
// de-chunked; none for a frame that completes no message.
func (p *Packet) Sources() []DataSource {
	if n := p.NDMP; n != nil && !n.Partial {
		if b := n.Reassembled(); b != nil {
			return []DataSource{{Name: "Reassembled TCP", Data: b}}
		}
	}
	h := p.HTTP
	if h == nil || h.Partial {
		return nil
	}
	var out []DataSource
	if b := h.Reassembled(); b != nil {
		out = append(out, DataSource{Name: "Reassembled TCP", Data: b})
	}
	if h.chunked && len(h.Body) > 0 {
		out = append(out, DataSource{Name: "De-chunked entity body", Data: h.Body})
	}
	return out
}

// KeepSources makes p carry the messages q completed, so that Sources
// gives for p what it gives for q: for a reader that dissects a frame
// into q only to find what -x dumps after it.
func (p *Packet) KeepSources(q *Packet) { p.HTTP, p.NDMP = q.HTTP, q.NDMP }
