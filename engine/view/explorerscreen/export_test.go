package explorerscreen

import (
	tea "charm.land/bubbletea/v2"

	"wiretutor/engine/view/explorer"
)

// WithoutTicks is m without the redraws a running pass asks for, which
// a test that runs every command to its end has no use for.
func WithoutTicks(m Model) Model {
	m.tick = func() tea.Cmd { return nil }
	return m
}

// Shown is the frames the packet list shows, all of them when no
// filter is applied.
func Shown(m Model) []int {
	out := make([]int, m.count())
	for i := range out {
		out[i] = m.frameAt(i)
	}
	return out
}

// SelectedLine is the selected line of the details; false before the
// tree is dissected.
func SelectedLine(m Model) (explorer.Node, bool) {
	if m.tree == nil || m.line >= len(m.tree.Nodes) {
		return explorer.Node{}, false
	}
	return m.tree.Nodes[m.line], true
}
