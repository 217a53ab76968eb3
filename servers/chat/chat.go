// Package chat is the course's chat server, speaking the protocol of the
// chat homework: on connect the server sends exactly "NICK"; the client
// answers with its nickname; the server announces "<nick> joined!" to
// everyone and tells the newcomer "Connected to server!"; then every
// message goes to everyone, and "<nick> left!" when a client goes.
//
// Classic clients (the homework's) send each message as one chunk with
// no newline and print each chunk they receive. Line clients (nc, the
// course's own) end their nickname and every message with "\n" and get
// lines back. The server tells them apart by the nickname's newline: a
// first read that holds a "\n" makes a line client, whose nickname is
// that read's first line; one without makes a classic client, whose
// nickname is the whole read.
//
// Long lines. A line client's line whose text (without its "\n" and one
// "\r" before it) is longer than MaxMessage bytes is cut: the room gets
// its first MaxMessage bytes (fewer if that would split a UTF-8
// character) followed by CutMarker, and the rest of the line, up to its
// "\n", is dropped. The rule depends on the bytes only, never on how TCP
// split them (Splitter applies it). A classic client has no line ends:
// each read is one message, at most MaxMessage bytes.
//
// A member that floods pays for it, not the others. Each reader has a
// queue bounded in bytes (MaxQueue); a message is relayed to everyone
// before the server reads the sender's next bytes, and while a reader's
// queue is full the sender waits, so the kernel's flow control slows
// the flooder down to the pace of the room. A reader that does not
// take a write within WriteTimeout is cut off, announced as
// "<nick> was disconnected: not reading." Everything one client can
// make the server hold (its queue, its read buffer, its unfinished line)
// stays under 256 KB, and at most MaxClients are served at once: one
// more is told ServerFull and closed.
//
// Words. The protocol's own words ("NICK", Welcome, "<nick> joined!",
// "<nick> left!") are the homework's and never change: clients and the
// lesson's text rely on them. The lines only a person reads (a refused
// nickname, a full room, a member cut off) are Server.Messages, in
// English unless the caller words them in its reader's language.
package chat

import (
	"bytes"
	"context"
	"errors"
	"io"
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
	MaxMessage = 4096 // bytes of one message; a longer line is cut
	MaxNick    = 32   // characters
	// MaxQueue bounds, in bytes, what waits to be written to one reader.
	MaxQueue = 64 << 10
	// DefaultMaxClients is how many connections are served at once
	// unless Server.MaxClients says otherwise.
	DefaultMaxClients = 1000
	nickTries         = 3
	writeBatch        = 16 << 10 // bytes of one write at most
	// msgOverhead is what the server holds per queued message besides
	// its bytes; the queue counts it too.
	msgOverhead = 48
)

// CutMarker ends a line that was cut at MaxMessage bytes.
const CutMarker = "[…]"

// The protocol's words, as the homework's server sends them. A client
// may wait for Welcome before it speaks, so it is the same in every
// language.
const (
	// Greeting asks a newcomer for its nickname.
	Greeting = "NICK"
	// Welcome tells a newcomer it is in the room.
	Welcome = "Connected to server!"
	// JoinedSuffix follows a nickname to tell everyone it came.
	JoinedSuffix = " joined!"
	// LeftSuffix follows a nickname to tell everyone it went.
	LeftSuffix = " left!"
)

// ServerFull is the English line a client gets when MaxClients are
// connected already, just before the server closes the connection
// (Messages.Full words it otherwise).
const ServerFull = "The chat server is full. Try again later."

// Messages are the lines of the server meant for people, not for
// programs: the lab's protocol leaves them free. A field left empty (or
// nil) is the English default written beside it, which is what a
// client of the lab's own server would read. The lessons word them in
// the learner's language.
type Messages struct {
	// Full goes to a connection refused because MaxClients are
	// connected: ServerFull.
	Full string
	// BadNick goes to a client whose nickname is not 1 to MaxNick
	// letters, digits, '_' or '-': "Nickname must be 1 to 32 letters,
	// digits, _ or -."
	BadNick string
	// NickTaken goes to a client whose nickname someone in the room
	// has already (letter case aside): "Nickname <nick> is taken."
	NickTaken func(nick string) string
	// Dropped goes to everyone when a member is cut off for not
	// reading: "<nick> was disconnected: not reading."
	Dropped func(nick string) string
}

// full is the line for a refused connection.
func (m Messages) full() string {
	if m.Full != "" {
		return m.Full
	}
	return ServerFull
}

// badNick is the line for a nickname the rules refuse.
func (m Messages) badNick() string {
	if m.BadNick != "" {
		return m.BadNick
	}
	return "Nickname must be 1 to 32 letters, digits, _ or -."
}

// nickTaken is the line for a nickname someone has.
func (m Messages) nickTaken(nick string) string {
	if m.NickTaken != nil {
		return m.NickTaken(nick)
	}
	return "Nickname " + nick + " is taken."
}

// dropped is the line for a member cut off.
func (m Messages) dropped(nick string) string {
	if m.Dropped != nil {
		return m.Dropped(nick)
	}
	return nick + " was disconnected: not reading."
}

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
	Full                      // a connection was refused: MaxClients are connected
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
	// A client whose write does not finish in time is cut off.
	WriteTimeout time.Duration
	// NickTimeout bounds the wait for a nickname; 0 means a minute.
	NickTimeout time.Duration
	// MaxClients caps the connections served at once; 0 means
	// DefaultMaxClients.
	MaxClients int
	// Messages words the lines meant for people; the zero value is
	// English.
	Messages Messages

	maxLine int          // a line's limit; 0 means MaxMessage (tests make it small)
	waiting func(string) // called with a reader's nick when a sender waits for its queue (tests)

	ln      net.Listener
	loop    listen.Loop // its goroutines are all the server's
	mu      sync.Mutex
	clients map[*client]struct{}
	relay   sync.Mutex // one message at a time, so everyone sees one order
	once    sync.Once
}

// client is one member of the room.
type client struct {
	conn  net.Conn
	nick  string
	lines bool // a line client: messages end with "\n"
	q     queue
	wrote chan struct{} // closed when its writer is done
}

// Start listens and serves in the background until Close.
func (s *Server) Start(ctx context.Context) error {
	ln, err := listen.TCP(ctx, s.Net, s.Host, s.Port)
	if err != nil {
		return err
	}
	s.ln = ln
	s.clients = map[*client]struct{}{}
	s.loop.Handle, s.loop.Refuse = s.serve, s.refuse
	s.loop.Max = s.MaxClients
	if s.loop.Max <= 0 {
		s.loop.Max = DefaultMaxClients
	}
	s.loop.Serve(ln)
	return nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close disconnects everyone and waits for every goroutine to end.
func (s *Server) Close() error {
	s.once.Do(func() {
		s.loop.Stop()
		s.mu.Lock()
		for c := range s.clients {
			c.q.close(false)
		}
		s.mu.Unlock()
	})
	s.loop.Wait()
	return nil
}

func (s *Server) emit(e Event) {
	if s.OnEvent != nil {
		s.OnEvent(e)
	}
}

// refuse tells one client too many that the room is full; the loop
// closes it after.
func (s *Server) refuse(conn net.Conn) {
	full := s.Messages.full()
	s.emit(Event{Kind: Full, Remote: conn.RemoteAddr(), Text: full})
	conn.SetWriteDeadline(time.Now().Add(time.Second))
	conn.Write([]byte(full + "\n"))
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

// nickOf reads a nickname from a client's first read. A line client's
// is the read's first line, and what follows it in the same read is
// already chat; a classic client's is the whole read.
func nickOf(raw []byte) (nick string, lines bool, rest []byte) {
	if i := bytes.IndexByte(raw, '\n'); i >= 0 {
		lines, rest, raw = true, raw[i+1:], raw[:i]
	}
	return strings.TrimSpace(string(raw)), lines, rest
}

// lineMessage is what the room sees of a line client's line.
func lineMessage(nick string, text []byte, cut bool) string {
	m := nick + ": " + clean(text)
	if cut {
		m += CutMarker
	}
	return m
}

// serve is one client's life in the room; the loop closes conn after.
func (s *Server) serve(conn net.Conn) {
	wt := s.WriteTimeout
	if wt == 0 {
		wt = 10 * time.Second
	}
	nt := s.NickTimeout
	if nt == 0 {
		nt = time.Minute
	}
	buf := make([]byte, MaxMessage)
	c := &client{conn: conn, wrote: make(chan struct{})}
	c.q.init(s)
	sp := Splitter{Max: s.maxLine}
	say := func(text []byte, cut bool) {
		if len(text) > 0 || cut {
			s.say(c, lineMessage(c.nick, text, cut))
		}
	}

	// The nickname: "NICK", then one read.
	var rest []byte
	for try := 0; ; try++ {
		conn.SetWriteDeadline(time.Now().Add(wt))
		if _, err := conn.Write([]byte(Greeting)); err != nil {
			return
		}
		conn.SetReadDeadline(time.Now().Add(nt))
		n, err := conn.Read(buf)
		if err != nil {
			return
		}
		var nick string
		nick, c.lines, rest = nickOf(buf[:n])
		reason := ""
		switch {
		case !utf8.ValidString(nick) || !ValidNick(nick):
			reason = s.Messages.badNick()
		case !s.claim(c, nick):
			reason = s.Messages.nickTaken(nick)
		}
		if reason == "" {
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
	s.loop.Go(func() { s.write(c, wt) })
	s.emit(Event{Kind: Joined, Nick: c.nick, Remote: conn.RemoteAddr()})
	s.broadcast(c.nick + JoinedSuffix)
	s.send(c, Welcome)

	sp.Feed(rest, say) // chat that came with the nickname
	var err error
	for err == nil {
		var n int
		n, err = conn.Read(buf)
		if n > 0 {
			if c.lines {
				sp.Feed(buf[:n], say)
			} else {
				s.say(c, clean(buf[:n])) // a classic client: one read, one message
			}
		}
	}
	s.loop.Release(conn) // its place is free once its going is told
	// A client that closed only its sending side (EOF) still gets what
	// was queued for it, within WriteTimeout.
	s.leave(c, c.q.wasCut(), errors.Is(err, io.EOF))
	select {
	case <-c.wrote:
	case <-s.loop.Done(): // Close no longer sees this conn: close it here
		conn.Close()
		<-c.wrote
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
	c.nick, c.q.nick = nick, nick
	s.clients[c] = struct{}{}
	return true
}

func (s *Server) say(c *client, text string) {
	s.emit(Event{Kind: Message, Nick: c.nick, Remote: c.conn.RemoteAddr(), Text: text})
	s.broadcast(text)
}

// leave takes c out of the room and tells everyone else that it left,
// or that it was cut off; with flush, c's writer delivers what is
// queued before it ends.
func (s *Server) leave(c *client, cut, flush bool) {
	s.mu.Lock()
	_, in := s.clients[c]
	delete(s.clients, c)
	s.mu.Unlock()
	if flush {
		c.q.end()
	} else {
		c.q.close(false)
	}
	if !in {
		return
	}
	if cut {
		s.emit(Event{Kind: Dropped, Nick: c.nick, Remote: c.conn.RemoteAddr()})
		s.broadcast(s.Messages.dropped(c.nick))
		return
	}
	s.emit(Event{Kind: Left, Nick: c.nick, Remote: c.conn.RemoteAddr()})
	s.broadcast(c.nick + LeftSuffix)
}

// broadcast queues a message for everyone in the room, waiting while a
// reader's queue is full: the caller is the sender's own goroutine, so
// the sender is not read from meanwhile.
func (s *Server) broadcast(text string) {
	line, classic := []byte(text+"\n"), []byte(text)
	s.relay.Lock()
	defer s.relay.Unlock()
	s.mu.Lock()
	to := make([]*client, 0, len(s.clients))
	for c := range s.clients {
		to = append(to, c)
	}
	s.mu.Unlock()
	for _, c := range to {
		if c.lines {
			c.q.push(line)
		} else {
			c.q.push(classic)
		}
	}
}

// send queues a message for one client.
func (s *Server) send(c *client, text string) {
	if c.lines {
		text += "\n"
	}
	s.relay.Lock()
	c.q.push([]byte(text))
	s.relay.Unlock()
}

// write delivers c's queue. What has piled up goes out in one write
// (net.Buffers): a reader that keeps up is never cut off by a burst.
// Classic clients may then see two messages in one read, as they can
// with the homework's own server: TCP is a stream. A write that times
// out cuts the client off.
func (s *Server) write(c *client, wt time.Duration) {
	defer close(c.wrote)
	for {
		msgs, held, ok := c.q.take()
		if !ok {
			return
		}
		bufs := net.Buffers(msgs)
		c.conn.SetWriteDeadline(time.Now().Add(wt))
		_, err := bufs.WriteTo(c.conn)
		c.q.written(held)
		if err != nil {
			var ne net.Error
			c.q.close(errors.As(err, &ne) && ne.Timeout())
			c.conn.Close()
			return
		}
	}
}

// queue is what waits to be written to one client, bounded in bytes:
// a message counts from the moment it is queued until it is written.
type queue struct {
	mu     sync.Mutex
	cond   sync.Cond
	s      *Server
	nick   string
	msgs   [][]byte
	held   int // bytes of msgs and of the write under way, overhead included
	closed bool
	ending bool // no more messages: the writer ends once the queue is empty
	cut    bool // the server cut the client off: it did not read
}

func (q *queue) init(s *Server) {
	q.cond.L = &q.mu
	q.s = s
}

// push queues m, waiting while the queue is full; it drops m if the
// queue is closed.
func (q *queue) push(m []byte) {
	cost := len(m) + msgOverhead
	q.mu.Lock()
	defer q.mu.Unlock()
	for !q.closed && !q.ending && q.held > 0 && q.held+cost > MaxQueue {
		if q.s.waiting != nil {
			q.s.waiting(q.nick)
		}
		q.cond.Wait()
	}
	if q.closed || q.ending {
		return
	}
	q.msgs = append(q.msgs, m)
	q.held += cost
	q.cond.Broadcast()
}

// take waits for messages and returns all of them with the bytes they
// hold; ok is false once the queue is closed, or ended and empty.
func (q *queue) take() (msgs [][]byte, held int, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for !q.closed && !q.ending && len(q.msgs) == 0 {
		q.cond.Wait()
	}
	if q.closed || len(q.msgs) == 0 {
		return nil, 0, false
	}
	// At most writeBatch bytes a write, so a reader that reads frees
	// room in its queue bit by bit, not only once a whole queue is out.
	n := 0
	for n < len(q.msgs) && (n == 0 || held+len(q.msgs[n]) <= writeBatch) {
		held += len(q.msgs[n]) + msgOverhead
		n++
	}
	msgs = q.msgs[:n:n]
	if n == len(q.msgs) {
		q.msgs = nil
	} else {
		q.msgs = q.msgs[n:]
	}
	return msgs, held, true
}

// written releases what a finished write held.
func (q *queue) written(held int) {
	q.mu.Lock()
	q.held -= held
	q.cond.Broadcast()
	q.mu.Unlock()
}

// close drops what is queued and wakes everyone waiting; cut says the
// server cut the client off for not reading.
func (q *queue) close(cut bool) {
	q.mu.Lock()
	if !q.closed {
		q.closed, q.cut, q.msgs = true, cut, nil
	}
	q.cond.Broadcast()
	q.mu.Unlock()
}

// end lets the writer deliver what is queued, then end.
func (q *queue) end() {
	q.mu.Lock()
	q.ending = true
	q.cond.Broadcast()
	q.mu.Unlock()
}

// wasCut reports whether the server cut the client off.
func (q *queue) wasCut() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.cut
}
