package gamescreen_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"wiretutor/engine/view/gamescreen"
	"wiretutor/servers/game"
)

// player records the moves and hands out the server's messages.
type player struct {
	moves []game.Point
}

func (p *player) Move(to game.Point) error { p.moves = append(p.moves, to); return nil }
func (p *player) Next(ctx context.Context) (game.Message, error) {
	<-ctx.Done()
	return game.Message{}, ctx.Err()
}

// ids words every line as its id and data.
type ids struct{}

func (ids) T(id string, data any) string { return fmt.Sprint(id, data) }

var grid = game.Welcome{At: game.Point{X: 0, Y: 1}, Width: 4, Height: 3}

func TestStep(t *testing.T) {
	tests := []struct {
		from game.Point
		key  string
		to   game.Point
		ok   bool
	}{
		{game.Point{X: 1, Y: 1}, "right", game.Point{X: 2, Y: 1}, true},
		{game.Point{X: 1, Y: 1}, "h", game.Point{X: 0, Y: 1}, true},
		{game.Point{X: 1, Y: 1}, "w", game.Point{X: 1, Y: 0}, true},
		{game.Point{X: 1, Y: 1}, "j", game.Point{X: 1, Y: 2}, true},
		{game.Point{X: 0, Y: 1}, "left", game.Point{}, false},
		{game.Point{X: 3, Y: 1}, "d", game.Point{}, false},
		{game.Point{X: 1, Y: 0}, "up", game.Point{}, false},
		{game.Point{X: 1, Y: 2}, "down", game.Point{}, false},
		{game.Point{X: 1, Y: 1}, "x", game.Point{}, false},
	}
	for _, tt := range tests {
		to, ok := gamescreen.Step(tt.from, tt.key, grid)
		if ok != tt.ok || ok && to != tt.to {
			t.Errorf("%v %s: %v %v, want %v %v", tt.from, tt.key, to, ok, tt.to, tt.ok)
		}
	}
}

// TestModel drives the screen as a player would: a key moves, a wall
// does not, a state redraws everyone, a pickup says so, q quits, and a
// server that goes away ends the game with its error.
func TestModel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := &player{}
	var m tea.Model = gamescreen.New(ctx, p, ids{}, 1, "ada", grid)
	press := func(code rune) {
		m, _ = m.Update(tea.KeyPressMsg{Code: code})
	}
	press(tea.KeyRight)
	// Keys pressed before the server confirms the move wait for it, so
	// each step starts where the last one ended.
	press(tea.KeyLeft)
	if len(p.moves) != 1 || p.moves[0] != (game.Point{X: 1, Y: 1}) {
		t.Fatalf("moves %v", p.moves)
	}
	state := game.StateMessage(1, 1, game.State{
		Players: []game.Player{{ID: 1, At: game.Point{X: 1, Y: 1}, HP: 100}, {ID: 2, At: game.Point{X: 3, Y: 2}, HP: 100}},
		Coins:   []game.Point{{X: 2, Y: 0}},
	})
	m, cmd := m.Update(gamescreen.ServerMsg(state, nil))
	if cmd == nil {
		t.Error("no wait for the next message after a state")
	}
	if len(p.moves) != 2 || p.moves[1] != (game.Point{X: 0, Y: 1}) {
		t.Fatalf("the waiting key was not sent from the confirmed cell: %v", p.moves)
	}
	screen := m.(gamescreen.Model).Render()
	rows := strings.Split(screen, "\n")
	want := []string{"  | . . $ . |", "  | . @ . . |", "  | . . . 2 |"}
	for i, w := range want {
		if !strings.Contains(screen, w) {
			t.Errorf("row %d: want %q in\n%s", i, w, strings.Join(rows, "\n"))
		}
	}
	m, _ = m.Update(gamescreen.ServerMsg(game.PickupMessage(2, 1, game.Pickup{At: game.Point{X: 2, Y: 0}, Score: 1}), nil))
	if s := m.(gamescreen.Model).Render(); !strings.Contains(s, "game.client.picked") {
		t.Errorf("no word of the pickup:\n%s", s)
	}
	// That move is never answered (a datagram lost): once it is given up,
	// the next key moves from the cell the server last confirmed.
	m, _ = m.Update(gamescreen.LostMsg(2))
	press(tea.KeyDown)
	if len(p.moves) != 3 || p.moves[2] != (game.Point{X: 1, Y: 2}) {
		t.Fatalf("after a lost move: %v", p.moves)
	}
	if _, cmd := m.Update(tea.KeyPressMsg{Code: 'q', Text: "q"}); cmd == nil || cmd() != tea.Quit() {
		t.Error("q does not quit")
	}
	gone := errors.New("connection reset")
	m, cmd = m.Update(gamescreen.ServerMsg(game.Message{}, gone))
	if cmd == nil || cmd() != tea.Quit() || !errors.Is(m.(gamescreen.Model).Err(), gone) {
		t.Errorf("a server gone does not end the game with its error: %v", m.(gamescreen.Model).Err())
	}
}
