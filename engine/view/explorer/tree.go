package explorer

import (
	"bytes"
	"slices"
	"strings"
	"time"

	"wiretutor/engine/packet/dissect"
)

// Node is one line of a frame's protocol tree.
type Node struct {
	Text   string // the line as tshark -V prints it, without its indent
	Depth  int    // 0 for a protocol's line, one more a level down
	Parent int    // the index of the line it sits under; -1 at depth 0
	Kids   bool   // whether lines sit under it
	// Off and Len are the bytes of the frame the line tells of, as
	// Wireshark highlights them when the line is selected; Len is 0 for
	// a line no bytes hold (what Wireshark works out, in brackets).
	Off, Len int
	// Own says the bytes are the line's own, as Wireshark highlights
	// them; a line wiretutor cannot place yet has its parent's.
	Own bool
	// Key names the line among frames, so that a subtree opened in one
	// frame is open in the next, as in Wireshark: its protocol and the
	// labels of the lines above it.
	Key string
}

// Tree is the protocol tree of one frame: its lines in order, each with
// the bytes it tells of.
type Tree struct {
	Number int    // the frame's number
	Data   []byte // the frame's captured bytes
	Nodes  []Node

	time time.Time // the frame's arrival
}

// displayedDelta begins the line of frame.time_delta_displayed, the one
// line of a tree that depends on which frame is shown before it.
const displayedDelta = "[Time delta from previous displayed frame: "

// after is a copy of t as it reads after the frame shown before it, at
// prev (shown says whether one is): tshark's time since the previous
// displayed frame, 0 for the first.
func (t *Tree) after(prev time.Time, shown bool) *Tree {
	c := *t
	c.Nodes = slices.Clone(t.Nodes)
	var d time.Duration
	if shown {
		d = t.time.Sub(prev)
	}
	for i, n := range c.Nodes {
		if n.Depth == 1 && n.Parent == 0 && strings.HasPrefix(n.Text, displayedDelta) {
			c.Nodes[i].Text = displayedDelta + string(dissect.AppendSeconds(nil, d, 9)) + " seconds]"
			break
		}
	}
	return &c
}

// newTree reads details, the lines dissect.Details writes for p, into a
// tree, and finds each line's bytes in p; parts say where each
// protocol's lines start.
func newTree(p *dissect.Packet, details []byte, parts []part) *Tree {
	t := &Tree{Number: p.Number, Data: bytes.Clone(p.Data)}
	var (
		stack  []int // the open line at each depth
		starts []int // where each line starts in details
		at     = 0
		k      = 0 // the part the line is in
	)
	for line := range bytes.Lines(details) {
		start := at
		at += len(line)
		line = bytes.TrimRight(line, "\n")
		if len(line) == 0 {
			continue
		}
		for k+1 < len(parts) && parts[k+1].at <= start {
			k++
		}
		indent := len(line) - len(bytes.TrimLeft(line, " "))
		depth := min(indent/4, len(stack))
		if k < len(parts) && parts[k].proto == "data-text-lines" && depth > 1 {
			// a line of text that starts with blanks: they are its own
			depth, indent = 1, 4
		}
		stack = stack[:depth]
		n := Node{Text: string(line[indent:]), Depth: depth, Parent: -1}
		if depth > 0 {
			n.Parent = stack[depth-1]
			t.Nodes[n.Parent].Kids = true
		}
		stack = append(stack, len(t.Nodes))
		t.Nodes = append(t.Nodes, n)
		starts = append(starts, start)
	}
	locate(t, p, parts, starts)
	return t
}

// label is the name a line gives its value: "Source Port" of "Source
// Port: 52720", "Syn" of ".... ..1. = Syn: Set".
func label(text string) string {
	text = strings.TrimPrefix(text, "[")
	if i := strings.Index(text, " = "); i > 0 && strings.Trim(text[:i], "01. ") == "" {
		text = text[i+3:]
	}
	if i := strings.Index(text, ": "); i >= 0 {
		text = text[:i]
	}
	return strings.TrimSuffix(text, "]")
}

// At is the line whose bytes are the fewest among those holding byte
// off of the frame, the line Wireshark selects when that byte is
// clicked; -1 when no line holds it.
func (t *Tree) At(off int) int {
	best := -1
	for i, n := range t.Nodes {
		if n.Len > 0 && off >= n.Off && off < n.Off+n.Len {
			if best < 0 || n.Len < t.Nodes[best].Len || n.Len == t.Nodes[best].Len && n.Depth > t.Nodes[best].Depth {
				best = i
			}
		}
	}
	return best
}

// Folds are the subtrees open in the details pane, kept by line key from
// one frame to the next. The zero value has every subtree shut.
type Folds map[string]bool

// Visible lists the lines of t a reader sees with these folds: the
// protocol lines, and the lines under each open one.
func (f Folds) Visible(t *Tree) []int {
	var out []int
	for i := range t.Nodes {
		if f.shown(t, i) {
			out = append(out, i)
		}
	}
	return out
}

// shown says whether every line above line i is open.
func (f Folds) shown(t *Tree, i int) bool {
	for p := t.Nodes[i].Parent; p >= 0; p = t.Nodes[p].Parent {
		if !f[t.Nodes[p].Key] {
			return false
		}
	}
	return true
}

// Open opens or shuts line i's subtree.
func (f Folds) Open(t *Tree, i int, open bool) {
	if i < 0 || i >= len(t.Nodes) || !t.Nodes[i].Kids {
		return
	}
	if open {
		f[t.Nodes[i].Key] = true
	} else {
		delete(f, t.Nodes[i].Key)
	}
}

// IsOpen says whether line i's subtree is open.
func (f Folds) IsOpen(t *Tree, i int) bool {
	return i >= 0 && i < len(t.Nodes) && f[t.Nodes[i].Key]
}

// Reveal opens the lines above line i, so that it is visible.
func (f Folds) Reveal(t *Tree, i int) {
	if i < 0 || i >= len(t.Nodes) {
		return
	}
	for p := t.Nodes[i].Parent; p >= 0; p = t.Nodes[p].Parent {
		f[t.Nodes[p].Key] = true
	}
}

// All opens (or shuts) every subtree of t.
func (f Folds) All(t *Tree, open bool) {
	for i := range t.Nodes {
		f.Open(t, i, open)
	}
}
