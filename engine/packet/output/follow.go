package output

import (
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
)

// Turn is one run of bytes a side of a followed stream sent, with what a
// view of it needs to draw it.
type Turn struct {
	stream.Chunk
	Client, Server netip.AddrPort // the stream's two ends
	Offset         int            // bytes this side sent before this turn
	First          bool           // the stream's first turn
}

// Follow walks one TCP stream for a view of it: stream.Follower's
// reassembly, each chunk handed on as a Turn. Add the packets, then
// Flush.
type Follow struct {
	fl   *stream.Follower
	draw func(Turn) error
	sent [2]int
}

// NewFollow follows tcp.stream n, calling draw with each turn in order.
func NewFollow(n int, draw func(Turn) error) *Follow {
	f := &Follow{draw: draw}
	f.fl = stream.NewFollower(n, f.turn)
	return f
}

func (f *Follow) turn(c stream.Chunk) error {
	side := 0
	if !c.FromClient {
		side = 1
	}
	t := Turn{Chunk: c, Client: f.fl.Client, Server: f.fl.Server, Offset: f.sent[side], First: f.Bytes() == 0}
	f.sent[side] += len(c.Data)
	return f.draw(t)
}

// Add offers a packet; those of other streams are ignored.
func (f *Follow) Add(p *dissect.Packet) error { return f.fl.Add(p) }

// Flush draws what is still held after the last packet, across the gaps
// the capture never saw.
func (f *Follow) Flush() error { return f.fl.Flush() }

// Bytes counts the bytes drawn so far, both sides together.
func (f *Follow) Bytes() int { return f.sent[0] + f.sent[1] }

// Ends are the stream's client and server, invalid while none of its
// packets came.
func (f *Follow) Ends() (client, server netip.AddrPort) { return f.fl.Client, f.fl.Server }

// Views of `tshark -q -z follow,tcp,VIEW,N`.
const (
	ASCII = "ascii" // printable ASCII, CR and LF kept, other bytes '.'
	Hex   = "hex"   // offset, 16 bytes in hex, the same as ASCII
	Raw   = "raw"   // each turn's bytes as one hex string
)

// followRule frames tshark's follow output.
const followRule = "==================================================================="

// TsharkFollow prints one TCP stream as `tshark -q -z
// follow,tcp,VIEW,N` does: a header naming the stream's ends, each
// turn (the server's indented by a tab), a closing rule. Add the
// packets, then Close. It writes in small pieces: give it a buffered
// writer.
type TsharkFollow struct {
	f    *Follow
	w    io.Writer
	n    int
	view string
}

// NewTsharkFollow prints tcp.stream n to w in view (ASCII, Hex or Raw).
func NewTsharkFollow(w io.Writer, n int, view string) *TsharkFollow {
	t := &TsharkFollow{w: w, n: n, view: view}
	t.f = NewFollow(n, t.draw)
	return t
}

// Add offers a packet; those of other streams are ignored.
func (t *TsharkFollow) Add(p *dissect.Packet) error { return t.f.Add(p) }

func (t *TsharkFollow) header(client, server string) {
	fmt.Fprintf(t.w, "\n%s\nFollow: tcp,%s\nFilter: tcp.stream eq %d\nNode 0: %s\nNode 1: %s\n", followRule, t.view, t.n, client, server)
}

func (t *TsharkFollow) draw(turn Turn) error {
	if turn.First {
		t.header(turn.Client.String(), turn.Server.String())
	}
	indent := ""
	if !turn.FromClient {
		indent = "\t"
	}
	var err error
	switch t.view {
	case Hex:
		err = hexDump(t.w, turn.Data, turn.Offset, indent)
	case Raw:
		_, err = io.WriteString(t.w, indent+hex.EncodeToString(turn.Data)+"\n")
	default:
		fmt.Fprintf(t.w, "%s%d\n", indent, len(turn.Data))
		_, err = t.w.Write(append(asciiOf(turn.Data), '\n'))
	}
	return err
}

// Close draws what the stream still holds, then the header if no turn
// did (with tshark's ":0" ends when no packet of the stream came) and
// the closing rule.
func (t *TsharkFollow) Close() error {
	if err := t.f.Flush(); err != nil {
		return err
	}
	if t.f.Bytes() == 0 {
		client, server := t.f.Ends()
		if client.IsValid() {
			t.header(client.String(), server.String())
		} else {
			t.header(":0", ":0")
		}
	}
	_, err := io.WriteString(t.w, followRule+"\n")
	return err
}

// asciiOf is tshark's ascii view: printable ASCII, CR and LF kept, every
// other byte '.'.
func asciiOf(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f) {
			out[i] = c
		} else {
			out[i] = '.'
		}
	}
	return out
}

// hexDump writes tshark's follow hex lines: indent, the offset, 16 bytes
// in two groups of 8, then the same as ASCII.
func hexDump(w io.Writer, b []byte, offset int, indent string) error {
	for i := 0; i < len(b); i += 16 {
		line := b[i:min(i+16, len(b))]
		var s strings.Builder
		s.WriteString(indent)
		s.WriteString(strings.ToUpper(fmt.Sprintf("%08x", offset+i)))
		s.WriteString("  ")
		for j := 0; j < 16; j++ {
			if j < len(line) {
				s.WriteString(hex.EncodeToString(line[j : j+1]))
				s.WriteByte(' ')
			} else {
				s.WriteString("   ")
			}
			if j == 7 {
				s.WriteByte(' ')
			}
		}
		s.WriteByte(' ')
		for j, c := range line {
			if c >= 0x20 && c < 0x7f {
				s.WriteByte(c)
			} else {
				s.WriteByte('.')
			}
			if j == 7 {
				s.WriteByte(' ')
			}
		}
		// tshark drops one blank a line ends with: the gap after the
		// eighth byte, or else a space byte.
		if _, err := io.WriteString(w, strings.TrimSuffix(s.String(), " ")+"\n"); err != nil {
			return err
		}
	}
	return nil
}
