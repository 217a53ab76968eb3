package explorerscreen

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"wiretutor/engine/packet/graph"
	"wiretutor/engine/view/explorer"
)

// geometry is where each pane is drawn: the first row of each and how
// many rows it has, title lines left out.
type geometry struct {
	listY, listRows   int
	detY, detRows     int
	bytesY, bytesRows int
}

// geometry splits the screen: a title line, the list with its column
// titles, the details and the bytes each under a title line, and the
// status line at the bottom.
func (m Model) geometry() geometry {
	body := m.h - 5
	if m.editing {
		body-- // the bar's verdict takes a line
	}
	body = max(body, 3)
	list := max(body*2/5, 1)
	det := max((body-list)/2, 1)
	byt := max(body-list-det, 1)
	g := geometry{listY: 2, listRows: list}
	g.detY = g.listY + list + 1
	g.detRows = det
	g.bytesY = g.detY + det + 1
	g.bytesRows = byt
	return g
}

// key takes one key press.
func (m Model) key(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	s := k.String()
	if s == "ctrl+c" {
		return m, tea.Quit
	}
	if m.editing {
		return m.editKey(k)
	}
	if m.mode != modePanes {
		return m.overKey(s), nil
	}
	switch s {
	case "q":
		return m, tea.Quit
	case "?", "f1":
		m.mode, m.over, m.overTop = modeHelp, m.helpLines(), 0
		return m, nil
	case "/":
		m.editing = true
		m.bar.set(m.applied)
		return m, nil
	case "tab":
		m.focus = (m.focus + 1) % 3
		return m, nil
	case "shift+tab":
		m.focus = (m.focus + 2) % 3
		return m, nil
	case "f":
		return m.follow()
	case "l":
		if m.focus != paneDetails && m.focus != paneBytes {
			return m.ladder()
		}
	case "s":
		return m.stats()
	case "t":
		if m.opt.Graph != nil {
			return m.graph()
		}
	case "esc":
		if m.pass != nil {
			if m.pass.what == "view.filtering" {
				// the index watched the filter being applied: the list
				// shown keeps the frames it has, and grows no more
				m.x.Watch("")
				m.watched = false
			}
			m.pass.stop()
			m.pass = nil
			return m, nil
		}
		if m.applied != "" {
			m.bar.set("")
			return m.applyFilter()
		}
		return m, nil
	}
	switch m.focus {
	case paneList:
		return m.listKey(s)
	case paneDetails:
		return m.detailsKey(s), nil
	default:
		return m.bytesKey(s), nil
	}
}

// editKey takes a key while the filter bar is open.
func (m Model) editKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch s := k.String(); s {
	case "esc":
		m.editing = false
		m.bar.set("")
		if m.applied != "" {
			return m.applyFilter()
		}
		return m, nil
	case "enter":
		if m.bar.err != nil {
			return m, nil // the bar says why, in red
		}
		m.editing = false
		return m.applyFilter()
	default:
		if m.bar.key(s) {
			return m, nil
		}
		if t := k.Key().Text; t != "" {
			m.bar.insert(t)
		}
		return m, nil
	}
}

// listKey moves in the packet list.
func (m Model) listKey(s string) (tea.Model, tea.Cmd) {
	g := m.geometry()
	switch s {
	case "up", "k":
		m.row--
	case "down", "j":
		m.row++
	case "pgup", "ctrl+b":
		m.row -= g.listRows
	case "pgdown", "ctrl+f", "space":
		m.row += g.listRows
	case "home", "g":
		m.row = 0
	case "end", "G":
		m.row = m.count() - 1
	case "enter", "right":
		m.focus = paneDetails
		return m, nil
	default:
		return m, nil
	}
	m = m.scroll()
	return m.load()
}

// visibleIndex is where the selected line is among the visible ones.
func (m Model) visibleIndex(vis []int) int {
	for i, v := range vis {
		if v == m.line {
			return i
		}
	}
	return 0
}

// detailsKey moves in the tree, and opens and shuts its subtrees.
func (m Model) detailsKey(s string) Model {
	if m.tree == nil || len(m.tree.Nodes) == 0 {
		return m
	}
	t := m.tree
	vis := m.folds.Visible(t)
	i := m.visibleIndex(vis)
	g := m.geometry()
	switch s {
	case "up", "k":
		i--
	case "down", "j":
		i++
	case "pgup":
		i -= g.detRows
	case "pgdown", "space":
		i += g.detRows
	case "home", "g":
		i = 0
	case "end", "G":
		i = len(vis) - 1
	case "right", "l", "enter", "+":
		switch n := t.Nodes[m.line]; {
		case n.Kids && !m.folds.IsOpen(t, m.line):
			m.folds.Open(t, m.line, true)
		case n.Kids:
			i++ // to its first line
		}
		vis = m.folds.Visible(t)
	case "left", "h", "-":
		switch n := t.Nodes[m.line]; {
		case n.Kids && m.folds.IsOpen(t, m.line):
			m.folds.Open(t, m.line, false)
		case n.Parent >= 0:
			m.line = n.Parent
			m.folds.Open(t, m.line, false)
		}
		vis = m.folds.Visible(t)
		i = m.visibleIndex(vis)
	case "e", "*":
		m.folds.All(t, true)
		vis = m.folds.Visible(t)
		i = m.visibleIndex(vis)
	case "c":
		m.folds.All(t, false)
		for t.Nodes[m.line].Parent >= 0 {
			m.line = t.Nodes[m.line].Parent
		}
		vis = m.folds.Visible(t)
		i = m.visibleIndex(vis)
	default:
		return m
	}
	i = min(max(i, 0), len(vis)-1)
	m.line = vis[i]
	if n := t.Nodes[m.line]; n.Len > 0 {
		m.at = n.Off
	}
	return m.scroll()
}

// bytesKey moves the selected byte, and selects the line that byte is
// part of, as a click in Wireshark's bytes pane does.
func (m Model) bytesKey(s string) Model {
	if m.tree == nil || len(m.tree.Data) == 0 {
		return m
	}
	switch s {
	case "left", "h":
		m.at--
	case "right", "l":
		m.at++
	case "up", "k":
		m.at -= 16
	case "down", "j":
		m.at += 16
	case "home", "g":
		m.at = 0
	case "end", "G":
		m.at = len(m.tree.Data) - 1
	default:
		return m
	}
	m.at = min(max(m.at, 0), len(m.tree.Data)-1)
	m = m.selectByte()
	return m.scroll()
}

// selectByte selects the line the selected byte is part of.
func (m Model) selectByte() Model {
	if i := m.tree.At(m.at); i >= 0 {
		m.folds.Reveal(m.tree, i)
		m.line = i
	}
	return m
}

// overKey scrolls a view over the panes, or leaves it; in the graph
// view, Tab draws the next kind of graph and r the other direction.
func (m Model) overKey(s string) Model {
	if m.mode == modeGraph {
		switch s {
		case "tab":
			m.kind = (m.kind + 1) % len(graph.Kinds())
			m.overTop = 0
			return m
		case "shift+tab":
			m.kind = (m.kind + len(graph.Kinds()) - 1) % len(graph.Kinds())
			m.overTop = 0
			return m
		case "r":
			if _, ok := m.col.Series(!m.reverse); ok {
				m.reverse = !m.reverse
			}
			return m
		}
	}
	switch s {
	case "esc", "q", "?", "f1":
		m.mode, m.over, m.lad, m.col, m.overTop = modePanes, nil, nil, nil, 0
		return m
	case "up", "k":
		m.overTop--
	case "down", "j", "enter":
		m.overTop++
	case "pgup", "ctrl+b":
		m.overTop -= m.h - 2
	case "pgdown", "ctrl+f", "space":
		m.overTop += m.h - 2
	case "home", "g":
		m.overTop = 0
	case "end", "G":
		m.overTop = 1 << 30
	}
	return m.scroll()
}

// click selects what the mouse points at: a row of the list, a line of
// the details, a byte of the bytes pane.
func (m Model) click(ms tea.Mouse) (tea.Model, tea.Cmd) {
	if m.editing || m.mode != modePanes {
		return m, nil
	}
	g := m.geometry()
	switch y := ms.Y; {
	case y >= g.listY && y < g.listY+g.listRows:
		m.focus = paneList
		m.row = m.top + y - g.listY
		m = m.scroll()
		return m.load()
	case y >= g.detY && y < g.detY+g.detRows && m.tree != nil:
		m.focus = paneDetails
		vis := m.folds.Visible(m.tree)
		if i := m.dtop + y - g.detY; i < len(vis) {
			if m.line == vis[i] && m.tree.Nodes[vis[i]].Kids {
				m.folds.Open(m.tree, vis[i], !m.folds.IsOpen(m.tree, vis[i]))
			}
			m.line = vis[i]
			if n := m.tree.Nodes[m.line]; n.Len > 0 {
				m.at = n.Off
			}
		}
	case y >= g.bytesY && y < g.bytesY+g.bytesRows && m.tree != nil:
		m.focus = paneBytes
		if b, ok := byteAt(ms.X, m.btop+y-g.bytesY, len(m.tree.Data)); ok {
			m.at = b
			m = m.selectByte()
		}
	}
	return m.scroll(), nil
}

// wheel scrolls the pane under the mouse.
func (m Model) wheel(ms tea.Mouse) (tea.Model, tea.Cmd) {
	step := 3
	if ms.Button == tea.MouseWheelUp {
		step = -3
	}
	if m.mode != modePanes {
		m.overTop += step
		return m.scroll(), nil
	}
	g := m.geometry()
	switch {
	case ms.Y < g.detY-1:
		m.row += step
		m = m.scroll()
		return m.load()
	case ms.Y < g.bytesY-1:
		m.dtop += step
	default:
		m.btop += step
	}
	return m.clampTops(), nil
}

// scroll keeps every selection in range and in sight.
func (m Model) scroll() Model {
	g := m.geometry()
	n := m.count()
	m.row = min(max(m.row, 0), max(n-1, 0))
	if m.row < m.top {
		m.top = m.row
	}
	if m.row >= m.top+g.listRows {
		m.top = m.row - g.listRows + 1
	}
	if m.tree != nil {
		vis := m.folds.Visible(m.tree)
		i := m.visibleIndex(vis)
		if i < m.dtop {
			m.dtop = i
		}
		if i >= m.dtop+g.detRows {
			m.dtop = i - g.detRows + 1
		}
		r := m.at / 16
		if r < m.btop {
			m.btop = r
		}
		if r >= m.btop+g.bytesRows {
			m.btop = r - g.bytesRows + 1
		}
	}
	return m.clampTops()
}

// clampTops keeps the first drawn row of each pane within its content.
func (m Model) clampTops() Model {
	g := m.geometry()
	m.top = min(max(m.top, 0), max(m.count()-g.listRows, 0))
	if m.tree != nil {
		m.dtop = min(max(m.dtop, 0), max(len(m.folds.Visible(m.tree))-g.detRows, 0))
		rows := (len(m.tree.Data) + 15) / 16
		m.btop = min(max(m.btop, 0), max(rows-g.bytesRows, 0))
	}
	m.overTop = min(max(m.overTop, 0), max(len(m.wrapped())-(m.h-2), 0))
	return m
}

// onFrame starts a walk through the capture for the selected frame,
// what naming it: run's message comes back when it is done.
func (m Model) onFrame(what string, run func(ctx context.Context, c explorer.Capture, n int, p explorer.Progress) tea.Msg) (tea.Model, tea.Cmd) {
	n := m.selected()
	if n == 0 {
		return m, nil
	}
	m, ctx := m.startPass(what)
	c, p := m.x.Capture(), m.pass
	return m, tea.Batch(m.tick(), func() tea.Msg { return run(ctx, c, n, p.progress) })
}

// follow starts Follow TCP Stream on the selected frame.
func (m Model) follow() (tea.Model, tea.Cmd) {
	return m.onFrame("view.following", func(ctx context.Context, c explorer.Capture, n int, p explorer.Progress) tea.Msg {
		turns, proto, err := explorer.Follow(ctx, c, n, p)
		return followMsg{n: n, turns: turns, proto: proto, err: err}
	})
}

// ladder starts drawing the selected frame's conversation.
func (m Model) ladder() (tea.Model, tea.Cmd) {
	return m.onFrame("view.laddering", func(ctx context.Context, c explorer.Capture, n int, p explorer.Progress) tea.Msg {
		l, ok, err := explorer.Ladder(ctx, c, n, p)
		return ladderMsg{n: n, l: l, ok: ok, err: err}
	})
}

// graph starts gathering the selected frame's TCP stream for its graphs.
func (m Model) graph() (tea.Model, tea.Cmd) {
	return m.onFrame("view.graphing", func(ctx context.Context, c explorer.Capture, n int, p explorer.Progress) tea.Msg {
		col, ok, err := explorer.Graph(ctx, c, n, p)
		return graphMsg{n: n, col: col, ok: ok, err: err}
	})
}

// stats starts counting the capture's statistics.
func (m Model) stats() (tea.Model, tea.Cmd) {
	m, ctx := m.startPass("view.counting")
	c, p := m.x.Capture(), m.pass
	return m, tea.Batch(m.tick(), func() tea.Msg {
		s, err := explorer.Statistics(ctx, c, p.progress)
		return statsMsg{s: s, err: err}
	})
}

// ended takes the end of a pass that what started: false when it was
// stopped, or failed (the note then says why).
func (m Model) ended(what string, err error) (Model, bool) {
	if m.pass == nil || m.pass.what != what {
		return m, false
	}
	m.pass = nil
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			m.note = m.opt.Explain(err)
		}
		return m, false
	}
	return m, true
}
