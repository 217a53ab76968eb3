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

	"github.com/gopacket/gopacket/layers"
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
	// EthTail is how many bytes at the end of an Ethernet frame follow
	// what the protocol above it (ARP, IPv4, IPv6) says it holds:
	// padding, a trailer, a frame check sequence (eth.padding,
	// eth.trailer, eth.fcs; see EthTrailer).
	EthTail int

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
	NDMP *NDMP // what tshark's NDMP dissector made of a segment on port 10000

	// Inner is the IP packet an ICMP error quotes, dissected as far as
	// the quote goes; nil otherwise. Fields present in both print both,
	// outer first, as tshark does.
	Inner *Packet

	// Payload is the transport payload. It aliases the frame given to
	// Dissect: Clone the packet to keep it past the frame's lifetime.
	Payload []byte

	// Link is the frame's link type: the capture's, or in a pcapng file
	// that of the frame's interface.
	Link layers.LinkType

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
	if p.noItem(proto) {
		return nil, false
	}
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

// ProtocolLength is how many bytes the named protocol's item spans, as
// a display filter's len() measures it: LayerBytes' length, but for a
// header the frame cuts short the length tshark gave the item before it
// read on: an IPv4 header's IHL, IPv6's 40 bytes, UDP's 8 once its ports
// were captured.
func (p *Packet) ProtocolLength(proto string) (int, bool) {
	b, ok := p.LayerBytes(proto)
	if !ok || p.Malformed == "" || malformedLayer(p.Malformed) != proto {
		return len(b), ok
	}
	switch proto {
	case "ip":
		return p.IPHdrLen, p.cut >= 1
	case "ipv6":
		return 40, true
	case "udp", "tcp":
		if p.cut < 4 {
			return 0, false
		}
		if proto == "udp" {
			return 8, true
		}
	}
	return len(b), ok
}

// ProtocolBytes is what a display filter's contains and matches search
// when given the named protocol (tcp contains "hello"): as Wireshark's
// protocol value, its bytes from where it starts to the end of the data
// it was handed, which is more than its header: TCP's and UDP's
// payload, everything an IP packet carries (up to its total length,
// without the Ethernet padding), the whole frame for a link layer. A
// message HTTP gathered from several segments is its reassembled bytes.
func (p *Packet) ProtocolBytes(proto string) ([]byte, bool) {
	if p.noItem(proto) {
		return nil, false
	}
	if proto == "http" && p.HTTP != nil && !p.HTTP.Partial {
		if b := p.HTTP.Reassembled(); b != nil {
			return b, true
		}
	}
	end := len(p.Data)
	for i, l := range p.layers[:p.nlayers] {
		name := table().protos[l.proto].name
		off := int(l.off)
		switch name {
		case "ip":
			if p.IPLen != 0 { // 0: a segmentation offload's, no length
				end = min(end, off+int(p.IPLen))
			}
		case "ipv6":
			end = min(end, off+40+int(p.IPLen))
		case "udp":
			if p.UDP.Length != 0 {
				end = min(end, off+int(p.UDP.Length))
			}
		}
		if name != proto {
			continue
		}
		if off > end {
			// A length field that claims less than the header: the
			// header is what there is.
			return p.layerBytes(i)
		}
		return p.Data[off:end], true
	}
	if p.Malformed != "" && malformedLayer(p.Malformed) == proto {
		return p.LayerBytes(proto)
	}
	return nil, false
}

// noItem reports a protocol that is in the frame without bytes of its
// own: tshark adds no Ethernet item for a frame shorter than its header.
func (p *Packet) noItem(proto string) bool {
	return proto == "eth" && p.Malformed == "Ethernet"
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
	off, end := int(l.off), len(p.Data)-p.EthTail
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
