// Package chat is the course's chat server, speaking the protocol of the
// chat homework: on connect the server sends exactly "NICK"; the client
// answers with its nickname; the server announces "<nick> joined!" to
// everyone and tells the newcomer "Connected to server!"; then every
// message goes to everyone, and "<nick> left!" when a client goes.
//
// Classic clients (the homework's) send each message as one chunk with
// no newline and print each chunk they receive. Line clients (nc, the
// course's own) end their nickname and every message with "\n" and get
// lines back. The server tells them apart by the nickname's newline.
package chat

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"wiretutor/servers/listen"
)

// DefaultPort is the homework's port.
const DefaultPort = 55555

// Limits.
const (
	MaxMessage  = 4096 // bytes; longer lines are cut
	MaxNick     = 32   // characters
	QueueLength = 1024 // messages waiting for a slow reader before it is cut off
	nickTries   = 3
)

// Network is what the server listens on (netenv.Net satisfies it).
type Network interface {
	Listen(ctx context.Context, network, address string) (net.Listener, error)
}

// EventKind says what happened.
type EventKind int

// The events a Server reports.
const (
	Joined   EventKind = iota // a client chose its nickname
	Message                   // a client said something
	Left                      // a client left
	Dropped                   // a client was cut off: it did not read
	Rejected                  // a nickname was refused
)

// Event is one thing that happened in the room.
type Event struct {
	Kind   EventKind
	Nick   string
	Remote net.Addr
	Text   string
}

// Server is a chat room. Set the fields, then Start.
type Server struct {
	Net  Network
	Host string // 127.0.0.1 when empty
	Port int    // 0 picks a free port
	// OnEvent, if set, is called for every event, from many goroutines.
	OnEvent func(Event)
	// WriteTimeout bounds one write to a client; 0 means 10 seconds.
	WriteTimeout time.Duration
	// NickTimeout bounds the wait for a nickname; 0 means a minute.
	NickTimeout time.Duration

	ln      net.Listener
	mu      sync.Mutex
	clients map[*client]struct{}
	conns   map[net.Conn]struct{}
	wg      sync.WaitGroup
	done    chan struct{}
	once    sync.Once
}

// client is one member of the room.
type client struct {
	conn  net.Conn
	nick  string
	lines bool        // a line client: messages end with "\n"
	out   chan []byte // the bounded send queue
	gone  chan struct{}
	once  sync.Once
}

// Start listens and serves in the background until Close.
func (s *Server) Start(ctx context.Context) error {
	ln, err := listen.TCP(ctx, s.Net, s.Host, s.Port)
	if err != nil {
		return err
	}
	s.ln = ln
	s.clients = map[*client]struct{}{}
	s.conns = map[net.Conn]struct{}{}
	s.done = make(chan struct{})
	s.wg.Add(1)
	go s.accept()
	return nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close disconnects everyone and waits for every goroutine to end.
func (s *Server) Close() error {
	s.once.Do(func() {
		close(s.done)
		s.ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
	})
	s.wg.Wait()
	return nil
}

func (s *Server) emit(e Event) {
	if s.OnEvent != nil {
		s.OnEvent(e)
	}
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		s.mu.Lock()
		s.conns[conn] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go s.serve(conn)
	}
}

// ValidNick reports whether a nickname is 1 to 32 letters, digits, '_'
// or '-' (letters of any script: Алиса and 小明 are welcome).
func ValidNick(n string) bool {
	count := 0
	for _, r := range n {
		count++
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-') {
			return false
		}
	}
	return count >= 1 && count <= MaxNick
}

// clean makes a message safe to show on other people's terminals:
// invalid UTF-8 and control characters (escape sequences included)
// become U+FFFD; tabs stay.
func clean(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return '\uFFFD'
	}, s)
}

func (s *Server) serve(conn net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, conn)
		s.mu.Unlock()
		conn.Close()
	}()
	wt := s.WriteTimeout
	if wt == 0 {
		wt = 10 * time.Second
	}
	nt := s.NickTimeout
	if nt == 0 {
		nt = time.Minute
	}
	buf := make([]byte, MaxMessage)
	c := &client{conn: conn, out: make(chan []byte, QueueLength), gone: make(chan struct{})}
	var pending []byte // a line client's unfinished line

	// The nickname: "NICK", then one read.
	for try := 0; ; try++ {
		conn.SetWriteDeadline(time.Now().Add(wt))
		if _, err := conn.Write([]byte("NICK")); err != nil {
			return
		}
		conn.SetReadDeadline(time.Now().Add(nt))
		n, err := conn.Read(buf)
		if err != nil {
			return
		}
		raw := buf[:n]
		// A line client's nickname is its first line; what follows in
		// the same read is already chat.
		var rest []byte
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			c.lines, rest = true, raw[i+1:]
			raw = raw[:i]
		}
		nick := strings.TrimSpace(string(raw))
		reason := ""
		switch {
		case !utf8.ValidString(nick) || !ValidNick(nick):
			reason = "Nickname must be 1 to 32 letters, digits, _ or -."
		case !s.claim(c, nick):
			reason = "Nickname " + nick + " is taken."
		}
		if reason == "" {
			pending = append(pending, rest...)
			break
		}
		s.emit(Event{Kind: Rejected, Nick: clean([]byte(nick)), Remote: conn.RemoteAddr(), Text: reason})
		conn.SetWriteDeadline(time.Now().Add(wt))
		conn.Write([]byte(reason + "\n"))
		if try+1 >= nickTries {
			return
		}
		time.Sleep(50 * time.Millisecond) // keep "NICK" in a read of its own
	}
	conn.SetReadDeadline(time.Time{})
	s.wg.Add(1)
	go s.write(c, wt)
	s.emit(Event{Kind: Joined, Nick: c.nick, Remote: conn.RemoteAddr()})
	s.broadcast(c.nick + " joined!")
	s.send(c, "Connected to server!")

	pending = s.sayLines(c, pending) // chat that came with the nickname
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			if c.lines {
				pending = s.sayLines(c, append(pending, buf[:n]...))
			} else {
				s.say(c, clean(buf[:n])) // a classic client: one read, one message
			}
		}
		if err != nil {
			break
		}
		select {
		case <-c.gone:
			return // cut off for not reading
		default:
		}
	}
	s.leave(c, "left!")
}

// sayLines says every whole line of a line client's input and returns
// the unfinished rest; a line that grows past MaxMessage is cut.
func (s *Server) sayLines(c *client, pending []byte) []byte {
	for {
		i := bytes.IndexByte(pending, '\n')
		if i < 0 {
			if len(pending) >= MaxMessage {
				s.say(c, c.nick+": "+clean(pending[:MaxMessage]))
				return pending[:0]
			}
			return pending
		}
		if line := bytes.TrimRight(pending[:i], "\r"); len(line) > 0 {
			s.say(c, c.nick+": "+clean(line[:min(len(line), MaxMessage)]))
		}
		pending = pending[i+1:]
	}
}

// claim takes a nickname for c if nobody has it.
func (s *Server) claim(c *client, nick string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for o := range s.clients {
		if strings.EqualFold(o.nick, nick) {
			return false
		}
	}
	c.nick = nick
	s.clients[c] = struct{}{}
	return true
}

func (s *Server) say(c *client, text string) {
	s.emit(Event{Kind: Message, Nick: c.nick, Remote: c.conn.RemoteAddr(), Text: text})
	s.broadcast(text)
}

// leave takes c out of the room and tells everyone else.
func (s *Server) leave(c *client, how string) {
	s.mu.Lock()
	_, in := s.clients[c]
	delete(s.clients, c)
	s.mu.Unlock()
	if !in {
		return
	}
	c.once.Do(func() { close(c.gone) })
	kind := Left
	if how != "left!" {
		kind = Dropped
	}
	s.emit(Event{Kind: kind, Nick: c.nick, Remote: c.conn.RemoteAddr()})
	s.broadcast(c.nick + " " + how)
}

// broadcast queues a message for everyone in the room. A client whose
// queue is full is cut off, so it cannot hold anyone else up.
func (s *Server) broadcast(text string) {
	s.mu.Lock()
	var slow []*client
	for c := range s.clients {
		select {
		case c.out <- frame(c, text):
		default:
			slow = append(slow, c)
		}
	}
	s.mu.Unlock()
	for _, c := range slow {
		c.conn.Close()
		s.leave(c, "was disconnected: not reading.")
	}
}

// send queues a message for one client.
func (s *Server) send(c *client, text string) {
	select {
	case c.out <- frame(c, text):
	default:
	}
}

func frame(c *client, text string) []byte {
	if c.lines {
		return []byte(text + "\n")
	}
	return []byte(text)
}

// write delivers c's queue. What has piled up goes out in one write
// (net.Buffers): a reader that keeps up is never cut off by a burst.
// Classic clients may then see two messages in one read, as they can
// with the homework's own server: TCP is a stream.
func (s *Server) write(c *client, wt time.Duration) {
	defer s.wg.Done()
	for {
		select {
		case m := <-c.out:
			bufs := net.Buffers{m}
		more:
			for len(bufs) < 64 {
				select {
				case m := <-c.out:
					bufs = append(bufs, m)
				default:
					break more
				}
			}
			c.conn.SetWriteDeadline(time.Now().Add(wt))
			if _, err := bufs.WriteTo(c.conn); err != nil {
				c.conn.Close()
				return
			}
		case <-c.gone:
			return
		case <-s.done:
			return
		}
	}
}
