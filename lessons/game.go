package lessons

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/servers/game"
)

// The game-traffic lesson: a player on one host logs in to the game
// server on another, walks and picks up a coin; the learner then works
// out the game's binary protocol from the capture alone.

// gameName is the player's name when the lesson runs with --no-input.
const gameName = "student"

// gameScripted are the steps the scripted player takes before it walks to
// a coin: right, right, down.
const gameScripted = "rrd"

// gameMaxMoves is how many of the learner's letters the player walks;
// gameBudget is the server's flood budget for the lesson, above what
// those moves and the walk to a coin send in a second on any grid.
const (
	gameMaxMoves = 40
	gameBudget   = 200
	// gameTable is the most moves the lesson's table shows.
	gameTable = 8
)

// gameWait bounds each wait on the game's network (the login, a state,
// the walk to a coin), and never the learner's time to think.
const gameWait = 20 * time.Second

// gameRun is what one run of the exchange leaves for its facts.
type gameRun struct {
	name    string
	sandbox bool // the two hosts are the sandbox's, not the kernel's namespaces
}

func gameScript() course.Script {
	st := &gameRun{}
	return course.Script{
		Run:   func(ctx context.Context, n netenv.Net, h course.Hooks) error { return gameExchange(ctx, n, h, st) },
		Done:  closedConn,
		Focus: firstHandshake,
		Facts: func(c *quiz.Capture, _ quiz.Texts) map[string]any { return gameFacts(c, st) },
		Hosts: 2,
	}
}

// gameExchange runs the game server on the server's host and plays it
// from the client's: the name and the moves are the learner's (or the
// scripted player's), then the player walks to the nearest coin and
// takes it, and leaves.
func gameExchange(ctx context.Context, n netenv.Net, h course.Hooks, st *gameRun) error {
	srvNet, ok := netenv.Peer(n)
	if !ok {
		return course.ErrHostsKernel
	}
	srv := &game.Server{Net: srvNet, Host: netenv.PairServerIP, TCPPort: game.DefaultTCPPort, UDPPort: game.DefaultUDPPort,
		Rand: netenv.Rand(srvNet), Budget: gameBudget}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	defer srv.Close()
	if err := h.Ready(course.Ports{TCP: []int{game.DefaultTCPPort}, UDP: []int{game.DefaultUDPPort}, ARP: true}); err != nil {
		return err
	}
	tx := words(h)
	name := gameName
	for prompt := "game.lesson_name"; ; prompt = "game.lesson_name_again" {
		a, ok, err := h.Ask(prompt)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if a = strings.TrimSpace(a); game.CheckName(a) {
			name = a
			break
		}
	}
	st.name, st.sandbox = name, n.Name() == "sandbox"
	// Each wait on the network has its own bound: the learner's time to
	// think over the moves counts against none.
	lctx, cancel := context.WithTimeout(ctx, gameWait)
	c, err := game.Login(lctx, n, netenv.PairServerIP, game.DefaultTCPPort, game.DefaultUDPPort, name)
	cancel()
	if err != nil {
		return fmt.Errorf("log in to the game: %w", err)
	}
	defer c.Close()
	s, err := gameState(ctx, c, nil)
	if err != nil {
		return err
	}
	me, _ := c.Me(s)
	w := c.Welcome
	h.Say(tx.T("game.lesson_joined", map[string]any{"Width": w.Width, "Height": w.Height, "X": me.At.X, "Y": me.At.Y}))
	moves := gameScripted
	if a, ok, err := h.Ask("game.lesson_moves"); err != nil {
		return err
	} else if ok && strings.TrimSpace(a) != "" {
		moves = a
	}
	walled := false
	for k, r := range []rune(strings.ToLower(moves)) {
		if k == gameMaxMoves {
			h.Say(tx.T("game.lesson_enough", map[string]any{"Count": gameMaxMoves}))
			break
		}
		to, ok := w.Step(me.At, r)
		if !ok {
			if strings.ContainsRune("rlud", r) && !walled {
				// Said once for a run of steps into the same edge.
				h.Say(tx.T("game.lesson_wall", map[string]any{"X": me.At.X, "Y": me.At.Y}))
			}
			walled = walled || strings.ContainsRune("rlud", r)
			continue // not a direction, or off the grid: nothing is sent
		}
		walled = false
		if err := c.Move(to); err != nil {
			return fmt.Errorf("move: %w", err)
		}
		if s, err = gameState(ctx, c, &to); err != nil {
			return err
		}
		me, _ = c.Me(s)
		h.Say(tx.T("game.lesson_moved", map[string]any{"X": me.At.X, "Y": me.At.Y}))
	}
	h.Say(tx.T("game.lesson_fetch", nil))
	fctx, cancel := context.WithTimeout(ctx, gameWait)
	defer cancel()
	got, err := c.FetchCoin(fctx)
	if err != nil {
		return fmt.Errorf("walk to a coin: %w", err)
	}
	h.Say(tx.T("game.lesson_picked", map[string]any{"X": got.At.X, "Y": got.At.Y, "Score": got.Score}))
	return nil
}

// gameState waits for the state in which the player stands at want,
// for at most gameWait.
func gameState(ctx context.Context, c *game.Client, want *game.Point) (game.State, error) {
	ctx, cancel := context.WithTimeout(ctx, gameWait)
	defer cancel()
	s, err := c.WaitState(ctx, want)
	if err != nil {
		return s, fmt.Errorf("wait for the game's state: %w", err)
	}
	return s, nil
}

// gameMessages are the capture's game messages, one per segment or
// datagram to or from the game's ports whose payload is at least a
// message long, read from the payload's start (a segment holding two
// messages counts as its first): the bytes tcp.payload and udp.payload
// show, at the offsets the questions name.
func gameMessages(c *quiz.Capture) []gameWire {
	var out []gameWire
	for _, w := range gamePackets(c.Packets, true) {
		if len(w.raw) >= game.MinMessage {
			out = append(out, w)
		}
	}
	return out
}

// moves are the client's move messages.
func gameMoveMsgs(c *quiz.Capture) []gameWire {
	var out []gameWire
	for _, m := range gameMessages(c) {
		if m.fromClient && game.Type(m.raw[0]) == game.TypeMove && len(m.raw) == game.MinMessage+4 {
			out = append(out, m)
		}
	}
	return out
}

// spaced writes b as hex bytes apart: "03 0b 00 05".
func spaced(b []byte) string {
	h := hex.EncodeToString(b)
	var sb strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(h[i : i+2])
	}
	return sb.String()
}

// gameShown is how many of the client's moves the lesson's table shows
// (the first ones, at most gameTable): the question on the sequence
// number asks about the one after them.
func gameShown(moves []gameWire) int { return min(max(len(moves)-1, 0), gameTable) }

// gameFacts are the live values of the text: the name and its bytes,
// and the bytes of the messages the learner decodes, laid out as the
// bytes pane shows them. Numbers inside them are the learner's to read.
func gameFacts(c *quiz.Capture, st *gameRun) map[string]any {
	f := map[string]any{"Name": st.name, "Sandbox": st.sandbox, "Link": netenv.NSClientLink,
		"NameBytes": len(st.name), "NameLetters": utf8.RuneCountInString(st.name),
		"ClientIP": netenv.PairClientIP, "ServerIP": netenv.PairServerIP,
		"TCPPort": game.DefaultTCPPort, "UDPPort": game.DefaultUDPPort, "Login": "", "Moves": "", "States": ""}
	msgs := gameMessages(c)
	row := func(m gameWire) string {
		// Sixteen bytes a line, as a bytes pane shows them.
		var sb strings.Builder
		for off := 0; off < len(m.raw); off += 16 {
			label := ""
			if off == 0 {
				label = strconv.Itoa(c.Packets[m.i].Number)
			}
			fmt.Fprintf(&sb, "    %5s  %s\n", label, spaced(m.raw[off:min(off+16, len(m.raw))]))
		}
		return sb.String()
	}
	var moves, states strings.Builder
	for _, m := range msgs {
		switch {
		case m.fromClient && game.Type(m.raw[0]) == game.TypeLogin && f["Login"] == "":
			f["Login"], f["LoginFrame"] = row(m), c.Packets[m.i].Number
		case !m.fromClient && game.Type(m.raw[0]) == game.TypeState && states.Len() < 3*80:
			states.WriteString(row(m))
		}
	}
	all := gameMoveMsgs(c)
	for _, m := range all[:gameShown(all)] {
		moves.WriteString(row(m))
	}
	f["Moves"], f["States"] = strings.TrimRight(moves.String(), "\n"), strings.TrimRight(states.String(), "\n")
	f["Login"] = strings.TrimRight(f["Login"].(string), "\n")
	return f
}

// gameArpDst asks, before the capture is shown, where the first frame
// goes: the client knows the server's IP address, not its Ethernet one,
// so it asks every host on the wire (ff:ff:ff:ff:ff:ff).
func gameArpDst(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	if len(c.Packets) == 0 || !c.Packets[0].HasARP {
		return nil, false
	}
	p := &c.Packets[0]
	d := map[string]any{"Frame": p.Number, "ServerIP": netenv.PairServerIP, "ClientIP": netenv.PairClientIP}
	q := quiz.FieldQuestion("game-arp-dst", p, "eth.dst", quiz.KindText, tx, "game_arp_dst", d)
	return q, true
}

// gameArpReplyDst asks, before the capture is shown, where the ARP
// reply goes: to the asker alone, whose address the request carried.
func gameArpReplyDst(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	for i := range c.Packets {
		p := &c.Packets[i]
		if p.HasARP && p.ARP.Opcode == 2 {
			d := map[string]any{"Frame": p.Number, "ServerIP": netenv.PairServerIP, "ClientMAC": netenv.PairClientMAC}
			return quiz.FieldQuestion("game-arp-reply-dst", p, "eth.dst", quiz.KindText, tx, "game_arp_reply_dst", d), true
		}
	}
	return nil, false
}

// gameArpReply asks which Ethernet address the server's host answered
// with: the sender hardware address of the ARP reply.
func gameArpReply(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	for i := range c.Packets {
		p := &c.Packets[i]
		if p.HasARP && p.ARP.Opcode == 2 {
			d := map[string]any{"Frame": p.Number, "ServerIP": netenv.PairServerIP}
			return quiz.FieldQuestion("game-arp-reply", p, "arp.src.hw_mac", quiz.KindText, tx, "game_arp_reply", d), true
		}
	}
	return nil, false
}

// gameNameLength asks what the login's length byte (the one before the
// name) would hold for another name, in the learner's language: its
// UTF-8 bytes, not its letters. The other name is never as long as the
// learner's.
func gameNameLength(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	for _, m := range gameMessages(c) {
		if !m.fromClient || game.Type(m.raw[0]) != game.TypeLogin {
			continue
		}
		p := &c.Packets[m.i]
		yours := int(m.raw[game.HeaderLen])
		other := tx.T("quiz.game_name_length.name", nil)
		if len(other) == yours {
			// The table shows the learner's own length: a name as long
			// would be answered by reading it off.
			other = tx.T("quiz.game_name_length.name_other", nil)
		}
		d := map[string]any{"Frame": p.Number, "Other": other, "Letters": utf8.RuneCountInString(other),
			"Bytes": len(other), "Yours": yours}
		q := quiz.FieldQuestion("game-name-length", p, "tcp.payload", quiz.KindNumber, tx, "game_name_length", d)
		q.Bytes = &quiz.ByteRange{Off: game.HeaderLen, Len: 1}
		q.Add = int64(len(other)) - int64(m.raw[game.HeaderLen])
		q.Expect = q.FromField(q.Expect)
		q.Shown = q.Expect
		q.Clue = tx.T("quiz.game_name_length.clue", d)
		return q, true
	}
	return nil, false
}

// gameMoveType asks for the type byte of the client's moves: the first
// byte of the datagrams whose coordinates change as the player walks.
func gameMoveType(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	moves := gameMoveMsgs(c)
	if len(moves) == 0 {
		return nil, false
	}
	p := &c.Packets[moves[0].i]
	d := map[string]any{"Frame": p.Number, "Type": moves[0].raw[0]}
	q := quiz.FieldQuestion("game-move-type", p, "udp.payload", quiz.KindNumber, tx, "game_move_type", d)
	q.Bytes = &quiz.ByteRange{Off: 0, Len: 1}
	q.Expect = q.FromField(q.Expect)
	q.Shown = q.Expect
	return q, true
}

// gameMoveID asks for the player id the moves carry: byte 4 of the
// header, 0 in the login (no id is given yet) and the welcome's id in
// every message after it.
func gameMoveID(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	moves := gameMoveMsgs(c)
	var login *gameWire
	for _, m := range gameMessages(c) {
		if m.fromClient && game.Type(m.raw[0]) == game.TypeLogin {
			login = &m
			break
		}
	}
	if len(moves) == 0 || login == nil {
		return nil, false
	}
	p := &c.Packets[moves[0].i]
	d := map[string]any{"Frame": p.Number, "Login": c.Packets[login.i].Number, "ID": moves[0].raw[4], "Before": login.raw[4]}
	q := quiz.FieldQuestion("game-player-id", p, "udp.payload", quiz.KindNumber, tx, "game_player_id", d)
	q.Bytes = &quiz.ByteRange{Off: 4, Len: 1}
	q.Expect = q.FromField(q.Expect)
	q.Shown = q.Expect
	return q, true
}

// gameMoveX asks where a move in the table took the player along x:
// bytes 5 and 6, little-endian, which a big-endian reading gets wrong
// by a factor of 256. The move asked about is the first of the table
// whose x is not 0 (a 0 reads the same in both orders).
func gameMoveX(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	moves := gameMoveMsgs(c)
	for _, m := range moves[:gameShown(moves)] {
		x := uint16(m.raw[game.HeaderLen]) | uint16(m.raw[game.HeaderLen+1])<<8
		if x == 0 || m.raw[game.HeaderLen] == m.raw[game.HeaderLen+1] {
			continue
		}
		p := &c.Packets[m.i]
		d := map[string]any{"Frame": p.Number, "Lo": fmt.Sprintf("%02x", m.raw[game.HeaderLen]),
			"Hi": fmt.Sprintf("%02x", m.raw[game.HeaderLen+1]), "X": x,
			"Wrong": uint16(m.raw[game.HeaderLen])<<8 | uint16(m.raw[game.HeaderLen+1])}
		q := quiz.FieldQuestion("game-move-x", p, "udp.payload", quiz.KindNumber, tx, "game_move_x", d)
		q.Bytes = &quiz.ByteRange{Off: game.HeaderLen, Len: 2, Order: quiz.LittleEndian}
		q.Expect = q.FromField(q.Expect)
		q.Shown = q.Expect
		q.Clue = tx.T("quiz.game_move_x.clue", d)
		return q, true
	}
	return nil, false
}

// gameNextSeq asks for the sequence number of the client's move after
// the ones the table shows: one more than the last shown (bytes 2 and
// 3, big-endian), as the client counts every message it sends.
func gameNextSeq(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	moves := gameMoveMsgs(c)
	k := gameShown(moves)
	if k == 0 || k >= len(moves) {
		return nil, false
	}
	last, next := moves[k-1], moves[k]
	p := &c.Packets[next.i]
	seq := uint16(last.raw[2])<<8 | uint16(last.raw[3])
	d := map[string]any{"Frame": p.Number, "Last": c.Packets[last.i].Number, "Seq": seq, "Next": seq + 1}
	q := quiz.FieldQuestion("game-next-seq", p, "udp.payload", quiz.KindNumber, tx, "game_next_seq", d)
	q.Bytes = &quiz.ByteRange{Off: 2, Len: 2}
	q.Expect = q.FromField(q.Expect)
	q.Shown = q.Expect
	q.Clue = tx.T("quiz.game_next_seq.clue", d)
	return q, true
}

// gameCheck asks for the last byte of a move in the table had it gone
// one cell further along x: the check is the sum of the bytes before
// it, modulo 256, so it grows by one with x. A move whose check is 255
// (which would wrap to 0) or whose x byte is 255 is not asked about.
func gameCheck(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	moves := gameMoveMsgs(c)
	for _, m := range moves[:gameShown(moves)] {
		check, lo := m.raw[len(m.raw)-1], m.raw[game.HeaderLen]
		if check == 0xff || lo == 0xff {
			continue
		}
		p := &c.Packets[m.i]
		x := uint16(lo) | uint16(m.raw[game.HeaderLen+1])<<8
		d := map[string]any{"Frame": p.Number, "X": x, "NewX": x + 1, "Check": check, "CheckHex": fmt.Sprintf("%02x", check),
			"New": check + 1, "NewHex": fmt.Sprintf("%02x", check+1)}
		q := quiz.FieldQuestion("game-check", p, "udp.payload", quiz.KindNumber, tx, "game_check", d)
		q.Bytes = &quiz.ByteRange{Off: -1, Len: 1}
		q.Add = 1
		q.Expect = q.FromField(q.Expect)
		q.Shown = q.Expect
		q.Clue = tx.T("quiz.game_check.clue", d)
		return q, true
	}
	return nil, false
}
