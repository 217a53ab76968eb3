package lessons

import (
	"bytes"
	"context"
	"io"
	"net"
	"sync"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/stream"
	"wiretutor/servers/chat"
	"wiretutor/servers/listen"
)

// The members the lesson sends against a learner's chat server, as in
// the homework: they join in this order, then jack speaks and molly
// answers. Their lines are ASCII in every language, as the protocol's
// words are (chatServerPeer's server keeps chat.Messages' English too):
// the homework's client and server decode what they read as ASCII, so
// a Cyrillic or Chinese byte from the lesson would crash a learner's
// program that is right, and fail its checks for nothing. What verify
// tells the learner about them is in the learner's language.
const (
	bobNick      = "bob"
	jackSays     = "jack: hello from jack"
	mollyAnswers = "molly: hi jack"
)

// chatServerPeer is the homework's chat server on port 55555, for a
// learner's client. It speaks the lab's English (chat.Messages' zero
// value), ASCII a homework client can decode: see bobNick's note.
func chatServerPeer() course.Peer {
	return serving(course.Ports{TCP: []int{chat.DefaultPort}}, func(ctx context.Context, n netenv.Net) (io.Closer, []string, error) {
		srv := &chat.Server{Net: n, Port: chat.DefaultPort}
		return srv, nil, srv.Start(ctx)
	})
}

// member is one of the lesson's chat clients: the homework's kind, which
// sends its nickname and each message as one chunk with no newline.
type member struct {
	nick string
	c    net.Conn
	mu   sync.Mutex
	got  []byte
	more chan struct{} // a value after each read (one pending)
	eof  chan struct{} // closed when the server closed or the read failed
}

// join connects a member and answers NICK with its nickname.
func join(ctx context.Context, n netenv.Net, nick string) (*member, error) {
	c, err := n.Dial(ctx, "tcp", listen.Addr("", chat.DefaultPort))
	if err != nil {
		return nil, peerFailed("peer_connect", map[string]any{"Port": chat.DefaultPort}, err)
	}
	m := &member{nick: nick, c: c, more: make(chan struct{}, 1), eof: make(chan struct{})}
	go m.read()
	if m.wait(ctx, chat.Greeting) {
		m.mu.Lock()
		m.got = m.got[:0] // what came before the nickname is the question
		m.mu.Unlock()
		c.Write([]byte(nick))
	}
	return m, nil
}

func (m *member) read() {
	defer close(m.eof)
	buf := make([]byte, 4096)
	for {
		k, err := m.c.Read(buf)
		m.mu.Lock()
		if len(m.got) < 1<<20 {
			m.got = append(m.got, buf[:k]...)
		}
		m.mu.Unlock()
		select {
		case m.more <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// wait waits until the member has received text, for peerWait at most.
func (m *member) wait(ctx context.Context, text string) bool {
	t := time.NewTimer(peerWait)
	defer t.Stop()
	for {
		m.mu.Lock()
		ok := bytes.Contains(m.got, []byte(text))
		m.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-m.more:
		case <-m.eof:
			m.mu.Lock()
			ok := bytes.Contains(m.got, []byte(text))
			m.mu.Unlock()
			return ok
		case <-t.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

// chatMembersPeer is the homework's three clients, for a learner's chat
// server on port 55555: jack, molly and bob join in turn, jack says
// hello, molly answers, and they leave.
func chatMembersPeer() course.Peer {
	return course.Peer{
		Ports:  course.Ports{TCP: []int{chat.DefaultPort}},
		Listen: []course.Listen{{Proto: "tcp", Port: chat.DefaultPort}},
		Run: func(ctx context.Context, n netenv.Net, ready func(env ...string), say func(string)) error {
			ready()
			ctx, cancel := context.WithTimeout(ctx, 10*peerWait)
			defer cancel()
			var ms []*member
			defer func() {
				for _, m := range ms {
					m.c.Close()
					<-m.eof
				}
			}()
			for _, nick := range []string{jackNick, mollyNick, bobNick} {
				m, err := join(ctx, n, nick)
				if err != nil {
					return err
				}
				ms = append(ms, m)
				m.wait(ctx, nick+" joined")
			}
			jack, molly, bob := ms[0], ms[1], ms[2]
			jack.c.Write([]byte(jackSays))
			molly.wait(ctx, jackSays)
			bob.wait(ctx, jackSays)
			molly.c.Write([]byte(mollyAnswers))
			jack.wait(ctx, mollyAnswers)
			bob.wait(ctx, mollyAnswers)
			for _, m := range ms {
				m.mu.Lock()
				say(m.nick + " ← " + quoted(m.got, 70))
				m.mu.Unlock()
			}
			return nil
		},
	}
}

// chatConn is one member's connection as the capture shows it: the
// nickname it gave and the bytes each way.
type chatConn struct {
	c        *stream.Conn
	nick     string
	up, down *flow
	said     int // offset in up where the messages after the nickname begin
}

// memberConns are the capture's connections to the chat port, with the
// nickname each gave: the first line of its first data, or that whole
// chunk (the homework's clients send no newline).
func memberConns(e *course.Evidence) []*chatConn {
	var out []*chatConn
	for _, c := range labConns(e) {
		cc := &chatConn{c: c, up: flowOf(e.Packets, c, true), down: flowOf(e.Packets, c, false)}
		if len(cc.up.frames) > 0 {
			first := e.Packets[cc.up.frames[0]].Payload
			if k := bytes.IndexByte(first, '\n'); k >= 0 {
				cc.nick, cc.said = string(bytes.TrimRight(first[:k], "\r")), k+1
			} else {
				cc.nick, cc.said = string(first), len(first)
			}
		}
		out = append(out, cc)
	}
	return out
}

// memberConn returns the connection of the member with nickname nick.
func memberConn(cs []*chatConn, nick string) *chatConn {
	for _, c := range cs {
		if c.nick == nick {
			return c
		}
	}
	return nil
}

// chatGivesNick: the learner's client answered the server's NICK with
// its nickname.
func chatGivesNick(e *course.Evidence) course.Finding {
	d := map[string]any{"Port": chat.DefaultPort}
	cs := memberConns(e)
	if len(cs) == 0 {
		return found(false, "client.no_syn", nil, d)
	}
	c := cs[0]
	if len(c.up.frames) == 0 {
		return found(false, "chat.no_nick", nil, d)
	}
	d["Nick"] = quoted([]byte(c.nick), 40)
	return found(true, "chat.nick_given", &e.Packets[c.up.frames[0]], d)
}

// chatSays: the learner's client sent a message after its nickname.
func chatSays(e *course.Evidence) course.Finding {
	d := map[string]any{"Port": chat.DefaultPort}
	cs := memberConns(e)
	if len(cs) == 0 {
		return found(false, "client.no_syn", nil, d)
	}
	c := cs[0]
	d["Nick"] = quoted([]byte(c.nick), 40)
	rest := c.up.data[min(c.said, len(c.up.data)):]
	if len(bytes.TrimSpace(rest)) == 0 {
		return found(false, "chat.silent", nil, d)
	}
	i, _ := c.up.at(c.said)
	d["Text"] = quoted(bytes.TrimSpace(rest), 50)
	return found(true, "chat.said", &e.Packets[i], d)
}

// chatAsksNick: the learner's server asked every member for its
// nickname with exactly NICK, the homework's word.
func chatAsksNick(e *course.Evidence) course.Finding {
	d := map[string]any{"Port": chat.DefaultPort}
	cs := memberConns(e)
	if len(cs) == 0 {
		return found(false, "server.no_syn", nil, d)
	}
	var first *chatConn
	for _, c := range cs {
		if len(c.down.frames) == 0 {
			return found(false, "chat.no_ask", &e.Packets[c.c.Frames[0]], d)
		}
		if p := &e.Packets[c.down.frames[0]]; string(p.Payload) != "NICK" {
			d["Got"] = quoted(p.Payload, 40)
			return found(false, "chat.asks_other", p, d)
		}
		if first == nil {
			first = c
		}
	}
	return found(true, "chat.asks", &e.Packets[first.down.frames[0]], d)
}

// chatAnnounces: the learner's server told jack that molly joined.
func chatAnnounces(e *course.Evidence) course.Finding {
	d := map[string]any{"Port": chat.DefaultPort, "Nick": mollyNick, "To": jackNick}
	cs := memberConns(e)
	jack := memberConn(cs, jackNick)
	if jack == nil || memberConn(cs, mollyNick) == nil {
		return found(false, "chat.members_missing", nil, d)
	}
	if k := bytes.Index(jack.down.data, []byte(mollyNick+" joined")); k >= 0 {
		i, _ := jack.down.at(k)
		return found(true, "chat.announced", &e.Packets[i], d)
	}
	return found(false, "chat.no_join", nil, d)
}

// chatRelays: jack's message reached molly and bob.
func chatRelays(e *course.Evidence) course.Finding {
	d := map[string]any{"Port": chat.DefaultPort, "Text": quoted([]byte(jackSays), 40), "Nick": jackNick}
	cs := memberConns(e)
	jack, molly, bob := memberConn(cs, jackNick), memberConn(cs, mollyNick), memberConn(cs, bobNick)
	if jack == nil || molly == nil || bob == nil {
		return found(false, "chat.members_missing", nil, d)
	}
	at := func(c *chatConn) int {
		if k := bytes.Index(c.down.data, []byte(jackSays)); k >= 0 {
			i, _ := c.down.at(k)
			return i
		}
		return -1
	}
	m, b, j := at(molly), at(bob), at(jack)
	switch {
	case m >= 0 && b >= 0:
		return found(true, "chat.relayed", &e.Packets[min(m, b)], d)
	case m < 0 && b < 0 && j >= 0:
		return found(false, "chat.echo_only", &e.Packets[j], d)
	case m < 0:
		d["To"] = mollyNick
	default:
		d["To"] = bobNick
	}
	return found(false, "chat.not_relayed", nil, d)
}
