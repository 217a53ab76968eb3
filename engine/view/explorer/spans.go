package explorer

import (
	"bytes"
	"strings"

	"wiretutor/engine/packet/anatomy"
	"wiretutor/engine/packet/dissect"
)

// part is where a protocol's lines start in a frame's details text.
type part struct {
	proto string
	at    int
}

// fieldOf names the header field that a line of a protocol's subtree
// shows, by the line's label: what anatomy finds the bytes of.
var fieldOf = map[string]map[string]string{
	"ip": {
		"Version": "ip.version", "Header Length": "ip.hdr_len",
		"Differentiated Services Field": "ip.dsfield", "Differentiated Services Codepoint": "ip.dsfield.dscp",
		"Explicit Congestion Notification": "ip.dsfield.ecn", "Total Length": "ip.len",
		"Identification": "ip.id", "Flags": "ip.flags", "Reserved bit": "ip.flags.rb",
		"Don't fragment": "ip.flags.df", "More fragments": "ip.flags.mf", "Fragment Offset": "ip.frag_offset",
		"Time to Live": "ip.ttl", "Protocol": "ip.proto", "Header Checksum": "ip.checksum",
		"Source Address": "ip.src", "Destination Address": "ip.dst",
	},
	"ipv6": {
		"Version": "ipv6.version", "Traffic Class": "ipv6.tclass",
		"Differentiated Services Codepoint": "ipv6.tclass.dscp", "Explicit Congestion Notification": "ipv6.tclass.ecn",
		"Flow Label": "ipv6.flow", "Payload Length": "ipv6.plen", "Next Header": "ipv6.nxt",
		"Hop Limit": "ipv6.hlim", "Source Address": "ipv6.src", "Destination Address": "ipv6.dst",
	},
	"tcp": {
		"Source Port": "tcp.srcport", "Destination Port": "tcp.dstport",
		"Sequence Number": "tcp.seq", "Sequence Number (raw)": "tcp.seq_raw",
		"Acknowledgment Number": "tcp.ack", "Acknowledgment number (raw)": "tcp.ack_raw",
		"Header Length": "tcp.hdr_len", "Flags": "tcp.flags",
		"Reserved": "tcp.flags.res", "Accurate ECN": "tcp.flags.ae", "Congestion Window Reduced": "tcp.flags.cwr",
		"ECN-Echo": "tcp.flags.ece", "Urgent": "tcp.flags.urg", "Acknowledgment": "tcp.flags.ack",
		"Push": "tcp.flags.push", "Reset": "tcp.flags.reset", "Syn": "tcp.flags.syn", "Fin": "tcp.flags.fin",
		"Window": "tcp.window_size_value", "Checksum": "tcp.checksum", "Urgent Pointer": "tcp.urgent_pointer",
		"Options": "tcp.options", "Kind": "tcp.option_kind", "Length": "tcp.option_len",
		"MSS Value": "tcp.options.mss_val", "Shift count": "tcp.options.wscale.shift",
		"Timestamp value": "tcp.options.timestamp.tsval", "Timestamp echo reply": "tcp.options.timestamp.tsecr",
		"left edge": "tcp.options.sack_le", "right edge": "tcp.options.sack_re",
	},
	"udp": {
		"Source Port": "udp.srcport", "Destination Port": "udp.dstport",
		"Length": "udp.length", "Checksum": "udp.checksum",
	},
	"icmp": {
		"Type": "icmp.type", "Code": "icmp.code", "Checksum": "icmp.checksum",
		"Identifier (BE)": "icmp.ident", "Identifier (LE)": "icmp.ident",
		"Sequence Number (BE)": "icmp.seq", "Sequence Number (LE)": "icmp.seq",
		"Unused": "icmp.unused", "MTU of next hop": "icmp.mtu",
	},
	"icmpv6": {
		"Type": "icmpv6.type", "Code": "icmpv6.code", "Checksum": "icmpv6.checksum",
		"Identifier": "icmpv6.echo.identifier", "Sequence": "icmpv6.echo.sequence_number",
		"Reserved": "icmpv6.reserved",
	},
}

// ethSpans are the bytes of an Ethernet header's lines, from its start.
var ethSpans = map[string][2]int{"Destination": {0, 6}, "Source": {6, 6}, "Type": {12, 2}}

// twice are the fields two lines show alike: ICMP's identifier and
// sequence number, read big- and little-endian.
var twice = map[string]bool{"icmp.ident": true, "icmp.seq": true}

// locate gives each line of t its key and its bytes in p, parts saying
// which protocol wrote which lines.
func locate(t *Tree, p *dissect.Packet, parts []part, starts []int) {
	headers := map[string][]anatomy.Field{}
	for _, h := range anatomy.Headers(p) {
		if _, seen := headers[h.Layer]; !seen {
			headers[h.Layer] = h.Fields
		}
	}
	used := map[string]int{} // fields of a name given to lines so far
	options := 0             // TCP options given to lines so far
	// A message several segments carried is shown from its reassembled
	// bytes, which this frame does not hold: its lines have none here.
	reassembled := false
	k := 0
	for i := range t.Nodes {
		n := &t.Nodes[i]
		for k+1 < len(parts) && parts[k+1].at <= starts[i] {
			k++
		}
		proto := ""
		if k < len(parts) {
			proto = parts[k].proto
		}
		if n.Depth == 0 && strings.HasPrefix(n.Text, "Data (") {
			proto = "data" // ICMP writes the data it carries itself
		}
		if n.Depth == 0 {
			n.Key = proto
			if strings.HasPrefix(n.Text, "[") && strings.Contains(n.Text, "Reassembled TCP Segments") {
				reassembled = true
				n.Key = proto + "/segments"
				continue
			}
			if reassembled && carried(proto) {
				continue
			}
			n.Off, n.Len = layerSpan(p, proto)
			n.Own = n.Len > 0
			used, options = map[string]int{}, 0
			continue
		}
		parent := &t.Nodes[n.Parent]
		lab := label(n.Text)
		n.Key = parent.Key + "/" + lab
		if strings.HasPrefix(n.Text, "[") {
			continue // worked out, not read from bytes
		}
		if reassembled && carried(proto) || parent.Len == 0 {
			continue
		}
		n.Off, n.Len = parent.Off, parent.Len
		switch {
		case proto == "eth" && n.Depth == 1:
			if s, ok := ethSpans[lab]; ok {
				l, _ := p.LayerOffset("eth")
				n.Off, n.Len, n.Own = l+s[0], s[1], true
			}
		case proto == "eth" && (lab == "LG bit" || lab == "IG bit"):
			n.Len, n.Own = 3, parent.Own // Wireshark's bits of an address span three bytes
		case proto == "tcp" && strings.HasPrefix(lab, "TCP Option - "):
			fs := headers["tcp"]
			seen := 0
			for _, f := range fs {
				if f.Depth == 1 && strings.HasPrefix(f.Name, "tcp.options.") {
					if seen == options {
						n.Off, n.Len, n.Own = f.Off, f.Len, true
						break
					}
					seen++
				}
			}
			options++
		default:
			name, ok := fieldOf[proto][lab]
			if !ok || n.Depth > 3 {
				break
			}
			want := used[name]
			if twice[name] {
				want /= 2
			}
			used[name]++
			if strings.HasPrefix(name, "ipv6.tclass") {
				// Wireshark's traffic class fields are bits of the first
				// four bytes
				n.Off, n.Len, n.Own = parent.Off, 4, true
				break
			}
			seen := 0
			for _, f := range headers[proto] {
				if f.Name != name {
					continue
				}
				if seen == want {
					n.Off, n.Len, n.Own = f.Off, f.Len, true
					break
				}
				seen++
			}
		}
	}
}

// carried says whether proto is of the message TCP carries (HTTP and
// its body, NDMP, or the Data no protocol took), which may be
// reassembled from several segments.
func carried(proto string) bool {
	switch proto {
	case "http", "json", "data-text-lines", "media", "ndmp", "data":
		return true
	}
	return false
}

// layerSpan is the bytes a protocol's top line tells of: the whole
// frame for the frame, the header for a protocol with one, the payload
// for what it carries.
func layerSpan(p *dissect.Packet, proto string) (off, n int) {
	switch proto {
	case "frame":
		return 0, len(p.Data)
	case "data":
		if p.Inner != nil && len(p.Inner.Payload) > 0 {
			// the data after the header an ICMP error quotes
			if off := cap(p.Data) - cap(p.Inner.Payload); off >= 0 && off+len(p.Inner.Payload) <= len(p.Data) {
				return off, len(p.Inner.Payload)
			}
		}
		if len(p.Payload) == 0 {
			return 0, 0
		}
		return payloadOffset(p), len(p.Payload)
	case "http", "json", "data-text-lines", "media":
		if len(p.Payload) == 0 {
			return 0, 0
		}
		off, n := payloadOffset(p), len(p.Payload)
		if p.HTTP == nil || len(p.HTTP.Body) == 0 || !bytes.HasSuffix(p.Payload, p.HTTP.Body) {
			return off, n
		}
		head := n - len(p.HTTP.Body)
		if proto == "http" {
			return off, head
		}
		return off + head, len(p.HTTP.Body)
	case "_ws.malformed", "":
		return 0, 0
	}
	b, ok := p.LayerBytes(proto)
	if !ok || len(b) == 0 {
		return 0, 0
	}
	off, _ = p.LayerOffset(proto)
	return off, len(b)
}

// payloadOffset is where the payload starts in the frame: the payload
// is a slice of the frame's bytes, which ends where theirs does.
func payloadOffset(p *dissect.Packet) int {
	if off := cap(p.Data) - cap(p.Payload); off >= 0 && off+len(p.Payload) <= len(p.Data) {
		return off
	}
	return len(p.Data) - len(p.Payload)
}
