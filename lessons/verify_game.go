package lessons

import (
	"context"
	"errors"
	"fmt"
	"io"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/servers/game"
)

// GameHostEnv names, in a learner's bot's environment, the host its
// game server runs on.
const GameHostEnv = "WIRETUTOR_GAME_HOST"

// gameServerPeer is the game server, for a learner's bot: logins on TCP
// 24001, play on UDP 24002, on the server's host of two (192.168.24.2)
// with ARP captured, or on the loopback of one. The bot finds the host
// in GameHostEnv.
func gameServerPeer() course.Peer {
	p := serving(course.Ports{TCP: []int{game.DefaultTCPPort}, UDP: []int{game.DefaultUDPPort}, ARP: true}, func(ctx context.Context, n netenv.Net) (io.Closer, []string, error) {
		host := "127.0.0.1"
		if srv, ok := netenv.Peer(n); ok {
			n, host = srv, netenv.PairServerIP
		}
		srv := &game.Server{Net: n, Host: host, TCPPort: game.DefaultTCPPort, UDPPort: game.DefaultUDPPort, Rand: netenv.Rand(n)}
		return srv, []string{GameHostEnv + "=" + host}, srv.Start(ctx)
	})
	p.Hosts = 2
	return p
}

// gameWire is one game message of a verify capture: the packet it
// starts in, who sent it, its bytes and what Parse made of them.
type gameWire struct {
	i          int
	fromClient bool
	raw        []byte
	m          game.Message
	err        error
}

// gameWires are the capture's game messages in order: the login
// connection's byte streams cut at each message's length byte, and
// every datagram to or from the play port.
func gameWires(e *course.Evidence) []gameWire {
	var out []gameWire
	if conns := labConns(e); len(conns) > 0 {
		c := conns[0]
		for _, fromClient := range []bool{true, false} {
			f := flowOf(e.Packets, c, fromClient)
			for off := 0; off+1 < len(f.data); {
				n := int(f.data[off+1])
				if n < game.MinMessage || off+n > len(f.data) {
					n = len(f.data) - off // what is left does not frame: one bad message
				}
				raw := f.data[off : off+n]
				i, _ := f.at(off)
				m, err := game.Parse(raw)
				out = append(out, gameWire{i: i, fromClient: fromClient, raw: raw, m: m, err: err})
				off += n
			}
		}
	}
	out = append(out, gamePackets(e.Packets, false)...)
	// In capture order; a stream's messages keep theirs.
	for a := 1; a < len(out); a++ {
		for b := a; b > 0 && out[b].i < out[b-1].i; b-- {
			out[b], out[b-1] = out[b-1], out[b]
		}
	}
	return out
}

// gamePackets are the game messages of single packets: every datagram
// to or from the play port, and with tcp every segment to or from the
// login port, each with a payload read from its start.
func gamePackets(pkts []dissect.Packet, tcp bool) []gameWire {
	var out []gameWire
	for i := range pkts {
		p := &pkts[i]
		udpGame := p.Transport == dissect.TransportUDP && (p.DstPort == game.DefaultUDPPort || p.SrcPort == game.DefaultUDPPort)
		tcpGame := tcp && p.Transport == dissect.TransportTCP && (p.DstPort == game.DefaultTCPPort || p.SrcPort == game.DefaultTCPPort)
		if len(p.Payload) == 0 || !udpGame && !tcpGame {
			continue
		}
		m, err := game.Parse(p.Payload)
		out = append(out, gameWire{i: i, fromClient: p.DstPort == game.DefaultUDPPort || p.DstPort == game.DefaultTCPPort,
			raw: p.Payload, m: m, err: err})
	}
	return out
}

// gameWelcome is the server's welcome in the capture, or nil.
func gameWelcome(ws []gameWire) *gameWire {
	for k := range ws {
		if !ws[k].fromClient && ws[k].err == nil && ws[k].m.Type == game.TypeWelcome {
			return &ws[k]
		}
	}
	return nil
}

// gameSum is the check byte the bytes before a message's last should
// have.
func gameSum(raw []byte) byte {
	var s byte
	for _, b := range raw[:len(raw)-1] {
		s += b
	}
	return s
}

// gameLogsIn: the bot's first message over TCP is a login the server
// takes, and the welcome comes back.
func gameLogsIn(e *course.Evidence) course.Finding {
	ws := gameWires(e)
	d := map[string]any{"Port": game.DefaultTCPPort}
	var login *gameWire
	for k := range ws {
		if ws[k].fromClient && e.Packets[ws[k].i].Transport == dissect.TransportTCP {
			login = &ws[k]
			break
		}
	}
	if login == nil {
		return found(false, "game.no_login", nil, d)
	}
	p := &e.Packets[login.i]
	switch {
	case errors.Is(login.err, game.ErrChecksum):
		d["Got"], d["Want"] = fmt.Sprintf("0x%02x", login.raw[len(login.raw)-1]), fmt.Sprintf("0x%02x", gameSum(login.raw))
		return found(false, "game.login_check", p, d)
	case login.err != nil && len(login.raw) >= 2:
		d["Said"], d["Len"] = int(login.raw[1]), len(login.raw)
		return found(false, "game.login_frame", p, d)
	case login.err != nil || login.m.Type != game.TypeLogin:
		d["Type"] = fmt.Sprintf("0x%02x", login.raw[0])
		return found(false, "game.login_type", p, d)
	}
	for k := range ws {
		w := &ws[k]
		if w.fromClient || w.err != nil || w.i < login.i {
			continue
		}
		switch w.m.Type {
		case game.TypeWelcome:
			d["Name"], d["ID"] = login.m.Name(), w.m.Player
			return found(true, "game.logged_in", &e.Packets[w.i], d)
		case game.TypeRefused:
			d["Reason"] = w.m.Reason()
			return found(false, "game.refused", &e.Packets[w.i], d)
		}
	}
	return found(false, "game.no_welcome", p, d)
}

// gameJoins: the bot joins the play port with the welcome's player id
// and token, and the server sends it a state.
func gameJoins(e *course.Evidence) course.Finding {
	ws := gameWires(e)
	d := map[string]any{"Port": game.DefaultUDPPort}
	wel := gameWelcome(ws)
	if wel == nil {
		return found(false, "game.no_join", nil, d)
	}
	tok := wel.m.Welcome().Token
	for k := range ws {
		w := &ws[k]
		if !w.fromClient || e.Packets[w.i].Transport != dissect.TransportUDP || len(w.raw) == 0 || w.raw[0] != byte(game.TypeJoin) {
			continue
		}
		p := &e.Packets[w.i]
		if w.err != nil || w.m.Player != wel.m.Player || w.m.Token() != tok {
			d["ID"] = wel.m.Player
			return found(false, "game.bad_join", p, d)
		}
		for _, s := range ws[k+1:] {
			if !s.fromClient && s.err == nil && s.m.Type == game.TypeState {
				d["ID"] = w.m.Player
				return found(true, "game.joined", p, d)
			}
		}
		return found(false, "game.join_unanswered", p, d)
	}
	return found(false, "game.no_join", nil, d)
}

// gameMovesCheck: a move of the bot's is one the server takes: a state after
// it shows the player on the cell it asked for.
func gameMovesCheck(e *course.Evidence) course.Finding {
	ws := gameWires(e)
	d := map[string]any{"Port": game.DefaultUDPPort}
	wel := gameWelcome(ws)
	var first *gameWire
	for k := range ws {
		w := &ws[k]
		if !w.fromClient || e.Packets[w.i].Transport != dissect.TransportUDP || len(w.raw) < game.MinMessage+4 || w.raw[0] != byte(game.TypeMove) {
			continue
		}
		if first == nil {
			first = w
		}
		if w.err != nil || wel == nil {
			continue
		}
		to := w.m.Point()
		for _, s := range ws[k+1:] {
			if s.fromClient || s.err != nil || s.m.Type != game.TypeState {
				continue
			}
			for _, pl := range s.m.State().Players {
				if pl.ID == wel.m.Player && pl.At == to {
					d["X"], d["Y"] = to.X, to.Y
					return found(true, "game.moved", &e.Packets[w.i], d)
				}
			}
		}
	}
	if first == nil {
		return found(false, "game.no_move", nil, d)
	}
	b := first.raw[game.HeaderLen:]
	d["X"], d["Y"] = uint16(b[0])|uint16(b[1])<<8, uint16(b[2])|uint16(b[3])<<8
	return found(false, "game.move_ignored", &e.Packets[first.i], d)
}

// gameCounts: every message of the bot's carries a sequence number newer
// than the one before it, over TCP and UDP alike.
func gameCounts(e *course.Evidence) course.Finding {
	n, have := 0, false
	var prev uint16
	var last *dissect.Packet
	for _, w := range gameWires(e) {
		if !w.fromClient || len(w.raw) < 4 {
			continue
		}
		seq := uint16(w.raw[2])<<8 | uint16(w.raw[3])
		p := &e.Packets[w.i]
		if have && !game.Newer(seq, prev) {
			return found(false, "game.seq_stale", p, map[string]any{"Seq": seq, "Prev": prev})
		}
		prev, have, last = seq, true, p
		n++
	}
	if n < 2 {
		return found(false, "game.seq_few", last, map[string]any{"Count": n})
	}
	return found(true, "game.counted", last, map[string]any{"Count": n, "Seq": prev})
}

// gameChecks: every message of the bot's ends in the right check byte.
func gameChecks(e *course.Evidence) course.Finding {
	n := 0
	var last *dissect.Packet
	for _, w := range gameWires(e) {
		if !w.fromClient || len(w.raw) < 2 {
			continue
		}
		p := &e.Packets[w.i]
		if want := gameSum(w.raw); w.raw[len(w.raw)-1] != want {
			return found(false, "game.check_wrong", p, map[string]any{
				"Got": fmt.Sprintf("0x%02x", w.raw[len(w.raw)-1]), "Want": fmt.Sprintf("0x%02x", want)})
		}
		n, last = n+1, p
	}
	if n == 0 {
		return found(false, "game.no_login", nil, map[string]any{"Port": game.DefaultTCPPort})
	}
	return found(true, "game.checks_ok", last, map[string]any{"Count": n})
}

// gameTakesCoin: the server tells the bot it took a coin.
func gameTakesCoin(e *course.Evidence) course.Finding {
	for _, w := range gameWires(e) {
		if !w.fromClient && w.err == nil && w.m.Type == game.TypePickup {
			pk := w.m.Pickup()
			return found(true, "game.picked", &e.Packets[w.i], map[string]any{"X": pk.At.X, "Y": pk.At.Y, "Score": pk.Score})
		}
	}
	return found(false, "game.no_pickup", nil, nil)
}
