// Package graph computes the series of Wireshark's TCP Stream Graphs
// from a capture: the time–sequence graph in the style of tcptrace
// (each segment a bar from its first to its last sequence number, the
// acknowledged line and the receive window above it), the throughput
// over time, and the round-trip time against the sequence number.
//
// A Collector is fed the capture's packets in order and keeps what one
// TCP stream's graphs need; Series then picks the direction to draw:
// the one that sent the most payload, or the other when reversed, as
// Wireshark's "Switch Direction" does. Every number is one tshark
// prints for the same frame (frame.time_relative, tcp.seq, tcp.len,
// tcp.ack, tcp.window_size, tcp.options.sack_le and _re,
// tcp.analysis.*), so the graphs can be checked field by field.
//
// The package only computes; engine/text/render draws.
package graph

import (
	"net/netip"
	"time"

	"wiretutor/engine/packet/dissect"
)

// Kind names a graph, as the command line and the lessons spell it.
type Kind string

// The graphs there are.
const (
	TCPTrace   Kind = "tcptrace"   // sequence number against time, Stevens style
	Throughput Kind = "throughput" // bytes per second against time
	RTT        Kind = "rtt"        // round-trip time against sequence number
)

// Kinds lists the graphs in the order help text names them.
func Kinds() []Kind { return []Kind{TCPTrace, Throughput, RTT} }

// seg is what a graph keeps of one segment of the stream.
type seg struct {
	frame    int
	at       time.Duration // frame.time_relative
	fromA    bool          // sent by the stream's first sender
	seq, len uint32        // tcp.seq, tcp.len
	ack      uint32        // tcp.ack; 0 without ACK
	hasAck   bool
	win      int // tcp.window_size
	syn, fin bool
	flags    uint32 // tcp.analysis bits
	frameLen int    // frame.len
	sack     []uint32
}

// Collector gathers one TCP stream's segments from a capture.
type Collector struct {
	stream int
	a, b   netip.AddrPort // the first segment's sender and receiver
	segs   []seg
	bytesA uint64 // payload each way, to pick the data direction
	bytesB uint64
}

// NewCollector returns a Collector of the TCP stream numbered stream
// (tcp.stream).
func NewCollector(stream int) *Collector { return &Collector{stream: stream} }

// Add takes the capture's next packet; packets of other streams, and
// frames that are not TCP, are passed over.
func (c *Collector) Add(p *dissect.Packet) {
	if p.Transport != dissect.TransportTCP || p.TCP.Stream != c.stream {
		return
	}
	src := netip.AddrPortFrom(p.Src, p.SrcPort)
	if len(c.segs) == 0 {
		c.a, c.b = src, netip.AddrPortFrom(p.Dst, p.DstPort)
	}
	t := &p.TCP
	s := seg{
		frame: p.Number, at: p.Rel, fromA: src == c.a,
		seq: t.Seq, len: uint32(t.Len), ack: t.Ack, hasAck: t.Has(dissect.FlagACK),
		win: t.Window, syn: t.Has(dissect.FlagSYN), fin: t.Has(dissect.FlagFIN),
		flags: t.Analysis, frameLen: p.Len,
	}
	for _, o := range t.Options {
		if o.Kind == dissect.OptSACK {
			s.sack = append(s.sack, o.Blocks...)
		}
	}
	if s.fromA {
		c.bytesA += uint64(s.len)
	} else {
		c.bytesB += uint64(s.len)
	}
	c.segs = append(c.segs, s)
}

// Len is how many segments of the stream were seen.
func (c *Collector) Len() int { return len(c.segs) }

// Series is one direction of a stream, ready to graph: the data its
// sender sent and what its receiver answered.
type Series struct {
	Stream           int
	Sender, Receiver netip.AddrPort
	// Start and End bound the stream's frames in time
	// (frame.time_relative of its first and last).
	Start, End time.Duration

	Segments []Segment // the sender's segments that carry data, a SYN or a FIN
	Acks     []Ack     // the receiver's segments that acknowledge
	SACKs    []Block   // the blocks the receiver's SACK options name
	RTTs     []Sample  // one per data segment acknowledged, Karn's rule kept
	sent     []seg     // every segment of the sender, for throughput
}

// Segment is one segment of data: a bar from Seq to Seq+Len (tcp.seq to
// tcp.nxtseq) at its time.
type Segment struct {
	Frame    int
	At       time.Duration
	Seq, End uint32 // tcp.seq and tcp.nxtseq, relative
	// Resent is tcp.analysis.retransmission (a retransmission, fast or
	// spurious).
	Resent bool
	SYN    bool
	FIN    bool
}

// Ack is one acknowledgement of the receiver: the ACK line steps to Ack
// at its time, and the window line to Ack+Window.
type Ack struct {
	Frame  int
	At     time.Duration
	Ack    uint32 // tcp.ack
	Window int    // tcp.window_size
	// Zero is tcp.analysis.zero_window: the receiver has no room.
	Zero bool
}

// Block is one SACK block, tcp.options.sack_le to tcp.options.sack_re.
type Block struct {
	Frame  int
	At     time.Duration
	Le, Re uint32
}

// Sample is one round trip: the data segment starting at Seq, sent in
// frame Frame, and the first ACK that covered it all, Acked.
type Sample struct {
	Frame, Acked int
	Seq          uint32
	RTT          time.Duration
}

const resent = dissect.AnalysisRetransmission | dissect.AnalysisFastRetransmission | dissect.AnalysisSpuriousRetransmission

// Series returns the direction that sent the most payload (on a tie, the
// first sender's), or the other one when reverse is set; ok is false when
// the stream was never seen.
func (c *Collector) Series(reverse bool) (s *Series, ok bool) {
	if len(c.segs) == 0 {
		return nil, false
	}
	fromA := c.bytesA >= c.bytesB
	if reverse {
		fromA = !fromA
	}
	s = &Series{Stream: c.stream, Start: c.segs[0].at, End: c.segs[len(c.segs)-1].at}
	var unacked []seg // data sent, not yet covered by an ACK
	for _, g := range c.segs {
		if g.fromA != fromA {
			if !g.hasAck {
				continue
			}
			s.Acks = append(s.Acks, Ack{Frame: g.frame, At: g.at, Ack: g.ack, Window: g.win, Zero: g.flags&dissect.AnalysisZeroWindow != 0})
			for i := 0; i+1 < len(g.sack); i += 2 {
				s.SACKs = append(s.SACKs, Block{Frame: g.frame, At: g.at, Le: g.sack[i], Re: g.sack[i+1]})
			}
			n := 0
			for _, u := range unacked {
				if int32(g.ack-(u.seq+u.len)) >= 0 {
					s.RTTs = append(s.RTTs, Sample{Frame: u.frame, Acked: g.frame, Seq: u.seq, RTT: g.at - u.at})
					continue
				}
				unacked[n] = u
				n++
			}
			unacked = unacked[:n]
			continue
		}
		s.sent = append(s.sent, g)
		if g.len == 0 && !g.syn && !g.fin {
			continue
		}
		end := g.seq + g.len
		if g.syn || g.fin {
			end++
		}
		s.Segments = append(s.Segments, Segment{Frame: g.frame, At: g.at, Seq: g.seq, End: end, Resent: g.flags&resent != 0, SYN: g.syn, FIN: g.fin})
		if g.len == 0 {
			continue
		}
		if g.flags&resent != 0 {
			// Karn's rule: a resent segment's ACK could answer either copy,
			// so neither copy is timed.
			n := 0
			for _, u := range unacked {
				if u.seq != g.seq {
					unacked[n] = u
					n++
				}
			}
			unacked = unacked[:n]
			continue
		}
		unacked = append(unacked, g)
	}
	s.Sender, s.Receiver = c.a, c.b
	if !fromA {
		s.Sender, s.Receiver = c.b, c.a
	}
	return s, true
}

// Bin is one interval of a throughput graph.
type Bin struct {
	From, To time.Duration
	// Bytes counts the sender's frames whole (frame.len), as
	// Wireshark's throughput does; Goodput only the payload that was new,
	// not resent.
	Bytes, Goodput int
}

// Rate is the bin's throughput in bytes per second; goodput the same of
// its new payload.
func (b Bin) Rate() (throughput, goodput float64) {
	d := (b.To - b.From).Seconds()
	if d <= 0 {
		return 0, 0
	}
	return float64(b.Bytes) / d, float64(b.Goodput) / d
}

// Throughput splits the series' time, from its first frame to its last,
// into n equal bins and counts what the sender sent in each; a frame
// exactly on the end falls in the last bin. n below 1 is taken as 1.
func (s *Series) Throughput(n int) []Bin {
	n = max(n, 1)
	bins := make([]Bin, n)
	span := s.End - s.Start
	for i := range bins {
		bins[i].From = s.Start + span*time.Duration(i)/time.Duration(n)
		bins[i].To = s.Start + span*time.Duration(i+1)/time.Duration(n)
	}
	var high uint32 // the highest sequence number sent so far
	started := false
	for _, g := range s.sent {
		i := n - 1
		if span > 0 {
			i = min(int(int64(g.at-s.Start)*int64(n)/int64(span)), n-1)
		}
		bins[i].Bytes += g.frameLen
		end := g.seq + g.len
		if !started {
			high, started = g.seq, true
		}
		if int32(end-high) > 0 {
			if int32(g.seq-high) >= 0 {
				bins[i].Goodput += int(g.len)
			} else {
				bins[i].Goodput += int(end - high)
			}
			high = end
		}
	}
	return bins
}
