package game_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/servers/game"
)

// start runs a game on a fresh sandbox with a clock that stands still,
// so the flood budget is exactly Budget messages.
func start(t *testing.T, mod func(*game.Server)) (*game.Server, *netenv.Sandbox) {
	t.Helper()
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	now := time.Unix(1000, 0)
	srv := &game.Server{Net: sb, Rand: bytes.NewReader(bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7}, 200)), Now: func() time.Time { return now }}
	if mod != nil {
		mod(srv)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, sb
}

func ports(t *testing.T, srv *game.Server) (int, int) {
	t.Helper()
	return srv.TCPAddr().(*net.TCPAddr).Port, srv.UDPAddr().(*net.UDPAddr).Port
}

func login(t *testing.T, srv *game.Server, d game.Dialer, name string) *game.Client {
	t.Helper()
	tp, up := ports(t, srv)
	c, err := game.Login(ctx(t), d, "127.0.0.1", tp, up, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// ctx ends when the test does, or after a minute: a bound on a broken
// run, never a timing the test depends on.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// state waits for the next state, skipping pickups.
func state(t *testing.T, c *game.Client) (game.Message, game.State) {
	t.Helper()
	for {
		m, err := c.Next(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		if m.Type == game.TypeState {
			return m, m.State()
		}
	}
}

// TestPlay: a player logs in, joins, walks to a coin and takes it; the
// server's counter to it goes up by one on every message, and a second
// player sees the first.
func TestPlay(t *testing.T) {
	srv, sb := start(t, nil)
	a := login(t, srv, sb, "ada")
	if a.ID == 0 || a.Welcome.Width != game.DefaultWidth || a.Welcome.HP != game.StartHP {
		t.Fatalf("welcome: id %d %+v", a.ID, a.Welcome)
	}
	m, s := state(t, a)
	if m.Seq != 2 || len(s.Players) != 1 || s.Players[0].At != a.Welcome.At || len(s.Coins) != game.DefaultCoins {
		t.Fatalf("first state: seq %d %+v", m.Seq, s)
	}
	c := ctx(t)
	got, err := a.FetchCoin(c)
	if err != nil || got.Score != 1 {
		t.Fatalf("fetch: %+v %v", got, err)
	}
	m, s = state(t, a)
	if me, _ := a.Me(s); me.At != got.At || me.Score != 1 || len(s.Coins) != game.DefaultCoins {
		t.Fatalf("after the pickup: %+v", s)
	}
	if srv.Stats().Total() != 0 {
		t.Fatalf("dropped: %+v", srv.Stats())
	}
	b := login(t, srv, sb, "bob")
	_, s = state(t, b)
	if len(s.Players) != 2 {
		t.Fatalf("bob sees %+v", s)
	}
	if _, s = state(t, a); len(s.Players) != 2 {
		t.Fatalf("ada sees %+v", s)
	}
	b.Close()
	if _, s = state(t, a); len(s.Players) != 1 {
		t.Fatalf("after bob left, ada sees %+v", s)
	}
}

// TestLoginRefused: names that may not play, and a full game, are
// refused with their reason.
func TestLoginRefused(t *testing.T) {
	srv, sb := start(t, nil)
	login(t, srv, sb, "ada")
	tp, up := ports(t, srv)
	for _, tc := range []struct {
		name   string
		reason uint8
	}{
		{"", game.ReasonBadName},
		{"a b", game.ReasonBadName},
		{"aaaaaaaaaaaaaaaaa", game.ReasonBadName},
		{"\xff", game.ReasonBadName},
		{"ada", game.ReasonNameTaken},
	} {
		_, err := game.Login(ctx(t), sb, "127.0.0.1", tp, up, tc.name)
		var r *game.RefusedError
		if !errors.As(err, &r) || r.Reason != tc.reason {
			t.Errorf("%q: %v", tc.name, err)
		}
	}
	for i := 2; i <= game.MaxPlayers; i++ {
		login(t, srv, sb, "p"+strconv.Itoa(i))
	}
	_, err := game.Login(ctx(t), sb, "127.0.0.1", tp, up, "late")
	var r *game.RefusedError
	if !errors.As(err, &r) || r.Reason != game.ReasonFull {
		t.Errorf("a ninth player: %v", err)
	}
}

// TestHostile: every kind of bad datagram is dropped and counted under
// its reason, and the honest player keeps playing.
func TestHostile(t *testing.T) {
	srv, sb := start(t, func(s *game.Server) { s.Budget = 20 })
	a := login(t, srv, sb, "ada")
	_, s := state(t, a)
	me, _ := a.Me(s)
	_, up := ports(t, srv)
	mallory, err := sb.Dial(ctx(t), "udp", "127.0.0.1:"+strconv.Itoa(up))
	if err != nil {
		t.Fatal(err)
	}
	defer mallory.Close()
	bad := func(b []byte) []byte { b[len(b)-1]++; return b }
	for _, tc := range []struct {
		name string
		msg  []byte
		drop game.Drop
	}{
		{"empty", []byte{}, game.DropShort},
		{"short", []byte{3, 4, 0, 1, 1}, game.DropShort},
		{"oversize", make([]byte, 300), game.DropOversize},
		{"length", append(game.MoveMessage(9, a.ID, me.At).Bytes(), 0), game.DropLength},
		{"checksum", bad(game.MoveMessage(9, a.ID, me.At).Bytes()), game.DropChecksum},
		{"type", game.Message{Type: 0x7f, Seq: 9, Player: a.ID}.Bytes(), game.DropType},
		{"server type", game.PickupMessage(9, a.ID, game.Pickup{}).Bytes(), game.DropType},
		{"body", game.Message{Type: game.TypeMove, Seq: 9, Player: a.ID, Body: []byte{1}}.Bytes(), game.DropBody},
		{"forged id", game.MoveMessage(9, a.ID, game.Toward(me.At, game.Point{})).Bytes(), game.DropForged},
		{"no such player", game.MoveMessage(9, 7, me.At).Bytes(), game.DropForged},
		{"wrong token", game.JoinMessage(9, a.ID, game.Token{9, 9, 9, 9}).Bytes(), game.DropForged},
	} {
		before := srv.Stats()[tc.drop]
		if _, err := mallory.Write(tc.msg); err != nil {
			t.Fatal(err)
		}
		// The server takes datagrams in order: the honest move after the
		// bad one is answered only once the bad one was counted.
		next := game.Toward(me.At, game.Point{X: game.DefaultWidth / 2, Y: game.DefaultHeight / 2})
		if next == me.At {
			next.X++
		}
		if err := a.Move(next); err != nil {
			t.Fatal(err)
		}
		for {
			_, s = state(t, a)
			if me2, _ := a.Me(s); me2.At == next {
				me = me2
				break
			}
		}
		if got := srv.Stats()[tc.drop]; got != before+1 {
			t.Errorf("%s: %s counted %d, was %d; all: %v", tc.name, tc.drop, got, before, srv.Stats())
		}
	}
	// Replays and bad steps come from the player itself.
	a.Send(game.MoveMessage(1, a.ID, me.At))
	a.Move(game.Point{X: me.At.X + 2, Y: me.At.Y})
	step := game.Toward(me.At, game.Point{})
	if step == me.At {
		step.X++
	}
	a.Move(game.Point{X: 60000, Y: 60000}) // seq taken, step refused
	a.Move(step)
	for {
		_, s = state(t, a)
		if me2, _ := a.Me(s); me2.At == step {
			break
		}
	}
	st := srv.Stats()
	if st[game.DropReplayed] != 1 || st[game.DropBadMove] != 2 {
		t.Errorf("replay and bad moves: %v", st)
	}
	// A flood spends the budget: with the clock standing still, exactly
	// Budget messages of the player's are taken in all; the rest drop.
	// The join, every move and the replay spent one; the login is TCP.
	taken := int(a.Seq()) - 1 + 1
	for range 100 {
		a.Move(game.Point{X: 60000, Y: 60000})
	}
	b := login(t, srv, sb, "bob") // another player is not held up
	if _, s := state(t, b); len(s.Players) != 2 {
		t.Fatalf("bob sees %+v", s)
	}
	st = srv.Stats()
	if want := 100 - (20 - taken); st[game.DropFlood] != want {
		t.Errorf("flood: %d dropped, want %d (taken before %d): %v", st[game.DropFlood], want, taken, st)
	}
}

// TestTCPGarbage: a login connection that sends garbage or keeps
// talking after its welcome is refused and closed, one that ends
// mid-message is closed, and the game goes on.
func TestTCPGarbage(t *testing.T) {
	srv, sb := start(t, func(s *game.Server) { s.LoginTimeout = time.Hour })
	tp, _ := ports(t, srv)
	addr := "127.0.0.1:" + strconv.Itoa(tp)
	var wg sync.WaitGroup
	for _, tc := range []struct {
		name    string
		send    []byte
		refused bool
	}{
		{"http", []byte("GET / HTTP/1.0\r\n" + strings.Repeat("X-Pad: 1\r\n", 10)), true},
		{"short", []byte{1, 2}, true},
		{"move", game.MoveMessage(1, 1, game.Point{}).Bytes(), true},
		{"cut", []byte{1}, false},
	} {
		c, err := sb.Dial(ctx(t), "tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.Write(tc.send)
		c.(interface{ CloseWrite() error }).CloseWrite()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			m, err := game.ReadMessage(c)
			if !tc.refused {
				if err == nil {
					t.Errorf("%s: answered %+v", tc.name, m)
				}
				return
			}
			if err != nil || m.Type != game.TypeRefused || m.Reason() != game.ReasonBadLogin {
				t.Errorf("%s: %+v %v", tc.name, m, err)
			}
		}()
	}
	wg.Wait()
	a := login(t, srv, sb, "ada")
	state(t, a)
	if st := srv.Stats(); st.Total() != 3 || st[game.DropChecksum] != 1 || st[game.DropShort] != 1 || st[game.DropType] != 1 {
		t.Errorf("counted %v", st)
	}
}

// TestLoginTimeout: a connection that never logs in is closed.
func TestLoginTimeout(t *testing.T) {
	srv, sb := start(t, func(s *game.Server) { s.LoginTimeout = time.Millisecond })
	tp, _ := ports(t, srv)
	c, err := sb.Dial(ctx(t), "tcp", "127.0.0.1:"+strconv.Itoa(tp))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("read: %v", err)
	}
}

// TestGone: when the server stops, the client learns it from the login
// connection's close, with no move sent: Next says ErrGone. A client
// that leaves by itself is not told the server went.
func TestGone(t *testing.T) {
	for _, who := range []string{"server", "client"} {
		t.Run(who, func(t *testing.T) {
			srv, sb := start(t, nil)
			c := login(t, srv, sb, "ada")
			state(t, c)
			if who == "server" {
				srv.Close()
			} else {
				c.Close()
			}
			var err error
			for err == nil {
				_, err = c.Next(ctx(t))
			}
			if got := errors.Is(err, game.ErrGone); got != (who == "server") {
				t.Errorf("Next after the %s closed: %v", who, err)
			}
		})
	}
}
