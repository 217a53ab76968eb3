package stream

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"wiretutor/engine/packet/dissect"
)

// Chunk is a run of bytes one side sent, in stream order.
type Chunk struct {
	FromClient bool
	Data       []byte
	Frame      int // the frame that completed it
	// Missing, when not zero, says this chunk stands for that many bytes
	// the capture never saw; Data then holds tshark's marker text.
	Missing int
}

// Follower reassembles one TCP stream, as Wireshark's Follow TCP Stream
// does: each side's bytes in sequence order, retransmitted bytes once,
// segments that arrive early held until the gap before them fills.
type Follower struct {
	Stream         int
	Client, Server netip.AddrPort // Client is the first packet's sender
	started        bool
	half           [2]followHalf
	emit           func(Chunk) error
}

type followHalf struct {
	next    uint32
	known   bool
	pending map[uint32][]byte // early segments by raw sequence number
}

// NewFollower follows tcp.stream n, calling emit with each chunk.
func NewFollower(n int, emit func(Chunk) error) *Follower {
	return &Follower{Stream: n, emit: emit}
}

// Add offers a packet; packets of other streams are ignored. The
// packet's payload is copied where it must wait.
func (f *Follower) Add(p *dissect.Packet) error {
	if p.Transport != dissect.TransportTCP || p.TCP.Stream != f.Stream {
		return nil
	}
	src := netip.AddrPortFrom(p.Src, p.SrcPort)
	if !f.started {
		f.started = true
		f.Client, f.Server = src, netip.AddrPortFrom(p.Dst, p.DstPort)
		if p.TCP.Has(dissect.FlagSYN | dissect.FlagACK) {
			f.Client, f.Server = f.Server, f.Client
		}
	}
	dir := 1
	if src == f.Client {
		dir = 0
	}
	h := &f.half[dir]
	seq := p.TCP.SeqRaw
	if p.TCP.Has(dissect.FlagSYN) {
		seq++
	}
	if !h.known {
		h.next, h.known = seq, true
	}
	data := p.Payload
	if len(data) == 0 {
		return nil
	}
	// Bytes already delivered (a retransmission, an overlap) are dropped.
	if d := int32(h.next - seq); d > 0 {
		if int(d) >= len(data) {
			return nil
		}
		data, seq = data[d:], h.next
	}
	if seq != h.next {
		if h.pending == nil {
			h.pending = map[uint32][]byte{}
		}
		if len(h.pending[seq]) < len(data) {
			h.pending[seq] = append([]byte(nil), data...)
		}
		return nil
	}
	if err := f.emit(Chunk{FromClient: dir == 0, Data: data, Frame: p.Number}); err != nil {
		return err
	}
	h.next += uint32(len(data))
	return f.drain(h, dir == 0, p.Number)
}

// drain delivers held segments that now continue the stream.
func (f *Follower) drain(h *followHalf, client bool, frame int) error {
	for len(h.pending) > 0 {
		progressed := false
		for seq, data := range h.pending {
			d := int32(h.next - seq)
			if d < 0 {
				continue
			}
			delete(h.pending, seq)
			progressed = true
			if int(d) < len(data) {
				if err := f.emit(Chunk{FromClient: client, Data: data[d:], Frame: frame}); err != nil {
					return err
				}
				h.next += uint32(len(data) - int(d))
			}
		}
		if !progressed {
			return nil
		}
	}
	return nil
}

// Flush delivers what is still held after the last packet, in sequence
// order, across the gaps (bytes that were never captured).
func (f *Follower) Flush() error {
	for dir := range f.half {
		h := &f.half[dir]
		seqs := make([]uint32, 0, len(h.pending))
		for s := range h.pending {
			seqs = append(seqs, s)
		}
		sort.Slice(seqs, func(i, j int) bool { return int32(seqs[i]-h.next) < int32(seqs[j]-h.next) })
		for _, s := range seqs {
			data := h.pending[s]
			if gap := int32(s - h.next); gap > 0 {
				// tshark writes this marker with its C string terminator.
				marker := fmt.Sprintf("[%d bytes missing in capture file]\x00", gap)
				if err := f.emit(Chunk{FromClient: dir == 0, Data: []byte(marker), Missing: int(gap)}); err != nil {
					return err
				}
			} else if -gap >= int32(len(data)) {
				continue
			} else {
				data = data[-gap:]
			}
			if err := f.emit(Chunk{FromClient: dir == 0, Data: data}); err != nil {
				return err
			}
			h.next = s + uint32(len(h.pending[s]))
		}
		h.pending = nil
	}
	return nil
}

// Printable shows data as UTF-8 text, like Wireshark's Follow TCP Stream
// in its UTF-8 view: control characters other than newlines and tabs,
// and bytes that are not UTF-8, become '.'.
func Printable(b []byte) string {
	var s strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size <= 1:
			s.WriteByte('.')
		case r == '\n' || r == '\t':
			s.WriteRune(r)
		case r == '\r':
		case unicode.IsControl(r):
			s.WriteByte('.')
		default:
			s.WriteRune(r)
		}
		b = b[size:]
	}
	return s.String()
}
