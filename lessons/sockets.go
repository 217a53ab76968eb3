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

// Sockets is the lesson on sockets and ports, from the lab on
// intercepting two applications: a one-shot receiver bound to port
// 24000, a sender that does not bind, and the socket table before,
// during and after.
func Sockets() *course.Lesson {
	return &course.Lesson{
		ID: "sockets",
		Steps: []course.Step{
			{Kind: course.Text, Section: "intro"},
			{Kind: course.Run},
			{Kind: course.Packets},
			{Kind: course.Text, Section: "tuple"},
			{Kind: course.Text, Section: "ranges"},
			{Kind: course.Text, Section: "before"},
			{Kind: course.Sockets, Section: "before"},
			{Kind: course.Sockets, Section: "open"},
			{Kind: course.Text, Section: "states"},
			{Kind: course.Sockets, Section: course.AfterSnapshot},
			{Kind: course.Text, Section: "after"},
			{Kind: course.Ladder},
			{Kind: course.Text, Section: "quiz"},
			{Kind: course.Quiz},
			{Kind: course.Summary},
		},
		Exchange: oneShotExchange,
		Complete: closedConn,
		Focus:    firstHandshake,
		Facts:    socketsFacts,
		Quiz: []quiz.Maker{
			quiz.EphemeralPort,
			quiz.BoundPort,
			quiz.SynAckFlags,
			quiz.NextAck,
			quiz.CloseFrame,
			quiz.CloseFlags,
		},
		Requires: []course.Requirement{
			{ID: "syn_receiver", Filter: "tcp.dstport == 24000 && tcp.flags.syn == 1 && tcp.flags.ack == 0", Min: 1},
			{ID: "data_receiver", Filter: "tcp.dstport == 24000 && tcp.len > 0", Min: 1},
			{ID: "fin_receiver", Filter: "tcp.port == 24000 && tcp.flags.fin == 1", Min: 2},
		},
	}
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
