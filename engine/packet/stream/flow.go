package stream

import (
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
	chunks [][]arrow // in capture order, in chunks that never move
	rows   int
	others []string // the labels of arrows that are neither TCP nor UDP
}

// flowChunk is how many arrows a chunk holds: growing the store
// allocates a chunk and never copies the arrows before it.
const flowChunk = 1 << 14

// flowConv is one conversation: its two columns, and the first and last
// of its rows, which link to each other in capture order.
type flowConv struct {
	key         Conversation
	nodes       []string
	first, last int32
}

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
	r := newArrow(p, &f.others)
	r.from |= c.node(src)
	r.to = c.node(dst)
	i := int32(f.rows)
	if f.rows%flowChunk == 0 {
		f.chunks = append(f.chunks, make([]arrow, 0, flowChunk))
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

// at returns arrow i.
func (f *Flow) at(i int32) *arrow { return &f.chunks[i/flowChunk][i%flowChunk] }

// node returns the column of an endpoint, adding it when new. A
// conversation has two endpoints; one talking to itself is drawn twice.
func (c *flowConv) node(n string) uint8 {
	for i, x := range c.nodes {
		if x == n {
			return uint8(i)
		}
	}
	if len(c.nodes) == arrowNode {
		return arrowNode - 1 // cannot happen: TCP, UDP and IP pairs have two ends
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

// Render draws conversation i (an index into Conversations) in at most
// width columns, giving emit one line at a time; it stops at emit's
// first error and returns it.
func (f *Flow) Render(i, width int, paint Painter, emit func(string) error) error {
	c := &f.convs[i]
	rows := func(yield func(*Row) bool) {
		for j := c.first; j >= 0; j = f.at(j).next {
			a := f.at(j)
			r := a.row(int(a.from&arrowNode), int(a.to), f.prec, f.others)
			if !yield(&r) {
				return
			}
		}
	}
	return draw(c.nodes, nil, rows, width, paint, emit)
}

// Len reports how many arrows the flow holds.
func (f *Flow) Len() int { return f.rows }
