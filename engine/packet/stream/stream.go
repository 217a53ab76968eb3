// Package stream follows conversations through a capture: which TCP
// connections there are, who opened each, and the ladder diagram that
// Wireshark calls a Flow Graph.
package stream

import (
	"net/netip"

	"wiretutor/engine/packet/dissect"
)

// Endpoint is one side of a conversation.
type Endpoint = netip.AddrPort

// Conn is one TCP connection (a tcp.stream) seen in a capture.
type Conn struct {
	Stream int
	Client Endpoint // the side that sent the first SYN, else the first sender
	Server Endpoint
	Frames []int // indexes into the packet slice, in order

	SYN, SYNACK, HandshakeACK int // packet indexes; -1 when not seen
	FirstFIN                  int // index of the first FIN, -1 when none
	RST                       int // index of the first RST, -1 when none
}

// FromClient reports whether p was sent by the connection's client.
func (c *Conn) FromClient(p *dissect.Packet) bool {
	return netip.AddrPortFrom(p.Src, p.SrcPort) == c.Client
}

// TCPConns lists the TCP connections in pkts by stream index.
func TCPConns(pkts []dissect.Packet) []*Conn {
	var conns []*Conn
	byStream := map[int]*Conn{}
	for i := range pkts {
		p := &pkts[i]
		if p.Transport != dissect.TransportTCP {
			continue
		}
		src, dst := netip.AddrPortFrom(p.Src, p.SrcPort), netip.AddrPortFrom(p.Dst, p.DstPort)
		c := byStream[p.TCP.Stream]
		if c == nil {
			c = &Conn{Stream: p.TCP.Stream, Client: src, Server: dst, SYN: -1, SYNACK: -1, HandshakeACK: -1, FirstFIN: -1, RST: -1}
			if p.TCP.Flags&(dissect.FlagSYN|dissect.FlagACK) == dissect.FlagSYN|dissect.FlagACK {
				c.Client, c.Server = dst, src // we came in after the SYN
			}
			byStream[p.TCP.Stream] = c
			conns = append(conns, c)
		}
		c.Frames = append(c.Frames, i)
		t := &p.TCP
		switch {
		case t.Has(dissect.FlagSYN) && !t.Has(dissect.FlagACK) && c.SYN < 0:
			c.SYN = i
			c.Client, c.Server = src, dst
		case t.Has(dissect.FlagSYN|dissect.FlagACK) && c.SYNACK < 0:
			c.SYNACK = i
		case t.Flags&(dissect.FlagSYN|dissect.FlagFIN|dissect.FlagRST) == 0 && t.Has(dissect.FlagACK) &&
			c.SYNACK >= 0 && c.HandshakeACK < 0 && src == c.Client:
			c.HandshakeACK = i
		}
		if t.Has(dissect.FlagFIN) && c.FirstFIN < 0 {
			c.FirstFIN = i
		}
		if t.Has(dissect.FlagRST) && c.RST < 0 {
			c.RST = i
		}
	}
	return conns
}
