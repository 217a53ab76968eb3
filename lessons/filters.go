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
	if p := firstData(c); p != nil {
		f["TCPText"], f["TCPFrame"], f["TCPLen"] = string(p.Payload), p.Number, p.TCP.Len
	}
	if i := firstDatagram(c); i >= 0 {
		p := &c.Packets[i]
		f["UDPText"], f["UDPFrame"], f["UDPLength"], f["UDPData"] = string(p.Payload), p.Number, p.UDP.Length, len(p.Payload)
		f["ClientPort"] = p.SrcPort
	}
	return f
}

// The filters lesson's questions ask for the values a filter compares
// with, two of them before the capture is shown: how long the client's
// TCP data and its first datagram are, what type the ping's answer has.

// firstData is the first segment of the lesson's connection that
// carries the client's data (see clientData), or nil.
func firstData(c *quiz.Capture) *dissect.Packet {
	if i, _ := clientData(c); i >= 0 {
		return &c.Packets[i]
	}
	return nil
}

// filtersTCPLen asks for the tcp.len of the client's data: its bytes
// alone, no header.
func filtersTCPLen(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	p := firstData(c)
	if p == nil {
		return nil, false
	}
	return quiz.FieldQuestion("filters-tcp-len", p, "tcp.len", quiz.KindNumber, tx, "filters_tcp_len",
		map[string]any{"Frame": p.Number, "Text": string(p.Payload), "Len": p.TCP.Len}), true
}

// firstDatagram returns the index of the capture's first UDP datagram
// that carries data, or -1.
func firstDatagram(c *quiz.Capture) int {
	for i := range c.Packets {
		if p := &c.Packets[i]; p.Transport == dissect.TransportUDP && len(p.Payload) > 0 {
			return i
		}
	}
	return -1
}

// filtersUDPLength asks for the udp.length of the first datagram: its
// data and the 8 bytes of its header.
func filtersUDPLength(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i := firstDatagram(c)
	if i < 0 {
		return nil, false
	}
	p := &c.Packets[i]
	return quiz.FieldQuestion("filters-udp-length", p, "udp.length", quiz.KindNumber, tx, "filters_udp_length",
		map[string]any{"Frame": p.Number, "Text": string(p.Payload), "Payload": len(p.Payload), "Length": p.UDP.Length}), true
}

// filtersICMPReply asks for the icmp.type of the ping's answer, where
// the network let the lesson ping.
func filtersICMPReply(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	for i := range c.Packets {
		if p := &c.Packets[i]; p.Transport == dissect.TransportICMP && p.ICMP.Type == ping.TypeEchoReply {
			return quiz.FieldQuestion("filters-icmp-reply", p, "icmp.type", quiz.KindNumber, tx, "filters_icmp_reply",
				map[string]any{"Frame": p.Number}), true
		}
	}
	return nil, false
}

// filtersReplyFrame asks which frame a filter on the client's port, as
// a destination, selects first: the answer to the client's first
// datagram. The port is read in one frame, the answer found in another.
func filtersReplyFrame(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i := firstDatagram(c)
	if i < 0 {
		return nil, false
	}
	q := &c.Packets[i]
	for j := range c.Packets {
		if p := &c.Packets[j]; p.Transport == dissect.TransportUDP && p.DstPort == q.SrcPort {
			return quiz.FieldQuestion("filters-reply-frame", p, "frame.number", quiz.KindNumber, tx, "filters_reply_frame",
				map[string]any{"Frame": p.Number, "RequestFrame": q.Number, "ClientPort": q.SrcPort, "ServerPort": q.DstPort}), true
		}
	}
	return nil, false
}
