package quiz

import "wiretutor/engine/packet/dissect"

// The UDP questions take the first datagram of the capture as the
// client's, and its answer as the first datagram back between the same
// two ports.

// firstUDP returns the index of the first UDP datagram, or -1.
func firstUDP(c *Capture) int {
	for i := range c.Packets {
		if c.Packets[i].Transport == dissect.TransportUDP {
			return i
		}
	}
	return -1
}

// replyTo returns the index of the first datagram after i that goes the
// other way between the same two ports before another goes i's way, or
// -1: a datagram lost (--impair), or whose answer comes only after the
// next one, has no answer of its own to ask about.
func replyTo(c *Capture, i int) int {
	q := &c.Packets[i]
	for j := i + 1; j < len(c.Packets); j++ {
		p := &c.Packets[j]
		if p.Transport != dissect.TransportUDP {
			continue
		}
		switch {
		case p.SrcPort == q.DstPort && p.DstPort == q.SrcPort && p.Src == q.Dst:
			return j
		case p.SrcPort == q.SrcPort && p.DstPort == q.DstPort && p.Src == q.Src:
			return -1
		}
	}
	return -1
}

func udpData(p *dissect.Packet) map[string]any {
	return map[string]any{
		"Frame": p.Number, "SrcPort": p.SrcPort, "DstPort": p.DstPort,
		"Length": p.UDP.Length, "Payload": len(p.Payload), "Text": string(p.Payload),
	}
}

// UDPClientPort asks for the port the operating system gave the client.
func UDPClientPort(c *Capture, tx Texts) (*Question, bool) {
	i := firstUDP(c)
	if i < 0 {
		return nil, false
	}
	p := &c.Packets[i]
	return FieldQuestion("udp-client-port", p, "udp.srcport", KindNumber, tx, "udp_client_port", udpData(p)), true
}

// UDPLength asks for udp.length of the first datagram: 8 + payload.
func UDPLength(c *Capture, tx Texts) (*Question, bool) {
	i := firstUDP(c)
	if i < 0 {
		return nil, false
	}
	p := &c.Packets[i]
	return FieldQuestion("udp-length", p, "udp.length", KindNumber, tx, "udp_length", udpData(p)), true
}

// UDPReplyPort asks which port the server's answer goes to.
func UDPReplyPort(c *Capture, tx Texts) (*Question, bool) {
	return aboutReply(c, tx, "udp-reply-port", "udp.dstport", "udp_reply_port")
}

// UDPReplyFrame asks which frame carries the answer to the first
// datagram: an exchange takes two packets, nothing more.
func UDPReplyFrame(c *Capture, tx Texts) (*Question, bool) {
	return aboutReply(c, tx, "udp-reply-frame", "frame.number", "udp_reply_frame")
}

// aboutReply asks for a field of the answer to the first datagram.
func aboutReply(c *Capture, tx Texts, kind, field, id string) (*Question, bool) {
	i := firstUDP(c)
	if i < 0 {
		return nil, false
	}
	j := replyTo(c, i)
	if j < 0 {
		return nil, false
	}
	p := &c.Packets[j]
	d := udpData(p)
	d["RequestFrame"] = c.Packets[i].Number
	q := FieldQuestion(kind, p, field, KindNumber, tx, id, d)
	if field != "frame.number" {
		// "udp.dstport of frame 2" would give away which frame answers.
		q.Clue = tx.T("quiz.udp_reply.clue", d)
	}
	return q, true
}

// UDPEmptyLength asks for the udp.length of an empty datagram: 8.
func UDPEmptyLength(c *Capture, tx Texts) (*Question, bool) {
	for i := range c.Packets {
		p := &c.Packets[i]
		if p.Transport == dissect.TransportUDP && len(p.Payload) == 0 {
			return FieldQuestion("udp-empty-length", p, "udp.length", KindNumber, tx, "udp_empty_length", udpData(p)), true
		}
	}
	return nil, false
}

// UDPBoundary asks for the payload length of a datagram sent in a burst:
// each send stays one datagram.
func UDPBoundary(c *Capture, tx Texts) (*Question, bool) {
	for i := range c.Packets {
		p := &c.Packets[i]
		if p.Transport == dissect.TransportUDP && string(p.Payload) == "three" {
			return FieldQuestion("udp-boundary", p, "data.len", KindNumber, tx, "udp_boundary", udpData(p)), true
		}
	}
	return nil, false
}
