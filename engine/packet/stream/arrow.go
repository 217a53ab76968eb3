package stream

import (
	"strconv"
	"time"

	"wiretutor/engine/packet/dissect"
)

// arrow is the core both ladders are built on: one packet's arrow in
// 32 bytes, the few numbers its row shows. TCP's flags, Seq, Ack and
// Len; UDP's length in n; for anything else an index into a list of
// labels in n. A Flow keeps its packets as arrows; a Ladder turns each
// into a Row at once. next is a Flow's link to the conversation's next
// arrow, -1 after its last.
type arrow struct {
	frame    int32
	next     int32
	rel      time.Duration
	seq, ack uint32
	n        uint32
	flags    dissect.TCPFlags
	from, to uint8 // a Flow's columns, 0 or 1: a conversation has two
}

// The kinds of arrow, kept in the high bits of from.
const (
	arrowTCP   = 1 << 6
	arrowUDP   = 2 << 6
	arrowOther = 3 << 6
	arrowNode  = 1<<6 - 1
)

// newArrow reads p's arrow, without its columns; the label of one that
// is neither TCP nor UDP is added to others.
func newArrow(p *dissect.Packet, others *[]string) arrow {
	a := arrow{frame: int32(p.Number), next: -1, rel: p.Rel}
	switch p.Transport {
	case dissect.TransportTCP:
		a.from = arrowTCP
		a.flags, a.seq, a.ack, a.n = p.TCP.Flags, p.TCP.Seq, p.TCP.Ack, uint32(p.TCP.Len)
	case dissect.TransportUDP:
		a.from = arrowUDP
		a.n = uint32(p.UDP.Length)
	default:
		a.from = arrowOther
		a.n = uint32(len(*others))
		*others = append(*others, otherLabel(p))
	}
	return a
}

// appendLabel writes what the arrow says (see Label).
func (a *arrow) appendLabel(b []byte, others []string) []byte {
	return a.appendLabelLen(b, others, true)
}

// appendLabelLen is appendLabel, with a TCP segment's Len= only when
// withLen: a narrow ladder drops it first, keeping flags, Seq and Ack.
func (a *arrow) appendLabelLen(b []byte, others []string, withLen bool) []byte {
	switch a.from &^ arrowNode {
	case arrowTCP:
		b = dissect.AppendFlags(b, a.flags)
		b = append(b, " Seq="...)
		b = strconv.AppendUint(b, uint64(a.seq), 10)
		if a.flags&dissect.FlagACK != 0 {
			b = append(b, " Ack="...)
			b = strconv.AppendUint(b, uint64(a.ack), 10)
		}
		if !withLen {
			return b
		}
		b = append(b, " Len="...)
		return strconv.AppendUint(b, uint64(a.n), 10)
	case arrowUDP:
		b = append(b, "UDP Len="...)
		return strconv.AppendInt(b, max(int64(a.n)-8, 0), 10)
	}
	return append(b, others[a.n]...)
}

// row is the arrow as a Ladder draws it, from column from to column to,
// its time with prec decimals as the packet list's time column shows
// frame.time_relative.
func (a *arrow) row(from, to, prec int, others []string) Row {
	var buf [64]byte
	rel := string(dissect.AppendSeconds(buf[:0], a.rel, prec))
	label := string(a.appendLabel(buf[:0], others)) // after rel is copied out of buf
	short := label
	if a.from&^arrowNode == arrowTCP {
		short = label[:len(a.appendLabelLen(buf[:0], others, false))] // a prefix of label
	}
	return Row{Frame: int(a.frame), Rel: rel, From: from, To: to, Label: label, Short: short, Client: from == 0}
}
