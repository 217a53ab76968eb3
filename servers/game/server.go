package game

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"wiretutor/servers/listen"
)

// The defaults of a Server's settings.
const (
	DefaultWidth        = 16
	DefaultHeight       = 8
	DefaultCoins        = 3
	DefaultBudget       = 50 // UDP messages a player may send each second
	DefaultLoginTimeout = 10 * time.Second
	StartHP             = 100
)

// Network is the part of a network the server needs.
type Network interface {
	Listen(ctx context.Context, network, address string) (net.Listener, error)
	ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error)
}

// Drop says why a message was dropped; the server counts each apart.
type Drop int

// The reasons a message is dropped.
const (
	DropShort    Drop = iota // fewer bytes than a header and a check
	DropOversize             // more bytes than a length byte can say
	DropLength               // the length byte is not the message's size
	DropChecksum             // the check byte is wrong
	DropType                 // a type the server does not take here
	DropBody                 // a body of the wrong size for its type
	DropForged               // a player id or token that is not the sender's
	DropReplayed             // a sequence number not newer than the last
	DropFlood                // over the player's budget of messages a second
	DropBadMove              // not a step to a neighbouring cell of the grid
	numDrops
)

var dropNames = [numDrops]string{"short", "oversize", "length", "checksum", "type", "body", "forged", "replayed", "flood", "bad-move"}

// String names the reason in one word.
func (d Drop) String() string {
	if d < 0 || d >= numDrops {
		return fmt.Sprintf("drop(%d)", int(d))
	}
	return dropNames[d]
}

// dropOf is the reason for a Parse error.
func dropOf(err error) Drop {
	switch {
	case errors.Is(err, ErrShort):
		return DropShort
	case errors.Is(err, ErrLength):
		return DropLength
	case errors.Is(err, ErrChecksum):
		return DropChecksum
	case errors.Is(err, ErrType):
		return DropType
	}
	return DropBody
}

// Stats counts the messages the server dropped, by reason.
type Stats [numDrops]int

// Total is every message dropped.
func (s Stats) Total() int {
	n := 0
	for _, v := range s {
		n += v
	}
	return n
}

// EventKind says what happened in the game.
type EventKind int

// The events a Server reports.
const (
	Joined  EventKind = iota // a player logged in
	Left                     // a player's login connection closed
	Moved                    // a player stepped
	Picked                   // a player took a coin
	Dropped                  // a message was dropped; Drop says why
	Turned                   // a login was refused; Reason says why
)

// Event is one thing the server did, for a log or a lesson to show. It
// never carries a token.
type Event struct {
	Kind   EventKind
	Player uint8
	Name   string
	At     Point
	Score  uint8
	Drop   Drop
	Reason uint8
	Remote net.Addr
}

// Server is the game. Set the fields, then Start.
type Server struct {
	Net     Network
	Host    string // the address to bind; 127.0.0.1 when empty
	TCPPort int    // logins; 0 picks a free port
	UDPPort int    // play; 0 picks a free port
	// Width and Height are the grid's; 0 means the defaults.
	Width, Height uint8
	// Coins lie on the grid at once; 0 means DefaultCoins.
	Coins int
	// Rand gives tokens and the cells of players and coins; crypto/rand
	// when nil. A seeded sandbox gives its own, so a run repeats.
	Rand io.Reader
	// Now is the clock of the flood budget; time.Now when nil.
	Now func() time.Time
	// Budget is the UDP messages a player may send in a second; more are
	// dropped as a flood. 0 means DefaultBudget.
	Budget int
	// LoginTimeout bounds the wait for a connection's login message and
	// each write to it; 0 means DefaultLoginTimeout.
	LoginTimeout time.Duration
	// OnEvent, if set, is called for every event, from many goroutines,
	// never while the game is locked.
	OnEvent func(Event)

	ln   net.Listener
	pc   net.PacketConn
	loop listen.Loop
	wg   sync.WaitGroup

	mu      sync.Mutex
	players [MaxPlayers + 1]*player // by id; 0 is never used
	coins   []Point
	stats   Stats
}

// player is one player's state on the server.
type player struct {
	id      uint8
	name    string
	token   Token
	addr    net.Addr // the UDP address that joined; nil before
	at      Point
	hp      uint8
	score   uint8
	lastSeq uint16 // the newest sequence number taken from the player
	sendSeq uint16 // the server's counter for messages to the player
	// the flood budget: tokens left and when they were last filled
	budget float64
	filled time.Time
}

// Start binds both ports and serves in the background until Close.
func (s *Server) Start(ctx context.Context) error {
	if s.Width == 0 {
		s.Width = DefaultWidth
	}
	if s.Height == 0 {
		s.Height = DefaultHeight
	}
	if s.Coins <= 0 {
		s.Coins = DefaultCoins
	}
	s.Coins = min(s.Coins, MaxCoins, int(s.Width)*int(s.Height)-MaxPlayers)
	ln, err := listen.TCP(ctx, s.Net, s.Host, s.TCPPort)
	if err != nil {
		return err
	}
	pc, err := listen.UDP(ctx, s.Net, s.Host, s.UDPPort)
	if err != nil {
		ln.Close()
		return err
	}
	s.ln, s.pc = ln, pc
	s.mu.Lock()
	for len(s.coins) < s.Coins {
		s.coins = append(s.coins, s.freeCell())
	}
	s.mu.Unlock()
	s.loop.Handle = s.serve
	s.loop.Max = 2 * MaxPlayers
	s.loop.Refuse = func(c net.Conn) {
		c.SetWriteDeadline(time.Now().Add(s.loginTimeout()))
		c.Write(RefusedMessage(1, ReasonFull).Bytes())
	}
	s.loop.Serve(ln)
	s.wg.Add(1)
	go s.play()
	return nil
}

// TCPAddr is the login port's address, nil before Start.
func (s *Server) TCPAddr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// UDPAddr is the play port's address, nil before Start.
func (s *Server) UDPAddr() net.Addr {
	if s.pc == nil {
		return nil
	}
	return s.pc.LocalAddr()
}

// Stats is what the server dropped so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Close stops both ports, ends every player's connection and waits.
func (s *Server) Close() error {
	if s.ln == nil {
		return nil
	}
	s.loop.Close()
	err := s.pc.Close()
	s.wg.Wait()
	return err
}

func (s *Server) loginTimeout() time.Duration {
	if s.LoginTimeout > 0 {
		return s.LoginTimeout
	}
	return DefaultLoginTimeout
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) emit(evs ...Event) {
	if s.OnEvent == nil {
		return
	}
	for _, e := range evs {
		s.OnEvent(e)
	}
}

// randN is a number below n from Rand; 0 when Rand runs dry.
func (s *Server) randN(n int) int {
	var b [4]byte
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return 0
	}
	return int(binary.BigEndian.Uint32(b[:]) % uint32(n))
}

// freeCell is a random cell with no player and no coin on it (the
// caller holds mu). The grid always has one: Start keeps the coins and
// players fewer than its cells.
func (s *Server) freeCell() Point {
	w, h := int(s.Width), int(s.Height)
	start := s.randN(w * h)
	for i := range w * h {
		c := (start + i) % (w * h)
		p := Point{uint16(c % w), uint16(c / w)}
		if !s.taken(p) {
			return p
		}
	}
	return Point{}
}

func (s *Server) taken(p Point) bool {
	for _, pl := range s.players {
		if pl != nil && pl.at == p {
			return true
		}
	}
	for _, c := range s.coins {
		if c == p {
			return true
		}
	}
	return false
}

// count records a dropped message (the caller holds mu) and the event
// that tells of it.
func (s *Server) count(d Drop, id uint8, from net.Addr) Event {
	s.stats[d]++
	return Event{Kind: Dropped, Drop: d, Player: id, Remote: from}
}

// serve is one login connection: a login, a welcome, then nothing until
// it closes, which ends the player.
func (s *Server) serve(c net.Conn) {
	c.SetDeadline(time.Now().Add(s.loginTimeout()))
	m, err := ReadMessage(c)
	if err != nil {
		if isProtocol(err) {
			s.badLogin(c, dropOf(err), 0)
		}
		return // else gone, or silent past the timeout
	}
	if m.Type != TypeLogin {
		s.badLogin(c, DropType, m.Player)
		return
	}
	p, reason := s.admit(m)
	if p == nil {
		s.emit(Event{Kind: Turned, Reason: reason, Name: m.Name(), Remote: c.RemoteAddr()})
		c.Write(RefusedMessage(1, reason).Bytes())
		return
	}
	defer s.leave(p, c.RemoteAddr())
	s.mu.Lock()
	p.sendSeq++
	welcome := WelcomeMessage(p.sendSeq, p.id, Welcome{Token: p.token, At: p.at, HP: p.hp, Width: s.Width, Height: s.Height})
	s.mu.Unlock()
	s.emit(Event{Kind: Joined, Player: p.id, Name: p.name, At: p.at, Remote: c.RemoteAddr()})
	if _, err := c.Write(welcome.Bytes()); err != nil {
		return
	}
	// The player plays over UDP; the login connection only has to stay
	// open. Anything it sends now is not the protocol: the player goes.
	c.SetDeadline(time.Time{})
	m, err = ReadMessage(c)
	if err == nil || isProtocol(err) {
		d := DropType
		if err != nil {
			d = dropOf(err)
		}
		s.mu.Lock()
		ev := s.count(d, p.id, c.RemoteAddr())
		s.mu.Unlock()
		s.emit(ev)
	}
}

// badLogin counts a first message that was not a login and refuses the
// connection.
func (s *Server) badLogin(c net.Conn, d Drop, id uint8) {
	s.mu.Lock()
	ev := s.count(d, id, c.RemoteAddr())
	s.mu.Unlock()
	s.emit(ev, Event{Kind: Turned, Reason: ReasonBadLogin, Remote: c.RemoteAddr()})
	c.Write(RefusedMessage(1, ReasonBadLogin).Bytes())
}

// admit makes a player of a login, or says why not.
func (s *Server) admit(m Message) (*player, uint8) {
	name := m.Name()
	if !CheckName(name) {
		return nil, ReasonBadName
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := uint8(0)
	for i := MaxPlayers; i >= 1; i-- {
		switch p := s.players[i]; {
		case p == nil:
			id = uint8(i)
		case p.name == name:
			return nil, ReasonNameTaken
		}
	}
	if id == 0 {
		return nil, ReasonFull
	}
	p := &player{id: id, name: name, hp: StartHP, lastSeq: m.Seq, budget: float64(s.budget()), filled: s.now()}
	for i := range p.token {
		p.token[i] = byte(s.randN(256))
	}
	p.at = s.freeCell()
	s.players[id] = p
	return p, 0
}

// leave ends a player and tells the others.
func (s *Server) leave(p *player, from net.Addr) {
	s.mu.Lock()
	if s.players[p.id] == p {
		s.players[p.id] = nil
	}
	out := s.states()
	s.mu.Unlock()
	s.emit(Event{Kind: Left, Player: p.id, Name: p.name, Remote: from})
	s.send(out)
}

func (s *Server) budget() int {
	if s.Budget > 0 {
		return s.Budget
	}
	return DefaultBudget
}

// spend takes one message from p's budget, refilled at Budget a second
// up to Budget; false when it is spent (the caller holds mu).
func (s *Server) spend(p *player) bool {
	now := s.now()
	b := float64(s.budget())
	if d := now.Sub(p.filled); d > 0 {
		p.budget = min(b, p.budget+d.Seconds()*b)
		p.filled = now
	}
	if p.budget < 1 {
		return false
	}
	p.budget--
	return true
}

// datagram is one message to send on the play port.
type datagram struct {
	to  net.Addr
	msg []byte
}

// play reads the UDP port until it is closed.
func (s *Server) play() {
	defer s.wg.Done()
	buf := make([]byte, 2048)
	for {
		n, from, err := s.pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		evs, out := s.handle(buf[:n], from)
		s.emit(evs...)
		s.send(out)
	}
}

// handle takes one datagram: the events it makes and what to send.
func (s *Server) handle(b []byte, from net.Addr) ([]Event, []datagram) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(b) > MaxMessage {
		return []Event{s.count(DropOversize, 0, from)}, nil
	}
	m, err := Parse(b)
	if err != nil {
		return []Event{s.count(dropOf(err), 0, from)}, nil
	}
	if m.Type != TypeJoin && m.Type != TypeMove {
		return []Event{s.count(DropType, m.Player, from)}, nil
	}
	var p *player
	if m.Player >= 1 && m.Player <= MaxPlayers {
		p = s.players[m.Player]
	}
	switch {
	case p == nil:
		return []Event{s.count(DropForged, m.Player, from)}, nil
	case m.Type == TypeJoin && m.Token() != p.token:
		return []Event{s.count(DropForged, m.Player, from)}, nil
	case m.Type == TypeMove && (p.addr == nil || p.addr.String() != from.String()):
		return []Event{s.count(DropForged, m.Player, from)}, nil
	case !s.spend(p):
		return []Event{s.count(DropFlood, m.Player, from)}, nil
	case !Newer(m.Seq, p.lastSeq):
		return []Event{s.count(DropReplayed, m.Player, from)}, nil
	}
	p.lastSeq = m.Seq
	if m.Type == TypeJoin {
		p.addr = from
		return nil, s.states()
	}
	to := m.Point()
	dx, dy := int(to.X)-int(p.at.X), int(to.Y)-int(p.at.Y)
	if dx*dx+dy*dy != 1 || to.X >= uint16(s.Width) || to.Y >= uint16(s.Height) {
		return []Event{s.count(DropBadMove, m.Player, from)}, nil
	}
	p.at = to
	evs := []Event{{Kind: Moved, Player: p.id, Name: p.name, At: to, Remote: from}}
	var out []datagram
	for i, c := range s.coins {
		if c != to {
			continue
		}
		p.score++
		s.coins = append(s.coins[:i], s.coins[i+1:]...)
		s.coins = append(s.coins, s.freeCell())
		p.sendSeq++
		out = append(out, datagram{p.addr, PickupMessage(p.sendSeq, p.id, Pickup{At: to, Score: p.score}).Bytes()})
		evs = append(evs, Event{Kind: Picked, Player: p.id, Name: p.name, At: to, Score: p.score, Remote: from})
		break
	}
	return evs, append(out, s.states()...)
}

// states is a state message for every player that joined (the caller
// holds mu).
func (s *Server) states() []datagram {
	st := State{Coins: append([]Point{}, s.coins...)}
	for _, p := range s.players {
		if p != nil {
			st.Players = append(st.Players, Player{ID: p.id, At: p.at, HP: p.hp, Score: p.score})
		}
	}
	var out []datagram
	for _, p := range s.players {
		if p != nil && p.addr != nil {
			p.sendSeq++
			out = append(out, datagram{p.addr, StateMessage(p.sendSeq, p.id, st).Bytes()})
		}
	}
	return out
}

// send writes datagrams; one that cannot be sent is lost, as UDP's are.
func (s *Server) send(out []datagram) {
	for _, d := range out {
		s.pc.WriteTo(d.msg, d.to)
	}
}
