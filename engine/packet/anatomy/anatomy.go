// Package anatomy lists the header fields of a dissected frame as
// spans of its bytes: each with Wireshark's field name (ip.hdr_len,
// tcp.flags.syn, tcp.options.mss_val, …), the byte offset in the frame
// where it starts, its length, the bits it holds when it holds part of
// a byte, and its value exactly as tshark -T fields -e NAME prints it.
// It reads the IPv4, IPv6, TCP, UDP, ICMP and ICMPv6 headers; a field
// whose bytes the capture cut short is left out, as tshark leaves it.
package anatomy

import (
	"slices"

	"wiretutor/engine/packet/dissect"
)

// Field is one header field of a frame.
type Field struct {
	// Name is tshark's field name: "ip.ttl".
	Name string
	// Off is the offset of its first byte in the frame (Packet.Data);
	// Len is how many bytes it spans.
	Off, Len int
	// Mask is the bits of those bytes, read as one big-endian number,
	// that the field holds: 0x0f of one byte for ip.hdr_len. 0 means
	// every bit.
	Mask uint64
	// Value is what tshark -T fields -e Name prints for it.
	Value string
	// Depth is 0 for a field of the header, 1 for a part of the field
	// at depth 0 before it (a flag of tcp.flags, an option of
	// tcp.options), 2 for a part of that (an option's kind).
	Depth int
}

// Header is one protocol's header in a frame and its fields.
type Header struct {
	// Layer is the protocol's display-filter name: "ip", "tcp".
	Layer string
	// Off is where the header starts in the frame; Len how many of its
	// bytes the frame holds (fewer than the header's size when the
	// capture cut it).
	Off, Len int
	Fields   []Field
}

// Layers are the protocols whose headers Headers reads, in the order
// they stack.
func Layers() []string { return []string{"ip", "ipv6", "tcp", "udp", "icmp", "icmpv6"} }

// readers read each layer's header, by name.
func readers() map[string]func(*reader) {
	return map[string]func(*reader){
		"ip": readIPv4, "ipv6": readIPv6, "tcp": readTCP,
		"udp": readUDP, "icmp": readICMP, "icmpv6": readICMPv6,
	}
}

// Headers lists the headers of the frame among layers (every one of
// Layers when none is named), from the link up. A layer the frame lacks
// is left out.
func Headers(p *dissect.Packet, layers ...string) []Header {
	if len(layers) == 0 {
		layers = Layers()
	}
	read := readers()
	var out []Header
	for _, l := range p.Layers() {
		fn, ok := read[l.Proto]
		if !ok || !slices.Contains(layers, l.Proto) || l.Off < 0 || l.Off > len(p.Data) {
			continue
		}
		r := &reader{p: p, b: p.Data[l.Off:], base: l.Off}
		fn(r)
		out = append(out, Header{Layer: l.Proto, Off: l.Off, Len: min(r.size, len(r.b)), Fields: r.out})
	}
	return out
}

// Fields lists the fields of the frame's headers among layers, as
// Headers does, in one list.
func Fields(p *dissect.Packet, layers ...string) []Field {
	var out []Field
	for _, h := range Headers(p, layers...) {
		out = append(out, h.Fields...)
	}
	return out
}
