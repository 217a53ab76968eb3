package chat_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"wiretutor/engine/net/netenv"
	"wiretutor/servers/chat"
)

// join dials s, joins as nick and returns the client and its lines,
// having read up to "Connected to server!".
func join(t *testing.T, s *chat.Server, nick string) (*chat.Client, <-chan chat.Line) {
	t.Helper()
	c, err := chat.Dial(context.Background(), netenv.Kernel{}, s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	lines := make(chan chat.Line, 100)
	c.Start(func(l chat.Line) { lines <- l })
	if err := c.Join(nick); err != nil {
		t.Fatal(err)
	}
	expect(t, lines, nick+" joined!")
	expect(t, lines, "Connected to server!")
	return c, lines
}

func expect(t *testing.T, lines <-chan chat.Line, want string) chat.Line {
	t.Helper()
	l, ok := <-lines
	if !ok || l.Text != want {
		t.Fatalf("got %q (open %v), want %q", l.Text, ok, want)
	}
	return l
}

// TestClientRoom: a refused nickname is told as such and another taken;
// a line goes to the room; one who leaves gets what was queued for it
// and the server's close, and the room hears it left.
func TestClientRoom(t *testing.T) {
	s := start(t)
	alice, la := join(t, s, "alice")
	bob, err := chat.Dial(context.Background(), netenv.Kernel{}, s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	lb := make(chan chat.Line, 100)
	bob.Start(func(l chat.Line) { lb <- l })
	bob.Join("ALICE")
	if l := expect(t, lb, "Nickname ALICE is taken."); !l.NickRefused {
		t.Errorf("the refusal is not marked: %+v", l)
	}
	bob.Join("bob")
	expect(t, lb, "bob joined!")
	expect(t, lb, "Connected to server!")
	expect(t, la, "bob joined!")

	alice.Say("hi, \x1b[2Jbob")
	expect(t, la, "alice: hi, \uFFFD[2Jbob") // the server's clean, then the client's
	expect(t, lb, "alice: hi, \uFFFD[2Jbob")
	alice.Leave(context.Background())
	select {
	case <-alice.Done():
	default:
		t.Error("Leave returned before the server closed")
	}
	expect(t, lb, "alice left!")
}

// pipeDialer connects a client to serve through net.Pipe.
type pipeDialer struct{ serve func(net.Conn) }

func (d pipeDialer) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	client, server := net.Pipe()
	go func() {
		defer server.Close()
		d.serve(server)
	}()
	return client, nil
}

// TestClientHostileServer: escape sequences are taken out and a line
// that never ends is cut, as the server cuts long lines.
func TestClientHostileServer(t *testing.T) {
	d := pipeDialer{func(c net.Conn) {
		c.Write([]byte("NICK"))
		bufio.NewReader(c).ReadString('\n')
		c.Write([]byte("\x1b[31mred\x1b[0m \x1b]0;pwned\x07text\x1b[2J\n"))
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for range 32 {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	}}
	c, err := chat.Dial(context.Background(), d, "hostile")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	lines := make(chan chat.Line, 10)
	c.Start(func(l chat.Line) { lines <- l })
	c.Join("bob")
	expect(t, lines, "red text")
	long := chat.MaxMessage + 4*chat.MaxNick + 64
	expect(t, lines, strings.Repeat("x", long)+chat.CutMarker)
	<-c.Done()
	close(lines)
	for l := range lines {
		t.Errorf("more after the cut: %.40q", l.Text)
	}
}

func TestDialErrors(t *testing.T) {
	full := &chat.Server{Net: netenv.Kernel{}, MaxClients: 1}
	if err := full.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	first, err := chat.Dial(context.Background(), netenv.Kernel{}, full.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := ln.Addr().String()
	ln.Close()

	var fe *chat.FullError
	var ce *chat.ConnectError
	tests := []struct {
		name string
		d    chat.Dialer
		addr string
		want any
	}{
		{"full", netenv.Kernel{}, full.Addr().String(), &fe},
		{"no server", netenv.Kernel{}, gone, &ce},
		{"no greeting", pipeDialer{func(c net.Conn) { c.Write([]byte("HELLO\n")) }}, "pipe", &ce},
	}
	for _, tt := range tests {
		c, err := chat.Dial(context.Background(), tt.d, tt.addr)
		if err == nil {
			c.Close()
		}
		if !errors.As(err, tt.want) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if fe.Addr != full.Addr().String() || ce.Addr != "pipe" {
		t.Errorf("addresses: %q, %q", fe.Addr, ce.Addr)
	}
}
