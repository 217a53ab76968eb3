package lessons

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/servers/echo"
)

// closedPort is where nothing listens, for the refused connection.
const closedPort = 10009

// teardown closes connections every way TCP can: FIN both ways, a
// half-close, a reset, a refused connect.
func teardown() course.Script {
	return course.Script{
		Run: teardownExchange,
		Done: func(pkts []dissect.Packet) bool {
			rst := 0
			for i := range pkts {
				if pkts[i].Transport == dissect.TransportTCP && pkts[i].TCP.Has(dissect.FlagRST) {
					rst++
				}
			}
			return rst >= 2 && closedConn(pkts)
		},
		Focus: firstHandshake,
		Facts: teardownFacts,
	}
}

// linger is a connection whose close can be made abortive.
type linger interface{ SetLinger(sec int) error }

// teardownExchange makes four connections to the echo server's port:
// one closed in order, one half-closed, one aborted, and one to a port
// where nothing listens.
func teardownExchange(ctx context.Context, n netenv.Net, h course.Hooks) error {
	srv := &echo.Server{Net: n, TCPPort: echo.DefaultTCPPort, UDPPort: -1}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	defer srv.Close()
	addr := srv.TCPAddr().String()
	if err := h.Ready(course.Ports{TCP: []int{echo.DefaultTCPPort, closedPort}}); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	dl, _ := ctx.Deadline()
	dial := func() (net.Conn, error) {
		c, err := n.Dial(ctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("connect to the echo server: %w", err)
		}
		c.SetDeadline(dl)
		return c, nil
	}

	// 1. The orderly close: the client closes when it has its answer.
	c, err := dial()
	if err != nil {
		return err
	}
	io.WriteString(c, "bye")
	io.ReadFull(c, make([]byte, 3))
	c.Close()
	time.Sleep(20 * time.Millisecond)

	// 2. The half-close: the client shuts its sending side and reads on.
	c, err = dial()
	if err != nil {
		return err
	}
	corkSends(c) // the data leaves with the FIN: the echo comes after it
	io.WriteString(c, "last words")
	if hc, ok := c.(netenv.HalfCloser); ok {
		hc.CloseWrite()
	}
	io.ReadAll(c) // the server still sends "LAST WORDS", then its FIN
	c.Close()
	time.Sleep(20 * time.Millisecond)

	// 3. The abort: the client closes at once, with the answer unread
	// (and, where it can, SO_LINGER 0): the stack sends RST, not FIN.
	c, err = dial()
	if err != nil {
		return err
	}
	io.WriteString(c, "oops")
	time.Sleep(20 * time.Millisecond) // the answer arrives; nobody reads it
	if l, ok := c.(linger); ok {
		l.SetLinger(0)
	}
	c.Close()
	time.Sleep(20 * time.Millisecond)

	// 4. A closed port: the SYN is answered by RST.
	_, err = n.Dial(ctx, "tcp", fmt.Sprintf("127.0.0.1:%d", closedPort))
	if err == nil || !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("connecting to a closed port: %v", err)
	}
	return nil
}

// orderly is the close of the lesson's connection: the first FIN, the
// other end's FIN, the ACK of that (the last packet), each an index
// into the packets or -1, and the states after each frame.
type orderly struct {
	conn                *stream.Conn
	first, second, last int
	steps               []stream.Step
}

// closeOf finds the orderly close of conn: its first FIN, the other
// end's FIN, and the packet that acknowledges that.
func closeOf(pkts []dissect.Packet, conn *stream.Conn) orderly {
	o := orderly{conn: conn, first: -1, second: -1, last: -1}
	if conn == nil || conn.FirstFIN < 0 || conn.RST >= 0 {
		return o
	}
	o.first = conn.FirstFIN
	o.steps = conn.States(pkts)
	closer := conn.FromClient(&pkts[o.first])
	for _, s := range o.steps {
		p := &pkts[s.Index]
		if s.Index <= o.first || conn.FromClient(p) == closer {
			continue
		}
		if p.TCP.Has(dissect.FlagFIN) {
			o.second = s.Index
			break
		}
	}
	if o.second >= 0 {
		fin := &pkts[o.second].TCP
		for _, s := range o.steps {
			p := &pkts[s.Index]
			if s.Index > o.second && conn.FromClient(p) == closer && p.TCP.Has(dissect.FlagACK) && p.TCP.Ack == fin.NextSeq {
				o.last = s.Index
				break
			}
		}
	}
	return o
}

// state is the state of the closer's end (closer true) or the other's
// after packet i.
func (o *orderly) state(pkts []dissect.Packet, i int, closer bool) stream.State {
	for _, s := range o.steps {
		if s.Index == i {
			return s.End(o.conn.FromClient(&pkts[o.first]) == closer).State
		}
	}
	return ""
}

// teardownFacts are the live values the lesson's text shows: the close
// of the first connection with each end's state after each packet, the
// half-close, the abort and the refusal. The text shows none of them
// before the question it would answer.
func teardownFacts(c *quiz.Capture, tx quiz.Texts) map[string]any {
	f := map[string]any{"HalfSeen": false, "AbortSeen": false, "RefusedSeen": false, "SentAfterFin": false, "FinWithData": false,
		"CloseSeen": false, "CloseCombined": false, "ClosedPort": closedPort}
	if c.Conn != nil {
		f["ClientPort"], f["ServerPort"] = c.Conn.Client.Port(), c.Conn.Server.Port()
	}
	word := func(client bool) string {
		if client {
			return tx.T("word.client", nil)
		}
		return tx.T("word.server", nil)
	}
	if o := closeOf(c.Packets, c.Conn); o.last >= 0 {
		// The rows of a markdown table whose head the text writes:
		// frame, flags, from → to, and each end's state after it.
		var rows strings.Builder
		n := 0
		for _, s := range o.steps {
			if s.Index < o.first || s.Index > o.last {
				continue
			}
			p := &c.Packets[s.Index]
			client := o.conn.FromClient(p)
			fmt.Fprintf(&rows, "| %d | %s | %s → %s | %s | %s |\n", p.Number, quiz.FlagsText(p.TCP.Flags), word(client), word(!client), s.Client.State, s.Server.State)
			n++
		}
		f["CloseSeen"], f["CloseTable"], f["ClosePackets"] = true, strings.TrimSuffix(rows.String(), "\n"), n
		f["CloseCombined"] = n == 3
		f["Closer"], f["Other"] = word(o.conn.FromClient(&c.Packets[o.first])), word(!o.conn.FromClient(&c.Packets[o.first]))
		f["CloserEnd"], f["OtherEnd"] = string(o.state(c.Packets, o.last, true)), string(o.state(c.Packets, o.last, false))
	}
	for _, conn := range stream.TCPConns(c.Packets) {
		switch {
		case conn.SYN >= 0 && conn.SYNACK < 0 && conn.RST >= 0:
			// Refused: its SYN was answered by RST, not SYN, ACK.
			f["RefusedSeen"], f["ClosedPort"] = true, conn.Server.Port()
			f["RefusedSynFrame"], f["RefusedRSTFrame"] = c.Packets[conn.SYN].Number, c.Packets[conn.RST].Number
		case conn.RST >= 0:
			f["AbortSeen"], f["AbortStream"] = true, conn.Stream
		case c.Conn != nil && conn.Stream != c.Conn.Stream && conn.FirstFIN >= 0 && !f["HalfSeen"].(bool):
			f["HalfSeen"], f["HalfFinFrame"] = true, c.Packets[conn.FirstFIN].Number
			f["FinWithData"] = c.Packets[conn.FirstFIN].TCP.Len > 0
			if i := sentAfterFIN(c.Packets, conn); i >= 0 {
				p := &c.Packets[i]
				f["SentAfterFin"], f["AfterFinFrame"], f["AfterFinText"] = true, p.Number, string(p.Payload)
			}
		}
	}
	return f
}

// sentAfterFIN is the index of the first packet with data the server
// sent after the client's FIN, or -1.
func sentAfterFIN(pkts []dissect.Packet, conn *stream.Conn) int {
	if conn.FirstFIN < 0 || !conn.FromClient(&pkts[conn.FirstFIN]) {
		return -1
	}
	for _, i := range conn.Frames {
		if p := &pkts[i]; i > conn.FirstFIN && !conn.FromClient(p) && p.TCP.Len > 0 {
			return i
		}
	}
	return -1
}

// halfClosed is the connection of the half-close: the first after the
// lesson's own whose client sent a FIN and then still received data.
func halfClosed(c *quiz.Capture) *stream.Conn {
	for _, conn := range stream.TCPConns(c.Packets) {
		if (c.Conn == nil || conn.Stream != c.Conn.Stream) && conn.RST < 0 && sentAfterFIN(c.Packets, conn) >= 0 {
			return conn
		}
	}
	return nil
}

// closeState asks, before the capture is shown, for the state of the
// closer's end (closer true) or the other's after packet i of the
// orderly close: want is the state the lesson's rules give, and a
// capture whose close went otherwise (the FINs crossed) gets no such
// question rather than one its rules cannot answer.
func closeState(c *quiz.Capture, tx quiz.Texts, o orderly, i int, closer bool, want stream.State, id string) (*quiz.Question, bool) {
	if i < 0 || o.state(c.Packets, i, closer) != want {
		return nil, false
	}
	first := &c.Packets[o.first]
	client := o.conn.FromClient(first) == closer
	closerWord, other := tx.T("word.client", nil), tx.T("word.server", nil)
	closerOf, otherOf := tx.T("word.client_of", nil), tx.T("word.server_of", nil)
	if !o.conn.FromClient(first) {
		closerWord, other, closerOf, otherOf = other, closerWord, otherOf, closerOf
	}
	d := map[string]any{"Closer": closerWord, "Other": other, "CloserOf": closerOf, "OtherOf": otherOf, "FinFrame": first.Number}
	return quiz.StateQuestion(c, o.conn, i, client, tx, id, d)
}

// closerAfterFIN: the end that sends the first FIN is in FIN_WAIT1.
func closerAfterFIN(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	o := closeOf(c.Packets, c.Conn)
	return closeState(c, tx, o, o.first, true, stream.FinWait1, "teardown_closer_fin")
}

// otherAfterFIN: the end that receives the first FIN is in CLOSE_WAIT.
func otherAfterFIN(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	o := closeOf(c.Packets, c.Conn)
	return closeState(c, tx, o, o.first, false, stream.CloseWait, "teardown_other_fin")
}

// otherAfterOwnFIN: the other end, sending its FIN from CLOSE_WAIT, is
// in LAST_ACK.
func otherAfterOwnFIN(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	o := closeOf(c.Packets, c.Conn)
	return closeState(c, tx, o, o.second, false, stream.LastAck, "teardown_other_fin2")
}

// closerAfterLastACK: once the last ACK is sent, the end that closed
// first waits in TIME_WAIT.
func closerAfterLastACK(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	o := closeOf(c.Packets, c.Conn)
	return closeState(c, tx, o, o.last, true, stream.TimeWait, "teardown_closer_last")
}

// halfCloseState asks which state the client of the half-close is in
// once the server has sent it data after its FIN was acknowledged: the
// capture says. Where the server's data crossed the FIN (the sandbox
// sends them apart, and a busy machine may answer before the FIN is
// read), the first data frame after the FIN's ACK is asked about; a
// capture with none gets no question, as its explanation names the ACK.
func halfCloseState(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	conn := halfClosed(c)
	if conn == nil {
		return nil, false
	}
	for _, s := range conn.States(c.Packets) {
		p := &c.Packets[s.Index]
		if s.Index <= conn.FirstFIN || conn.FromClient(p) || p.TCP.Len == 0 || s.Client.FINAcked < 0 {
			continue
		}
		d := map[string]any{"FinFrame": c.Packets[conn.FirstFIN].Number, "Text": string(p.Payload),
			"AckFrame": c.Packets[s.Client.FINAcked].Number}
		return quiz.StateQuestion(c, conn, s.Index, true, tx, "teardown_half_close", d)
	}
	return nil, false
}

// altMessage is what the what-if question has the client send instead.
const altMessage = "goodbye"

// finAckWhatIf: had the client sent altMessage instead of its message,
// the other end's FIN would acknowledge that many more bytes.
func finAckWhatIf(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	o := closeOf(c.Packets, c.Conn)
	if o.second < 0 {
		return nil, false
	}
	var text []byte
	closer := o.conn.FromClient(&c.Packets[o.first])
	for _, i := range o.conn.Frames {
		if p := &c.Packets[i]; i <= o.first && o.conn.FromClient(p) == closer {
			text = append(text, p.Payload...)
		}
	}
	add := int64(len(altMessage) - len(text))
	if len(text) == 0 || add == 0 {
		return nil, false
	}
	fin, p := &c.Packets[o.first], &c.Packets[o.second]
	d := map[string]any{"Frame": p.Number, "Text": string(text), "Len": len(text), "Alt": altMessage, "AltLen": len(altMessage),
		"FinSeq": int64(fin.TCP.Seq) + add, "Ack": int64(p.TCP.Ack) + add}
	return quiz.FieldQuestion("fin-ack-what-if", p, "tcp.ack", quiz.KindNumber, tx, "teardown_fin_ack_what_if", d).WhatIf(add), true
}

// serverFirstPort: had the server closed first, its socket would be the
// one in TIME_WAIT: the port the first FIN went to.
func serverFirstPort(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	o := closeOf(c.Packets, c.Conn)
	if o.first < 0 || !o.conn.FromClient(&c.Packets[o.first]) {
		return nil, false
	}
	p := &c.Packets[o.first]
	d := map[string]any{"Frame": p.Number, "SrcPort": p.SrcPort, "DstPort": p.DstPort}
	q := quiz.FieldQuestion("server-first-time-wait", p, "tcp.dstport", quiz.KindNumber, tx, "teardown_server_first", d)
	q.Clue = tx.T("quiz.teardown_server_first.clue", d) // the field's frame would be the answer
	return q, true
}
