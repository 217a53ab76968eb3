package lessons

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/servers/chat"
)

// The bots' nicknames: the lesson asks which connection is jack's.
const (
	jackNick  = "jack"
	mollyNick = "molly"
)

// chatScript is the chat lab: the server, two classic clients, jack
// and molly, and the learner joining to chat live.
func chatScript() course.Script {
	st := &chatRun{}
	return course.Script{
		Run: func(ctx context.Context, n netenv.Net, h course.Hooks) error { return chatExchange(ctx, n, h, st) },
		Done: func(pkts []dissect.Packet) bool {
			// Three connections, each ended: a FIN both ways, or a reset.
			ended := 0
			for _, c := range stream.TCPConns(pkts) {
				fins := 0
				for _, i := range c.Frames {
					if pkts[i].TCP.Has(dissect.FlagFIN) {
						fins++
					}
				}
				if fins >= 2 || c.RST >= 0 {
					ended++
				}
			}
			return ended >= 3
		},
		Focus: func(conns []*stream.Conn) *stream.Conn {
			for _, c := range conns {
				if int(c.Client.Port()) == st.port {
					return c
				}
			}
			return nil
		},
		Facts:     func(c *quiz.Capture, _ quiz.Texts) map[string]any { return chatFacts(c, st) },
		Snapshots: []string{"open"},
	}
}

// bot is a classic client, as the homework wrote it: it answers "NICK"
// with its bare nickname and records every read it makes.
type bot struct {
	nick  string
	conn  net.Conn
	mu    sync.Mutex
	reads []string
	heard chan string
}

func startBot(ctx context.Context, n netenv.Net, addr, nick string) (*bot, error) {
	c, err := n.Dial(ctx, "tcp", addr)
	if err != nil {
		return nil, failed("chat_bot", map[string]any{"Nick": nick}, err)
	}
	b := &bot{nick: nick, conn: c, heard: make(chan string, 64)}
	go b.receive()
	return b, nil
}

func (b *bot) receive() {
	defer close(b.heard)
	buf := make([]byte, 1024)
	for {
		n, err := b.conn.Read(buf)
		if n > 0 {
			msg := string(buf[:n])
			if msg == "NICK" {
				io.WriteString(b.conn, b.nick)
			} else {
				b.mu.Lock()
				b.reads = append(b.reads, msg)
				b.mu.Unlock()
				select {
				case b.heard <- msg:
				default:
				}
			}
		}
		if err != nil {
			return
		}
	}
}

func (b *bot) say(text string) { io.WriteString(b.conn, b.nick+": "+text) }

// wait returns once the bot has heard something containing s.
func (b *bot) wait(s string, d time.Duration) {
	timeout := time.After(d)
	for {
		select {
		case m, ok := <-b.heard:
			if !ok || strings.Contains(m, s) {
				return
			}
		case <-timeout:
			return
		}
	}
}

// chatRun is what one run's exchange saw that the capture cannot tell:
// the learner's nickname and port, jack's two sends, and what molly's
// recv() returned. The runner calls the exchange, then Focus and Facts,
// one after another.
type chatRun struct {
	nick     string
	port     int
	one, two string // jack's two sends, back to back, as he wrote them
	glued    string // a read that held both of jack's messages
	// gluedAtServer: the server's read of jack's bytes already held both,
	// so it relayed them as one message (the learner saw one line).
	gluedAtServer bool
}

// ChatMessages words the chat server's lines for people in the
// learner's language; the protocol's own words stay the homework's.
func ChatMessages(tx quiz.Texts) chat.Messages {
	return chat.Messages{
		Full:    tx.T("chat.server.full", nil),
		BadNick: tx.T("chat.server.bad_nick", map[string]any{"Max": chat.MaxNick}),
		NickTaken: func(nick string) string {
			return tx.T("chat.server.nick_taken", map[string]any{"Nick": nick})
		},
		Dropped: func(nick string) string {
			return tx.T("chat.server.dropped", map[string]any{"Nick": nick})
		},
	}
}

func chatExchange(ctx context.Context, n netenv.Net, h course.Hooks, st *chatRun) error {
	*st = chatRun{}
	tx := words(h)
	srv := &chat.Server{Net: n, Port: chat.DefaultPort, Messages: ChatMessages(tx)}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	defer srv.Close()
	if err := h.Ready(course.Ports{TCP: []int{chat.DefaultPort}}); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	addr := srv.Addr().String()
	jack, err := startBot(ctx, n, addr, jackNick)
	if err != nil {
		return err
	}
	defer jack.conn.Close()
	jack.wait(chat.Welcome, 2*time.Second)
	molly, err := startBot(ctx, n, addr, mollyNick)
	if err != nil {
		return err
	}
	defer molly.conn.Close()
	molly.wait(chat.Welcome, 2*time.Second)

	// A nickname the room would refuse is asked again, saying why; with
	// no input the lesson joins as "student".
	taken := func(n string) bool { return strings.EqualFold(n, jackNick) || strings.EqualFold(n, mollyNick) }
	var nick string
	for prompt := "chat.lesson_nick"; ; prompt = "chat.lesson_nick_again" {
		a, ok, err := h.Ask(prompt)
		if err != nil {
			return err
		}
		if nick = strings.TrimSpace(a); !ok {
			nick = "student"
			break
		}
		if chat.ValidNick(nick) && !taken(nick) {
			break
		}
	}
	st.nick = nick
	me, err := n.Dial(ctx, "tcp", addr)
	if err != nil {
		return failed("chat_join", nil, err)
	}
	defer me.Close()
	if a, ok := me.LocalAddr().(*net.TCPAddr); ok {
		st.port = a.Port
	}
	r := bufio.NewReader(me)
	if _, err := io.ReadFull(r, make([]byte, len(chat.Greeting))); err != nil {
		return failed("chat_greeting", map[string]any{"Greeting": chat.Greeting}, err)
	}
	fmt.Fprintf(me, "%s\n", nick)
	// What the bots say, and the learner with no input, in the
	// learner's language: every count the lesson asks about comes from
	// the capture, never from these lines.
	you := map[string]any{"Nick": nick}
	st.one, st.two = jackNick+": "+tx.T("chat.bot.jack_first", nil), jackNick+": "+tx.T("chat.bot.jack_second", nil)
	incoming := make(chan string, 64)
	go func() {
		defer close(incoming)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				incoming <- strings.TrimRight(line, "\n")
			}
			if err != nil {
				return
			}
		}
	}()
	show := func(d time.Duration) {
		timeout := time.After(d)
		for {
			select {
			case l, ok := <-incoming:
				if !ok {
					return
				}
				if strings.Contains(l, st.one+st.two) {
					st.gluedAtServer = true
				}
				h.Say(l)
			case <-timeout:
				return
			}
		}
	}
	show(200 * time.Millisecond)
	h.Snapshot("open")

	hello := tx.T("chat.bot.jack_hello", nil)
	jack.say(hello)
	molly.wait(hello, time.Second)
	molly.say(tx.T("chat.bot.molly_welcome", you))
	show(200 * time.Millisecond)

	// Two messages back to back: a classic client may read them as one.
	io.WriteString(jack.conn, st.one)
	io.WriteString(jack.conn, st.two)
	show(200 * time.Millisecond)

	lines := []string{tx.T("chat.bot.learner_first", nil), tx.T("chat.bot.learner_second", nil)}
	sent, prompt := 0, "chat.lesson_say"
	for i := 0; ; i++ {
		var line string
		if a, ok, err := h.Ask(prompt); err != nil {
			return err
		} else if ok {
			line = a
		} else if i < len(lines) {
			line = lines[i]
		} else {
			break
		}
		if strings.TrimSpace(line) == "/done" && sent > 0 {
			break
		}
		if strings.TrimSpace(line) == "/done" {
			prompt = "chat.lesson_say_first" // the lesson is about the bytes of your message
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		sent, prompt = sent+1, "chat.lesson_say"
		fmt.Fprintf(me, "%s\n", line)
		molly.wait(line, time.Second)
		molly.say(tx.T("chat.bot.molly_reads", you))
		show(300 * time.Millisecond)
	}
	if hc, ok := me.(netenv.HalfCloser); ok {
		hc.CloseWrite() // the server sees EOF and leaves us; a Net without half-close just closes below
	}
	show(200 * time.Millisecond)
	me.Close()
	molly.conn.Close()
	jack.conn.Close()
	time.Sleep(100 * time.Millisecond)

	molly.mu.Lock()
	for _, m := range molly.reads {
		if strings.Contains(m, st.one) && strings.Contains(m, st.two) {
			st.glued = m
		}
	}
	molly.mu.Unlock()
	return nil
}

// clientSegments lists the indexes of a connection's segments that carry
// data from its client, in order.
func clientSegments(c *quiz.Capture, conn *stream.Conn) []int {
	var out []int
	for _, i := range conn.Frames {
		if p := &c.Packets[i]; conn.FromClient(p) && p.TCP.Len > 0 {
			out = append(out, i)
		}
	}
	return out
}

// learnerMessage returns the index of the learner's first message: its
// second segment with data (the first is the nickname), or -1.
func learnerMessage(c *quiz.Capture) int {
	if c.Conn == nil {
		return -1
	}
	if d := clientSegments(c, c.Conn); len(d) >= 2 {
		return d[1]
	}
	return -1
}

// line is a segment's text without the newline that ends it.
func line(p *dissect.Packet) string { return strings.TrimSuffix(string(p.Payload), "\n") }

// ackOf returns the index of the first packet from the server that
// acknowledges everything up to packet i's end, or -1.
func ackOf(c *quiz.Capture, i int) int {
	end := c.Packets[i].TCP.NextSeq
	for _, j := range c.Conn.Frames {
		p := &c.Packets[j]
		if j > i && !c.Conn.FromClient(p) && p.TCP.Has(dissect.FlagACK) && int32(p.TCP.Ack-end) >= 0 {
			return j
		}
	}
	return -1
}

// echoOf returns the index of the segment in which the server relays the
// learner's first message (index i) back to the learner, "nick: text\n",
// or -1 when the next data the server sends is anything else.
func echoOf(c *quiz.Capture, i int) int {
	d := clientSegments(c, c.Conn)
	if len(d) < 2 {
		return -1
	}
	want := line(&c.Packets[d[0]]) + ": " + line(&c.Packets[i]) + "\n"
	for _, j := range c.Conn.Frames {
		if p := &c.Packets[j]; j > i && !c.Conn.FromClient(p) && p.TCP.Len > 0 {
			if string(p.Payload) == want {
				return j
			}
			return -1
		}
	}
	return -1
}

// chatConns returns the connections to the chat server's port that open
// in the capture, and reports whether they are all of its connections,
// numbered from 0 in order (so the last one's tcp.stream + 1 counts them).
func chatConns(c *quiz.Capture) ([]*stream.Conn, bool) {
	if c.Conn == nil {
		return nil, false
	}
	all := stream.TCPConns(c.Packets)
	var out []*stream.Conn
	for _, conn := range all {
		if conn.SYN >= 0 && conn.Server.Port() == c.Conn.Server.Port() {
			out = append(out, conn)
		}
	}
	whole := len(out) == len(all)
	for k, conn := range out {
		whole = whole && conn.Stream == k
	}
	return out, whole
}

// nickFrame returns the index of the segment in which a client sent the
// nickname nick, its first data, or -1.
func nickFrame(c *quiz.Capture, nick string) int {
	for _, conn := range stream.TCPConns(c.Packets) {
		if d := clientSegments(c, conn); len(d) > 0 && line(&c.Packets[d[0]]) == nick {
			return d[0]
		}
	}
	return -1
}

func chatFacts(c *quiz.Capture, st *chatRun) map[string]any {
	f := map[string]any{"Nick": st.nick, "Glued": st.glued != "", "GluedText": st.glued,
		"GluedAtServer": st.gluedAtServer, "JackOne": st.one, "JackTwo": st.two, "JackBoth": st.one + st.two}
	if i := nickFrame(c, jackNick); i >= 0 {
		p := &c.Packets[i]
		f["JackFrame"], f["JackPort"], f["JackStream"] = p.Number, p.SrcPort, p.TCP.Stream
	}
	// The clients are the connections to the server's port, each
	// holding one socket of the server's besides the listening one.
	conns := stream.TCPConns(c.Packets)
	if len(conns) == 0 {
		return f
	}
	server, clients := conns[0].Server.Port(), 0
	if c.Conn != nil {
		server = c.Conn.Server.Port()
	}
	for _, conn := range conns {
		if conn.SYN >= 0 && conn.Server.Port() == server {
			clients++
		}
	}
	f["ServerPort"], f["Clients"], f["ServerSockets"] = server, clients, clients+1
	if c.Conn == nil {
		return f
	}
	f["ClientPort"], f["Stream"] = c.Conn.Client.Port(), c.Conn.Stream
	if i := learnerMessage(c); i >= 0 {
		p := &c.Packets[i]
		f["MsgFrame"], f["MsgLen"], f["MsgText"] = p.Number, p.TCP.Len, line(p)
		if j := ackOf(c, i); j >= 0 {
			f["MsgAckFrame"], f["MsgAck"] = c.Packets[j].Number, c.Packets[j].TCP.Ack
		}
		if j := echoOf(c, i); j >= 0 {
			f["EchoFrame"], f["EchoLen"] = c.Packets[j].Number, c.Packets[j].TCP.Len
		}
	}
	return f
}

// chatConnections asks, before the capture is shown, how many TCP
// connections the chat makes: one per client, none for the room. The
// answer is the last connection's tcp.stream plus one.
func chatConnections(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	conns, whole := chatConns(c)
	if !whole || len(conns) == 0 {
		return nil, false
	}
	last := conns[len(conns)-1]
	p := &c.Packets[last.SYN]
	d := map[string]any{"Frame": p.Number, "Count": len(conns), "Stream": last.Stream, "Port": last.Server.Port()}
	return quiz.FieldQuestion("chat-connections", p, "tcp.stream", quiz.KindNumber, tx, "chat_connections", d).WhatIf(1), true
}

// messageFrame asks which frame carried the learner's first message.
func messageFrame(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i := learnerMessage(c)
	if i < 0 {
		return nil, false
	}
	p := &c.Packets[i]
	d := map[string]any{"Frame": p.Number, "Text": line(p), "Port": p.SrcPort, "Len": p.TCP.Len}
	return quiz.FieldQuestion("chat-message-frame", p, "frame.number", quiz.KindNumber, tx, "chat_frame", d), true
}

// messageLen asks how many bytes the learner's first message took: what
// they typed, in UTF-8, and a newline.
func messageLen(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i := learnerMessage(c)
	if i < 0 {
		return nil, false
	}
	p := &c.Packets[i]
	text := line(p)
	d := map[string]any{"Frame": p.Number, "Len": p.TCP.Len, "Text": text, "Chars": len(text), "Runes": utf8.RuneCountInString(text)}
	return quiz.FieldQuestion("chat-message-len", p, "tcp.len", quiz.KindNumber, tx, "chat_len", d), true
}

// ackData is what the questions about the Ack of the learner's first
// message say: the message's Seq and Len, the Ack's frame and value.
func ackData(c *quiz.Capture) (q *dissect.Packet, d map[string]any, ok bool) {
	i := learnerMessage(c)
	if i < 0 {
		return nil, nil, false
	}
	j := ackOf(c, i)
	if j < 0 {
		return nil, nil, false
	}
	p, q := &c.Packets[i], &c.Packets[j]
	return q, map[string]any{"MsgFrame": p.Number, "Seq": p.TCP.Seq, "Len": p.TCP.Len, "Frame": q.Number, "Ack": q.TCP.Ack}, true
}

// messageAck asks for the Ack that answered the learner's first message.
func messageAck(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	q, d, ok := ackData(c)
	if !ok {
		return nil, false
	}
	return quiz.FieldQuestion("chat-message-ack", q, "tcp.ack", quiz.KindNumber, tx, "chat_ack", d), true
}

// longer is how many bytes longer the what-if message is.
const longer = 10

// chatAckWhatIf asks what that Ack would have been had the message been
// longer bytes longer: the same Seq, a larger Len.
func chatAckWhatIf(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	q, d, ok := ackData(c)
	if !ok {
		return nil, false
	}
	d["More"], d["NewLen"], d["NewAck"] = longer, d["Len"].(int)+longer, q.TCP.Ack+longer
	return quiz.FieldQuestion("chat-ack-whatif", q, "tcp.ack", quiz.KindNumber, tx, "chat_ack_whatif", d).WhatIf(longer), true
}

// relayLen asks how many bytes the server's relay of the learner's
// first message to jack carries: "nick: text", and no newline, jack's
// being a classic client.
func relayLen(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i, k := learnerMessage(c), nickFrame(c, jackNick)
	if i < 0 || k < 0 {
		return nil, false
	}
	nick, text := line(&c.Packets[clientSegments(c, c.Conn)[0]]), line(&c.Packets[i])
	want := nick + ": " + text
	jack := c.Packets[k].TCP.Stream
	for j := i + 1; j < len(c.Packets); j++ {
		p := &c.Packets[j]
		if p.Transport != dissect.TransportTCP || p.TCP.Stream != jack || p.SrcPort != c.Packets[k].DstPort || p.TCP.Len == 0 {
			continue
		}
		if string(p.Payload) != want {
			return nil, false // glued to another message, or not this one
		}
		d := map[string]any{"Frame": p.Number, "MsgFrame": c.Packets[i].Number, "Len": p.TCP.Len,
			"Nick": nick, "NickBytes": len(nick), "Text": text, "TextBytes": len(text), "Jack": jackNick}
		return quiz.FieldQuestion("chat-relay-len", p, "tcp.len", quiz.KindNumber, tx, "chat_relay_len", d), true
	}
	return nil, false
}

// jackStream asks on which connection jack is: the tcp.stream of the
// segment in which his client sent its nickname.
func jackStream(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i := nickFrame(c, jackNick)
	if i < 0 {
		return nil, false
	}
	p := &c.Packets[i]
	d := map[string]any{"Frame": p.Number, "Nick": jackNick, "Len": p.TCP.Len, "Port": p.SrcPort, "Stream": p.TCP.Stream}
	q := quiz.FieldQuestion("chat-jack-stream", p, "tcp.stream", quiz.KindNumber, tx, "chat_jack_stream", d)
	q.Clue = tx.T("quiz.chat_jack_stream.clue", d) // the field's frame would be the answer
	return q, true
}
