package explorerscreen

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/graph"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/view/explorer"
)

// Styles of the screen. Colour is dropped where the terminal has none
// or NO_COLOR is set (Bubble Tea's renderer does that); what must be
// seen then is also reversed, bold or marked by a sign.
var (
	styleTitle    = lipgloss.NewStyle().Reverse(true)
	styleFocus    = lipgloss.NewStyle().Reverse(true).Bold(true)
	styleSelected = lipgloss.NewStyle().Reverse(true)
	styleField    = lipgloss.NewStyle().Reverse(true)
	styleCursor   = lipgloss.NewStyle().Underline(true).Bold(true)
	styleGood     = lipgloss.NewStyle().Background(lipgloss.Color("#afffaf")).Foreground(lipgloss.Color("#000000"))
	styleBad      = lipgloss.NewStyle().Background(lipgloss.Color("#ffafaf")).Foreground(lipgloss.Color("#000000"))
	styleFault    = lipgloss.NewStyle().Reverse(true).Underline(true)
	styleClient   = lipgloss.NewStyle().Foreground(lipgloss.Color("#7f0000")).Background(lipgloss.Color("#fbeded"))
	styleServer   = lipgloss.NewStyle().Foreground(lipgloss.Color("#00007f")).Background(lipgloss.Color("#ededfb"))
	styleFaint    = lipgloss.NewStyle().Faint(true)
)

// View draws the screen, full screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	if m.opt.Mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "wiretutor view " + m.opt.Name
	return v
}

// Render is the screen as styled text, one line per row.
func (m Model) Render() string {
	var rows []string
	rows = append(rows, m.fit(m.titleLine(), styleTitle))
	if m.mode != modePanes {
		phys := m.wrapped()
		for i := m.overTop; i < m.overTop+m.h-2; i++ {
			if i < len(phys) {
				rows = append(rows, phys[i])
			} else {
				rows = append(rows, "")
			}
		}
		back := m.opt.Texts.T("view.back", nil)
		if m.mode == modeGraph {
			back = m.opt.Texts.T("view.graph.keys", nil)
		}
		rows = append(rows, m.fit(back, styleFaint))
		return strings.Join(rows, "\n")
	}
	g := m.geometry()
	rows = append(rows, m.listRows(g)...)
	rows = append(rows, m.paneTitle("view.pane.details", paneDetails))
	rows = append(rows, m.detailRows(g)...)
	rows = append(rows, m.paneTitle("view.pane.bytes", paneBytes))
	rows = append(rows, m.byteRows(g)...)
	rows = append(rows, m.statusRows()...)
	return strings.Join(rows, "\n")
}

// fit cuts or pads s to the screen's width, in style st.
func (m Model) fit(s string, st lipgloss.Style) string {
	s = ansi.Truncate(s, m.w, "…")
	if pad := m.w - ansi.StringWidth(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return st.Render(s)
}

// cell cuts or pads s to width w.
func cell(s string, w int, right bool) string {
	s = ansi.Truncate(s, w, "…")
	pad := w - ansi.StringWidth(s)
	if pad <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", pad) + s
	}
	return s + strings.Repeat(" ", pad)
}

// titleLine names the capture, how many frames it holds and what is
// going on.
func (m Model) titleLine() string {
	tx := m.opt.Texts
	n := m.x.Count()
	parts := []string{tx.T("view.title", map[string]any{"File": m.opt.Name}), tx.N("view.frames", n, map[string]any{"Count": n})}
	_, live := m.x.Capture().(*explorer.Growing)
	if done, _ := m.x.Done(); !done && live {
		parts = append(parts, tx.T("view.capturing", nil))
	} else if !done {
		read, total := m.x.Progress()
		pc := 0
		if total > 0 {
			pc = int(100 * read / total)
		}
		parts = append(parts, tx.T("view.indexing", map[string]any{"Percent": pc}))
	}
	if m.applied != "" {
		parts = append(parts, tx.T("view.filter.applied", map[string]any{"Filter": m.applied, "Shown": len(m.shown), "Count": n}))
	}
	if m.pass != nil {
		parts = append(parts, tx.T(m.pass.what, map[string]any{"Percent": m.pass.percent()}))
	}
	return " " + strings.Join(parts, " · ")
}

// paneTitle is the line above a pane, marked when the pane has the keys.
func (m Model) paneTitle(id string, p pane) string {
	title := "── " + m.opt.Texts.T(id, nil) + " "
	st := styleFaint
	if m.focus == p {
		st = styleFocus
	}
	return m.fit(title+strings.Repeat("─", max(m.w-ansi.StringWidth(title), 0)), st)
}

// listRows draws the packet list: the column titles and the rows shown.
func (m Model) listRows(g geometry) []string {
	tx := m.opt.Texts
	titles := []string{tx.T("view.col.no", nil), tx.T("view.col.time", nil), tx.T("view.col.source", nil),
		tx.T("view.col.destination", nil), tx.T("view.col.protocol", nil), tx.T("view.col.length", nil), tx.T("view.col.info", nil)}
	var rows []explorer.Row
	for r := m.top; r < m.top+g.listRows; r++ {
		if row, ok := m.x.Row(m.frameAt(r)); ok {
			rows = append(rows, row)
		}
	}
	cells := make([][]string, len(rows))
	widths := make([]int, 6)
	for i, t := range titles[:6] {
		widths[i] = ansi.StringWidth(t)
	}
	prec := m.x.Precision()
	for i, r := range rows {
		c := []string{strconv.Itoa(r.Number), string(dissect.AppendSeconds(nil, r.Rel, prec)), r.Src, r.Dst, r.Protocol, strconv.Itoa(r.Length), r.Info}
		cells[i] = c
		for k := range 6 {
			widths[k] = max(widths[k], ansi.StringWidth(c[k]))
		}
	}
	// Addresses share what the numbers leave, so Info keeps a third.
	room := m.w - widths[0] - widths[1] - widths[4] - widths[5] - 7
	addr := max(room/3, 8)
	widths[2], widths[3] = min(widths[2], addr), min(widths[3], addr)
	line := func(c []string) string {
		s := cell(c[0], widths[0], true) + " " + cell(c[1], widths[1], true) + " " + cell(c[2], widths[2], false) + " " +
			cell(c[3], widths[3], false) + " " + cell(c[4], widths[4], false) + " " + cell(c[5], widths[5], true) + " " + c[6]
		return s
	}
	out := []string{m.fit(line(titles), lipgloss.NewStyle().Bold(true))}
	rules := explorer.DefaultRules()
	for i, r := range rows {
		st := lipgloss.NewStyle()
		if r.Rule != explorer.NoRule && int(r.Rule) < len(rules) {
			ru := rules[r.Rule]
			st = st.Background(lipgloss.Color(ru.BG.Hex())).Foreground(lipgloss.Color(ru.FG.Hex()))
		}
		if m.top+i == m.row {
			st = styleSelected
			if m.focus == paneList {
				st = styleFocus
			}
		}
		out = append(out, m.fit(line(cells[i]), st))
	}
	for len(out) < g.listRows+1 {
		if len(out) == 1 && len(rows) == 0 {
			out = append(out, m.fit(m.emptyList(), styleFaint))
			continue
		}
		out = append(out, "")
	}
	return out
}

// emptyList says why the list has no rows.
func (m Model) emptyList() string {
	switch done, _ := m.x.Done(); {
	case m.shown != nil:
		return m.opt.Texts.T("view.no_match", nil)
	case done:
		return m.opt.Texts.T("view.no_frames", nil)
	}
	return m.opt.Texts.T("view.reading", nil)
}

// detailRows draws the protocol tree of the selected frame.
func (m Model) detailRows(g geometry) []string {
	var out []string
	switch {
	case m.tree == nil && m.want != 0:
		out = append(out, m.fit(" "+m.opt.Texts.T("view.dissecting", map[string]any{"Number": m.want}), styleFaint))
	case m.tree != nil:
		vis := m.folds.Visible(m.tree)
		for i := m.dtop; i < len(vis) && len(out) < g.detRows; i++ {
			n := m.tree.Nodes[vis[i]]
			sign := "  "
			if n.Kids {
				sign = "▸ "
				if m.folds.IsOpen(m.tree, vis[i]) {
					sign = "▾ "
				}
			}
			s := strings.Repeat("  ", n.Depth) + sign + n.Text
			st := lipgloss.NewStyle()
			if vis[i] == m.line {
				st = styleSelected
				if m.focus == paneDetails {
					st = styleFocus
				}
			}
			out = append(out, m.fit(s, st))
		}
	}
	for len(out) < g.detRows {
		out = append(out, "")
	}
	return out
}

// hexStart and asciiStart are the columns where a bytes row's hex and
// its text begin: "0000  45 00 … 00   E..<".
const (
	hexStart   = 6
	asciiStart = hexStart + 16*3 - 1 + 3
)

// byteAt is the byte under column x of bytes row r, of a frame of n
// bytes.
func byteAt(x, r, n int) (int, bool) {
	col := -1
	switch {
	case x >= hexStart && x < asciiStart-3:
		col = (x - hexStart) / 3
	case x >= asciiStart && x < asciiStart+16:
		col = x - asciiStart
	}
	b := r*16 + col
	if col < 0 || b >= n {
		return 0, false
	}
	return b, true
}

// byteRows draws the frame's bytes as tshark -x does, the selected
// line's bytes highlighted and the selected byte underlined.
func (m Model) byteRows(g geometry) []string {
	var out []string
	if m.tree != nil {
		data := m.tree.Data
		off, n := 0, 0
		if m.line < len(m.tree.Nodes) {
			off, n = m.tree.Nodes[m.line].Off, m.tree.Nodes[m.line].Len
		}
		paint := func(b int, s string) string {
			switch {
			case m.focus == paneBytes && b == m.at:
				return styleCursor.Render(s)
			case b >= off && b < off+n:
				return styleField.Render(s)
			}
			return s
		}
		for r := m.btop; r*16 < len(data) && len(out) < g.bytesRows; r++ {
			var hex, text strings.Builder
			fmt.Fprintf(&hex, "%04x  ", r*16)
			for c := range 16 {
				b := r*16 + c
				if b >= len(data) {
					hex.WriteString("   ")
					continue
				}
				sep := " "
				if c == 15 {
					sep = ""
				}
				// the space after a byte is highlighted with it when the
				// next byte is too, so that a field reads as one block
				h := paint(b, fmt.Sprintf("%02x", data[b]))
				if b+1 < off+n && b >= off && c < 15 {
					h = styleField.Render(fmt.Sprintf("%02x", data[b]) + sep)
					if m.focus == paneBytes && b == m.at {
						h = styleCursor.Render(fmt.Sprintf("%02x", data[b])) + styleField.Render(sep)
					}
					sep = ""
				}
				hex.WriteString(h + sep)
				ch := data[b]
				if ch < 0x20 || ch > 0x7e {
					ch = '.'
				}
				text.WriteString(paint(b, string(ch)))
			}
			out = append(out, hex.String()+"   "+text.String())
		}
	}
	for len(out) < g.bytesRows {
		out = append(out, "")
	}
	return out
}

// statusRows are the bottom lines: the filter bar and its verdict while
// it is open, else a passing note or the keys.
func (m Model) statusRows() []string {
	tx := m.opt.Texts
	if !m.editing {
		s := m.note
		if s == "" && m.err != nil {
			s = m.opt.Explain(m.err)
		}
		if s == "" {
			s = tx.T("view.hint", nil)
		}
		return []string{m.fit(" "+s, styleFaint)}
	}
	b := m.bar
	prompt := tx.T("view.filter.prompt", nil) + " "
	text := b.text
	fault := [2]int{-1, -1}
	verdict := tx.T("view.filter.good", nil)
	st := styleGood
	switch {
	case len(text) == 0:
		verdict = tx.T("view.filter.empty", nil)
	case b.err != nil:
		st = styleBad
		if de := b.problem(); de != nil {
			start := len([]rune(de.Filter[:min(de.Pos, len(de.Filter))]))
			end := len([]rune(de.Filter[:min(de.Pos+de.Len, len(de.Filter))]))
			fault = [2]int{start, max(end, start+1)}
			verdict = tx.T("view.filter.bad", map[string]any{"Why": tx.Msg(de.Reason()), "Column": start + 1})
		} else {
			verdict = m.opt.Explain(b.err)
		}
	}
	if len(b.offer) > 0 {
		verdict = strings.Join(b.offer, "  ") // what Tab found, until the next key
	}
	var line strings.Builder
	for i, r := range text {
		c := string(r)
		switch {
		case i == b.pos:
			c = styleCursor.Render(c)
		case i >= fault[0] && i < fault[1]:
			c = styleFault.Render(c)
		}
		line.WriteString(c)
	}
	if b.pos == len(text) {
		line.WriteString(styleCursor.Render(" "))
	}
	return []string{m.fit(" "+verdict, st), ansi.Truncate(prompt+line.String(), m.w, "…")}
}

// wrapped is the view over the panes cut into screen lines.
func (m Model) wrapped() []string {
	if m.mode == modeGraph && m.col != nil {
		s, ok := m.col.Series(m.reverse)
		if !ok {
			return nil
		}
		return m.opt.Graph(s, graph.Kinds()[m.kind], m.w)
	}
	if m.mode == modeLadder && m.lad != nil {
		return m.lad.Render(m.w, func(client bool, s string) string {
			if client {
				return styleClient.Render(s)
			}
			return styleServer.Render(s)
		})
	}
	var out []string
	for _, l := range m.over {
		sign := ""
		st := lipgloss.NewStyle()
		switch l.kind {
		case lineTitle:
			st = lipgloss.NewStyle().Bold(true)
		case lineClient:
			sign, st = "→ ", styleClient
		case lineServer:
			sign, st = "← ", styleServer
		case lineMissing:
			sign, st = "  ", styleFaint
		}
		width := max(m.w-ansi.StringWidth(sign), 1)
		text := l.text
		if text == "" {
			out = append(out, "")
			continue
		}
		for _, part := range strings.Split(ansi.Wrap(text, width, ""), "\n") {
			out = append(out, sign+st.Render(part))
		}
	}
	return out
}

// helpLines are the keys, as ui.toml's view.keys lists them.
func (m Model) helpLines() []line {
	out := []line{{text: m.opt.Texts.T("view.keys.title", nil), kind: lineTitle}, {}}
	for _, l := range strings.Split(m.opt.Texts.T("view.keys.list", nil), "\n") {
		out = append(out, line{text: l})
	}
	return out
}

// followed shows a followed stream.
func (m Model) followed(msg followMsg) Model {
	m, ok := m.ended("view.following", msg.err)
	if !ok {
		return m
	}
	tx := m.opt.Texts
	if msg.proto == "" {
		m.note = tx.T("view.follow.none", map[string]any{"Number": msg.n})
		return m
	}
	over := []line{}
	if len(msg.turns) == 0 {
		over = append(over, line{text: tx.T("view.follow.empty", map[string]any{"Number": msg.n}), kind: lineTitle})
	} else {
		t := msg.turns[0]
		title := map[string]string{"tcp": "view.follow.title", "udp": "view.follow.title_udp"}[msg.proto]
		over = append(over, line{text: tx.T(title, map[string]any{"Client": t.Client.String(), "Server": t.Server.String()}), kind: lineTitle}, line{})
	}
	for _, t := range msg.turns {
		kind := lineServer
		if t.FromClient {
			kind = lineClient
		}
		if t.Missing > 0 {
			over = append(over, line{text: string(t.Data), kind: lineMissing})
			continue
		}
		text := strings.TrimSuffix(stream.Printable(t.Data), "\n")
		for _, l := range strings.Split(text, "\n") {
			over = append(over, line{text: strings.ReplaceAll(l, "\t", "    "), kind: kind})
		}
	}
	m.mode, m.over, m.overTop = modeFollow, over, 0
	return m
}

// laddered shows a conversation's flow.
func (m Model) laddered(msg ladderMsg) Model {
	m, ok := m.ended("view.laddering", msg.err)
	if !ok {
		return m
	}
	if !msg.ok {
		m.note = m.opt.Texts.T("view.ladder.none", map[string]any{"Number": msg.n})
		return m
	}
	m.mode, m.lad, m.over, m.overTop = modeLadder, msg.l, nil, 0
	return m
}

// graphed shows a stream's graphs, the first kind first.
func (m Model) graphed(msg graphMsg) Model {
	m, ok := m.ended("view.graphing", msg.err)
	if !ok {
		return m
	}
	if !msg.ok {
		m.note = m.opt.Texts.T("view.graph.none", map[string]any{"Number": msg.n})
		return m
	}
	if _, ok := msg.col.Series(false); !ok {
		m.note = m.opt.Texts.T("view.graph.empty", map[string]any{"Number": msg.n})
		return m
	}
	m.mode, m.col, m.kind, m.reverse, m.over, m.overTop = modeGraph, msg.col, 0, false, nil, 0
	return m
}

// counted shows the statistics.
func (m Model) counted(msg statsMsg) Model {
	m, ok := m.ended("view.counting", msg.err)
	if !ok {
		return m
	}
	tx := m.opt.Texts
	s := msg.s
	over := []line{{text: tx.T("view.stats.hierarchy", nil), kind: lineTitle}}
	row := func(name, frames, fpc, bytes, bpc string) line {
		return line{text: cell(name, 28, false) + " " + cell(frames, 8, true) + " " + cell(fpc, 6, true) + " " +
			cell(bytes, 12, true) + " " + cell(bpc, 6, true)}
	}
	over = append(over, row(tx.T("view.stats.protocol", nil), tx.T("view.stats.frames", nil), "%", tx.T("view.stats.bytes", nil), "%"))
	pct := func(a, b int64) string {
		if b == 0 {
			return "0.0"
		}
		return strconv.FormatFloat(100*float64(a)/float64(b), 'f', 1, 64)
	}
	for _, p := range s.Protocols {
		over = append(over, row(strings.Repeat("  ", p.Depth)+p.Name, strconv.Itoa(p.Frames), pct(int64(p.Frames), int64(s.Frames)),
			strconv.FormatInt(p.Bytes, 10), pct(p.Bytes, s.Bytes)))
	}
	over = append(over, line{}, line{text: tx.T("view.stats.conversations", nil), kind: lineTitle})
	if len(s.Convs) == 0 {
		over = append(over, line{text: tx.T("view.stats.no_conversations", nil)})
	}
	for _, c := range s.Convs {
		over = append(over, line{text: tx.T("view.stats.conversation", map[string]any{
			"Proto": strings.ToUpper(c.Proto), "Stream": c.Stream, "A": c.A.String(), "B": c.B.String(),
			"FramesAB": c.FramesAB, "BytesAB": c.BytesAB, "FramesBA": c.FramesBA, "BytesBA": c.BytesBA,
			"Start": string(dissect.AppendSeconds(nil, c.Start, 6)), "Duration": string(dissect.AppendSeconds(nil, c.Duration, 6)),
		})})
	}
	m.mode, m.over, m.overTop = modeStats, over, 0
	return m
}
