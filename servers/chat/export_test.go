package chat

import (
	"context"
	"errors"
	"net"
	"sync"
)

// SetMaxLine makes s cut lines at n bytes instead of MaxMessage.
func SetMaxLine(s *Server, n int) { s.maxLine = n }

// OnWaiting has s call f with a reader's nickname whenever a sender
// waits for that reader's full queue. Set it before Start.
func OnWaiting(s *Server, f func(nick string)) { s.waiting = f }

// Pipes is a Network of in-memory connections (net.Pipe): every Write
// reaches the server as reads of its own, so a test decides exactly how
// the stream is split, and nothing is buffered on the way.
type Pipes struct {
	once  sync.Once
	conns chan net.Conn
	done  chan struct{}
}

func (p *Pipes) init() {
	p.once.Do(func() {
		p.conns = make(chan net.Conn)
		p.done = make(chan struct{})
	})
}

// Listen returns the one listener of p.
func (p *Pipes) Listen(ctx context.Context, network, address string) (net.Listener, error) {
	p.init()
	return pipeListener{p}, nil
}

// Dial connects to p's listener.
func (p *Pipes) Dial() net.Conn {
	p.init()
	client, server := net.Pipe()
	select {
	case p.conns <- server:
	case <-p.done:
		client.Close()
	}
	return client
}

type pipeListener struct{ p *Pipes }

func (l pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.p.conns:
		return c, nil
	case <-l.p.done:
		return nil, errors.New("pipes closed")
	}
}

func (l pipeListener) Close() error {
	select {
	case <-l.p.done:
	default:
		close(l.p.done)
	}
	return nil
}

func (l pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }
