package lessons

import (
	"bytes"
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
	"wiretutor/engine/net/ping"
	"wiretutor/engine/packet/dissect"
	"wiretutor/servers/echo"
)

// Filters is the lesson on capture filters and display filters: it
// captures a little of everything (TCP and UDP echo, a ping) and has the
// learner write filters that pick given packets out of it.
func Filters() *course.Lesson {
	return &course.Lesson{
		ID: "filters",
		Steps: []course.Step{
			{Kind: course.Text, Section: "intro"},
			{Kind: course.Text, Section: "kinds"},
			{Kind: course.Run},
			{Kind: course.Packets},
			{Kind: course.Text, Section: "capture"},
			{Kind: course.Text, Section: "display"},
			{Kind: course.Text, Section: "tasks"},
			{Kind: course.Tasks},
			{Kind: course.Summary},
		},
		Exchange: mixedExchange,
		Complete: func(pkts []dissect.Packet) bool {
			udp := 0
			for i := range pkts {
				if pkts[i].Transport == dissect.TransportUDP {
					udp++
				}
			}
			return udp >= 4 && closedConn(pkts)
		},
		Focus: firstHandshake,
		Facts: filtersFacts,
		Requires: []course.Requirement{
			{ID: "tcp_data", Filter: "tcp.port == 10000 && tcp.len > 0", Min: 2},
			{ID: "udp_request", Filter: "udp.dstport == 10001 && udp.length > 8", Min: 1},
			{ID: "udp_echo", Filter: "udp.srcport == 10001 && udp.length > 8", Min: 1},
		},
		Tasks: []course.Task{
			{ID: "udp", Model: "udp", Target: func(p *dissect.Packet) bool { return p.Transport == dissect.TransportUDP }},
			{ID: "syn", Model: "tcp.flags.syn == 1", Target: func(p *dissect.Packet) bool {
				return p.Transport == dissect.TransportTCP && p.TCP.Has(dissect.FlagSYN)
			}},
			{ID: "udp_server", Model: "udp.srcport == 10001", Target: func(p *dissect.Packet) bool {
				return p.Transport == dissect.TransportUDP && p.SrcPort == echo.DefaultUDPPort
			}},
			{ID: "data", Model: "tcp.len > 0 || udp.length > 8", Target: func(p *dissect.Packet) bool {
				return (p.Transport == dissect.TransportTCP || p.Transport == dissect.TransportUDP) && len(p.Payload) > 0
			}},
			{ID: "hello", Model: `data.data contains "hello"`, Target: func(p *dissect.Packet) bool {
				_, isData := dissect.Field(p, "data.data")
				return isData && bytes.Contains(p.Payload, []byte("hello"))
			}},
			{ID: "capture_tcp", Capture: true, Model: "tcp port 10000", Target: func(p *dissect.Packet) bool {
				return p.Transport == dissect.TransportTCP && (p.SrcPort == echo.DefaultTCPPort || p.DstPort == echo.DefaultTCPPort)
			}},
		},
	}
}

// mixedExchange runs the echo server on its lab ports and sends it a TCP
// exchange, two UDP datagrams and, where the network allows, a ping.
func mixedExchange(ctx context.Context, n netenv.Net, h course.Hooks) error {
	srv := &echo.Server{Net: n, TCPPort: echo.DefaultTCPPort, UDPPort: echo.DefaultUDPPort}
	if err := srv.Start(ctx); err != nil {
		return err // the tasks name the lab's ports, so they must be free
	}
	defer srv.Close()
	pc, pingErr := n.ListenICMP(ctx)
	if pingErr == nil {
		defer pc.Close()
	}
	if err := h.Ready(course.Ports{TCP: []int{echo.DefaultTCPPort}, UDP: []int{echo.DefaultUDPPort}, ICMP: pingErr == nil}); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	dl, _ := ctx.Deadline()

	c, err := n.Dial(ctx, "tcp", srv.TCPAddr().String())
	if err != nil {
		return fmt.Errorf("connect to the echo server: %w", err)
	}
	c.SetDeadline(dl)
	io.WriteString(c, handshakeMessage)
	if _, err := io.ReadFull(c, make([]byte, len(handshakeMessage))); err != nil {
		c.Close()
		return fmt.Errorf("read the echo: %w", err)
	}
	c.Close()

	u, err := n.Dial(ctx, "udp", srv.UDPAddr().String())
	if err != nil {
		return fmt.Errorf("open a UDP socket: %w", err)
	}
	defer u.Close()
	u.SetDeadline(dl)
	for _, msg := range []string{"hello udp", "second datagram"} {
		io.WriteString(u, msg)
		if _, err := u.Read(make([]byte, 64)); err != nil {
			return fmt.Errorf("read the UDP echo: %w", err)
		}
	}

	if pingErr == nil {
		m := ping.Message{Type: ping.TypeEchoRequest, Ident: 1, Seq: 1, Data: []byte("ping")}
		req := m.Marshal(nil)
		pc.SetDeadline(dl)
		if _, err := pc.WriteTo(req, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}); err == nil {
			pc.ReadFrom(make([]byte, 1500))
		} else if !errors.Is(err, syscall.EPERM) {
			return fmt.Errorf("ping: %w", err)
		}
	}
	return nil
}

// filtersFacts are the live values of the filters lesson's text.
func filtersFacts(c *quiz.Capture, _ quiz.Texts) map[string]any {
	f := map[string]any{"Total": len(c.Packets)}
	if c.Conn != nil {
		f["TCPPort"] = c.Conn.Server.Port()
	}
	var tcp, udp, icmp int
	for i := range c.Packets {
		switch c.Packets[i].Transport {
		case dissect.TransportTCP:
			tcp++
		case dissect.TransportUDP:
			if udp == 0 { // the client speaks first: to the server's port
				f["UDPPort"] = c.Packets[i].DstPort
			}
			udp++
		case dissect.TransportICMP:
			icmp++
		}
	}
	f["TCPCount"], f["UDPCount"], f["ICMPCount"], f["HasPing"] = tcp, udp, icmp, icmp > 0
	return f
}
