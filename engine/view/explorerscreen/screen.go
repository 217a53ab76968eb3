// Package explorerscreen is wiretutor view on a terminal: Wireshark's
// packet list, packet details and packet bytes, one above the other,
// with a display-filter bar checked as it is typed, and Follow TCP
// Stream, the flow ladder and the Statistics menu's tables over them.
// What it shows comes from package explorer; this package only keeps
// what the reader has selected and draws it, so a test drives it key by
// key and reads the screen as text.
package explorerscreen

import (
	"context"
	"errors"
	"io"
	"slices"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"wiretutor/engine/packet/graph"
	"wiretutor/engine/packet/output"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/text/message"
	"wiretutor/engine/view/explorer"
)

// Texts words the screen (ui.toml's view.*).
type Texts interface {
	T(id string, data any) string
	N(id string, count int, data map[string]any) string
	Msg(m message.Msg) string
}

// Options are what the screen needs besides the capture.
type Options struct {
	Texts Texts
	// Explain tells a person what an error means, in their language.
	Explain func(error) string
	// Mouse lets the mouse select rows and scroll; without it the
	// terminal keeps its own selection of text.
	Mouse bool
	// Name is the capture as the title names it (its file name).
	Name string
	// Filter is a display filter applied from the start (capture -Y).
	Filter string
	// Graph draws a TCP Stream Graph of the kind given to a width, as
	// wiretutor graph does; nil leaves the graphs out.
	Graph func(s *graph.Series, kind graph.Kind, width int) []string
}

// pane is one of the three panes the keys move in.
type pane int

const (
	paneList pane = iota
	paneDetails
	paneBytes
)

// mode is what fills the screen: the three panes or one of the views
// over them.
type mode int

const (
	modePanes mode = iota
	modeHelp
	modeFollow
	modeLadder
	modeStats
	modeGraph
)

// Model is the explorer's state: the capture's index, the frames the
// filter shows, what is selected in each pane, the filter bar and the
// view over the panes. Make it with New.
type Model struct {
	x   *explorer.Index
	cur *cursor
	opt Options
	ctx context.Context

	w, h  int
	focus pane
	mode  mode

	// The packet list: shown is the frames the filter selects (nil for
	// every frame), row the selected row in it, top the first drawn.
	shown   []int
	applied string // the filter shown applies
	// base is what the filter pass selected; when watched, the index
	// tests the frames after those, and shown is base and its matches.
	base    []int
	watched bool
	row     int
	top     int

	// The details of the selected frame: tree is nil until dissected.
	tree  *explorer.Tree
	folds explorer.Folds
	line  int // the selected line, an index into tree.Nodes
	dtop  int // the first visible line drawn, an index into Visible
	want  int // the frame whose tree is being dissected; 0 for none
	stop  context.CancelFunc

	// The bytes pane: the selected byte, the first row of 16 drawn.
	at   int
	btop int

	editing bool
	bar     *bar
	pass    *pass // a filter, follow, ladder or statistics walk under way

	// The view over the panes: its lines and the first drawn.
	over []line
	lad  *stream.Ladder // the ladder view's, drawn to the screen's width
	// The graph view's stream, the kind drawn and its direction.
	col     *graph.Collector
	kind    int
	reverse bool
	overTop int
	note    string // a passing message for the status line
	err     error  // why the index stopped short of the file's end

	tick func() tea.Cmd // redraws while a pass runs; a test stubs it
}

// line is a line of a view over the panes, with how to draw it.
type line struct {
	text string
	kind lineKind
}

// lineKind says how a line of a view is drawn.
type lineKind int

const (
	linePlain lineKind = iota
	lineTitle
	lineClient
	lineServer
	lineMissing
)

// cursor is the Cursor that dissects selected frames, used by one
// command at a time.
type cursor struct {
	mu sync.Mutex
	c  *explorer.Cursor
}

// pass is a walk through the whole file under way, and how far it got.
type pass struct {
	mu          sync.Mutex
	read, total int64
	stop        context.CancelFunc
	what        string // the ui.toml id of what it does
}

// progress is the pass's Progress.
func (p *pass) progress(read, total int64) {
	p.mu.Lock()
	p.read, p.total = read, total
	p.mu.Unlock()
}

// percent is how far the pass got.
func (p *pass) percent() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.total <= 0 {
		return 0
	}
	return int(100 * p.read / p.total)
}

// New is the explorer of the capture that x indexes; c dissects the
// frames selected in it. The Model owns both and closes them when the
// program ends (Close).
func New(ctx context.Context, x *explorer.Index, c *explorer.Cursor, opt Options) Model {
	return Model{x: x, cur: &cursor{c: c}, opt: opt, ctx: ctx, w: 80, h: 24, folds: explorer.Folds{}, bar: &bar{}, tick: tick}
}

// Close stops what the model still has running and closes its files.
func (m Model) Close() {
	if m.stop != nil {
		m.stop()
	}
	if m.pass != nil {
		m.pass.stop()
	}
	m.x.Close()
	m.cur.mu.Lock()
	m.cur.c.Close()
	m.cur.mu.Unlock()
}

// Messages the model's commands send back.
type (
	indexedMsg struct{}
	treeMsg    struct {
		n    int
		tree *explorer.Tree
		err  error
	}
	tickMsg     struct{}
	applyMsg    struct{ filter string } // apply a filter, as typed in the bar
	selectedMsg struct {
		filter  string
		frames  []int
		watched bool
		err     error
	}
	followMsg struct {
		n     int
		turns []output.Turn
		proto string // "tcp", "udp"; "" for a frame of no stream
		err   error
	}
	ladderMsg struct {
		n   int
		l   *stream.Ladder
		ok  bool
		err error
	}
	statsMsg struct {
		s   *explorer.Stats
		err error
	}
	graphMsg struct {
		n   int
		col *graph.Collector
		ok  bool
		err error
	}
)

// Init waits for the first frames, and applies Options.Filter.
func (m Model) Init() tea.Cmd {
	if m.opt.Filter == "" {
		return m.waitIndex()
	}
	// Init cannot keep what it changes: the filter's pass reports back
	// in a message, which Update takes as any other.
	text := m.opt.Filter
	return tea.Batch(m.waitIndex(), func() tea.Msg { return applyMsg{text} })
}

// waitIndex waits for the index to grow or finish.
func (m Model) waitIndex() tea.Cmd {
	ch := m.x.Changed()
	return func() tea.Msg {
		<-ch
		return indexedMsg{}
	}
}

// tick redraws while a pass runs, for its progress.
func tick() tea.Cmd {
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
}

// count is how many rows the packet list has.
func (m Model) count() int {
	if m.shown != nil {
		return len(m.shown)
	}
	return m.x.Count()
}

// frameAt is the frame of row r of the list.
func (m Model) frameAt(r int) int {
	if m.shown != nil {
		if r < 0 || r >= len(m.shown) {
			return 0
		}
		return m.shown[r]
	}
	if r < 0 || r >= m.x.Count() {
		return 0
	}
	return r + 1
}

// selected is the frame of the selected row; 0 when the list is empty.
func (m Model) selected() int { return m.frameAt(m.row) }

// load dissects the selected frame's tree, unless it is shown or on its
// way already.
func (m Model) load() (Model, tea.Cmd) {
	n := m.selected()
	if n == 0 || m.tree != nil && m.tree.Number == n || m.want == n {
		return m, nil
	}
	if m.stop != nil {
		m.stop()
	}
	ctx, stop := context.WithCancel(m.ctx)
	m.want, m.stop = n, stop
	prev, shown := time.Time{}, false
	if p := m.frameAt(m.row - 1); p != 0 {
		prev, shown = m.x.Time(p)
	}
	cur := m.cur
	return m, func() tea.Msg {
		cur.mu.Lock()
		defer cur.mu.Unlock()
		t, err := cur.c.Tree(ctx, n, prev, shown)
		return treeMsg{n: n, tree: t, err: err}
	}
}

// Update takes a key, a mouse event, the window's size and what the
// commands send back.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m = m.scroll()
		return m, nil
	case indexedMsg:
		done, err := m.x.Done()
		m.err = err
		if m.applied != "" && m.watched {
			m.shown = append(slices.Clip(m.base), m.x.Matched()...)
		}
		var cmd tea.Cmd
		if m.tree == nil {
			m, cmd = m.load()
		}
		if done {
			return m, cmd
		}
		return m, tea.Batch(cmd, m.waitIndex())
	case treeMsg:
		if msg.n != m.want {
			return m, nil
		}
		m.want = 0
		if msg.err != nil {
			if !errors.Is(msg.err, context.Canceled) {
				m.note = m.opt.Explain(msg.err)
			}
			return m, nil
		}
		m.tree = msg.tree
		m.line, m.dtop = 0, 0
		if m.at >= len(m.tree.Data) {
			m.at = 0
		}
		m = m.scroll()
		return m, nil
	case tickMsg:
		if m.pass != nil {
			return m, m.tick()
		}
		return m, nil
	case selectedMsg:
		return m.filtered(msg)
	case applyMsg:
		m.bar.set(msg.filter)
		if m.bar.err != nil {
			m.editing = true // the bar says what is wrong with it
			return m, nil
		}
		return m.applyFilter()
	case followMsg:
		return m.followed(msg), nil
	case ladderMsg:
		return m.laddered(msg), nil
	case statsMsg:
		return m.counted(msg), nil
	case graphMsg:
		return m.graphed(msg), nil
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseClickMsg:
		if m.opt.Mouse {
			return m.click(msg.Mouse())
		}
	case tea.MouseWheelMsg:
		if m.opt.Mouse {
			return m.wheel(msg.Mouse())
		}
	}
	return m, nil
}

// startPass begins a walk through the file, what naming it for the
// status line, and returns its context.
func (m Model) startPass(what string) (Model, context.Context) {
	if m.pass != nil {
		m.pass.stop()
	}
	ctx, stop := context.WithCancel(m.ctx)
	m.pass = &pass{stop: stop, what: what}
	return m, ctx
}

// applyFilter runs the bar's filter over the file, or shows every frame
// again when the bar is empty.
func (m Model) applyFilter() (Model, tea.Cmd) {
	text := m.bar.String()
	if text == "" {
		if m.pass != nil && m.pass.what == "view.filtering" {
			m.pass.stop()
			m.pass = nil
		}
		m.x.Watch("")
		m.base, m.watched = nil, false
		return m.show(nil, "")
	}
	df := m.bar.df
	if df == nil {
		return m, nil
	}
	m.bar.remember(text)
	m, ctx := m.startPass("view.filtering")
	// The index tests the frames it adds from here on; the pass, those
	// it has added (all of them, for a filter it cannot test).
	before, watched := m.x.Watch(text)
	upTo := before
	if !watched {
		upTo = -1
	}
	c, p := m.x.Capture(), m.pass
	return m, tea.Batch(m.tick(), func() tea.Msg {
		frames, err := explorer.Select(ctx, c, df, upTo, p.progress)
		return selectedMsg{filter: text, frames: frames, watched: watched, err: err}
	})
}

// filtered shows the frames a filter pass selected.
func (m Model) filtered(msg selectedMsg) (tea.Model, tea.Cmd) {
	if m.pass == nil || m.pass.what != "view.filtering" {
		return m, nil
	}
	m.pass = nil
	if msg.err != nil {
		if !errors.Is(msg.err, context.Canceled) {
			m.note = m.opt.Explain(msg.err)
		}
		return m, nil
	}
	m.base, m.watched = slices.Clip(msg.frames), msg.watched
	shown := append([]int{}, m.base...)
	if msg.watched {
		shown = append(shown, m.x.Matched()...)
	}
	return m.show(shown, msg.filter)
}

// show lists frames (nil for all), keeping the selected frame or the
// first after it.
func (m Model) show(frames []int, applied string) (Model, tea.Cmd) {
	was := m.selected()
	m.shown, m.applied = frames, applied
	m.row = 0
	switch {
	case frames == nil && was > 0:
		m.row = was - 1
	case frames != nil:
		m.row = max(len(frames)-1, 0)
		for i, f := range frames {
			if f >= was {
				m.row = i
				break
			}
		}
	}
	m.tree = nil
	m = m.scroll()
	return m.load()
}

// Run shows m full screen on a terminal (in and out) until the reader
// quits or ctx ends (Ctrl-C and SIGTERM from outside); the terminal is
// restored on every one of these.
func Run(ctx context.Context, m Model, in io.Reader, out io.Writer) error {
	_, err := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out)).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}
