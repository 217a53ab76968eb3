package game

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync/atomic"
	"time"
)

// Dialer is the part of a network the client needs.
type Dialer interface {
	Dial(ctx context.Context, network, address string) (net.Conn, error)
}

// RefusedError is a login the server turned away.
type RefusedError struct{ Reason uint8 }

// Error names the reason in English.
func (e *RefusedError) Error() string {
	switch e.Reason {
	case ReasonBadName:
		return "game: login refused: bad name"
	case ReasonFull:
		return "game: login refused: the game is full"
	case ReasonNameTaken:
		return "game: login refused: the name is taken"
	}
	return "game: login refused (reason " + strconv.Itoa(int(e.Reason)) + ")"
}

// Message names the sentence that tells a player.
func (e *RefusedError) Message() (string, map[string]any) {
	switch e.Reason {
	case ReasonBadName:
		return "game.refused.bad_name", map[string]any{"Max": MaxName}
	case ReasonFull:
		return "game.refused.full", map[string]any{"Max": MaxPlayers}
	case ReasonNameTaken:
		return "game.refused.name_taken", nil
	}
	return "game.refused.unknown", map[string]any{"Reason": e.Reason}
}

// ErrUnexpected is a server's answer that is not the protocol's.
var ErrUnexpected = errors.New("game: unexpected answer from the server")

// ErrGone is Next's error once the server has closed the login
// connection: it stopped, or it ended this player's game.
var ErrGone error = goneError{}

type goneError struct{}

func (goneError) Error() string { return "game: the server closed the login connection" }

// Message is the sentence in ui.toml that says so.
func (goneError) Message() (string, map[string]any) { return "game.client.gone", nil }

// Client is one player: its login connection and its play socket. Next
// may wait in one goroutine while another moves (Move, Send); otherwise
// its methods are not safe for concurrent use, except Close, which may
// end a Next waiting in another goroutine.
type Client struct {
	ID      uint8
	Welcome Welcome
	tcp     net.Conn
	udp     net.Conn
	seq     uint16
	buf     []byte
	last    *State // the newest state Next gave
	// gone is closed when the server closes the login connection;
	// closing is set by Close, whose own closing is not the server's.
	gone    chan struct{}
	closing atomic.Bool
}

// Login logs in as name on the server at host's two ports and joins the
// play port: the login (sequence number 1) over TCP, the welcome, then
// the join (2) over UDP. The first state comes to Next.
func Login(ctx context.Context, d Dialer, host string, tcpPort, udpPort int, name string) (*Client, error) {
	tcp, err := d.Dial(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(tcpPort)))
	if err != nil {
		return nil, fmt.Errorf("game login: %w", err)
	}
	c := &Client{tcp: tcp, buf: make([]byte, 2048)}
	if err := c.login(ctx, name); err != nil {
		tcp.Close()
		return nil, err
	}
	udp, err := d.Dial(ctx, "udp", net.JoinHostPort(host, strconv.Itoa(udpPort)))
	if err != nil {
		tcp.Close()
		return nil, fmt.Errorf("game join: %w", err)
	}
	c.udp = udp
	c.gone = make(chan struct{})
	go c.watch()
	if err := c.send(JoinMessage(c.next(), c.ID, c.Welcome.Token)); err != nil {
		c.Close()
		return nil, fmt.Errorf("game join: %w", err)
	}
	return c, nil
}

func (c *Client) login(ctx context.Context, name string) error {
	if dl, ok := ctx.Deadline(); ok {
		c.tcp.SetDeadline(dl)
		defer c.tcp.SetDeadline(time.Time{})
	}
	if _, err := c.tcp.Write(LoginMessage(c.next(), name).Bytes()); err != nil {
		return fmt.Errorf("game login: %w", err)
	}
	m, err := ReadMessage(c.tcp)
	switch {
	case err != nil:
		return fmt.Errorf("game login: %w", err)
	case m.Type == TypeRefused:
		return &RefusedError{Reason: m.Reason()}
	case m.Type != TypeWelcome:
		return ErrUnexpected
	}
	c.ID, c.Welcome = m.Player, m.Welcome()
	return nil
}

// watch reads the login connection, on which the server sends nothing
// after the welcome, until it ends; if the server ended it, a Next
// under way or to come returns ErrGone.
func (c *Client) watch() {
	io.Copy(io.Discard, c.tcp)
	if c.closing.Load() {
		return
	}
	close(c.gone)
	c.udp.SetReadDeadline(time.Unix(1, 0))
}

func (c *Client) next() uint16 {
	c.seq++
	return c.seq
}

// Seq is the sequence number of the client's last message.
func (c *Client) Seq() uint16 { return c.seq }

func (c *Client) send(m Message) error {
	_, err := c.udp.Write(m.Bytes())
	return err
}

// Move asks to step to p.
func (c *Client) Move(p Point) error { return c.send(MoveMessage(c.next(), c.ID, p)) }

// Send sends m as it is, on the play port: for tests and lessons that
// show what the server does with a message it should not take.
func (c *Client) Send(m Message) error { return c.send(m) }

// Next waits for the server's next message on the play port (a state
// or a pickup), until ctx ends. Datagrams that are not good messages
// are skipped.
func (c *Client) Next(ctx context.Context) (Message, error) {
	stop := context.AfterFunc(ctx, func() { c.udp.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	for {
		n, err := c.udp.Read(c.buf)
		if err != nil {
			if ctx.Err() != nil {
				return Message{}, ctx.Err()
			}
			select {
			case <-c.gone:
				return Message{}, ErrGone
			default:
			}
			return Message{}, err
		}
		m, err := Parse(c.buf[:n])
		if err == nil && (m.Type == TypeState || m.Type == TypePickup) {
			m.Body = append([]byte{}, m.Body...)
			if m.Type == TypeState {
				s := m.State()
				c.last = &s
			}
			return m, nil
		}
	}
}

// WaitState waits for the state in which the player stands at want (the
// next state when want is nil), skipping pickups and other players'
// states, until ctx ends. A state without the player is ErrUnexpected.
func (c *Client) WaitState(ctx context.Context, want *Point) (State, error) {
	for {
		m, err := c.Next(ctx)
		if err != nil {
			return State{}, err
		}
		if m.Type != TypeState {
			continue
		}
		s := m.State()
		me, ok := c.Me(s)
		if !ok {
			return s, ErrUnexpected
		}
		if want == nil || me.At == *want {
			return s, nil
		}
	}
}

// Close leaves the game: the login connection closes.
func (c *Client) Close() error {
	c.closing.Store(true)
	err := c.tcp.Close()
	if c.udp != nil {
		c.udp.Close()
	}
	return err
}

// Me is the client's own player in a state, and whether it is there.
func (c *Client) Me(s State) (Player, bool) {
	for _, p := range s.Players {
		if p.ID == c.ID {
			return p, true
		}
	}
	return Player{}, false
}

// Step is the cell one step from p in direction dir ('r' right, 'l'
// left, 'u' up, 'd' down), and false for another letter or a step off
// w's grid: the move a player may ask for.
func (w Welcome) Step(p Point, dir rune) (Point, bool) {
	switch {
	case dir == 'r':
		p.X++
	case dir == 'l' && p.X > 0:
		p.X--
	case dir == 'u' && p.Y > 0:
		p.Y--
	case dir == 'd':
		p.Y++
	default:
		return p, false
	}
	return p, p.X < uint16(w.Width) && p.Y < uint16(w.Height)
}

// Toward is the neighbouring cell of from that is one step nearer to
// to, along x first; from itself when they are the same.
func Toward(from, to Point) Point {
	switch {
	case from.X < to.X:
		from.X++
	case from.X > to.X:
		from.X--
	case from.Y < to.Y:
		from.Y++
	case from.Y > to.Y:
		from.Y--
	}
	return from
}

// Nearest is the coin nearest to p (by steps), and false when there is
// none.
func Nearest(p Point, coins []Point) (Point, bool) {
	best, dist := Point{}, -1
	for _, c := range coins {
		d := absDiff(c.X, p.X) + absDiff(c.Y, p.Y)
		if dist < 0 || d < dist {
			best, dist = c, d
		}
	}
	return best, dist >= 0
}

func absDiff(a, b uint16) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// Last is the newest state Next gave, and false before the first.
func (c *Client) Last() (State, bool) {
	if c.last == nil {
		return State{}, false
	}
	return *c.last, true
}

// FetchCoin walks to the nearest coin and takes it, one step per state
// the server sends back, starting from the last state seen (or the
// next one): the scripted player of the lesson and the tests. It
// returns the pickup, or an error when ctx ends first.
func (c *Client) FetchCoin(ctx context.Context) (Pickup, error) {
	var want *Point // the cell asked for and not yet seen
	s, known := c.Last()
	for {
		if !known {
			m, err := c.Next(ctx)
			if err != nil {
				return Pickup{}, err
			}
			if m.Type == TypePickup {
				return m.Pickup(), nil
			}
			s = m.State()
		}
		known = false
		me, ok := c.Me(s)
		if !ok {
			return Pickup{}, ErrUnexpected
		}
		if want != nil && me.At != *want {
			continue // a state from another player's move
		}
		coin, ok := Nearest(me.At, s.Coins)
		if !ok {
			return Pickup{}, ErrUnexpected
		}
		step := Toward(me.At, coin)
		want = &step
		if err := c.Move(step); err != nil {
			return Pickup{}, err
		}
	}
}
