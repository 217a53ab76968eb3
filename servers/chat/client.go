package chat

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
	"unicode/utf8"
)

// Dialer is what a Client connects through (netenv.Net satisfies it).
type Dialer interface {
	Dial(ctx context.Context, network, address string) (net.Conn, error)
}

// How long a Client waits.
const (
	// DialTimeout bounds connecting and the server's "NICK" greeting.
	DialTimeout = 5 * time.Second
	// LeaveTimeout bounds the wait, after Leave, for the server to
	// deliver what it queued and close.
	LeaveTimeout = 10 * time.Second
)

// maxClientLine is the longest line a Client hands on whole: a message
// with the longest nickname (32 characters of up to 4 bytes) and the cut
// marker; a longer line from the server is cut by the same rule as the
// server's.
const maxClientLine = MaxMessage + 4*MaxNick + 64

// Line is one line from the server, made safe to print.
type Line struct {
	Text string
	// NickRefused: the server refused the nickname (Text says why) and
	// waits for another. It is told by the English words of the lab's
	// server (Messages' defaults, which `wiretutor serve chat` sends); a
	// refusal worded otherwise is a plain line.
	NickRefused bool
}

// Client is a line client of a chat server, the course's own: Dial,
// Join with a nickname, Start reading, Say lines, then Leave and Close.
type Client struct {
	conn net.Conn
	r    *bufio.Reader
	done chan struct{}
}

// Dial connects to the chat server at addr and waits for its "NICK"
// greeting. A server that is full says so instead: a *FullError; no
// server, or one that does not greet, is a *ConnectError.
func Dial(ctx context.Context, d Dialer, addr string) (*Client, error) {
	dctx, cancel := context.WithTimeout(ctx, DialTimeout)
	conn, err := d.Dial(dctx, "tcp", addr)
	cancel()
	if err != nil {
		return nil, &ConnectError{Addr: addr, Err: err}
	}
	r := bufio.NewReader(conn)
	greet := make([]byte, 4)
	conn.SetReadDeadline(time.Now().Add(DialTimeout))
	if _, err := io.ReadFull(r, greet); err != nil || string(greet) != Greeting {
		rest, _ := r.ReadString('\n')
		conn.Close()
		if strings.TrimSpace(string(greet)+rest) == ServerFull {
			return nil, &FullError{Addr: addr}
		}
		return nil, &ConnectError{Addr: addr, Err: fmt.Errorf("no NICK greeting")}
	}
	conn.SetReadDeadline(time.Time{})
	return &Client{conn: conn, r: r, done: make(chan struct{})}, nil
}

// Join answers the greeting with a nickname, as a line client does.
func (c *Client) Join(nick string) error { return c.Say(nick) }

// Say sends one line.
func (c *Client) Say(line string) error {
	_, err := fmt.Fprintf(c.conn, "%s\n", line)
	return err
}

// Start reads the server's lines in the background, calling show with
// each one that is not empty, until the server closes the connection
// or Close; Done is closed then. Escape sequences and other controls are
// taken out of the text, invalid UTF-8 becomes U+FFFD, and a line longer
// than the longest message the server relays is cut, ending in
// CutMarker, so a hostile server can neither drive the terminal nor make
// the client hold more than a line.
func (c *Client) Start(show func(Line)) {
	go func() {
		defer close(c.done)
		line := func(text []byte, cut bool) {
			// After a refused nickname the server asks again with "NICK"
			// and no newline, so it arrives glued to the next line.
			text = bytes.TrimPrefix(text, []byte(Greeting))
			s := stripControls(text)
			if cut {
				s += CutMarker
			}
			if s != "" {
				show(Line{Text: s, NickRefused: strings.HasPrefix(s, "Nickname ")})
			}
		}
		sp := Splitter{Max: maxClientLine}
		buf := make([]byte, 4096)
		for {
			n, err := c.r.Read(buf)
			sp.Feed(buf[:n], line)
			if err != nil {
				line(sp.Pending(), false)
				return
			}
		}
	}()
}

// Done is closed when the server has closed the connection (or Close
// has), after Start's last line.
func (c *Client) Done() <-chan struct{} { return c.done }

// halfCloser is a connection that can close its sending side alone.
type halfCloser interface{ CloseWrite() error }

// Leave closes the sending side, so that the server delivers what it
// queued for the client and closes, and waits for that: until Done,
// LeaveTimeout, or the end of ctx.
func (c *Client) Leave(ctx context.Context) {
	if hc, ok := c.conn.(halfCloser); ok {
		hc.CloseWrite()
	}
	t := time.NewTimer(LeaveTimeout)
	defer t.Stop()
	select {
	case <-c.done:
	case <-ctx.Done():
	case <-t.C:
	}
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// FullError: the chat server refused the client, having as many as it
// takes.
type FullError struct{ Addr string }

// Error says so in English.
func (e *FullError) Error() string { return "chat " + e.Addr + ": " + ServerFull }

// Message names the sentence that tells the learner.
func (e *FullError) Message() (string, map[string]any) {
	return "error.chat_full", map[string]any{"Addr": e.Addr}
}

// ConnectError: no chat server answered at Addr.
type ConnectError struct {
	Addr string
	Err  error
}

// Error says so in English.
func (e *ConnectError) Error() string { return "chat " + e.Addr + ": " + e.Err.Error() }

// Unwrap returns why.
func (e *ConnectError) Unwrap() error { return e.Err }

// Message names the sentence that tells the learner.
func (e *ConnectError) Message() (string, map[string]any) {
	return "error.chat_connect", map[string]any{"Addr": e.Addr}
}

// stripControls makes what a server sent safe to print: escape
// sequences (CSI, OSC, DCS, SOS, PM, APC and the other ESC sequences,
// in their 7-bit and C1 forms) are taken out, as are the C0 and C1
// controls but tab; their text stays, and invalid UTF-8 becomes U+FFFD.
func stripControls(b []byte) string {
	var out strings.Builder
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\t':
			out.WriteRune(r)
		case r == 0x1b:
			i = skipEscape(s, i)
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i)
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // OSC, DCS, SOS, PM, APC
			i = skipString(s, i)
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			// a control: dropped
		default:
			out.WriteRune(r)
		}
	}
	return out.String()
}

// skipEscape skips what follows an ESC at s[:i] and returns where the
// text goes on.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, i+1)
	case c >= 0x20 && c <= 0x2f: // intermediates, then a final byte
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	case c >= 0x30 && c <= 0x7e: // a two-byte sequence such as ESC 7 or ESC c
		return i + 1
	}
	return i // a lone ESC
}

// skipCSI skips a control sequence's parameters, intermediates and final
// byte.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString skips a control string (OSC, DCS…) up to its end: BEL, ESC \
// or the C1 ST; one the line does not end runs to the end of the line.
func skipString(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x07 || r == 0x9c:
			return i + size
		case r == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // another sequence begins
		}
		i += size
	}
	return i
}
