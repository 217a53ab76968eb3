package listen_test

import (
	"errors"
	"io"
	"net"
	"sync"
	"syscall"
	"testing"

	"wiretutor/servers/listen"
)

// fakeListener hands out what a test queues: a connection, or an error
// for one Accept. Once closed, Accept fails with net.ErrClosed.
type fakeListener struct {
	next   chan accepted
	closed chan struct{}
	once   sync.Once
}

type accepted struct {
	c   net.Conn
	err error
}

func newFakeListener() *fakeListener {
	return &fakeListener{next: make(chan accepted), closed: make(chan struct{})}
}

func (l *fakeListener) Accept() (net.Conn, error) {
	select {
	case a := <-l.next:
		return a.c, a.err
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *fakeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *fakeListener) Addr() net.Addr { return &net.TCPAddr{} }

// dial queues a new connection and returns the client's end; false if
// the listener was closed first.
func (l *fakeListener) dial() (net.Conn, bool) {
	client, server := net.Pipe()
	select {
	case l.next <- accepted{c: server}:
		return client, true
	case <-l.closed:
		client.Close()
		server.Close()
		return nil, false
	}
}

// TestLoopCloseEndsHandlers: Close stops accepting, closes the
// connections being served, and returns only once every handler has.
func TestLoopCloseEndsHandlers(t *testing.T) {
	ln := newFakeListener()
	started := make(chan struct{})
	var mu sync.Mutex
	ended := 0
	loop := &listen.Loop{Handle: func(c net.Conn) {
		started <- struct{}{}
		io.Copy(io.Discard, c) // until the loop closes c
		mu.Lock()
		ended++
		mu.Unlock()
	}}
	loop.Serve(ln)
	const n = 3
	var clients []net.Conn
	for range n {
		c, ok := ln.dial()
		if !ok {
			t.Fatal("the listener closed by itself")
		}
		defer c.Close()
		clients = append(clients, c)
		<-started
	}
	loop.Close()
	mu.Lock()
	if ended != n {
		t.Errorf("Close returned with %d of %d handlers ended", ended, n)
	}
	mu.Unlock()
	select {
	case <-ln.closed:
	default:
		t.Error("Close left the listener open")
	}
	for i, c := range clients {
		if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
			t.Errorf("client %d reads %v after Close; want io.EOF", i, err)
		}
	}
}

// TestLoopWaitsForReleased: a handler that released its connection
// keeps it open through Stop, and Wait still waits for the handler.
func TestLoopWaitsForReleased(t *testing.T) {
	ln := newFakeListener()
	released, finish := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	var wrote error
	done := false
	var loop *listen.Loop
	loop = &listen.Loop{Handle: func(c net.Conn) {
		loop.Release(c)
		close(released)
		<-loop.Done()
		<-finish
		_, err := c.Write([]byte("bye")) // still open
		mu.Lock()
		wrote, done = err, true
		mu.Unlock()
	}}
	loop.Serve(ln)
	client, ok := ln.dial()
	if !ok {
		t.Fatal("the listener closed by itself")
	}
	defer client.Close()
	<-released
	loop.Stop()
	go client.Read(make([]byte, 3)) // net.Pipe: the write waits for a reader
	close(finish)
	loop.Wait()
	mu.Lock()
	defer mu.Unlock()
	if !done || wrote != nil {
		t.Errorf("after Wait: handler ended %v, its write %v; want ended, and written on the released connection", done, wrote)
	}
}

// TestLoopAcceptErrors: an Accept that fails (out of file descriptors,
// a connection reset before it was taken) is tried again; a listener
// closed by someone else ends the loop by itself.
func TestLoopAcceptErrors(t *testing.T) {
	ln := newFakeListener()
	served := make(chan struct{})
	loop := &listen.Loop{Handle: func(net.Conn) { close(served) }}
	loop.Serve(ln)
	for _, err := range []error{syscall.EMFILE, syscall.ECONNABORTED, errors.New("endpoint is in invalid state")} {
		ln.next <- accepted{err: &net.OpError{Op: "accept", Net: "tcp", Err: err}}
	}
	if _, ok := ln.dial(); !ok {
		t.Fatal("the listener closed by itself")
	}
	<-served // after three errors the loop still accepts
	ln.Close()
	loop.Wait() // ends without Close: the listener was closed under it
}

// TestLoopMax: beyond Max a connection is refused, and closed after
// Refuse; a released connection no longer counts.
func TestLoopMax(t *testing.T) {
	ln := newFakeListener()
	served := make(chan struct{})
	release, releasedAck := make(chan struct{}), make(chan struct{})
	var loop *listen.Loop
	loop = &listen.Loop{
		Max: 1,
		Handle: func(c net.Conn) {
			served <- struct{}{}
			select {
			case <-release:
				loop.Release(c)
				releasedAck <- struct{}{}
			case <-loop.Done():
			}
			<-loop.Done()
		},
		Refuse: func(c net.Conn) { c.Write([]byte("full")) },
	}
	loop.Serve(ln)
	defer loop.Close()
	steps := []struct {
		name    string
		refused bool
		release bool // then the handler of the connection served last releases it
	}{
		{"the first is served", false, false},
		{"the second is one too many", true, false},
		{"so is the third", true, true},
		{"the released one frees its place", false, false},
		{"and the new one takes it", true, false},
	}
	for _, st := range steps {
		c, ok := ln.dial()
		if !ok {
			t.Fatal("the listener closed by itself")
		}
		defer c.Close()
		if st.refused {
			if got, err := io.ReadAll(c); string(got) != "full" || err != nil {
				t.Errorf("%s: read %q, %v; want \"full\" then the end", st.name, got, err)
			}
		} else {
			<-served
		}
		if st.release {
			release <- struct{}{}
			<-releasedAck
		}
	}
}
