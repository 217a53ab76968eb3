package stream

import (
	"strconv"
	"time"

	"wiretutor/engine/packet/dissect"
)

// Flow gathers the ladders of a whole capture, one per conversation,
// in memory that stays small however long the capture: per packet it
// keeps the few numbers an arrow shows (frame, time, direction, flags,
// Seq, Ack, Len), never the packet. Add packets in capture order, then
// Render each conversation.
type Flow struct {
	prec   int
	convs  []flowConv
	index  map[Conversation]int32
	chunks [][]flowRow // rows in capture order, in chunks that never move
	rows   int
	labels []string // the labels of arrows that are not TCP or UDP
}

// flowChunk is how many rows a chunk holds: growing the store allocates
// a chunk and never copies the rows before it.
const flowChunk = 1 << 14

// flowConv is one conversation: its two columns, and the first and last
// of its rows, which link to each other in capture order.
type flowConv struct {
	key         Conversation
	nodes       []string
	first, last int32
}

// flowRow is one arrow in 32 bytes: TCP's flags, Seq, Ack and Len;
// UDP's length in n; for anything else an index into Flow.labels in n.
// next is the conversation's next row, -1 after its last.
type flowRow struct {
	frame    int32
	next     int32
	rel      time.Duration
	seq, ack uint32
	n        uint32
	flags    dissect.TCPFlags
	from, to uint8 // 0 or 1: a conversation has two columns
}

// The kinds of row, kept in the high bits of from.
const (
	rowTCP   = 1 << 6
	rowUDP   = 2 << 6
	rowOther = 3 << 6
	rowNode  = 1<<6 - 1
)

// NewFlow returns an empty Flow for a capture whose timestamps have
// prec decimals.
func NewFlow(prec int) *Flow {
	return &Flow{prec: prec, index: map[Conversation]int32{}}
}

// Add offers a packet. Packets without both IP addresses, and packets
// whose headers the frame cuts short, belong to no conversation and are
// left out.
func (f *Flow) Add(p *dissect.Packet) {
	src, dst, ok := ends(p)
	if !ok {
		return
	}
	k := ConversationOf(p)
	ci, ok := f.index[k]
	if !ok {
		ci = int32(len(f.convs))
		f.index[k] = ci
		f.convs = append(f.convs, flowConv{key: k, first: -1})
	}
	c := &f.convs[ci]
	r := flowRow{frame: int32(p.Number), next: -1, rel: p.Rel}
	r.from, r.to = c.node(src), c.node(dst)
	switch p.Transport {
	case dissect.TransportTCP:
		r.from |= rowTCP
		r.flags, r.seq, r.ack, r.n = p.TCP.Flags, p.TCP.Seq, p.TCP.Ack, uint32(p.TCP.Len)
	case dissect.TransportUDP:
		r.from |= rowUDP
		r.n = uint32(p.UDP.Length)
	default:
		r.from |= rowOther
		r.n = uint32(len(f.labels))
		f.labels = append(f.labels, Label(p))
	}
	i := int32(f.rows)
	if f.rows%flowChunk == 0 {
		f.chunks = append(f.chunks, make([]flowRow, 0, flowChunk))
	}
	last := &f.chunks[len(f.chunks)-1]
	*last = append(*last, r)
	f.rows++
	if c.first < 0 {
		c.first = i
	} else {
		f.at(c.last).next = i
	}
	c.last = i
}

// at returns row i.
func (f *Flow) at(i int32) *flowRow { return &f.chunks[i/flowChunk][i%flowChunk] }

// node returns the column of an endpoint, adding it when new. A
// conversation has two endpoints; one talking to itself is drawn twice.
func (c *flowConv) node(n string) uint8 {
	for i, x := range c.nodes {
		if x == n {
			return uint8(i)
		}
	}
	if len(c.nodes) == rowNode {
		return rowNode - 1 // cannot happen: TCP, UDP and IP pairs have two ends
	}
	c.nodes = append(c.nodes, n)
	return uint8(len(c.nodes) - 1)
}

// Conversations lists the conversations in the order they started.
func (f *Flow) Conversations() []Conversation {
	out := make([]Conversation, len(f.convs))
	for i := range f.convs {
		out[i] = f.convs[i].key
	}
	return out
}

// row turns a compact row back into the arrow a Ladder draws; label is
// scratch space the Label may alias until the next call.
func (f *Flow) row(r *flowRow, label []byte) (Row, []byte) {
	label = label[:0]
	switch r.from &^ rowNode {
	case rowTCP:
		label = dissect.AppendFlags(label, r.flags)
		label = append(label, " Seq="...)
		label = strconv.AppendUint(label, uint64(r.seq), 10)
		if r.flags&dissect.FlagACK != 0 {
			label = append(label, " Ack="...)
			label = strconv.AppendUint(label, uint64(r.ack), 10)
		}
		label = append(label, " Len="...)
		label = strconv.AppendUint(label, uint64(r.n), 10)
	case rowUDP:
		label = append(label, "UDP Len="...)
		label = strconv.AppendInt(label, max(int64(r.n)-8, 0), 10)
	default:
		label = append(label, f.labels[r.n]...)
	}
	rel := string(dissect.AppendSeconds(nil, r.rel, f.prec))
	from := int(r.from & rowNode)
	return Row{Frame: int(r.frame), Rel: rel, From: from, To: int(r.to), Label: string(label), Client: from == 0}, label
}

// Render draws conversation i (an index into Conversations) in at most
// width columns, giving emit one line at a time; it stops at emit's
// first error and returns it.
func (f *Flow) Render(i, width int, paint Painter, emit func(string) error) error {
	c := &f.convs[i]
	var w widths
	var scratch []byte
	for j := c.first; j >= 0; j = f.at(j).next {
		var r Row
		r, scratch = f.row(f.at(j), scratch)
		w.add(&r)
	}
	lay := newLayout(c.nodes, nil, w, width, paint)
	if lay == nil {
		return nil
	}
	for _, line := range lay.titles() {
		if err := emit(line); err != nil {
			return err
		}
	}
	for j := c.first; j >= 0; j = f.at(j).next {
		var r Row
		r, scratch = f.row(f.at(j), scratch)
		if err := emit(lay.row(&r)); err != nil {
			return err
		}
	}
	return nil
}

// Len reports how many arrows the flow holds.
func (f *Flow) Len() int { return f.rows }
