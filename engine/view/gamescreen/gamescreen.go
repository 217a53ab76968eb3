// Package gamescreen is the full-screen client of the course's game
// (wiretutor game): the grid with every player and coin, moved with the
// arrow keys, in the player's language. Its model is apart from the
// program that runs it, so a test drives it message by message.
package gamescreen

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"wiretutor/servers/game"
)

// Player is what the screen needs of a logged-in game client.
type Player interface {
	Move(to game.Point) error
	Next(ctx context.Context) (game.Message, error)
}

// Texts words the screen's lines (ui.toml's game.client.*).
type Texts interface {
	T(id string, data any) string
}

// Model is the game screen: the last state the server sent and what
// the player did. Make it with New.
type Model struct {
	ctx   context.Context
	p     Player
	tx    Texts
	id    uint8
	name  string
	w     game.Welcome
	state game.State
	me    game.Point
	score uint8
	note  string // the last thing that happened, for the status line
	err   error
	// pending is the cell of the move sent and not yet seen in a state,
	// sent the sent-th; keys pressed meanwhile wait in queue, so a fast
	// typist's steps each start where the last one ended.
	pending *game.Point
	sent    int
	queue   []string
}

// maxQueue is how many keys may wait for the move before them.
const maxQueue = 8

// moveTimeout is how long a move may go unanswered before the screen
// takes it as lost (a datagram can be) and goes on with the next key.
const moveTimeout = 500 * time.Millisecond

// lostMsg says the sent-th move had no answer in time.
type lostMsg struct{ sent int }

// New is the screen of player id, named name, welcomed with w.
func New(ctx context.Context, p Player, tx Texts, id uint8, name string, w game.Welcome) Model {
	return Model{ctx: ctx, p: p, tx: tx, id: id, name: name, w: w, me: w.At}
}

// Err is why the game ended, or nil when the player quit.
func (m Model) Err() error { return m.err }

// serverMsg is the server's next message, or why there is none.
type serverMsg struct {
	m   game.Message
	err error
}

// next waits for the server's next message.
func (m Model) next() tea.Cmd {
	p, ctx := m.p, m.ctx
	return func() tea.Msg {
		msg, err := p.Next(ctx)
		return serverMsg{msg, err}
	}
}

// Init waits for the first state.
func (m Model) Init() tea.Cmd { return m.next() }

// Update moves on a key, and takes in what the server sends.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch msg.String() {
		case "q", "esc", "ctrl+c":
			return m, tea.Quit
		}
		if m.pending != nil {
			if len(m.queue) < maxQueue {
				m.queue = append(m.queue, msg.String())
			}
			return m, nil
		}
		return m.send(msg.String())
	case lostMsg:
		if msg.sent == m.sent && m.pending != nil {
			m.pending = nil
			return m.drain()
		}
		return m, nil
	case serverMsg:
		if msg.err != nil {
			if m.ctx.Err() == nil {
				m.err = msg.err
			}
			return m, tea.Quit
		}
		switch msg.m.Type {
		case game.TypeState:
			m.state = msg.m.State()
			for _, pl := range m.state.Players {
				if pl.ID == m.id {
					m.me, m.score = pl.At, pl.Score
				}
			}
			if m.pending != nil && *m.pending == m.me {
				m.pending = nil
				m, cmd := m.drain()
				return m, tea.Batch(cmd, m.(Model).next())
			}
		case game.TypePickup:
			pk := msg.m.Pickup()
			m.score = pk.Score
			m.note = m.tx.T("game.client.picked", map[string]any{"Score": pk.Score})
		}
		return m, m.next()
	}
	return m, nil
}

// send moves the player as key says, if it is a step on the grid.
func (m Model) send(key string) (tea.Model, tea.Cmd) {
	to, ok := Step(m.me, key, m.w)
	if !ok {
		return m, nil
	}
	if err := m.p.Move(to); err != nil {
		m.err = err
		return m, tea.Quit
	}
	m.sent++
	m.pending = &to
	n := m.sent
	return m, tea.Tick(moveTimeout, func(time.Time) tea.Msg { return lostMsg{n} })
}

// drain sends the first waiting key that is a step.
func (m Model) drain() (tea.Model, tea.Cmd) {
	for len(m.queue) > 0 {
		key := m.queue[0]
		m.queue = m.queue[1:]
		if _, ok := Step(m.me, key, m.w); ok {
			return m.send(key)
		}
	}
	return m, nil
}

// Step is the cell a key moves the player to from p: the arrow keys,
// hjkl and wasd; false for another key or a step off the grid.
func Step(p game.Point, key string, w game.Welcome) (game.Point, bool) {
	return w.Step(p, keyDir(key))
}

// keyDir is the direction game.Welcome.Step takes for a key, 0 for a
// key that does not move.
func keyDir(key string) rune {
	switch key {
	case "right", "l", "d":
		return 'r'
	case "left", "h", "a":
		return 'l'
	case "up", "k", "w":
		return 'u'
	case "down", "j", "s":
		return 'd'
	}
	return 0
}

// View draws the grid in a frame, the status line and the keys.
func (m Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	return v
}

// Render is the screen as text: '@' is the player, a digit another
// player (its id), '$' a coin, '.' an empty cell.
func (m Model) Render() string {
	cells := make([][]byte, m.w.Height)
	for y := range cells {
		cells[y] = []byte(strings.Repeat(".", int(m.w.Width)))
	}
	put := func(p game.Point, c byte) {
		if int(p.Y) < len(cells) && int(p.X) < len(cells[p.Y]) {
			cells[p.Y][p.X] = c
		}
	}
	for _, c := range m.state.Coins {
		put(c, '$')
	}
	for _, pl := range m.state.Players {
		if pl.ID != m.id {
			put(pl.At, '0'+pl.ID%10)
		}
	}
	put(m.me, '@')
	var b strings.Builder
	b.WriteString(m.tx.T("game.client.title", map[string]any{"Name": m.name}) + "\n\n")
	edge := "  +" + strings.Repeat("-", 2*int(m.w.Width)+1) + "+\n"
	b.WriteString(edge)
	for _, row := range cells {
		b.WriteString("  | ")
		for _, c := range row {
			b.WriteByte(c)
			b.WriteByte(' ')
		}
		b.WriteString("|\n")
	}
	b.WriteString(edge + "\n")
	b.WriteString(m.tx.T("game.client.status", map[string]any{"X": m.me.X, "Y": m.me.Y, "Score": m.score,
		"Players": len(m.state.Players), "Coins": len(m.state.Coins)}) + "\n")
	if m.note != "" {
		b.WriteString(m.note + "\n")
	}
	b.WriteString(m.tx.T("game.client.legend", nil) + "\n")
	b.WriteString(m.tx.T("game.client.keys", nil) + "\n")
	return b.String()
}

// Run plays m full screen on a terminal (in and out) until the player
// quits, the server goes away or ctx ends (Ctrl-C and SIGTERM from
// outside); the terminal is restored on every one of these. The error
// is why the game ended, nil when the player or ctx ended it.
func Run(ctx context.Context, m Model, in io.Reader, out io.Writer) error {
	final, err := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out)).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return err
	}
	if fm, ok := final.(Model); ok {
		return fm.Err()
	}
	return nil
}
