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
	"wiretutor/engine/net/ping"
	"wiretutor/engine/packet/dissect"
	"wiretutor/servers/echo"
)

// mixed captures a little of everything for the filters lesson: TCP and
// UDP echo and, where the network allows, a ping.
func mixed() course.Script {
	return course.Script{
		Run: mixedExchange,
		Done: func(pkts []dissect.Packet) bool {
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
