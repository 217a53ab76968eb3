package stream

import (
	"iter"
	"net/netip"
	"strconv"
	"strings"

	"github.com/clipperhouse/displaywidth"

	"wiretutor/engine/packet/dissect"
)

// Ladder is a flow diagram: one column per endpoint, one arrow per
// packet, time down the left and the frame number on the right.
type Ladder struct {
	Nodes []string // column titles, left to right
	Roles []string // optional second title line ("client", "server")
	Rows  []Row
}

// Row is one arrow.
type Row struct {
	Frame    int
	Rel      string // relative time, as the packet list shows it
	From, To int    // node indexes
	Label    string
	Short    string // Label without what matters least (TCP's Len=), for a narrow ladder; "": Label
	Client   bool   // sent by the first node (the client), for colour
}

// Label is what a ladder arrow says about a packet: the flags, Seq, Ack
// and Len for TCP, the length for UDP, the type for ICMP.
func Label(p *dissect.Packet) string {
	var others []string
	r := newArrow(p, &others)
	return string(r.appendLabel(nil, others))
}

// otherLabel is the label of an arrow that is neither TCP nor UDP: the
// Info column, else the protocol.
func otherLabel(p *dissect.Packet) string {
	b := dissect.AppendInfo(nil, p)
	if len(b) == 0 {
		b = append(b, dissect.Protocol(p)...)
	}
	return string(b)
}

func node(p *dissect.Packet, src bool) string {
	a, port := p.Dst, p.DstPort
	if src {
		a, port = p.Src, p.SrcPort
	}
	if p.Transport == dissect.TransportTCP || p.Transport == dissect.TransportUDP {
		return netip.AddrPortFrom(a, port).String()
	}
	return a.String()
}

// NewLadder builds the diagram of pkts, their times shown with prec
// decimals. Nodes appear in the order they first send or receive; the
// first sender of a SYN is put first so a connection reads client →
// server.
func NewLadder(pkts []*dissect.Packet, prec int) *Ladder {
	l := &Ladder{}
	index := map[string]int{}
	add := func(n string) int {
		if i, ok := index[n]; ok {
			return i
		}
		index[n] = len(l.Nodes)
		l.Nodes = append(l.Nodes, n)
		return len(l.Nodes) - 1
	}
	var others []string
	for _, p := range pkts {
		src, dst, ok := ends(p)
		if !ok {
			continue
		}
		from, to := add(src), add(dst)
		a := newArrow(p, &others)
		l.Rows = append(l.Rows, a.row(from, to, prec, others))
	}
	return l
}

// ends names the two columns an arrow for p joins, sender first; ok is
// false for a packet that belongs to no conversation (no IP addresses, or
// headers the frame cuts short). A host talking to itself (ping
// 127.0.0.1) is drawn twice, requests going right and answers coming
// back.
func ends(p *dissect.Packet) (src, dst string, ok bool) {
	if p.IPVersion == 0 || p.Malformed != "" || !p.Src.IsValid() || !p.Dst.IsValid() {
		return "", "", false
	}
	src, dst = node(p, true), node(p, false)
	if src == dst {
		if answer(p) {
			src += selfMark
		} else {
			dst += selfMark
		}
	}
	return src, dst, true
}

// selfMark tells the second column of a host talking to itself from the
// first; Render does not print it.
const selfMark = "\x00"

// answer reports whether p answers another packet: an echo reply or an
// ICMP error.
func answer(p *dissect.Packet) bool {
	return p.Transport == dissect.TransportICMP && (p.ICMP.Type == 0 || p.ICMP.Type == 3 || p.ICMP.Type == 11)
}

// Conversation names the conversation a packet belongs to, for grouping
// a capture into one ladder each: TCP and UDP by stream index, other IP
// traffic by its address pair.
type Conversation struct {
	Proto  string // "tcp", "udp" or "ip"
	Stream int    // tcp.stream or udp.stream; -1 for "ip"
	A, B   netip.Addr
}

// ConversationOf returns p's conversation.
func ConversationOf(p *dissect.Packet) Conversation {
	switch p.Transport {
	case dissect.TransportTCP:
		return Conversation{Proto: "tcp", Stream: p.TCP.Stream}
	case dissect.TransportUDP:
		return Conversation{Proto: "udp", Stream: p.UDP.Stream}
	}
	a, b := p.Src, p.Dst
	if b.Less(a) {
		a, b = b, a
	}
	return Conversation{Proto: "ip", Stream: -1, A: a, B: b}
}

// Painter colours text; nil paints nothing.
type Painter func(client bool, s string) string

// Render draws the ladder in at most width columns. A ladder too wide
// for them drops what matters least first: the time column, then TCP's
// Len=; only then are labels cut, so flags, Seq and Ack stay longest.
func (l *Ladder) Render(width int, paint Painter) []string {
	var out []string
	rows := func(yield func(*Row) bool) {
		for i := range l.Rows {
			if !yield(&l.Rows[i]) {
				return
			}
		}
	}
	draw(l.Nodes, l.Roles, rows, width, paint, func(line string) error {
		out = append(out, line)
		return nil
	})
	return out
}

// draw lays out a ladder of the given columns and draws it, giving emit
// one line at a time; it goes through rows twice, to measure, then to
// draw. It stops at emit's first error and returns it.
func draw(nodes, roles []string, rows iter.Seq[*Row], width int, paint Painter, emit func(string) error) error {
	var w widths
	for r := range rows {
		w.add(r)
	}
	lay := newLayout(nodes, roles, w, width, paint)
	if lay == nil {
		return nil
	}
	for _, line := range lay.titles() {
		if err := emit(line); err != nil {
			return err
		}
	}
	for r := range rows {
		if err := emit(lay.row(r)); err != nil {
			return err
		}
	}
	return nil
}

// widths are the widest time, frame number, label and short label (per
// column the arrow spans) of a ladder's rows.
type widths struct{ time, frame, label, short int }

func (w *widths) add(r *Row) {
	span := max(1, abs(r.To-r.From))
	w.time = max(w.time, len(r.Rel))
	w.frame = max(w.frame, len(strconv.Itoa(r.Frame)))
	w.label = max(w.label, displaywidth.String(r.Label)/span)
	w.short = max(w.short, displaywidth.String(r.short())/span)
}

// short is the row's label for a narrow ladder.
func (r *Row) short() string {
	if r.Short == "" {
		return r.Label
	}
	return r.Short
}

// layout places a ladder's columns; it draws the titles and each row.
type layout struct {
	nodes, roles []string
	left, gap    int
	total        int
	noTime       bool // the time column is left out: the ladder is narrow
	short        bool // labels are the short ones
	paint        Painter
}

// labelRoom is how much wider than its label the gap between two bars
// is: a blank and an arrow head either side.
const labelRoom = 5

// newLayout fits nodes into width columns; nil when there are none.
// When the labels do not fit, it leaves out the time column, then
// takes the short labels.
func newLayout(nodes, roles []string, w widths, width int, paint Painter) *layout {
	if paint == nil {
		paint = func(_ bool, s string) string { return s }
	}
	if len(nodes) == 0 {
		return nil
	}
	k := len(nodes)
	right := w.frame + 2
	lay := &layout{nodes: nodes, roles: roles, left: w.time + 2, paint: paint}
	label, titles := w.label, 0
	if k > 1 {
		// The gap the titles need side by side, a blank between them.
		titles = k - 2
		for _, n := range nodes {
			titles += displaywidth.String(strings.TrimSuffix(n, selfMark))
		}
		titles = (titles + k - 2) / (k - 1)
		fits := func(left, label int) bool {
			return left+(k-1)*max(label+labelRoom, titles)+1+right <= width
		}
		switch {
		case fits(lay.left, label):
		case fits(0, label):
			lay.left, lay.noTime = 0, true
		default:
			lay.left, lay.noTime, lay.short, label = 0, true, true, w.short
		}
	}
	left := lay.left
	gap := 0
	if k > 1 {
		gap = (width - left - right - 1) / (k - 1)
		gap = min(gap, max(label+8, 24))
		for _, n := range nodes {
			gap = max(gap, min(displaywidth.String(n)+2, (width-left-right-1)/(k-1)))
		}
		gap = max(gap, min(titles, (width-left-right-1)/(k-1)))
	}
	lay.gap = max(gap, 12)
	lay.total = lay.col(k-1) + 1
	return lay
}

func (l *layout) col(i int) int { return l.left + i*l.gap }

// titles returns the title lines and the line of bars under them.
func (l *layout) titles() []string {
	var out []string
	k := len(l.nodes)
	// Titles: the first starts at its bar, the last ends at its bar,
	// the others are centred; a title never overlaps the one before it.
	nodes := make([]string, len(l.nodes))
	for i, n := range l.nodes {
		nodes[i] = strings.TrimSuffix(n, selfMark)
	}
	for _, row := range [][]string{nodes, l.roles} {
		if len(row) == 0 {
			continue
		}
		line := []byte{}
		next := 0
		for i, n := range row {
			if i >= k {
				break
			}
			w := displaywidth.String(n)
			start := l.col(i) - w/2
			switch i {
			case 0:
				start = l.col(0)
			case k - 1:
				start = l.col(i) - w + 1
			}
			start = max(start, next, 0)
			line = overlayWide(line, start, n)
			next = start + w + 1
		}
		out = append(out, strings.TrimRight(string(line), " "))
	}
	bars := []byte(strings.Repeat(" ", l.total))
	for i := range l.nodes {
		bars = overlay(bars, l.col(i), "│")
	}
	return append(out, strings.TrimRight(string(bars), " "))
}

// row draws one arrow.
func (l *layout) row(r *Row) string {
	line := []byte(strings.Repeat(" ", l.total))
	if !l.noTime {
		line = overlay(line, 0, r.Rel)
	}
	for i := range l.nodes {
		line = overlay(line, l.col(i), "│")
	}
	a, b := l.col(min(r.From, r.To)), l.col(max(r.From, r.To))
	span := b - a - 1 // cells between the two bars
	if span < 3 {
		return string(line)
	}
	label := r.Label
	if l.short {
		label = r.short()
	}
	label = fit(label, span-4)
	lw := displaywidth.String(label)
	dashes := span - 2 - lw // one blank either side of the label
	lead := dashes / 2
	trail := dashes - lead
	var arrow strings.Builder
	if r.To < r.From {
		arrow.WriteString("◀")
		arrow.WriteString(strings.Repeat("─", max(lead-1, 0)))
	} else {
		arrow.WriteString(strings.Repeat("─", lead))
	}
	arrow.WriteString(" " + label + " ")
	if r.To < r.From {
		arrow.WriteString(strings.Repeat("─", trail))
	} else {
		arrow.WriteString(strings.Repeat("─", max(trail-1, 0)))
		arrow.WriteString("▶")
	}
	s := string(line)
	cut := byteOffset(s, a+1)
	end := byteOffset(s, b)
	return s[:cut] + l.paint(r.Client, arrow.String()) + s[end:] + "  " + strconv.Itoa(r.Frame)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// fit shortens s to at most w cells, marking the cut with "…".
func fit(s string, w int) string {
	if displaywidth.String(s) <= w {
		return s
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		rw := displaywidth.Rune(r)
		if used+rw > w-1 {
			break
		}
		b.WriteRune(r)
		used += rw
	}
	return b.String() + "…"
}

// overlay writes s over line starting at cell x (cells, not bytes); line
// holds single-cell runes and is padded as needed.
func overlay(line []byte, x int, s string) []byte {
	str := string(line)
	cells := []rune(str)
	for len(cells) < x {
		cells = append(cells, ' ')
	}
	sr := []rune(s)
	w := displaywidth.String(s)
	end := x + w
	for len(cells) < end {
		cells = append(cells, ' ')
	}
	// Replace the w cells at x with s's runes (s may be narrower in runes).
	res := append([]rune{}, cells[:x]...)
	res = append(res, sr...)
	res = append(res, cells[end:]...)
	return []byte(string(res))
}

// overlayWide appends s at cell x of a title line, which may hold wide
// (Chinese) runes: it pads with spaces up to x and never cuts a rune.
func overlayWide(line []byte, x int, s string) []byte {
	w := displaywidth.String(string(line))
	for ; w < x; w++ {
		line = append(line, ' ')
	}
	return append(line, s...)
}

// byteOffset returns the byte offset of the cell'th rune of s (runes in
// ladder lines are one cell wide).
func byteOffset(s string, cell int) int {
	i := 0
	for off := range s {
		if i == cell {
			return off
		}
		i++
	}
	return len(s)
}
