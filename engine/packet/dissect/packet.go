// Package dissect turns captured frames into Packets that carry what
// Wireshark shows: its field names, its relative sequence numbers, its
// stream indexes and its one-line summary.
//
// A Dissector keeps the state that needs the packets before a frame
// (the first timestamp, each TCP conversation's base sequence numbers and
// window scale), so frames must be given to it in capture order.
//
// Each protocol lives in its own file (ethernet.go, ipv4.go, tcp.go, …):
// where it sits above the layer below, its decoder and the state it
// keeps, its Wireshark fields and its columns, all in one protocol value
// that protocols (protocol.go) lists. The Dissector, Field and Summary
// read that table and nothing else.
package dissect

import (
	"bytes"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Transport names the protocol above IP that a Packet carries.
type Transport uint8

// The transports the dissector understands.
const (
	TransportNone Transport = iota
	TransportTCP
	TransportUDP
	TransportICMP
	TransportICMPv6
)

// String returns Wireshark's name of the transport ("TCP"), or "none".
func (t Transport) String() string {
	switch t {
	case TransportTCP:
		return "TCP"
	case TransportUDP:
		return "UDP"
	case TransportICMP:
		return "ICMP"
	case TransportICMPv6:
		return "ICMPv6"
	}
	return "none"
}

// Packet is one dissected frame. Its fields follow Wireshark's: the
// comment on each names the display-filter field it holds.
type Packet struct {
	Number int           // frame.number, from 1
	Time   time.Time     // frame.time
	Rel    time.Duration // frame.time_relative
	Delta  time.Duration // frame.time_delta: since the frame before
	Iface  int           // frame.interface_id: the pcapng interface
	Len    int           // frame.len: bytes on the wire
	CapLen int           // frame.cap_len: bytes captured

	HasEth  bool
	EthSrc  [6]byte // eth.src
	EthDst  [6]byte // eth.dst
	EthType uint16  // eth.type
	// EthPad is how many bytes at the end of an Ethernet frame follow
	// what the protocol above it says it holds (eth.padding); only ARP
	// sets it yet.
	EthPad int

	HasARP bool
	ARP    ARP // arp.*

	IPVersion  int        // 4 or 6; 0 when the frame carries no IP
	Src, Dst   netip.Addr // ip.src, ip.dst (ipv6.src, ipv6.dst)
	TTL        uint8      // ip.ttl (ipv6.hlim)
	IPID       uint16     // ip.id
	IPLen      uint16     // ip.len (ipv6.plen)
	IPProto    uint8      // ip.proto (ipv6.nxt)
	IPFlags    uint8      // ip.flags
	IPChecksum uint16     // ip.checksum
	IPDSField  uint8      // ip.dsfield
	IPHdrLen   int        // ip.hdr_len: bytes, 20 without options
	IPFragOff  uint16     // ip.frag_offset, in bytes (the field times 8)

	Transport Transport
	SrcPort   uint16 // tcp.srcport or udp.srcport
	DstPort   uint16 // tcp.dstport or udp.dstport

	TCP  TCP
	UDP  UDP
	ICMP ICMP
	HTTP *HTTP // an HTTP message this frame completes (or continues)

	// Inner is the IP packet an ICMP error quotes, dissected as far as
	// the quote goes; nil otherwise. Fields present in both print both,
	// outer first, as tshark does.
	Inner *Packet

	// Payload is the transport payload. It aliases the frame given to
	// Dissect: Clone the packet to keep it past the frame's lifetime.
	Payload []byte

	// Data is the frame's captured bytes, as given to Dissect (aliased
	// in the same way); Layers says where each protocol starts in it.
	Data []byte

	// Malformed names the protocol whose header the frame cuts short
	// ("Ethernet", "IPv4", "IPv6", "TCP", "UDP"), as tshark's
	// "[Malformed Packet: TCP]" does (_ws.malformed); "" for a whole
	// frame. The cut layer sets none of the fields that follow streams:
	// a cut TCP header leaves Transport at TransportNone, so followers
	// and ladders never see half a header. The fields that fit in the
	// captured bytes are set, as tshark shows them.
	Malformed string
	// cut is how many bytes of the Malformed header were captured.
	cut int
	// top is the index in the protocol table of the highest layer
	// decoded, whose Protocol and Info columns Summary shows.
	top uint8
	// layers are the protocols decoded, from the link up, each with the
	// offset in Data where its bytes start; nlayers of them are set.
	layers  [maxLayers]layerAt
	nlayers uint8
}

// maxLayers bounds the protocols one frame stacks (link, IP, transport,
// application): more are not recorded.
const maxLayers = 6

// layerAt is one decoded protocol and where it starts in the frame.
type layerAt struct {
	proto uint8
	off   uint16
}

// Layer is one protocol of a frame and the offset of its first byte.
type Layer struct {
	Proto string // the display-filter name: "eth", "ip", "tcp", …
	Off   int
}

// Layers lists the protocols decoded in the frame, from the link up,
// each with the offset in Data where its header starts.
func (p *Packet) Layers() []Layer {
	out := make([]Layer, 0, p.nlayers)
	for _, l := range p.layers[:p.nlayers] {
		out = append(out, Layer{Proto: table().protos[l.proto].name, Off: int(l.off)})
	}
	return out
}

// LayerOffset is where the named protocol's header starts in Data, and
// whether the frame has it.
func (p *Packet) LayerOffset(proto string) (int, bool) {
	for _, l := range p.layers[:p.nlayers] {
		if table().protos[l.proto].name == proto {
			return int(l.off), true
		}
	}
	return 0, false
}

// LayerBytes is the bytes of the named protocol's header as Wireshark's
// protocol item spans them, which a slice of the protocol (tcp[13],
// eth[0]) reads: from where it starts to where the protocol above it
// starts; for the highest one, its header alone (TCP's and UDP's
// without the payload, ARP's message), else up to the frame's end.
//
// A header the frame cuts short (Malformed) is the bytes captured of it,
// as tshark's item for it spans them.
func (p *Packet) LayerBytes(proto string) ([]byte, bool) {
	for i, l := range p.layers[:p.nlayers] {
		if table().protos[l.proto].name != proto {
			continue
		}
		return p.layerBytes(i)
	}
	if p.Malformed == "" || malformedLayer(p.Malformed) != proto {
		return nil, false
	}
	off := 0
	if p.nlayers > 0 {
		b, _ := p.layerBytes(int(p.nlayers) - 1)
		off = int(p.layers[p.nlayers-1].off) + len(b)
	}
	if off > len(p.Data) {
		return nil, false
	}
	return p.Data[off:min(len(p.Data), off+p.cut)], true
}

// malformedLayer is the display-filter name of the protocol that
// Packet.Malformed names.
func malformedLayer(m string) string {
	switch m {
	case "Ethernet":
		return "eth"
	case "IPv4":
		return "ip"
	case "IPv6":
		return "ipv6"
	case "ARP/RARP":
		return "arp"
	}
	return strings.ToLower(m) // TCP, UDP, SLL, Null
}

// layerBytes is LayerBytes of the i-th layer.
func (p *Packet) layerBytes(i int) ([]byte, bool) {
	l := p.layers[i]
	proto := table().protos[l.proto].name
	off, end := int(l.off), len(p.Data)-p.EthPad
	switch {
	case i+1 < int(p.nlayers):
		end = int(p.layers[i+1].off)
	case p.Malformed != "" && malformedLayer(p.Malformed) == proto:
		end = off + p.cut
	case proto == "tcp":
		end = off + p.TCP.HdrLen
	case proto == "udp":
		end = off + 8
	case proto == "arp":
		end = off + 8 + 2*(int(p.ARP.HwSize)+int(p.ARP.ProtoSize))
	case proto == "ip":
		end = off + p.IPHdrLen
	case proto == "ipv6":
		end = off + 40
	}
	end = min(end, len(p.Data))
	if off > end {
		return nil, false
	}
	return p.Data[off:end], true
}

// Clone returns a copy of p that shares no memory with it: not the
// frame's bytes that Payload aliases, nor the options buffer that the
// Dissector reuses for the next frame, nor the quoted packet or the HTTP
// message.
func (p *Packet) Clone() *Packet {
	c := new(Packet)
	p.cloneTo(c)
	return c
}

// cloneTo sets *c to a deep copy of p.
func (p *Packet) cloneTo(c *Packet) {
	*c = *p
	c.Data = bytes.Clone(p.Data)
	c.Payload = bytes.Clone(p.Payload)
	if p.Data != nil && len(p.Payload) > 0 {
		// The payload is part of the frame: the copy's is part of the copy's.
		if off := cap(p.Data) - cap(p.Payload); off >= 0 && off+len(p.Payload) <= len(p.Data) {
			c.Payload = c.Data[off : off+len(p.Payload) : off+len(p.Payload)]
		}
	}
	c.TCP.Options = cloneOptions(p.TCP.Options)
	if p.HasARP {
		a := &c.ARP
		a.SenderHW, a.SenderProto = bytes.Clone(a.SenderHW), bytes.Clone(a.SenderProto)
		a.TargetHW, a.TargetProto = bytes.Clone(a.TargetHW), bytes.Clone(a.TargetProto)
	}
	if p.Inner != nil {
		c.Inner = p.Inner.Clone()
	}
	if p.HTTP != nil {
		h := *p.HTTP
		h.Headers = slices.Clone(h.Headers)
		h.Body = bytes.Clone(h.Body)
		h.head = bytes.Clone(h.head)
		h.segs = slices.Clone(h.segs)
		c.HTTP = &h
	}
}

// cloneOptions copies TCP options and their SACK blocks; none stays nil.
func cloneOptions(opts []Option) []Option {
	if len(opts) == 0 {
		return nil
	}
	out := slices.Clone(opts)
	for i := range out {
		out[i].Blocks = slices.Clone(out[i].Blocks)
	}
	return out
}
