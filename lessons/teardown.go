package lessons

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
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

// teardownFacts are the frames the lesson's text points at.
func teardownFacts(c *quiz.Capture, tx quiz.Texts) map[string]any {
	f := handshakeFacts(c, tx)
	conns := stream.TCPConns(c.Packets)
	f["HalfSeen"], f["AbortSeen"], f["RefusedSeen"], f["SentAfterFin"] = false, false, false, false
	for _, conn := range conns {
		switch {
		case conn.SYN >= 0 && conn.SYNACK < 0 && conn.RST >= 0:
			// Refused: its SYN was answered by RST, not SYN, ACK.
			f["RefusedSeen"], f["ClosedPort"] = true, conn.Server.Port()
			f["RefusedSynFrame"], f["RefusedRSTFrame"] = c.Packets[conn.SYN].Number, c.Packets[conn.RST].Number
			f["RefusedFlags"] = quiz.FlagsText(c.Packets[conn.RST].TCP.Flags)
		case conn.RST >= 0:
			rst := &c.Packets[conn.RST]
			f["AbortSeen"] = true
			f["RSTFrame"], f["RSTFlags"] = rst.Number, quiz.FlagsText(rst.TCP.Flags)
		case c.Conn != nil && conn.Stream != c.Conn.Stream && conn.FirstFIN >= 0 && !f["HalfSeen"].(bool):
			fin := &c.Packets[conn.FirstFIN]
			f["HalfSeen"], f["HalfFinFrame"] = true, fin.Number
			for _, i := range conn.Frames {
				p := &c.Packets[i]
				if i > conn.FirstFIN && !conn.FromClient(p) && p.TCP.Len > 0 {
					f["SentAfterFin"], f["AfterFinFrame"], f["AfterFinText"] = true, p.Number, string(p.Payload)
					break
				}
			}
		}
	}
	return f
}
