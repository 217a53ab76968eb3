package lessons

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/servers/echo"
	"wiretutor/servers/listen"
)

// peerWait bounds how long a peer's client waits for the learner's
// server to answer one step.
const peerWait = 5 * time.Second

// echoServerPeer is the sockets lab's TCP echo server on port 10000,
// for a learner's client.
func echoServerPeer() course.Peer {
	return serving(course.Ports{TCP: []int{echo.DefaultTCPPort}}, func(ctx context.Context, n netenv.Net) (io.Closer, []string, error) {
		srv := &echo.Server{Net: n, TCPPort: echo.DefaultTCPPort, UDPPort: -1}
		return srv, nil, srv.Start(ctx)
	})
}

// echoClientPeer is the sockets lab's TCP echo client, for a learner's
// server on port 10000: it sends the lab's message, reads the echo and
// closes, then reads until the server closes too.
func echoClientPeer() course.Peer {
	return course.Peer{
		Ports:  course.Ports{TCP: []int{echo.DefaultTCPPort}},
		Listen: []course.Listen{{Proto: "tcp", Port: echo.DefaultTCPPort}},
		Run: func(ctx context.Context, n netenv.Net, ready func(env ...string), say func(string)) error {
			ready()
			return talkTCP(ctx, n, echo.DefaultTCPPort, handshakeMessage, len(handshakeMessage), say)
		},
	}
}

// receiverPeer is lab 004's one-shot receiver on port 24000, for a
// learner's sender: it accepts one connection, reads until the sender
// closes, and closes.
func receiverPeer() course.Peer {
	return course.Peer{
		Ports: course.Ports{TCP: []int{receiverPort}},
		Run: func(ctx context.Context, n netenv.Net, ready func(env ...string), say func(string)) error {
			ln, err := listen.TCP(ctx, n, "", receiverPort)
			if err != nil {
				return err
			}
			defer ln.Close()
			ready()
			go func() { <-ctx.Done(); ln.Close() }()
			c, err := ln.Accept()
			if err != nil {
				return nil // the program never connected
			}
			ln.Close() // one-shot, as the lab's receiver
			defer c.Close()
			go func() { <-ctx.Done(); c.Close() }()
			data, _ := io.ReadAll(io.LimitReader(c, 1<<20))
			say(quoted(data, 60))
			return c.Close()
		},
	}
}

// senderPeer is lab 004's one-shot sender, for a learner's receiver on
// port 24000: it connects, sends its message and closes, then reads
// until the receiver closes too.
func senderPeer() course.Peer {
	return course.Peer{
		Ports:  course.Ports{TCP: []int{receiverPort}},
		Listen: []course.Listen{{Proto: "tcp", Port: receiverPort}},
		Run: func(ctx context.Context, n netenv.Net, ready func(env ...string), say func(string)) error {
			ready()
			return talkTCP(ctx, n, receiverPort, senderMessage, 0, say)
		},
	}
}

// talkTCP connects to the learner's server on port, sends msg, reads
// want bytes of answer (none when want is 0), half-closes, and reads on
// until the server closes (or peerWait passes), saying what it got.
func talkTCP(ctx context.Context, n netenv.Net, port int, msg string, want int, say func(string)) error {
	ctx, cancel := context.WithTimeout(ctx, 3*peerWait)
	defer cancel()
	c, err := n.Dial(ctx, "tcp", listen.Addr("", port))
	if err != nil {
		return fmt.Errorf("connect to port %d: %w", port, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(peerWait))
	if _, err := io.WriteString(c, msg); err != nil {
		return fmt.Errorf("send to port %d: %w", port, err)
	}
	got := make([]byte, want)
	if want > 0 {
		k, err := io.ReadFull(c, got)
		got = got[:k]
		say(quoted(got, 60))
		if err != nil {
			return fmt.Errorf("read the answer: %w", err)
		}
	}
	// The client's close, then the server's: read to its FIN.
	if tc, ok := c.(interface{ CloseWrite() error }); ok {
		tc.CloseWrite()
	} else {
		return c.Close()
	}
	c.SetDeadline(time.Now().Add(peerWait))
	io.Copy(io.Discard, io.LimitReader(c, 1<<20))
	return c.Close()
}

// tcpConnects: the learner's client connected to the lab's port with a
// whole handshake (client role), or the learner's server accepted the
// lesson's client (server role).
func tcpConnects(e *course.Evidence) course.Finding {
	port := tcpLabPort(e)
	d := map[string]any{"Port": port}
	for _, c := range labConns(e) {
		if c.SYN < 0 {
			continue
		}
		switch {
		case c.SYNACK >= 0 && c.HandshakeACK >= 0:
			return found(true, e.Role+".connected", &e.Packets[c.HandshakeACK], d)
		case c.RST >= 0:
			return found(false, e.Role+".refused", &e.Packets[c.RST], d)
		}
		return found(false, "tcp.half_handshake", &e.Packets[c.SYN], d)
	}
	return found(false, e.Role+".no_syn", nil, d)
}

// firstConn is the first connection to the lab's port whose handshake
// was captured, or nil.
func firstConn(e *course.Evidence) *connView {
	for _, c := range labConns(e) {
		if c.SYN >= 0 {
			return &connView{e: e, c: c}
		}
	}
	return nil
}

// tcpSends: the learner's client sent data on its connection.
func tcpSends(e *course.Evidence) course.Finding {
	cv := firstConn(e)
	d := map[string]any{"Port": tcpLabPort(e)}
	if cv == nil {
		return found(false, "client.no_syn", nil, d)
	}
	f := flowOf(e.Packets, cv.c, true)
	if len(f.frames) == 0 {
		return found(false, "tcp.no_data", nil, d)
	}
	p := &e.Packets[f.frames[0]]
	d["Len"], d["Data"] = len(p.Payload), quoted(p.Payload, 40)
	return found(true, "tcp.sent", p, d)
}

// tcpEchoes: the learner's echo server sent the lesson's message back
// upper-cased, as the lab's server does.
func tcpEchoes(e *course.Evidence) course.Finding {
	cv := firstConn(e)
	d := map[string]any{"Port": tcpLabPort(e)}
	if cv == nil {
		return found(false, "server.no_syn", nil, d)
	}
	sent := flowOf(e.Packets, cv.c, true).data
	back := flowOf(e.Packets, cv.c, false)
	want := bytes.ToUpper(sent)
	d["Sent"], d["Want"] = quoted(sent, 40), quoted(want, 40)
	if len(back.frames) == 0 {
		return found(false, "tcp.echo_none", nil, d)
	}
	p := &e.Packets[back.frames[0]]
	d["Got"] = quoted(back.data, 40)
	switch {
	case bytes.Equal(back.data, want):
		return found(true, "tcp.echoed", p, d)
	case bytes.Equal(back.data, sent):
		return found(false, "tcp.echo_unchanged", p, d)
	}
	return found(false, "tcp.echo_other", p, d)
}

// tcpCloses: the learner's program closed its side of the connection
// with a FIN of its own: not a reset (close() with unread data), not
// only when verify stopped it.
func tcpCloses(e *course.Evidence) course.Finding {
	cv := firstConn(e)
	d := map[string]any{"Port": tcpLabPort(e)}
	if cv == nil {
		return found(false, e.Role+".no_syn", nil, d)
	}
	for _, i := range cv.c.Frames {
		p := &e.Packets[i]
		if !fromProgram(e, cv.c, p) {
			continue
		}
		switch {
		case p.TCP.Has(dissect.FlagRST):
			return found(false, "tcp.closed_rst", p, d)
		case p.TCP.Has(dissect.FlagFIN) && e.AfterStop(i):
			return found(false, "tcp.closed_killed", p, d)
		case p.TCP.Has(dissect.FlagFIN):
			return found(true, "tcp.closed_fin", p, d)
		}
	}
	return found(false, "tcp.never_closed", nil, d)
}

// connView is the connection a check looks at, with its evidence.
type connView struct {
	e *course.Evidence
	c *stream.Conn
}
