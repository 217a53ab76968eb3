package quiz

import (
	"encoding/binary"
	"fmt"
	"strings"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/icmp"
)

// The headers lesson's questions read a frame's IPv4, TCP and UDP
// headers byte by byte. A question about bytes names them by their
// offsets in the frame, in hex as Wireshark's bytes pane counts them
// (the first byte is 0x00), and gives them as the pane shows them, two
// hex digits a byte: "bytes 0x30–0x31 of frame 4 read 02 00". What is
// asked is never among the bytes as it is asked (a length in decimal,
// a flag by name, a checksum worked out): the learner reads, converts
// and adds. The predictions come first, from the rules the text gave.
//
// The frames: the client's first data segment (its headers, its
// window), the connection's SYN (a header with more options), its
// first FIN (its flags, and its IPv4 header for the checksum on paper),
// the server's first data segment (a TTL), and the client's datagrams.

// Offsets of the fields the questions read, from the start of their
// header.
const (
	ipFlagsAt    = 6  // flags and fragment offset, two bytes
	ipTTLAt      = 8  // time to live
	ipProtoAt    = 9  // protocol
	ipChecksumAt = 10 // header checksum, two bytes
	ipIDAt       = 4  // identification, two bytes
	tcpOffsetAt  = 12 // data offset and flags, two bytes
	tcpWindowAt  = 14 // window, two bytes
	tcpSumAt     = 16 // checksum then urgent pointer, two bytes each
	tcpFixed     = 20 // a TCP header without options
	udpHeader    = 8  // a UDP header: four fields of two bytes
)

// header returns n bytes of p's frame from byte from of the header of
// proto (ip, tcp, udp), and where in the frame they start; false when
// the frame lacks the header, cuts it short or is not IPv4.
func header(p *dissect.Packet, proto string, from, n int) ([]byte, int, bool) {
	if p.IPVersion != 4 || p.Malformed != "" {
		return nil, 0, false
	}
	off, ok := p.LayerOffset(proto)
	if !ok || off+from+n > len(p.Data) {
		return nil, 0, false
	}
	at := off + from
	return p.Data[at : at+n], at, true
}

// ipHeader is p's whole IPv4 header and where it starts.
func ipHeader(p *dissect.Packet) ([]byte, int, bool) {
	return header(p, "ip", 0, p.IPHdrLen)
}

// HexBytes writes bytes as Wireshark's bytes pane does: two lower-case
// hex digits a byte, a blank between bytes.
func HexBytes(b []byte) string {
	var s strings.Builder
	for i, c := range b {
		if i > 0 {
			s.WriteByte(' ')
		}
		fmt.Fprintf(&s, "%02x", c)
	}
	return s.String()
}

// hexOffset writes an offset in the frame as the bytes pane numbers it.
func hexOffset(n int) string { return fmt.Sprintf("0x%02x", n) }

// bytesData is the template data of a question about the bytes b,
// which start at byte at of p's frame: Frame, From and To (the first
// and last byte's offsets) and Bytes.
func bytesData(p *dissect.Packet, at int, b []byte) map[string]any {
	return map[string]any{"Frame": p.Number, "From": hexOffset(at), "To": hexOffset(at + len(b) - 1), "Bytes": HexBytes(b)}
}

// headerQuestion is FieldQuestion with the question's own clue
// (quiz.ID.clue) where ui.toml has one: a question about bytes says
// where in the header to look, which the packet list does not show.
func headerQuestion(kind string, p *dissect.Packet, field, answer string, tx Texts, id string, d map[string]any) *Question {
	q := FieldQuestion(kind, p, field, answer, tx, id, d)
	if l, ok := tx.(Lookup); ok && l.Has("quiz."+id+".clue") {
		q.Clue = tx.T("quiz."+id+".clue", d)
	}
	return q
}

// connPacket is the packet at index i of the capture, when i names one
// (not -1) and it is IPv4.
func connPacket(c *Capture, i int) (*dissect.Packet, bool) {
	if i < 0 || c.Packets[i].IPVersion != 4 || c.Packets[i].Malformed != "" {
		return nil, false
	}
	return c.pkt(i), true
}

// clientData is the client's first data segment on the lesson's
// connection.
func clientData(c *Capture) (*dissect.Packet, bool) {
	if c.Conn == nil {
		return nil, false
	}
	return connPacket(c, firstData(c, true))
}

// onlyTimestamps reports whether a TCP header's options are two NOPs
// and the timestamps, as on every segment after a handshake that
// agreed on them (Linux's and gVisor's): 12 bytes.
func onlyTimestamps(t *dissect.TCP) bool {
	// The dissector keeps no NOP: what is left is the timestamps, in a
	// header 12 bytes longer than the fixed one.
	return len(t.Options) == 1 && t.Options[0].Kind == dissect.OptTimestamp && t.HdrLen == tcpFixed+12
}

// HeadersIPHdrLen asks, before the capture is shown, how long the
// IPv4 header of the client's data segment is (ip.hdr_len): IHL counts
// 4-byte words, and a header without options has five.
func HeadersIPHdrLen(c *Capture, tx Texts) (*Question, bool) {
	p, ok := clientData(c)
	if !ok {
		return nil, false
	}
	d := map[string]any{"Frame": p.Number, "Text": string(p.Payload), "Len": p.TCP.Len,
		"HdrLen": p.IPHdrLen, "Words": p.IPHdrLen / 4, "First": fmt.Sprintf("%x%x", p.IPVersion, p.IPHdrLen/4)}
	return FieldQuestion("headers-ip-hdr-len", p, "ip.hdr_len", KindNumber, tx, "headers_ip_hdr_len", d), true
}

// HeadersTCPHdrLen asks how long the TCP header of the client's data
// segment is (tcp.hdr_len): 20 bytes and the timestamp option's 12.
// Only a segment whose options are the timestamps alone is asked about:
// that is what the question says it carries.
func HeadersTCPHdrLen(c *Capture, tx Texts) (*Question, bool) {
	p, ok := clientData(c)
	if !ok || !onlyTimestamps(&p.TCP) {
		return nil, false
	}
	d := map[string]any{"Frame": p.Number, "HdrLen": p.TCP.HdrLen, "Options": p.TCP.HdrLen - tcpFixed, "Words": p.TCP.HdrLen / 4}
	return FieldQuestion("headers-tcp-hdr-len", p, "tcp.hdr_len", KindNumber, tx, "headers_tcp_hdr_len", d), true
}

// HeadersIPLen asks for the IPv4 total length of the client's data
// segment (ip.len): both headers and the data.
func HeadersIPLen(c *Capture, tx Texts) (*Question, bool) {
	p, ok := clientData(c)
	if !ok {
		return nil, false
	}
	d := map[string]any{"Frame": p.Number, "Text": string(p.Payload), "Len": p.TCP.Len,
		"IPHdrLen": p.IPHdrLen, "TCPHdrLen": p.TCP.HdrLen, "IPLen": p.IPLen}
	return FieldQuestion("headers-ip-len", p, "ip.len", KindNumber, tx, "headers_ip_len", d), true
}

// tcpOffsetData is the template data of a question about the two bytes
// that hold a TCP header's data offset and flags.
func tcpOffsetData(p *dissect.Packet) (map[string]any, bool) {
	b, at, ok := header(p, "tcp", tcpOffsetAt, 2)
	if !ok {
		return nil, false
	}
	d := bytesData(p, at, b)
	d["Nibble"] = fmt.Sprintf("%x", b[0]>>4)
	d["Words"] = int(b[0] >> 4)
	d["HdrLen"] = p.TCP.HdrLen
	d["Options"] = p.TCP.HdrLen - tcpFixed
	d["Low"] = fmt.Sprintf("%02x", b[1])
	d["Bits"] = fmt.Sprintf("%04b %04b", b[1]>>4, b[1]&0xf)
	return d, true
}

// HeadersSYNHdrLen points at the data offset of the connection's SYN
// and asks how long its header is (tcp.hdr_len): the upper four bits of
// the byte count 4-byte words.
func HeadersSYNHdrLen(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil {
		return nil, false
	}
	p, ok := connPacket(c, c.Conn.SYN)
	if !ok {
		return nil, false
	}
	d, ok := tcpOffsetData(p)
	if !ok {
		return nil, false
	}
	return headerQuestion("headers-syn-hdr-len", p, "tcp.hdr_len", KindNumber, tx, "headers_syn_hdr_len", d), true
}

// flagSum writes the bits of flags as a sum of their values, each with
// its name: "0x010 (ACK) + 0x001 (FIN)", the highest first.
func flagSum(flags dissect.TCPFlags) string {
	var parts []string
	for bit := dissect.FlagNS; bit != 0; bit >>= 1 {
		if flags.Has(bit) {
			parts = append(parts, fmt.Sprintf("0x%03x (%s)", uint16(bit), FlagsText(bit)))
		}
	}
	return strings.Join(parts, " + ")
}

// HeadersTCPFlags points at the flag bits of the connection's first FIN
// and asks which flags they set (tcp.flags).
func HeadersTCPFlags(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil {
		return nil, false
	}
	p, ok := connPacket(c, c.Conn.FirstFIN)
	if !ok {
		return nil, false
	}
	d, ok := tcpOffsetData(p)
	if !ok {
		return nil, false
	}
	d["Sum"] = flagSum(p.TCP.Flags)
	d["Hex"] = fmt.Sprintf("0x%04x", uint16(p.TCP.Flags))
	return headerQuestion("headers-tcp-flags", p, "tcp.flags", KindFlags, tx, "headers_tcp_flags", d), true
}

// HeadersWindowRaw points at the window field of the client's data
// segment and asks for it in decimal (tcp.window_size_value), as it is
// in the header, not scaled.
func HeadersWindowRaw(c *Capture, tx Texts) (*Question, bool) {
	p, ok := clientData(c)
	if !ok {
		return nil, false
	}
	b, at, ok := header(p, "tcp", tcpWindowAt, 2)
	if !ok {
		return nil, false
	}
	d := bytesData(p, at, b)
	d["Hi"], d["Lo"], d["Raw"] = int(b[0]), int(b[1]), p.TCP.WindowRaw
	d["Hex"] = fmt.Sprintf("0x%02x%02x", b[0], b[1])
	return headerQuestion("headers-window-raw", p, "tcp.window_size_value", KindNumber, tx, "headers_window_raw", d), true
}

// HeadersWindowScaled gives the window field of the client's data
// segment and the shift count its SYN announced, and asks for the
// window Wireshark shows (tcp.window_size): the field times 2 to the
// shift. Where the handshake agreed on no scaling there is nothing to
// work out.
func HeadersWindowScaled(c *Capture, tx Texts) (*Question, bool) {
	p, ok := clientData(c)
	if !ok || p.TCP.ScaleShift < 0 {
		return nil, false
	}
	syn, ok := connPacket(c, c.Conn.SYN)
	if !ok {
		return nil, false
	}
	shift := p.TCP.ScaleShift
	d := map[string]any{"Frame": p.Number, "SynFrame": syn.Number, "Raw": p.TCP.WindowRaw, "Shift": shift,
		"Mult": dissect.WSMultiplier(uint32(shift)), "Window": p.TCP.Window}
	return headerQuestion("headers-window-scaled", p, "tcp.window_size", KindNumber, tx, "headers_window_scaled", d), true
}

// ipData is the template data of a question about a whole IPv4
// header, with At, AtTo and Hex naming the n bytes at offset field of
// the header: where they are in the frame, and their value in hex.
func ipData(p *dissect.Packet, field, n int) (map[string]any, bool) {
	b, at, ok := ipHeader(p)
	if !ok || len(b) < field+n {
		return nil, false
	}
	d := bytesData(p, at, b)
	d["At"], d["AtTo"] = hexOffset(at+field), hexOffset(at+field+n-1)
	d["Hex"] = fmt.Sprintf("%x", b[field:field+n])
	return d, true
}

// HeadersIPID gives the IPv4 header of the client's data segment and
// asks for its identification (ip.id), in hex as tshark prints it.
func HeadersIPID(c *Capture, tx Texts) (*Question, bool) {
	p, ok := clientData(c)
	if !ok {
		return nil, false
	}
	d, ok := ipData(p, ipIDAt, 2)
	if !ok {
		return nil, false
	}
	d["ID"] = fmt.Sprintf("0x%04x", p.IPID)
	return headerQuestion("headers-ip-id", p, "ip.id", KindHex, tx, "headers_ip_id", d), true
}

// HeadersIPDF points at the flags and fragment offset of the client's
// data segment and asks whether DF, don't fragment, is set
// (ip.flags.df): the second of the three bits.
func HeadersIPDF(c *Capture, tx Texts) (*Question, bool) {
	p, ok := clientData(c)
	if !ok {
		return nil, false
	}
	b, at, ok := header(p, "ip", ipFlagsAt, 2)
	if !ok {
		return nil, false
	}
	v := binary.BigEndian.Uint16(b)
	d := bytesData(p, at, b)
	d["Bits"] = fmt.Sprintf("%03b %013b", v>>13, v&0x1fff)
	d["DF"], d["MF"], d["Offset"] = v>>14&1, v>>13&1, v&0x1fff
	return headerQuestion("headers-ip-df", p, "ip.flags.df", KindNumber, tx, "headers_ip_df", d), true
}

// HeadersTTL gives the IPv4 header of the server's first data segment
// and asks for its time to live (ip.ttl), in decimal.
func HeadersTTL(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil {
		return nil, false
	}
	p, ok := connPacket(c, firstData(c, false))
	if !ok {
		return nil, false
	}
	d, ok := ipData(p, ipTTLAt, 1)
	if !ok {
		return nil, false
	}
	d["TTL"] = p.TTL
	return headerQuestion("headers-ip-ttl", p, "ip.ttl", KindNumber, tx, "headers_ip_ttl", d), true
}

// Checksum is the Internet checksum (RFC 1071) of b worked out the way
// the lesson does it on paper: the 16-bit words added up (Sum), the
// carries above 16 bits added back in until none is left (Folded), and
// every bit inverted (Checksum).
type Checksum struct {
	Sum, Folded uint32
	Checksum    uint16
}

// InternetChecksum works out the checksum of b, an even number of
// bytes whose checksum field is zero.
func InternetChecksum(b []byte) Checksum {
	sum := icmp.Sum(b)
	folded := icmp.Fold(sum)
	return Checksum{Sum: sum, Folded: uint32(folded), Checksum: ^folded}
}

// words writes b as 16-bit words in hex, as the lesson adds them.
func words(b []byte) string {
	var s []string
	for i := 0; i+1 < len(b); i += 2 {
		s = append(s, fmt.Sprintf("%04x", binary.BigEndian.Uint16(b[i:])))
	}
	return strings.Join(s, " ")
}

// HeadersIPChecksum gives the IPv4 header of the connection's first FIN
// as 16-bit words with its checksum field zero, and asks for the header
// checksum worked out on paper (ip.checksum). A header whose checksum
// is not the one the words give (a damaged frame) is not asked about.
func HeadersIPChecksum(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil {
		return nil, false
	}
	p, ok := connPacket(c, c.Conn.FirstFIN)
	if !ok {
		return nil, false
	}
	b, _, ok := ipHeader(p)
	if !ok || len(b) < ipChecksumAt+2 {
		return nil, false
	}
	zeroed := append([]byte(nil), b...)
	zeroed[ipChecksumAt], zeroed[ipChecksumAt+1] = 0, 0
	sum := InternetChecksum(zeroed)
	if sum.Checksum != p.IPChecksum {
		return nil, false
	}
	d := map[string]any{"Frame": p.Number, "Words": words(zeroed),
		"Sum": fmt.Sprintf("%04x", sum.Sum), "Carry": sum.Sum > 0xffff, "Folded": fmt.Sprintf("%04x", sum.Folded),
		"Checksum": fmt.Sprintf("%04x", sum.Checksum)}
	return headerQuestion("headers-ip-checksum", p, "ip.checksum", KindHex, tx, "headers_ip_checksum", d), true
}

// HeadersUrgent points at the last four bytes of the fixed TCP header
// of the client's data segment, the checksum and the urgent pointer,
// and asks for the urgent pointer (tcp.urgent_pointer).
func HeadersUrgent(c *Capture, tx Texts) (*Question, bool) {
	p, ok := clientData(c)
	if !ok {
		return nil, false
	}
	b, at, ok := header(p, "tcp", tcpSumAt, 4)
	if !ok {
		return nil, false
	}
	d := bytesData(p, at, b)
	d["URG"], d["Urgent"] = p.TCP.Has(dissect.FlagURG), p.TCP.Urgent
	d["Checksum"] = fmt.Sprintf("0x%04x", p.TCP.Checksum)
	return headerQuestion("headers-urgent", p, "tcp.urgent_pointer", KindNumber, tx, "headers_urgent", d), true
}

// clientDatagrams are the indexes of the datagrams with data that the
// capture's first such datagram's sender sent from the same port.
func clientDatagrams(c *Capture) []int {
	var out []int
	for i := range c.Packets {
		p := &c.Packets[i]
		if p.Transport != dissect.TransportUDP || len(p.Payload) == 0 || p.IPVersion != 4 || p.Malformed != "" {
			continue
		}
		if len(out) > 0 {
			if first := &c.Packets[out[0]]; p.Src != first.Src || p.SrcPort != first.SrcPort {
				continue
			}
		}
		out = append(out, i)
	}
	return out
}

// HeadersIPProto gives the IPv4 header of the client's first datagram
// and asks which protocol it names (ip.proto), in decimal.
func HeadersIPProto(c *Capture, tx Texts) (*Question, bool) {
	ds := clientDatagrams(c)
	if len(ds) == 0 {
		return nil, false
	}
	p := c.pkt(ds[0])
	d, ok := ipData(p, ipProtoAt, 1)
	if !ok {
		return nil, false
	}
	d["Proto"] = p.IPProto
	return headerQuestion("headers-ip-proto", p, "ip.proto", KindNumber, tx, "headers_ip_proto", d), true
}

// HeadersUDPLength gives the UDP header of the client's last datagram
// (the second, where it sent two: the first one's length the IPv4
// header of HeadersIPProto gives away) and asks for its length
// (udp.length), in decimal.
func HeadersUDPLength(c *Capture, tx Texts) (*Question, bool) {
	ds := clientDatagrams(c)
	if len(ds) == 0 {
		return nil, false
	}
	p := c.pkt(ds[len(ds)-1])
	b, at, ok := header(p, "udp", 0, udpHeader)
	if !ok {
		return nil, false
	}
	d := bytesData(p, at, b)
	d["LenFrom"], d["LenTo"] = hexOffset(at+4), hexOffset(at+5)
	d["Text"], d["Payload"], d["Length"] = string(p.Payload), len(p.Payload), p.UDP.Length
	d["Hex"] = fmt.Sprintf("0x%02x%02x", b[4], b[5])
	return headerQuestion("headers-udp-length", p, "udp.length", KindNumber, tx, "headers_udp_length", d), true
}
