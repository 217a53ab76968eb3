package quiz

import (
	"strconv"
	"strings"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
)

// Texts turns message ids into the learner's language (an i18n.Catalog
// satisfies it).
type Texts interface {
	T(id string, data any) string
}

// Capture is what questions are made from: the packets of one lesson's
// capture and the TCP connection the lesson is about.
type Capture struct {
	Packets []dissect.Packet
	Conn    *stream.Conn
}

func (c *Capture) pkt(i int) *dissect.Packet { return &c.Packets[i] }

// FieldQuestion asks for one field of frame p: the answer expected is
// what tshark's -T fields prints for it, and ui.toml's quiz.ID.prompt
// and quiz.ID.why word the question and its explanation with data d.
// Every question is made here, so each names its frame and field. The
// answer shown to the learner is that value too, flags written by name
// ("SYN, ACK" for 0x0012).
func FieldQuestion(kind string, p *dissect.Packet, field, answer string, tx Texts, id string, d map[string]any) *Question {
	v, _ := dissect.Field(p, field)
	q := &Question{Kind: kind, Frame: p.Number, Field: field, Expect: v, Answer: answer, Shown: shown(tx, answer, v),
		Prompt: tx.T("quiz."+id+".prompt", d), Explain: tx.T("quiz."+id+".why", d)}
	if l, ok := tx.(Lookup); ok && l.Has("quiz."+id+".predict") {
		q.Predicted = tx.T("quiz."+id+".predict", d)
		if l.Has("quiz." + id + ".rule") {
			q.Rule = tx.T("quiz."+id+".rule", d)
		}
	}
	return q
}

// Lookup is the Texts that can tell whether a message exists
// (i18n.Catalog can): a question has a prediction's wording only where
// ui.toml gives one.
type Lookup interface {
	Has(id string) bool
}

// shown is a field's value as a learner would write the answer: flags
// by name, a time in seconds with three decimals in the learner's
// decimal mark and unit ("3,002 с"), where tx has the words for it.
func shown(tx Texts, answer, v string) string {
	if answer == KindFlags {
		if bits, ok := ParseFlags(v); ok {
			return FlagsText(bits)
		}
	}
	if answer == KindSeconds {
		if s, ok := parseSeconds(v); ok {
			n := strconv.FormatFloat(s, 'f', 3, 64)
			if l, ok := tx.(Lookup); ok && l.Has("number.seconds") {
				if mark := tx.T("number.decimal_mark", nil); mark != "" && mark != "." {
					n = strings.Replace(n, ".", mark, 1)
				}
				return tx.T("number.seconds", map[string]any{"N": n})
			}
			return n
		}
	}
	return v
}

// Maker makes one question from a capture, or reports that the capture
// lacks what the question needs.
type Maker func(c *Capture, tx Texts) (*Question, bool)

// Make runs every maker and returns the questions they could make,
// numbered q1, q2, ... in order.
func Make(c *Capture, tx Texts, makers ...Maker) []*Question {
	var qs []*Question
	for _, m := range makers {
		if q, ok := m(c, tx); ok {
			q.ID = "q" + strconv.Itoa(len(qs)+1)
			qs = append(qs, q)
		}
	}
	return qs
}

// frameData is the template data every question text can use.
func frameData(p *dissect.Packet) map[string]any {
	return map[string]any{
		"Frame":   p.Number,
		"Flags":   FlagsText(p.TCP.Flags),
		"Seq":     p.TCP.Seq,
		"Ack":     p.TCP.Ack,
		"Len":     p.TCP.Len,
		"SeqRaw":  p.TCP.SeqRaw,
		"AckRaw":  p.TCP.AckRaw,
		"SrcPort": p.SrcPort,
		"DstPort": p.DstPort,
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// SynAckFlags asks for the flags of the server's SYN-ACK.
func SynAckFlags(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil || c.Conn.SYNACK < 0 {
		return nil, false
	}
	p := c.pkt(c.Conn.SYNACK)
	return FieldQuestion("synack-flags", p, "tcp.flags", KindFlags, tx, "synack_flags", frameData(p)), true
}

// firstData returns the index of the first packet of the connection
// from the client (fromClient) or the server that carries payload.
func firstData(c *Capture, fromClient bool) int {
	for _, i := range c.Conn.Frames {
		p := c.pkt(i)
		if p.TCP.Len > 0 && c.Conn.FromClient(p) == fromClient {
			return i
		}
	}
	return -1
}

// FirstDataSeq asks for the relative Seq of the client's first data.
func FirstDataSeq(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil || c.Conn.SYN < 0 {
		return nil, false
	}
	i := firstData(c, true)
	if i < 0 {
		return nil, false
	}
	p := c.pkt(i)
	syn := c.pkt(c.Conn.SYN)
	d := with(frameData(p), "SynFrame", syn.Number, "ISN", syn.TCP.SeqRaw)
	return FieldQuestion("first-data-seq", p, "tcp.seq", KindNumber, tx, "first_data_seq", d), true
}

// NextAck asks which Ack the server sends once the client's first data
// has arrived: Ack = Seq + Len.
func NextAck(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil {
		return nil, false
	}
	i := firstData(c, true)
	if i < 0 {
		return nil, false
	}
	data := c.pkt(i)
	want := data.TCP.Seq + uint32(data.TCP.Len)
	for _, j := range c.Conn.Frames {
		p := c.pkt(j)
		if j > i && !c.Conn.FromClient(p) && p.TCP.Has(dissect.FlagACK) && p.TCP.Ack == want {
			d := with(frameData(p), "DataFrame", data.Number, "DataSeq", data.TCP.Seq, "DataLen", data.TCP.Len)
			return FieldQuestion("next-ack", p, "tcp.ack", KindNumber, tx, "next_ack", d), true
		}
	}
	return nil, false
}

// RawToRelative gives the raw ISN and a raw Seq and asks for the
// relative Seq Wireshark would show.
func RawToRelative(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil || c.Conn.SYNACK < 0 {
		return nil, false
	}
	isn := c.pkt(c.Conn.SYNACK)
	// The server's reply to the client's data: a raw number far from the ISN's look.
	i := firstData(c, false)
	if i < 0 {
		return nil, false
	}
	p := c.pkt(i)
	d := with(frameData(p), "ISN", isn.TCP.SeqRaw, "SynAckFrame", isn.Number)
	return FieldQuestion("raw-to-relative", p, "tcp.seq", KindNumber, tx, "raw_to_relative", d), true
}

// CloseFrame asks which frame starts the close: the first FIN.
func CloseFrame(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil || c.Conn.FirstFIN < 0 {
		return nil, false
	}
	p := c.pkt(c.Conn.FirstFIN)
	d := with(frameData(p), "Who", who(c, p, tx))
	return FieldQuestion("close-frame", p, "frame.number", KindNumber, tx, "close_frame", d), true
}

// CloseFlags asks for the flags of the packet that starts the close.
func CloseFlags(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil || c.Conn.FirstFIN < 0 {
		return nil, false
	}
	p := c.pkt(c.Conn.FirstFIN)
	d := with(frameData(p), "Who", who(c, p, tx))
	return FieldQuestion("close-flags", p, "tcp.flags", KindFlags, tx, "close_flags", d), true
}

// EphemeralPort asks for the port the operating system gave the client.
func EphemeralPort(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil || c.Conn.SYN < 0 {
		return nil, false
	}
	p := c.pkt(c.Conn.SYN)
	return FieldQuestion("ephemeral-port", p, "tcp.srcport", KindNumber, tx, "ephemeral_port", frameData(p)), true
}

func who(c *Capture, p *dissect.Packet, tx Texts) string {
	if c.Conn.FromClient(p) {
		return tx.T("word.client", nil)
	}
	return tx.T("word.server", nil)
}

// BoundPort asks which port the server bound: the SYN's destination.
func BoundPort(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil || c.Conn.SYN < 0 {
		return nil, false
	}
	p := c.pkt(c.Conn.SYN)
	return FieldQuestion("bound-port", p, "tcp.dstport", KindNumber, tx, "bound_port", frameData(p)), true
}

// rstIndex returns the index of the first RST in the capture that
// answers no SYN (an abort), or that does (a refusal), or -1.
func rstIndex(c *Capture, refusal bool) int {
	syns := map[int]bool{} // streams that saw only a SYN so far
	for i := range c.Packets {
		p := &c.Packets[i]
		if p.Transport != dissect.TransportTCP {
			continue
		}
		t := &p.TCP
		if t.Has(dissect.FlagSYN) && !t.Has(dissect.FlagACK) {
			syns[t.Stream] = true
			continue
		}
		if t.Has(dissect.FlagRST) && syns[t.Stream] == refusal {
			return i
		}
		if !t.Has(dissect.FlagRST) {
			syns[t.Stream] = false
		}
	}
	return -1
}

// ResetFrame asks which frame aborts a connection with RST.
func ResetFrame(c *Capture, tx Texts) (*Question, bool) {
	i := rstIndex(c, false)
	if i < 0 {
		return nil, false
	}
	p := c.pkt(i)
	d := with(frameData(p), "Stream", p.TCP.Stream)
	return FieldQuestion("reset-frame", p, "frame.number", KindNumber, tx, "reset_frame", d), true
}

// RefusedFlags asks for the flags of the answer to a SYN sent to a port
// where nothing listens.
func RefusedFlags(c *Capture, tx Texts) (*Question, bool) {
	i := rstIndex(c, true)
	if i < 0 {
		return nil, false
	}
	p := c.pkt(i)
	return FieldQuestion("refused-flags", p, "tcp.flags", KindFlags, tx, "refused_flags", frameData(p)), true
}

// SecondFinAck asks for the Ack of the FIN that answers the first one,
// when it acknowledges it: the first FIN's Seq + 1.
func SecondFinAck(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil || c.Conn.FirstFIN < 0 {
		return nil, false
	}
	first := c.pkt(c.Conn.FirstFIN)
	for _, i := range c.Conn.Frames {
		p := c.pkt(i)
		if i > c.Conn.FirstFIN && p.TCP.Has(dissect.FlagFIN) && c.Conn.FromClient(p) != c.Conn.FromClient(first) &&
			p.TCP.Ack == first.TCP.NextSeq {
			d := with(frameData(p), "FinFrame", first.Number, "FinSeq", first.TCP.Seq)
			return FieldQuestion("fin-ack", p, "tcp.ack", KindNumber, tx, "fin_ack", d), true
		}
	}
	return nil, false
}

// TimeWaitPort asks for the port of the socket left in TIME_WAIT: the
// side that sent the first FIN.
func TimeWaitPort(c *Capture, tx Texts) (*Question, bool) {
	if c.Conn == nil || c.Conn.FirstFIN < 0 {
		return nil, false
	}
	p := c.pkt(c.Conn.FirstFIN)
	d := with(frameData(p), "Who", who(c, p, tx))
	return FieldQuestion("time-wait-port", p, "tcp.srcport", KindNumber, tx, "time_wait_port", d), true
}
