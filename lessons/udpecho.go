package lessons

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/servers/echo"
)

// udpWait is how long the client waits for an echo before it decides
// the datagram, or its answer, is lost.
const udpWait = 300 * time.Millisecond

// udpSends are the datagrams the client sends, in order: the lab's
// greeting, three in a burst, and an empty one.
var udpSends = []string{"hello server", "one", "two", "three", ""}

// udpEcho is the UDP half of the sockets lab: datagrams with no
// handshake and no close, message boundaries kept, an empty datagram,
// and, with --impair, a datagram lost for good.
func udpEcho() course.Script {
	st := &udpRun{}
	return course.Script{
		Run: func(ctx context.Context, n netenv.Net, h course.Hooks) error { return udpExchange(ctx, n, h, st) },
		Done: func(pkts []dissect.Packet) bool {
			n := 0
			for i := range pkts {
				if pkts[i].Transport == dissect.TransportUDP {
					n++
				}
			}
			return n >= 2*len(udpSends)
		},
		Facts: func(c *quiz.Capture, _ quiz.Texts) map[string]any { return udpFacts(c, st) },
	}
}

// udpExchange starts the echo server (UDP only) and sends the datagrams
// with sendto, reading each answer with recvfrom, as the lab's client
// does; the burst is sent before any answer is read.
func udpExchange(ctx context.Context, n netenv.Net, h course.Hooks, st *udpRun) error {
	*st = udpRun{}
	srv := &echo.Server{Net: n, TCPPort: -1, UDPPort: echo.DefaultUDPPort}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	defer srv.Close()
	if err := h.Ready(course.Ports{UDP: []int{echo.DefaultUDPPort}}); err != nil {
		return err
	}
	c, err := n.ListenPacket(ctx, "udp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("open a UDP socket: %w", err)
	}
	defer c.Close()
	to := srv.UDPAddr()
	read := func() error {
		start := time.Now()
		c.SetReadDeadline(start.Add(udpWait))
		_, _, err := c.ReadFrom(make([]byte, 2048))
		var ne net.Error
		if errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
			// Lost: UDP will not say so; the lesson will.
			if st.waited == 0 {
				st.waited = time.Since(start)
			}
			return nil
		}
		return err
	}
	send := func(s string) error {
		_, err := c.WriteTo([]byte(s), to)
		return err
	}
	if err := send(udpSends[0]); err != nil {
		return fmt.Errorf("sendto: %w", err)
	}
	if err := read(); err != nil {
		return fmt.Errorf("recvfrom: %w", err)
	}
	for _, s := range udpSends[1:4] {
		if err := send(s); err != nil {
			return fmt.Errorf("sendto: %w", err)
		}
	}
	for range udpSends[1:4] {
		if err := read(); err != nil {
			return fmt.Errorf("recvfrom: %w", err)
		}
	}
	if err := send(udpSends[4]); err != nil {
		return fmt.Errorf("sendto: %w", err)
	}
	return read()
}

// udpRun is what one run's exchange did that the capture cannot tell:
// how long the client waited for an answer that never came.
type udpRun struct {
	waited time.Duration // the first wait that ended without an answer
}

// udpFacts are the live values of the UDP lesson's text.
func udpFacts(c *quiz.Capture, st *udpRun) map[string]any {
	f := map[string]any{"Lost": false, "Wait": st.waited.Milliseconds()}
	// The client speaks first: the first datagram goes to the server.
	var server uint16
	for i := range c.Packets {
		if p := &c.Packets[i]; p.Transport == dissect.TransportUDP {
			server = p.DstPort
			f["ServerPort"] = server
			break
		}
	}
	var client uint16
	requests, replies := 0, 0
	answered := map[string]bool{}
	var firstLost int
	for i := range c.Packets {
		p := &c.Packets[i]
		if p.Transport != dissect.TransportUDP {
			continue
		}
		if p.DstPort == server {
			requests++
			if client == 0 {
				client = p.SrcPort
				f["FirstFrame"], f["FirstLen"], f["FirstUDPLen"] = p.Number, len(p.Payload), p.UDP.Length
			}
			switch string(p.Payload) {
			case "one":
				f["OneFrame"] = p.Number
			case "three":
				f["ThreeFrame"] = p.Number
			case "":
				f["EmptyFrame"] = p.Number
			}
			continue
		}
		replies++
		answered[string(p.Payload)] = true
		if _, ok := f["ReplyFrame"]; !ok {
			f["ReplyFrame"] = p.Number
		}
	}
	// A request whose upper-cased echo never shows is the lost one.
	for i := range c.Packets {
		p := &c.Packets[i]
		if p.Transport == dissect.TransportUDP && p.DstPort == server {
			var up echo.Upper
			reply := string(append(up.Chunk(p.Payload), up.Flush()...))
			if !answered[reply] && firstLost == 0 {
				firstLost = p.Number
			}
		}
	}
	f["ClientPort"], f["Requests"], f["Replies"] = client, requests, replies
	if firstLost != 0 {
		f["Lost"], f["LostFrame"] = true, firstLost
	}
	return f
}
