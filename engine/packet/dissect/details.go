package dissect

import (
	"bytes"
	"strconv"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// Details writes the packet details pane: the protocol tree that
// `tshark -V` prints, line for line, for the protocols the dissector
// decodes. It keeps what the tree needs of the frames shown before
// (the previous displayed frame's time), so one Details serves one
// pass over a capture, its packets given in order, from a Dissector
// that keeps details (KeepDetails, ScanDetailed).
type Details struct {
	// Link is the capture's link type, for the frame's encapsulation.
	Link layers.LinkType
	// Interface names a pcapng interface by its index; nil for a pcap
	// file, whose frames name none.
	Interface func(index int) string
	// Only, when not empty, lists the protocols shown in full (tshark
	// -O): the others show their top line alone.
	Only []string
	// HexData dumps a payload the dissector leaves as "data" in hex, as
	// tshark does under -V unless -x dumps the whole frame.
	HexData bool

	// Part, when set, is told where each protocol's part of the tree
	// starts: its display-filter name ("frame", "eth", "ip", …, "data",
	// "_ws.malformed") and the offset in the buffer of its first line.
	Part func(proto string, at int)

	prevShown time.Time
	shown     bool
	iface     int
}

// tree writes the lines of one frame's details, each indented four
// spaces per level.
type tree struct {
	b     []byte
	depth int
}

// start begins a line at the current depth.
func (t *tree) start() *tree {
	for range t.depth {
		t.b = append(t.b, "    "...)
	}
	return t
}

// s appends text to the line.
func (t *tree) s(x string) *tree { t.b = append(t.b, x...); return t }

// u appends a number in decimal.
func (t *tree) u(v uint64) *tree { t.b = strconv.AppendUint(t.b, v, 10); return t }

// i appends a signed number in decimal.
func (t *tree) i(v int) *tree { t.b = strconv.AppendInt(t.b, int64(v), 10); return t }

// x appends v in hex with 0x and width digits.
func (t *tree) x(v uint64, width int) *tree {
	t.b = append(t.b, "0x"...)
	t.b = appendHex(t.b, v, width)
	return t
}

// secs appends a duration as tshark's seconds with nine decimals.
func (t *tree) secs(d time.Duration) *tree {
	t.b = appendSeconds(t.b, d, 9)
	t.b = append(t.b, " seconds"...)
	return t
}

// end ends the line.
func (t *tree) end() { t.b = append(t.b, '\n') }

// line writes a whole line of text.
func (t *tree) line(x string) { t.start().s(x).end() }

// in and out enter and leave a subtree.
func (t *tree) in()  { t.depth++ }
func (t *tree) out() { t.depth-- }

// bits appends a bit field as tshark draws it: width bits of v, the
// bits outside mask as dots, a space every four, then " = ".
func (t *tree) bits(v, mask uint64, width int) *tree {
	var out [64 + 16 + 3]byte
	n := 0
	for i := width - 1; i >= 0; i-- {
		c := byte('.')
		if mask>>i&1 == 1 {
			c = '0' + byte(v>>i&1)
		}
		out[n] = c
		n++
		if i > 0 && i%4 == 0 {
			out[n] = ' '
			n++
		}
	}
	out[n], out[n+1], out[n+2] = ' ', '=', ' '
	t.b = append(t.b, out[:n+3]...)
	return t
}

// flag writes one bit of a flags field: "..1. = Syn: Set".
func (t *tree) flag(v, mask uint64, width int, name string) {
	t.start().bits(v, mask, width).s(name)
	if v&mask != 0 {
		t.s(": Set").end()
		return
	}
	t.s(": Not set").end()
}

// expert writes an expert item: its line and the three that tshark
// nests under it.
func (t *tree) expert(severity, group, text string) {
	t.start().s("[Expert Info (").s(severity).s("/").s(group).s("): ").s(text).s("]").end()
	t.in()
	t.start().s("[").s(text).s("]").end()
	t.start().s("[Severity level: ").s(severity).s("]").end()
	t.start().s("[Group: ").s(group).s("]").end()
	t.out()
}

// Follow tells d which frame was displayed before the next one it
// writes, for a tree written out of order (an explorer's selected
// frame): shown says one was, at time prev; otherwise none was, and
// the next frame's "[Time delta from previous displayed frame]" is 0.
func (d *Details) Follow(prev time.Time, shown bool) { d.prevShown, d.shown = prev, shown }

// Append appends p's details to buf, ending with the blank line tshark
// prints after each frame.
func (d *Details) Append(buf []byte, p *Packet) []byte {
	return append(d.AppendTree(buf, p), '\n')
}

// AppendTree is Append without the blank line: the tree's lines alone,
// for a printer that places the blank line itself (after a hex dump).
func (d *Details) AppendTree(buf []byte, p *Packet) []byte {
	t := &tree{b: buf}
	d.part("frame", t)
	d.frame(t, p)
	d.shown, d.prevShown = true, p.Time
	r := table()
	for _, l := range p.layers[:p.nlayers] {
		pr := &r.protos[l.proto]
		if pr.details == nil {
			continue
		}
		mark := len(t.b)
		if pr.name != "" {
			d.part(pr.name, t)
		} else {
			d.part(pr.listed, t) // a link layer with no filter name: "sll", "null"
		}
		pr.details(t, p, p.Data[l.off:], d)
		if !d.full(pr.name) {
			t.b = collapse(t.b, mark)
		} else if len(d.Only) > 0 {
			t.b = d.collapseOthers(t.b, mark)
		}
	}
	if p.Transport != TransportICMP && p.Transport != TransportICMPv6 {
		mark := len(t.b)
		// TCP's reassembly of what it shows as Data: a tree of no
		// protocol's, which -O shows collapsed whatever it names.
		ndmpDataDetails(t, p)
		if len(d.Only) > 0 {
			t.b = collapse(t.b, mark)
		}
		mark = len(t.b)
		d.part("data", t)
		d.data(t, p) // ICMP's details place the data they carry themselves
		if !d.full("data") {
			t.b = collapse(t.b, mark)
		}
	}
	if p.Malformed != "" {
		mark := len(t.b)
		d.part("_ws.malformed", t)
		t.start().s("[Malformed Packet: ").s(p.Malformed).s("]").end()
		t.in()
		t.expert("Error", "Malformed", "Malformed Packet (Exception occurred)")
		t.out()
		if !d.full("_ws.malformed") {
			t.b = collapse(t.b, mark)
		}
	}
	return t.b
}

// part tells Part, if set, that proto's lines start here.
func (d *Details) part(proto string, t *tree) {
	if d.Part != nil {
		d.Part(proto, len(t.b))
	}
}

// full reports whether a protocol's subtree is shown.
func (d *Details) full(proto string) bool {
	if len(d.Only) == 0 {
		return true
	}
	for _, o := range d.Only {
		if o == proto {
			return true
		}
	}
	return false
}

// collapse keeps of the lines written since mark only the top lines,
// those at no indent, as tshark -O shows a protocol it does not expand:
// a hex dump of data and its blank line go too.
func collapse(b []byte, mark int) []byte {
	out := b[:mark]
	for rest := b[mark:]; len(rest) > 0; {
		nl := indexByte(rest, '\n')
		if nl < 0 {
			nl = len(rest) - 1
		}
		line := rest[:nl+1]
		rest = rest[nl+1:]
		if len(line) > 1 && line[0] != ' ' && !isHexRow(line) {
			out = append(out, line...)
		}
	}
	return out
}

// collapseOthers collapses, in the lines one protocol's details wrote
// since mark, the top-level blocks that belong to another protocol
// under -O: TCP's reassembly block before HTTP, and the Data after an
// ICMP error's quote.
func (d *Details) collapseOthers(b []byte, mark int) []byte {
	owner := func(line []byte) string {
		switch {
		case bytes.HasPrefix(line, []byte("Data (")):
			return "data"
		case bytes.HasPrefix(line, []byte("[")) && bytes.Contains(line, []byte(" Reassembled TCP Segments (")):
			return "tcp"
		}
		return ""
	}
	out := b[:mark]
	var block []byte
	var who string
	flush := func() {
		if who != "" && !d.full(who) {
			out = collapse(append(out, block...), len(out))
		} else {
			out = append(out, block...)
		}
		block = block[:0]
	}
	rest := bytes.Clone(b[mark:])
	for len(rest) > 0 {
		nl := indexByte(rest, '\n')
		if nl < 0 {
			nl = len(rest) - 1
		}
		line := rest[:nl+1]
		rest = rest[nl+1:]
		if len(line) > 1 && line[0] != ' ' && !isHexRow(line) {
			flush()
			who = owner(line)
		}
		block = append(block, line...)
	}
	flush()
	return out
}

// isHexRow reports whether a line is a row of a hex dump ("0000  68 65").
func isHexRow(line []byte) bool {
	if len(line) < 6 || line[4] != ' ' || line[5] != ' ' {
		return false
	}
	for _, c := range line[:4] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// encapsulation is Wireshark's name and number (WTAP_ENCAP_*) of a link
// type.
func encapsulation(link layers.LinkType) (string, int) {
	switch link {
	case layers.LinkTypeEthernet:
		return "Ethernet", 1
	case layers.LinkTypeLinuxSLL:
		return "Linux cooked-mode capture v1", 25
	case layers.LinkType(276):
		return "Linux cooked-mode capture v2", 210
	case layers.LinkTypeNull:
		return "NULL/Loopback", 15
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, linkTypeDLTRaw12, linkTypeDLTRaw14:
		return "Raw IP", 7
	}
	return "Unknown", 0
}

// frame writes the frame's own tree.
func (d *Details) frame(t *tree, p *Packet) {
	t.start().s("Frame ").i(p.Number).s(": ").i(p.Len).s(" bytes on wire (").i(p.Len * 8).s(" bits), ").
		i(p.CapLen).s(" bytes captured (").i(p.CapLen * 8).s(" bits)")
	name := ""
	if d.Interface != nil {
		name = d.Interface(p.Iface)
		t.s(" on interface ").s(name).s(", id ").i(p.Iface)
	}
	t.end()
	mark := len(t.b)
	t.in()
	if d.Interface != nil {
		t.line("Section number: 1")
		t.start().s("Interface id: ").i(p.Iface).s(" (").s(name).s(")").end()
		t.in()
		t.start().s("Interface name: ").s(name).end()
		t.out()
	}
	link := d.Link
	if p.Link != 0 {
		link = p.Link // the frame's own interface's
	}
	en, num := encapsulation(link)
	t.start().s("Encapsulation type: ").s(en).s(" (").i(num).s(")").end()
	t.start().s("Arrival Time: ")
	t.b = p.Time.Local().AppendFormat(t.b, "Jan _2, 2006 15:04:05.000000000 MST")
	t.end()
	t.line("[Time shift for this packet: 0.000000000 seconds]")
	t.start().s("Epoch Time: ")
	t.b = appendSeconds(t.b, time.Duration(p.Time.UnixNano()), 9)
	t.s(" seconds").end()
	t.start().s("[Time delta from previous captured frame: ").secs(p.Delta).s("]").end()
	var shown time.Duration
	if d.shown {
		shown = p.Time.Sub(d.prevShown)
	}
	t.start().s("[Time delta from previous displayed frame: ").secs(shown).s("]").end()
	t.start().s("[Time since reference or first frame: ").secs(p.Rel).s("]").end()
	t.start().s("Frame Number: ").i(p.Number).end()
	t.start().s("Frame Length: ").i(p.Len).s(" bytes (").i(p.Len * 8).s(" bits)").end()
	t.start().s("Capture Length: ").i(p.CapLen).s(" bytes (").i(p.CapLen * 8).s(" bits)").end()
	t.line("[Frame is marked: False]")
	t.line("[Frame is ignored: False]")
	t.start().s("[Protocols in frame: ")
	t.b = appendProtocols(t.b, p)
	t.s("]").end()
	t.out()
	if !d.full("frame") {
		t.b = t.b[:mark]
	}
}

// AppendProtocols appends frame.protocols: the protocols of the frame,
// from the link up, joined by colons, as tshark names them.
func AppendProtocols(buf []byte, p *Packet) []byte { return appendProtocols(buf, p) }

// appendProtocols writes frame.protocols: the protocols of the frame,
// from the link up, as tshark names them.
func appendProtocols(buf []byte, p *Packet) []byte {
	r := table()
	for i, l := range p.layers[:p.nlayers] {
		if i > 0 {
			buf = append(buf, ':')
		}
		pr := &r.protos[l.proto]
		if pr.name == "" {
			buf = append(buf, pr.listed...)
		} else {
			buf = append(buf, pr.name...)
		}
		if pr.ethertype && p.Malformed != pr.column(p) {
			buf = append(buf, ":ethertype"...)
		}
	}
	if p.Inner != nil {
		buf = appendProtocols(append(buf, ':'), p.Inner)
		return buf
	}
	if hasPayload(p) {
		buf = append(buf, ":data"...)
	}
	return buf
}
