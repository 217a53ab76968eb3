package lessons

import (
	"context"
	"fmt"
	"io"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/servers/listen"
)

// receiverPort is the one-shot receiver's port, as in the lab.
const receiverPort = 24000

// senderMessage is what the sender sends.
const senderMessage = "x=12 y=7 fire"

// oneShot is the sockets lab's pair of programs: a receiver that binds
// port 24000 and accepts once, and a sender.
func oneShot() course.Script {
	return course.Script{Run: oneShotExchange, Done: closedConn, Snapshots: []string{"before", "open"}, Focus: firstHandshake, Facts: socketsFacts}
}

// oneShotExchange is the lab's pair: the receiver binds 24000, accepts
// one connection and reads until the sender closes; the sender connects
// without binding, sends, and closes.
func oneShotExchange(ctx context.Context, n netenv.Net, h course.Hooks) error {
	ln, err := listen.TCP(ctx, n, "", receiverPort)
	if err != nil {
		return err
	}
	defer ln.Close() // one-shot: it accepts once, and stops when it is done
	if err := h.Ready(course.Ports{TCP: []int{receiverPort}}); err != nil {
		return err
	}
	h.Snapshot("before")
	got := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- err
			return
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		_, err = io.ReadAll(c)
		c.Close()
		got <- err
	}()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := n.Dial(ctx, "tcp", ln.Addr().String())
	if err != nil {
		return fmt.Errorf("connect to the receiver: %w", err)
	}
	if _, err := io.WriteString(c, senderMessage); err != nil {
		c.Close()
		return fmt.Errorf("send: %w", err)
	}
	time.Sleep(20 * time.Millisecond) // let the receiver's ACK go by
	h.Snapshot("open")
	c.Close()
	return <-got
}

func socketsFacts(c *quiz.Capture, tx quiz.Texts) map[string]any {
	f := handshakeFacts(c, tx) // the message, from the capture
	if c.Conn != nil {
		f["ReceiverPort"] = c.Conn.Server.Port()
	}
	return f
}

// acceptedPort asks from which port the receiver's acknowledgement of
// the sender's data comes: the socket accept() returned is new, its port
// is the listening one's.
func acceptedPort(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i, j := clientData(c)
	if j < 0 {
		return nil, false
	}
	p := &c.Packets[j]
	d := map[string]any{"Frame": p.Number, "SrcPort": p.SrcPort, "DstPort": p.DstPort, "DataFrame": c.Packets[i].Number}
	return quiz.FieldQuestion("accepted-port", p, "tcp.srcport", quiz.KindNumber, tx, "sockets_accepted_port", d), true
}

// clientSocketPort asks for the local port of the sender's socket, which
// the learner finds in the socket table: the source port of its SYN.
func clientSocketPort(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	if c.Conn == nil || c.Conn.SYN < 0 {
		return nil, false
	}
	p := &c.Packets[c.Conn.SYN]
	d := map[string]any{"Frame": p.Number, "SrcPort": p.SrcPort, "DstPort": p.DstPort}
	return quiz.FieldQuestion("client-socket-port", p, "tcp.srcport", quiz.KindNumber, tx, "sockets_client_port", d), true
}

// finSeqWhatIf asks which Seq the sender's FIN would carry had it sent
// whatIfLen bytes instead of its message: the FIN's tcp.seq plus the
// difference.
func finSeqWhatIf(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	conn := c.Conn
	i, _ := clientData(c)
	if i < 0 || conn.FirstFIN < 0 || c.Packets[i].TCP.Len == whatIfLen {
		return nil, false
	}
	data, fin := &c.Packets[i], &c.Packets[conn.FirstFIN]
	// The FIN must come right after that data, in a segment of its own.
	if !conn.FromClient(fin) || fin.TCP.Len > 0 || fin.TCP.Seq != data.TCP.Seq+uint32(data.TCP.Len) {
		return nil, false
	}
	d := map[string]any{
		"Frame": fin.Number, "Seq": fin.TCP.Seq, "DataFrame": data.Number, "DataSeq": data.TCP.Seq, "DataLen": data.TCP.Len,
		"Len": whatIfLen, "WhatIf": data.TCP.Seq + whatIfLen,
	}
	q := quiz.FieldQuestion("fin-seq-what-if", fin, "tcp.seq", quiz.KindNumber, tx, "sockets_fin_what_if", d)
	return q.WhatIf(int64(whatIfLen) - int64(data.TCP.Len)), true
}
