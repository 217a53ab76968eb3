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
