package lessons

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/servers/echo"
)

// handshakeMessage is what the lesson's client sends, as in the lab.
const handshakeMessage = "hello server"

// echoTCP is the first lesson's script: the TCP echo exchange of the
// sockets lab, its three-way handshake, the data and its
// acknowledgements, and the FIN/ACK close.
func echoTCP() course.Script {
	return course.Script{Run: echoExchange, Done: closedConn, Snapshots: []string{"open"}, Focus: firstHandshake, Facts: handshakeFacts}
}

// echoExchange starts the echo server, then connects, sends the lab's
// message, reads the reply and closes, like the lab's client.
func echoExchange(ctx context.Context, n netenv.Net, h course.Hooks) error {
	// The lab's port, or no lesson: the text names the port the server
	// keeps, so a busy port is the learner's to free (a *listen.BindError,
	// which the command line words as "port in use").
	srv := &echo.Server{Net: n, TCPPort: echo.DefaultTCPPort, UDPPort: -1}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	defer srv.Close()
	addr := srv.TCPAddr().String()
	port := srv.TCPAddr().(*net.TCPAddr).Port
	if err := h.Ready(course.Ports{TCP: []int{port}}); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := n.Dial(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("connect to the echo server: %w", err)
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	if _, err := io.WriteString(c, handshakeMessage); err != nil {
		return fmt.Errorf("send to the echo server: %w", err)
	}
	reply := make([]byte, len(handshakeMessage))
	if _, err := io.ReadFull(c, reply); err != nil {
		return fmt.Errorf("read the echo: %w", err)
	}
	h.Snapshot("open")
	return c.Close()
}

// closedConn reports whether the capture holds a whole connection: the
// handshake, both FINs and the ACK of the second FIN.
func closedConn(pkts []dissect.Packet) bool {
	for _, c := range stream.TCPConns(pkts) {
		if connClosed(pkts, c) {
			return true
		}
	}
	return false
}

// connClosed reports whether c was seen whole: its handshake, both FINs
// and the ACK of the second FIN.
func connClosed(pkts []dissect.Packet, c *stream.Conn) bool {
	if c.SYN < 0 || c.FirstFIN < 0 {
		return false
	}
	first := &pkts[c.FirstFIN]
	for _, i := range c.Frames {
		if i <= c.FirstFIN {
			continue
		}
		p := &pkts[i]
		if p.TCP.Has(dissect.FlagFIN) && p.SrcPort != first.SrcPort {
			// The second FIN: complete once its ACK follows.
			for _, j := range c.Frames {
				q := &pkts[j]
				if j > i && q.SrcPort == first.SrcPort && q.TCP.Has(dissect.FlagACK) && q.TCP.Ack == p.TCP.NextSeq {
					return true
				}
			}
		}
	}
	return false
}

// firstHandshake is the first connection whose SYN was captured.
func firstHandshake(conns []*stream.Conn) *stream.Conn {
	for _, c := range conns {
		if c.SYN >= 0 {
			return c
		}
	}
	if len(conns) > 0 {
		return conns[0]
	}
	return nil
}

// whatIfLen is the length a what-if question puts in place of the
// message's: "had the client sent 100 bytes instead of 12".
const whatIfLen = 100

// clientData returns the index of the client's first segment with data
// in the lesson's connection, and of the first packet of the other side
// that acknowledges all of it; -1 for what the capture lacks.
func clientData(c *quiz.Capture) (data, ack int) {
	data, ack = -1, -1
	conn := c.Conn
	if conn == nil {
		return data, ack
	}
	for _, i := range conn.Frames {
		p := &c.Packets[i]
		switch {
		case data < 0 && p.TCP.Len > 0 && conn.FromClient(p):
			data = i
		case data >= 0 && !conn.FromClient(p) && p.TCP.Has(dissect.FlagACK) && p.TCP.Ack == c.Packets[data].TCP.Seq+uint32(c.Packets[data].TCP.Len):
			return data, i
		}
	}
	return data, -1
}

// ackWhatIf asks which Ack the server's acknowledgement of the client's
// first data would carry had the client sent whatIfLen bytes instead:
// that frame's tcp.ack plus the difference.
func ackWhatIf(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i, j := clientData(c)
	if j < 0 || c.Packets[i].TCP.Len == whatIfLen {
		return nil, false
	}
	data, p := &c.Packets[i], &c.Packets[j]
	d := map[string]any{
		"Frame": p.Number, "Ack": p.TCP.Ack, "DataFrame": data.Number, "DataSeq": data.TCP.Seq, "DataLen": data.TCP.Len,
		"Len": whatIfLen, "WhatIf": data.TCP.Seq + whatIfLen,
	}
	q := quiz.FieldQuestion("ack-what-if", p, "tcp.ack", quiz.KindNumber, tx, "hs_ack_what_if", d)
	return q.WhatIf(int64(whatIfLen) - int64(data.TCP.Len)), true
}

// finAck asks for the Ack that acknowledges the first FIN of the close:
// the FIN's Seq plus one, for a FIN uses up a number as a SYN does. Its
// answer takes two frames: the FIN's Seq, and the packet that
// acknowledges it.
func finAck(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	conn := c.Conn
	if conn == nil || conn.FirstFIN < 0 {
		return nil, false
	}
	fin := &c.Packets[conn.FirstFIN]
	whoOf, peer := tx.T("word.client_of", nil), tx.T("word.server", nil)
	if !conn.FromClient(fin) {
		whoOf, peer = tx.T("word.server_of", nil), tx.T("word.client", nil)
	}
	for _, i := range conn.Frames {
		p := &c.Packets[i]
		if i > conn.FirstFIN && conn.FromClient(p) != conn.FromClient(fin) && p.TCP.Has(dissect.FlagACK) && p.TCP.Ack == fin.TCP.NextSeq {
			d := map[string]any{"Frame": p.Number, "Ack": p.TCP.Ack, "FinFrame": fin.Number, "FinSeq": fin.TCP.Seq, "WhoOf": whoOf, "Peer": peer}
			return quiz.FieldQuestion("fin-acked", p, "tcp.ack", quiz.KindNumber, tx, "hs_fin_ack", d), true
		}
	}
	return nil, false
}

// handshakeFacts are the live values the lesson's text shows.
func handshakeFacts(c *quiz.Capture, tx quiz.Texts) map[string]any {
	f := map[string]any{}
	conn := c.Conn
	if conn == nil || conn.SYN < 0 || conn.SYNACK < 0 {
		return f
	}
	syn, synack := &c.Packets[conn.SYN], &c.Packets[conn.SYNACK]
	f["ServerAddr"] = netip.AddrPort(conn.Server).String()
	f["ClientPort"] = conn.Client.Port()
	f["ServerPort"] = conn.Server.Port()
	f["SynFrame"] = syn.Number
	f["SynAckFrame"] = synack.Number
	f["ClientISN"] = syn.TCP.SeqRaw
	f["ServerISN"] = synack.TCP.SeqRaw
	f["ClientISNNext"] = syn.TCP.SeqRaw + 1
	f["ServerISNNext"] = synack.TCP.SeqRaw + 1
	f["SynWin"] = syn.TCP.Window
	f["MSS"], f["WS"] = 0, 1
	for _, o := range syn.TCP.Options {
		switch o.Kind {
		case dissect.OptMSS:
			f["MSS"] = o.A
		case dissect.OptWS:
			f["WS"] = dissect.WSMultiplier(o.A)
		}
	}
	if conn.HandshakeACK >= 0 {
		f["AckFrame"] = c.Packets[conn.HandshakeACK].Number
	}
	for _, i := range conn.Frames {
		p := &c.Packets[i]
		if p.TCP.Len == 0 {
			continue
		}
		if conn.FromClient(p) {
			if _, ok := f["DataFrame"]; !ok {
				f["DataFrame"], f["DataSeq"], f["DataLen"] = p.Number, p.TCP.Seq, p.TCP.Len
				f["Message"] = string(p.Payload)
				f["DataNext"] = p.TCP.NextSeq
			}
		} else if _, ok := f["ReplyFrame"]; !ok {
			f["ReplyFrame"], f["Reply"] = p.Number, string(p.Payload)
		}
	}
	if dn, ok := f["DataNext"].(uint32); ok {
		for _, i := range conn.Frames {
			p := &c.Packets[i]
			if !conn.FromClient(p) && p.TCP.Has(dissect.FlagACK) && p.TCP.Ack == dn {
				f["DataAckFrame"] = p.Number
				break
			}
		}
	}
	f["Retransmitted"] = false
	for _, i := range conn.Frames {
		p := &c.Packets[i]
		if p.TCP.Analysis == 0 {
			continue
		}
		for _, j := range conn.Frames {
			q := &c.Packets[j]
			same := q.TCP.SeqRaw == p.TCP.SeqRaw && q.TCP.Len == p.TCP.Len &&
				q.TCP.Flags&(dissect.FlagSYN|dissect.FlagFIN) == p.TCP.Flags&(dissect.FlagSYN|dissect.FlagFIN)
			if j < i && same && conn.FromClient(q) == conn.FromClient(p) {
				who := tx.T("word.client", nil)
				if !conn.FromClient(p) {
					who = tx.T("word.server", nil)
				}
				f["Retransmitted"], f["LostFrame"], f["RetransFrame"], f["RetransWho"] = true, q.Number, p.Number, who
				f["RetransMillis"] = p.Time.Sub(q.Time).Milliseconds()
				break
			}
		}
		break
	}
	steps, combined := closeSteps(c, tx)
	f["CloseSteps"], f["CloseCombined"], f["CloseCrossed"] = steps, combined, closeCrossed(c)
	return f
}

// closeCrossed reports whether the two FINs crossed: the second one left
// before the first reached its sender (its Ack does not count the first
// FIN), so both ends closed at once and both wait in TIME_WAIT.
func closeCrossed(c *quiz.Capture) bool {
	conn := c.Conn
	if conn == nil || conn.FirstFIN < 0 {
		return false
	}
	first := &c.Packets[conn.FirstFIN]
	for _, i := range conn.Frames {
		if p := &c.Packets[i]; i > conn.FirstFIN && p.TCP.Has(dissect.FlagFIN) && conn.FromClient(p) != conn.FromClient(first) {
			return p.TCP.Ack != first.TCP.NextSeq
		}
	}
	return false
}

// closeSteps describes the close packet by packet, from the first FIN
// on, as a markdown list in the learner's language; combined reports
// whether one packet carried both the second FIN and the ACK of the
// first (a three-packet close).
func closeSteps(c *quiz.Capture, tx quiz.Texts) (string, bool) {
	conn := c.Conn
	if conn.FirstFIN < 0 {
		return "", false
	}
	// side names the sender, the receiver, and the receiver as owner
	// ("the client's", "клиента").
	side := func(p *dissect.Packet) (string, string, string) {
		if conn.FromClient(p) {
			return tx.T("word.client", nil), tx.T("word.server", nil), tx.T("word.server_of", nil)
		}
		return tx.T("word.server", nil), tx.T("word.client", nil), tx.T("word.client_of", nil)
	}
	var b strings.Builder
	combined := false
	finEnd := map[bool]uint32{} // the NextSeq of each side's FIN, by "from client"
	n := 0
	for _, i := range conn.Frames {
		if i < conn.FirstFIN {
			continue
		}
		p := &c.Packets[i]
		fromClient := conn.FromClient(p)
		peerFin, peerClosed := finEnd[!fromClient]
		acksFin := peerClosed && p.TCP.Has(dissect.FlagACK) && p.TCP.Ack == peerFin
		var meaning string
		switch {
		case p.TCP.Has(dissect.FlagFIN) && n == 0:
			meaning = "close.fin_first"
		case p.TCP.Has(dissect.FlagFIN) && acksFin:
			meaning, combined = "close.fin_and_ack", true
		case p.TCP.Has(dissect.FlagFIN):
			meaning = "close.fin_too"
		case acksFin:
			meaning = "close.ack_fin"
		default:
			meaning = "close.plain_ack"
		}
		if p.TCP.Has(dissect.FlagFIN) {
			finEnd[fromClient] = p.TCP.NextSeq
		}
		from, to, toOf := side(p)
		n++
		fmt.Fprintf(&b, "%d. %s\n", n, tx.T("close.step", map[string]any{
			"Frame": p.Number, "Flags": quiz.FlagsText(p.TCP.Flags), "From": from, "To": to,
			"Seq": p.TCP.Seq, "Ack": p.TCP.Ack, "Meaning": tx.T(meaning, map[string]any{"Who": from, "PeerOf": toOf}),
		}))
	}
	return strings.TrimRight(b.String(), "\n"), combined
}
