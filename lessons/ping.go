package lessons

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/net/ping"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/icmp"
)

// unreachPort is where the lesson sends a UDP datagram nobody listens
// for: traceroute's first port, free on almost every machine.
const unreachPort = 33434

// pingData is what the second and third requests carry.
const pingData = "wiretutor ping"

// pingScript sends echo requests built by hand and a datagram to a
// closed port; its requirements say when the capture is complete.
func pingScript() course.Script {
	return course.Script{Run: pingExchange, Facts: pingFacts}
}

// pingExchange sends three echo requests (the first with no data, the
// one to check on paper), then a UDP datagram to a closed port.
func pingExchange(ctx context.Context, n netenv.Net, h course.Hooks) error {
	pc, err := n.ListenICMP(ctx)
	if err != nil {
		return fmt.Errorf("open an ICMP socket: %w", err)
	}
	defer pc.Close()
	if err := h.Ready(course.Ports{UDP: []int{unreachPort}, ICMP: true}); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	dl, _ := ctx.Deadline()
	pc.SetDeadline(dl)
	dst := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}
	buf := make([]byte, 1500)
	for seq := uint16(1); seq <= 3; seq++ {
		m := ping.Message{Type: ping.TypeEchoRequest, Ident: 1, Seq: seq}
		if seq > 1 {
			m.Data = []byte(pingData)
		}
		if _, err := pc.WriteTo(m.Marshal(nil), dst); err != nil {
			return fmt.Errorf("send echo request %d: %w", seq, err)
		}
		for {
			k, _, err := pc.ReadFrom(buf)
			if err != nil {
				return fmt.Errorf("wait for echo reply %d: %w", seq, err)
			}
			if r, err := ping.Parse(buf[:k]); err == nil && r.Type == ping.TypeEchoReply && r.Seq == seq {
				break
			}
		}
	}

	u, err := n.Dial(ctx, "udp", fmt.Sprintf("127.0.0.1:%d", unreachPort))
	if err != nil {
		return fmt.Errorf("open a UDP socket: %w", err)
	}
	defer u.Close()
	u.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := u.Write([]byte("anyone there?")); err != nil {
		return fmt.Errorf("send to the closed port: %w", err)
	}
	// The kernel turns the ICMP answer into "connection refused" on the
	// next read; the sandbox drops it. Either way it is in the capture.
	if _, err := u.Read(buf); err == nil {
		return fmt.Errorf("udp port %d: %w", unreachPort, errPortOpen)
	}
	return nil
}

var errPortOpen = errors.New("something listens there, so no ICMP error comes back")

// echoes returns the indexes of the echo messages of type t.
func echoes(pkts []dissect.Packet, t icmp.Type) []int {
	var out []int
	for i := range pkts {
		if p := &pkts[i]; p.Transport == dissect.TransportICMP && p.ICMP.Type == t {
			out = append(out, i)
		}
	}
	return out
}

// unreachDatagramPort is the port of the datagram sent where nothing listens.
func unreachDatagramPort(c *quiz.Capture) (uint16, bool) {
	for i := range c.Packets {
		if p := &c.Packets[i]; p.Transport == dissect.TransportUDP {
			return p.DstPort, true
		}
	}
	return 0, false
}

func unreachable(pkts []dissect.Packet) *dissect.Packet {
	for i := range pkts {
		if p := &pkts[i]; p.Transport == dissect.TransportICMP && p.ICMP.Type == ping.TypeDestUnreachable {
			return p
		}
	}
	return nil
}

// pingFacts are the live values of the lesson's text.
func pingFacts(c *quiz.Capture, _ quiz.Texts) map[string]any {
	f := map[string]any{}
	if port, ok := unreachDatagramPort(c); ok {
		f["ClosedPort"] = port
	}
	reqs, reps := echoes(c.Packets, ping.TypeEchoRequest), echoes(c.Packets, ping.TypeEchoReply)
	if len(reqs) > 0 {
		p := &c.Packets[reqs[0]]
		f["ReqFrame"], f["Ident"], f["Checksum"] = p.Number, fmt.Sprintf("0x%04x", p.ICMP.Ident), fmt.Sprintf("0x%04x", p.ICMP.Checksum)
		f["IdentHex"] = fmt.Sprintf("%04x", p.ICMP.Ident)
	}
	if len(reps) > 0 {
		p := &c.Packets[reps[0]]
		f["RepFrame"], f["TTL"], f["RepSeq"], f["RespTo"] = p.Number, p.TTL, p.ICMP.Seq, p.ICMP.RespTo
	}
	if p := unreachable(c.Packets); p != nil {
		f["UnreachFrame"], f["UnreachCode"] = p.Number, p.ICMP.Code
	}
	return f
}

func nthEcho(c *quiz.Capture, t icmp.Type, n int) *dissect.Packet {
	if e := echoes(c.Packets, t); len(e) > n {
		return &c.Packets[e[n]]
	}
	return nil
}

// paperChecksum asks the learner to work out the first request's
// checksum: eight bytes, no data, so it fits on paper. Asked before the
// capture is shown, it gives the words that went out.
func paperChecksum(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	p := nthEcho(c, ping.TypeEchoRequest, 0)
	if p == nil || len(p.Payload) != 0 {
		return nil, false
	}
	words := fmt.Sprintf("0800 0000 %04x %04x", p.ICMP.Ident, p.ICMP.Seq)
	sum := 0x0800 + uint32(p.ICMP.Ident) + uint32(p.ICMP.Seq)
	folded := sum&0xffff + sum>>16
	sumHex := fmt.Sprintf("%04x", sum) // five digits only when there is a carry
	return quiz.FieldQuestion("icmp-checksum", p, "icmp.checksum", quiz.KindHex, tx, "icmp_checksum",
		map[string]any{"Frame": p.Number, "Words": words, "Sum": sumHex, "Carry": sum > 0xffff,
			"Folded": fmt.Sprintf("%04x", folded), "Checksum": fmt.Sprintf("%04x", p.ICMP.Checksum)}), true
}

// replyType asks the type of the first echo reply.
func replyType(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	p := nthEcho(c, ping.TypeEchoReply, 0)
	if p == nil {
		return nil, false
	}
	return quiz.FieldQuestion("icmp-reply-type", p, "icmp.type", quiz.KindNumber, tx, "icmp_reply_type",
		map[string]any{"Frame": p.Number}), true
}

// routersOnPath is how many routers the TTL what-if puts between the
// two hosts.
const routersOnPath = 3

// ttlRouters asks what TTL the first reply would have arrived with had
// it crossed routersOnPath routers: what it carried, less one each.
func ttlRouters(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	p := nthEcho(c, ping.TypeEchoReply, 0)
	if p == nil || p.TTL <= routersOnPath {
		return nil, false
	}
	q := quiz.FieldQuestion("icmp-ttl-routers", p, "ip.ttl", quiz.KindNumber, tx, "icmp_ttl_routers",
		map[string]any{"Frame": p.Number, "TTL": p.TTL, "Routers": routersOnPath, "Answer": int(p.TTL) - routersOnPath})
	return q.WhatIf(-routersOnPath), true
}

// replySeq asks the sequence number of the last reply: the third
// request's, which counts 1, 2, 3.
func replySeq(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	reqs := echoes(c.Packets, ping.TypeEchoRequest)
	p := nthEcho(c, ping.TypeEchoReply, 2)
	if p == nil || len(reqs) < 3 {
		return nil, false
	}
	return quiz.FieldQuestion("icmp-seq", p, "icmp.seq", quiz.KindNumber, tx, "icmp_seq",
		map[string]any{"Frame": p.Number, "Seq": p.ICMP.Seq, "Requests": len(reqs), "Request": c.Packets[reqs[2]].Number}), true
}

// replyAnswers asks which request the second reply answers.
func replyAnswers(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	p := nthEcho(c, ping.TypeEchoReply, 1)
	if p == nil || p.ICMP.RespTo == 0 {
		return nil, false
	}
	return quiz.FieldQuestion("icmp-resp-to", p, "icmp.resp_to", quiz.KindNumber, tx, "icmp_resp_to",
		map[string]any{"Frame": p.Number, "Seq": p.ICMP.Seq, "Ident": fmt.Sprintf("0x%04x", p.ICMP.Ident), "Request": p.ICMP.RespTo}), true
}

// unreachCode asks the code of the Destination Unreachable message.
func unreachCode(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	p := unreachable(c.Packets)
	port, ok := unreachDatagramPort(c)
	if p == nil || !ok {
		return nil, false
	}
	return quiz.FieldQuestion("icmp-unreach-code", p, "icmp.code", quiz.KindNumber, tx, "icmp_unreach_code",
		map[string]any{"Frame": p.Number, "Port": port}), true
}
