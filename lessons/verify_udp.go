package lessons

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/icmp"
	"wiretutor/servers/echo"
	"wiretutor/servers/listen"
)

// udpPeerPort is the port the lesson's UDP client sends from, so the
// capture keeps an answer that comes back from any port of the
// learner's server.
const udpPeerPort = 10011

// udpServerPeer is the sockets lab's UDP echo server on port 10001, for
// a learner's client. ICMP is captured too: the port unreachable a
// client that closed too early makes its kernel send.
func udpServerPeer() course.Peer {
	return serving(course.Ports{UDP: []int{echo.DefaultUDPPort}, ICMP: true}, func(ctx context.Context, n netenv.Net) (io.Closer, []string, error) {
		srv := &echo.Server{Net: n, TCPPort: -1, UDPPort: echo.DefaultUDPPort}
		return srv, nil, srv.Start(ctx)
	})
}

// udpClientPeer is the sockets lab's UDP client, for a learner's server
// on port 10001: the lab's message, then an empty datagram, each waiting
// for its answer.
func udpClientPeer() course.Peer {
	return course.Peer{
		Ports:  course.Ports{UDP: []int{echo.DefaultUDPPort, udpPeerPort}, ICMP: true},
		Listen: []course.Listen{{Proto: "udp", Port: echo.DefaultUDPPort}},
		Run: func(ctx context.Context, n netenv.Net, ready func(env ...string), say func(string)) error {
			pc, err := listen.UDP(ctx, n, "", udpPeerPort)
			if err != nil {
				return err
			}
			defer pc.Close()
			ready()
			go func() { <-ctx.Done(); pc.Close() }()
			dst := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: echo.DefaultUDPPort}
			buf := make([]byte, 64<<10)
			for _, msg := range []string{handshakeMessage, ""} {
				if _, err := pc.WriteTo([]byte(msg), dst); err != nil {
					return fmt.Errorf("send to port %d: %w", echo.DefaultUDPPort, err)
				}
				pc.SetReadDeadline(time.Now().Add(peerWait))
				k, from, err := pc.ReadFrom(buf)
				if err != nil {
					return nil // no answer: the checks say what the capture shows
				}
				say(from.String() + " " + quoted(buf[:k], 60))
			}
			return nil
		},
	}
}

// udpSendsData: the learner's client sent a datagram with data to the lab's
// port.
func udpSendsData(e *course.Evidence) course.Finding {
	d := map[string]any{"Port": echo.DefaultUDPPort}
	if p := firstRequest(e, 0); p != nil {
		d["Len"], d["Data"], d["From"] = len(p.Payload), quoted(p.Payload, 40), p.SrcPort
		return found(true, "udp.sent", p, d)
	}
	return found(false, "udp.none", nil, d)
}

// firstRequest is the first datagram with data sent to the lab's port
// (from port from, when not 0), or nil.
func firstRequest(e *course.Evidence, from int) *dissect.Packet {
	for i := range e.Packets {
		p := &e.Packets[i]
		if p.Transport == dissect.TransportUDP && p.DstPort == echo.DefaultUDPPort && len(p.Payload) > 0 &&
			(from == 0 || int(p.SrcPort) == from) {
			return p
		}
	}
	return nil
}

// answerTo finds what came back for datagram req: a datagram to its
// source port, or the ICMP error that quotes a datagram of that
// conversation. Both nil when nothing came.
func answerTo(e *course.Evidence, req *dissect.Packet) (reply, unreach *dissect.Packet) {
	for i := req.Number; i < len(e.Packets); i++ { // Number is the index of the next packet
		p := &e.Packets[i]
		switch {
		case p.Transport == dissect.TransportUDP && p.DstPort == req.SrcPort && p.Dst == req.Src:
			return p, nil
		case p.Transport == dissect.TransportICMP && p.ICMP.Type == icmp.DestUnreachable && p.Inner != nil &&
			p.Inner.Transport == dissect.TransportUDP && (p.Inner.SrcPort == req.SrcPort || p.Inner.DstPort == req.SrcPort):
			return nil, p
		}
	}
	return nil, nil
}

// udpGetsEcho: the echo of the learner's first datagram reached its
// socket: it came back, and the client's kernel did not answer "port
// unreachable" (a socket closed before the echo came).
func udpGetsEcho(e *course.Evidence) course.Finding {
	d := map[string]any{"Port": echo.DefaultUDPPort}
	req := firstRequest(e, 0)
	if req == nil {
		return found(false, "udp.none", nil, d)
	}
	d["From"] = req.SrcPort
	// The echo, then the client's kernel's answer to it, if any.
	reply, unreach := answerTo(e, req)
	if reply != nil {
		for i := reply.Number; i < len(e.Packets); i++ {
			p := &e.Packets[i]
			if p.Transport == dissect.TransportICMP && p.Inner != nil && p.Inner.Transport == dissect.TransportUDP &&
				p.Inner.DstPort == req.SrcPort {
				unreach = p
				break
			}
		}
	}
	switch {
	case unreach != nil:
		return found(false, "udp.port_closed", unreach, d)
	case reply != nil:
		return found(true, "udp.echo_back", reply, d)
	}
	return found(false, "udp.no_echo", nil, d)
}

// udpReplies: the learner's UDP server answered the lesson's datagram
// from port 10001 with it upper-cased.
func udpReplies(e *course.Evidence) course.Finding {
	d := map[string]any{"Port": echo.DefaultUDPPort}
	req := firstRequest(e, udpPeerPort)
	if req == nil {
		return found(false, "udp.peer_silent", nil, d)
	}
	want := bytes.ToUpper(req.Payload)
	d["Sent"], d["Want"] = quoted(req.Payload, 40), quoted(want, 40)
	reply, unreach := answerTo(e, req)
	switch {
	case unreach != nil:
		return found(false, "udp.not_bound", unreach, d)
	case reply == nil:
		return found(false, "udp.no_reply", nil, d)
	}
	d["Got"], d["From"] = quoted(reply.Payload, 40), reply.SrcPort
	switch {
	case reply.SrcPort != echo.DefaultUDPPort:
		return found(false, "udp.wrong_port", reply, d)
	case bytes.Equal(reply.Payload, want):
		return found(true, "udp.replied", reply, d)
	case bytes.Equal(reply.Payload, req.Payload):
		return found(false, "udp.reply_unchanged", reply, d)
	}
	return found(false, "udp.reply_other", reply, d)
}
