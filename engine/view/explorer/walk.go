package explorer

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"slices"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/packet/graph"
	"wiretutor/engine/packet/output"
	"wiretutor/engine/packet/stream"
)

// Progress is told now and then how many bytes of the file a walk has
// read, of how many.
type Progress func(read, total int64)

// walk dissects every frame of a capture in order, calling fn with each
// (valid during the call), until the end, fn's error or ctx's end.
// details keeps what packet details and tracked fields need.
func walk(ctx context.Context, c Capture, details bool, progress Progress, fn func(p *dissect.Packet) error) error {
	f, err := c.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	d, err := dissect.New(f.LinkType())
	if err != nil {
		return err
	}
	if details {
		d.KeepDetails()
	}
	var p dissect.Packet
	for n := 1; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if progress != nil {
				progress(f.Progress())
			}
		}
		data, ci, err := f.ReadPacketData()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err == nil {
			err = d.Dissect(data, ci, &p)
		}
		if err == nil {
			err = fn(&p)
		}
		if err != nil {
			return err
		}
	}
}

// Select lists the numbers of the frames of a capture that df selects,
// as tshark -r FILE -Y does, among its first upTo frames (all of them
// when upTo < 0).
func Select(ctx context.Context, c Capture, df *filter.Display, upTo int, progress Progress) ([]int, error) {
	var out []int
	err := walk(ctx, c, df.Tracked(), progress, func(p *dissect.Packet) error {
		if upTo >= 0 && p.Number > upTo {
			return errStop
		}
		if df.Match(p) {
			out = append(out, p.Number)
		}
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return out, err
}

// MaxLadder bounds the packets a ladder draws: a longer conversation
// shows its first ones.
const MaxLadder = 2000

// Ladder is the flow diagram of the conversation frame n belongs to, as
// Wireshark's Flow Graph of it; false when the frame is in none.
func Ladder(ctx context.Context, c Capture, n int, progress Progress) (*stream.Ladder, bool, error) {
	var (
		conv  stream.Conversation
		found bool
		pkts  []*dissect.Packet
		prec  = 6
	)
	if f, err := c.Open(); err == nil {
		prec = f.Precision()
		f.Close()
	}
	// The frame's conversation is known only at the frame, and its
	// earlier packets are before it: one pass finds the conversation,
	// a second keeps its packets.
	err := walk(ctx, c, false, progress, func(p *dissect.Packet) error {
		if p.Number == n {
			conv, found = stream.ConversationOf(p), true
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) || !found || conv.Proto == "" {
		return nil, false, err
	}
	err = walk(ctx, c, false, progress, func(p *dissect.Packet) error {
		if stream.ConversationOf(p) == conv {
			pkts = append(pkts, p.Clone())
			if len(pkts) == MaxLadder {
				return errStop
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, false, err
	}
	return stream.NewLadder(pkts, prec), true, nil
}

// errStop ends a walk early, not as a failure.
var errStop = errors.New("stop")

// Follow is the stream frame n belongs to, as Wireshark's Follow TCP
// Stream or Follow UDP Stream shows it: each turn of bytes a side sent,
// in order (for UDP, each datagram's payload), the client being the side
// that sent first. proto is "tcp" or "udp", "" for a frame of neither.
func Follow(ctx context.Context, c Capture, n int, progress Progress) (turns []output.Turn, proto string, err error) {
	tr, idx, err := streamOf(ctx, c, n, progress)
	switch {
	case err != nil:
		return nil, "", err
	case tr == dissect.TransportUDP:
		turns, err = followUDP(ctx, c, idx, progress)
		return turns, "udp", err
	case tr != dissect.TransportTCP:
		return nil, "", nil
	}
	fl := output.NewFollow(idx, func(t output.Turn) error {
		t.Data = slices.Clone(t.Data)
		turns = append(turns, t)
		return nil
	})
	err = walk(ctx, c, false, progress, fl.Add)
	if err == nil {
		err = fl.Flush()
	}
	return turns, "tcp", err
}

// followUDP is the datagrams of udp.stream idx, one turn each.
func followUDP(ctx context.Context, c Capture, idx int, progress Progress) ([]output.Turn, error) {
	var (
		turns          []output.Turn
		client, server netip.AddrPort
		sent           [2]int // bytes the client (0) and the server (1) sent before
	)
	err := walk(ctx, c, false, progress, func(p *dissect.Packet) error {
		if p.Transport != dissect.TransportUDP || p.UDP.Stream != idx {
			return nil
		}
		src := netip.AddrPortFrom(p.Src, p.SrcPort)
		if len(turns) == 0 {
			client, server = src, netip.AddrPortFrom(p.Dst, p.DstPort)
		}
		side := 0
		if src != client {
			side = 1
		}
		turns = append(turns, output.Turn{
			Chunk:  stream.Chunk{FromClient: side == 0, Data: slices.Clone(p.Payload), Frame: p.Number},
			Client: client, Server: server, Offset: sent[side], First: len(turns) == 0,
		})
		sent[side] += len(p.Payload)
		return nil
	})
	return turns, err
}

// Graph gathers what the TCP Stream Graphs draw of the stream frame n
// belongs to; false when the frame is not TCP.
func Graph(ctx context.Context, c Capture, n int, progress Progress) (*graph.Collector, bool, error) {
	tr, idx, err := streamOf(ctx, c, n, progress)
	if err != nil || tr != dissect.TransportTCP {
		return nil, false, err
	}
	col := graph.NewCollector(idx)
	err = walk(ctx, c, false, progress, func(p *dissect.Packet) error {
		col.Add(p)
		return nil
	})
	return col, true, err
}

// streamOf is frame n's transport and its stream index (tcp.stream or
// udp.stream); TransportNone for a frame of no stream.
func streamOf(ctx context.Context, c Capture, n int, progress Progress) (dissect.Transport, int, error) {
	tr, idx := dissect.TransportNone, -1
	err := walk(ctx, c, false, progress, func(p *dissect.Packet) error {
		if p.Number != n {
			return nil
		}
		switch p.Transport {
		case dissect.TransportTCP:
			tr, idx = p.Transport, p.TCP.Stream
		case dissect.TransportUDP:
			tr, idx = p.Transport, p.UDP.Stream
		}
		return errStop
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return tr, idx, err
}
