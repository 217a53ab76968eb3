// Package echo is the course's echo server, as in the sockets lab: over
// TCP it upper-cases every chunk a client sends and sends it back until
// the client closes; over UDP it upper-cases each datagram back to its
// sender.
package echo

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"
	"unicode/utf8"

	"wiretutor/engine/net/netenv"
	"wiretutor/servers/listen"
)

// Default ports, as in the lab.
const (
	DefaultTCPPort = 10000
	DefaultUDPPort = 10001
)

// Network is what the server listens on (netenv.Net satisfies it).
type Network interface {
	Listen(ctx context.Context, network, address string) (net.Listener, error)
	ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error)
}

// EventKind says what happened to a client.
type EventKind int

// The events a Server reports.
const (
	Connected EventKind = iota // a TCP client connected
	Echoed                     // a chunk or datagram was echoed
	Closed                     // a TCP client left
	Failed                     // a client's connection failed; Err says why
)

// Event is one thing that happened, for a log or a lesson to show.
type Event struct {
	Kind   EventKind
	Proto  string // "tcp" or "udp"
	Remote net.Addr
	Bytes  int
	Err    error
}

// Server is a TCP and UDP echo server. Set the fields, then Start.
type Server struct {
	Net     Network
	Host    string // the address to bind; 127.0.0.1 when empty
	TCPPort int    // 0 picks a free port; negative disables TCP
	UDPPort int    // 0 picks a free port; negative disables UDP
	// OnEvent, if set, is called for every event, from many goroutines.
	OnEvent func(Event)
	// WriteTimeout bounds how long a client that never reads may hold
	// its goroutine; 0 means 30 seconds.
	WriteTimeout time.Duration

	ln   net.Listener
	tcp  listen.Loop
	pc   net.PacketConn
	wg   sync.WaitGroup // the UDP loop
	done chan struct{}
	once sync.Once
}

// Start binds the ports and serves in the background until Close.
func (s *Server) Start(ctx context.Context) error {
	s.done = make(chan struct{})
	if s.TCPPort >= 0 {
		ln, err := listen.TCP(ctx, s.Net, s.Host, s.TCPPort)
		if err != nil {
			return err
		}
		s.ln = ln
	}
	if s.UDPPort >= 0 {
		pc, err := listen.UDP(ctx, s.Net, s.Host, s.UDPPort)
		if err != nil {
			if s.ln != nil {
				s.ln.Close()
			}
			return err
		}
		s.pc = pc
	}
	if s.ln != nil {
		s.tcp.Handle = s.serveConn
		s.tcp.Serve(s.ln)
	}
	if s.pc != nil {
		s.wg.Add(1)
		go s.udpLoop()
	}
	return nil
}

// TCPAddr is the bound TCP address, or nil.
func (s *Server) TCPAddr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// UDPAddr is the bound UDP address, or nil.
func (s *Server) UDPAddr() net.Addr {
	if s.pc == nil {
		return nil
	}
	return s.pc.LocalAddr()
}

// Close stops listening, disconnects every client and waits for all the
// server's goroutines to end.
func (s *Server) Close() error {
	s.once.Do(func() {
		close(s.done)
		if s.ln != nil {
			s.tcp.Stop()
		}
		if s.pc != nil {
			s.pc.Close()
		}
	})
	if s.ln != nil {
		s.tcp.Wait()
	}
	s.wg.Wait()
	return nil
}

func (s *Server) emit(e Event) {
	if s.OnEvent != nil {
		s.OnEvent(e)
	}
}

func (s *Server) closing() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// serveConn echoes one TCP client; the loop closes c after it.
func (s *Server) serveConn(c net.Conn) {
	remote := c.RemoteAddr()
	s.emit(Event{Kind: Connected, Proto: "tcp", Remote: remote})
	wt := s.WriteTimeout
	if wt == 0 {
		wt = 30 * time.Second
	}
	var up Upper
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			out := up.Chunk(buf[:n])
			c.SetWriteDeadline(time.Now().Add(wt))
			if _, werr := c.Write(out); werr != nil {
				s.emit(Event{Kind: Failed, Proto: "tcp", Remote: remote, Err: werr})
				return
			}
			s.emit(Event{Kind: Echoed, Proto: "tcp", Remote: remote, Bytes: n})
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				// The client is done sending: send what is left, then our FIN.
				if rest := up.Flush(); len(rest) > 0 {
					c.SetWriteDeadline(time.Now().Add(wt))
					c.Write(rest)
				}
				if hc, ok := c.(netenv.HalfCloser); ok {
					hc.CloseWrite()
				}
				s.emit(Event{Kind: Closed, Proto: "tcp", Remote: remote})
				return
			}
			if !s.closing() {
				s.emit(Event{Kind: Failed, Proto: "tcp", Remote: remote, Err: err})
			}
			return
		}
	}
}

func (s *Server) udpLoop() {
	defer s.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, from, err := s.pc.ReadFrom(buf)
		if err != nil {
			if s.closing() {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			// ICMP errors from an earlier reply surface here on some
			// systems; they concern one peer, not the server.
			continue
		}
		var up Upper
		out := append(up.Chunk(buf[:n]), up.Flush()...)
		if _, err := s.pc.WriteTo(out, from); err != nil {
			s.emit(Event{Kind: Failed, Proto: "udp", Remote: from, Err: err})
			continue
		}
		s.emit(Event{Kind: Echoed, Proto: "udp", Remote: from, Bytes: n})
	}
}

// Upper upper-cases a byte stream chunk by chunk. A UTF-8 character
// split across two chunks is held back until it is whole, so "привет"
// becomes "ПРИВЕТ" however TCP cuts it; bytes that are not UTF-8 pass
// through unchanged.
type Upper struct {
	carry []byte
}

// Chunk returns the upper-cased form of everything up to the last whole
// character of carry+b.
func (u *Upper) Chunk(b []byte) []byte {
	data := append(u.carry, b...)
	cut := len(data)
	// Hold back an incomplete character at the end (at most 3 bytes).
	for i := len(data) - 1; i >= 0 && i >= len(data)-3; i-- {
		if utf8.RuneStart(data[i]) {
			if !utf8.FullRune(data[i:]) {
				cut = i
			}
			break
		}
	}
	out := upper(data[:cut])
	u.carry = append(u.carry[:0:0], data[cut:]...)
	return out
}

// Flush returns whatever Chunk held back.
func (u *Upper) Flush() []byte {
	rest := u.carry
	u.carry = nil
	return rest
}

func upper(b []byte) []byte {
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii || !utf8.Valid(b) {
		out := make([]byte, len(b))
		for i, c := range b {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out[i] = c
		}
		return out
	}
	return bytes.ToUpper(b)
}
