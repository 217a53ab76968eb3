package explorer

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
	"time"

	"wiretutor/engine/packet/dissect"
)

// Stats are what Wireshark's Statistics menu shows of a capture: its
// protocol hierarchy and its TCP and UDP conversations.
type Stats struct {
	Frames    int
	Bytes     int64
	Protocols []Protocol
	Convs     []Conv
}

// Protocol is one line of the protocol hierarchy (tshark -z io,phs):
// the frames that carry a protocol under the protocols above it.
type Protocol struct {
	Name   string // the display-filter name: "tcp"
	Depth  int    // 0 for the link layer
	Frames int
	Bytes  int64
}

// Conv is one TCP or UDP conversation (tshark -z conv,tcp): A is the
// end that sent its first frame.
type Conv struct {
	Proto             string // "tcp" or "udp"
	Stream            int    // tcp.stream or udp.stream
	A, B              netip.AddrPort
	FramesAB, BytesAB int64 // what A sent
	FramesBA, BytesBA int64 // what B sent
	Start, Duration   time.Duration
}

// Statistics reads a whole capture for its Stats.
func Statistics(ctx context.Context, c Capture, progress Progress) (*Stats, error) {
	s := &Stats{}
	at := map[string]int{}   // a protocol path's line
	conv := map[[2]int]int{} // (transport, stream) → its Conv
	var (
		buf   []byte
		parts []part
	)
	det := dissect.Details{Part: func(proto string, at int) { parts = append(parts, part{proto, at}) }}
	err := walk(ctx, c, true, progress, func(p *dissect.Packet) error {
		s.Frames++
		s.Bytes += int64(p.Len)
		parts = parts[:0]
		buf = det.AppendTree(buf[:0], p)
		chain, depth := "", 0
		for _, name := range topProtocols(buf, parts) {
			chain += ":" + name
			i, ok := at[chain]
			if !ok {
				s.Protocols = insertAfter(s.Protocols, at, chain, Protocol{Name: name, Depth: depth})
				i = at[chain]
			}
			s.Protocols[i].Frames++
			s.Protocols[i].Bytes += int64(p.Len)
			depth++
		}
		var key [2]int
		switch p.Transport {
		case dissect.TransportTCP:
			key = [2]int{1, p.TCP.Stream}
		case dissect.TransportUDP:
			key = [2]int{2, p.UDP.Stream}
		default:
			return nil
		}
		src, dst := netip.AddrPortFrom(p.Src, p.SrcPort), netip.AddrPortFrom(p.Dst, p.DstPort)
		i, ok := conv[key]
		if !ok {
			i = len(s.Convs)
			conv[key] = i
			proto := "tcp"
			if key[0] == 2 {
				proto = "udp"
			}
			s.Convs = append(s.Convs, Conv{Proto: proto, Stream: key[1], A: src, B: dst, Start: p.Rel})
		}
		c := &s.Convs[i]
		if src == c.A {
			c.FramesAB++
			c.BytesAB += int64(p.Len)
		} else {
			c.FramesBA++
			c.BytesBA += int64(p.Len)
		}
		c.Duration = p.Rel - c.Start
		return nil
	})
	return s, err
}

// topProtocols names the protocols of a frame's tree's top lines after
// the frame's own, in order: tshark's protocol hierarchy puts each under
// the one before.
func topProtocols(details []byte, parts []part) []string {
	var out []string
	at, k := 0, 0
	for line := range bytes.Lines(details) {
		start := at
		at += len(line)
		for k+1 < len(parts) && parts[k+1].at <= start {
			k++
		}
		if len(line) == 0 || line[0] == ' ' || line[0] == '\n' || k >= len(parts) {
			continue
		}
		switch proto := parts[k].proto; {
		case proto == "frame":
		case proto == "_ws.malformed":
			out = append(out, proto)
		case bytes.HasPrefix(line, []byte("Data (")):
			out = append(out, "data")
		case bytes.HasPrefix(line, []byte("[")):
			// "[3 Reassembled TCP Segments …]" is a field, not a
			// protocol; tshark's hierarchy places it by the order its
			// reassembly added it, which the tree does not keep
		default:
			out = append(out, proto)
		}
	}
	return out
}

// insertAfter places a new protocol line after the last line under its
// parent path, so that the hierarchy reads as a tree, and renumbers at.
func insertAfter(ps []Protocol, at map[string]int, path string, p Protocol) []Protocol {
	parent := path[:strings.LastIndex(path, ":")]
	pos := len(ps)
	if parent != "" {
		pi := at[parent]
		pos = pi + 1
		for pos < len(ps) && ps[pos].Depth > ps[pi].Depth {
			pos++
		}
	}
	ps = append(ps, Protocol{})
	copy(ps[pos+1:], ps[pos:])
	ps[pos] = p
	for k, v := range at {
		if v >= pos && k != path {
			at[k] = v + 1
		}
	}
	at[path] = pos
	return ps
}
