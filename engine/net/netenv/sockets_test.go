package netenv_test

import (
	"context"
	"io"
	"net"
	"runtime"
	"slices"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
)

type lister interface {
	netenv.Net
	netenv.SocketLister
}

// states returns the states of the TCP sockets on port, sorted.
func states(t *testing.T, l lister, port uint16) []string {
	t.Helper()
	all, err := l.Sockets()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range all {
		if s.Proto == "tcp" && (s.Local.Port() == port || s.Remote.Port() == port) {
			got = append(got, s.State)
		}
	}
	slices.Sort(got)
	return got
}

// row returns the TCP socket from local to remote.
func row(t *testing.T, l lister, local, remote string) netenv.Socket {
	t.Helper()
	all, err := l.Sockets()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Proto == "tcp" && s.Local.String() == local && s.Remote.String() == remote {
			return s
		}
	}
	t.Fatalf("no socket from %s to %s", local, remote)
	return netenv.Socket{}
}

func TestSocketTables(t *testing.T) {
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	nets := []lister{sb}
	if runtime.GOOS == "linux" {
		nets = append(nets, netenv.Kernel{})
	}
	for _, n := range nets {
		t.Run(n.Name(), func(t *testing.T) {
			ctx := context.Background()
			ln, err := n.Listen(ctx, "tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			port := uint16(ln.Addr().(*net.TCPAddr).Port)
			if got := states(t, n, port); !slices.Equal(got, []string{"LISTEN"}) {
				t.Fatalf("listening: %v", got)
			}
			accepted := make(chan net.Conn, 1)
			go func() {
				c, err := ln.Accept()
				if err == nil {
					accepted <- c
				}
			}()
			c, err := n.Dial(ctx, "tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			sc := <-accepted
			if got := states(t, n, port); !slices.Equal(got, []string{"ESTABLISHED", "ESTABLISHED", "LISTEN"}) {
				t.Errorf("connected: %v", got)
			}
			client := row(t, n, c.LocalAddr().String(), c.RemoteAddr().String())
			if client.ID == 0 {
				t.Errorf("the client's socket has no ID: %+v", client)
			}
			c.Close() // the client closes first: it ends in TIME_WAIT
			buf := make([]byte, 1)
			sc.SetReadDeadline(time.Now().Add(5 * time.Second))
			sc.Read(buf) // EOF
			sc.Close()
			deadline := time.Now().Add(5 * time.Second)
			for time.Now().Before(deadline) {
				if slices.Contains(states(t, n, port), "TIME_WAIT") {
					// The same socket, in its last state: the same ID.
					if tw := row(t, n, c.LocalAddr().String(), c.RemoteAddr().String()); tw.State != "TIME_WAIT" || tw.ID != client.ID {
						t.Errorf("after the close the client's socket is %+v, want TIME_WAIT with ID %d", tw, client.ID)
					}
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
			t.Errorf("after the close: %v, want a TIME_WAIT", states(t, n, port))
		})
	}
}

// TestCapabilities: both networks list their sockets, and a TCP
// connection of either, dialled or accepted, shuts its sending side
// alone: the peer reads the end and can still send.
func TestCapabilities(t *testing.T) {
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	nets := []netenv.Net{sb}
	if runtime.GOOS == "linux" {
		nets = append(nets, netenv.Kernel{})
	}
	for _, n := range nets {
		if _, ok := n.(netenv.SocketLister); !ok {
			t.Errorf("%T is no SocketLister", n)
		}
		for _, side := range []string{"dialled", "accepted"} {
			t.Run(n.Name()+"/"+side, func(t *testing.T) {
				dialled, accepted := connPair(t, n)
				shut, peer := dialled, accepted
				if side == "accepted" {
					shut, peer = accepted, dialled
				}
				hc, ok := shut.(netenv.HalfCloser)
				if !ok {
					t.Fatalf("%T is no HalfCloser", shut)
				}
				if err := hc.CloseWrite(); err != nil {
					t.Fatalf("CloseWrite: %v", err)
				}
				if n, err := peer.Read(make([]byte, 1)); n != 0 || err != io.EOF {
					t.Errorf("the peer reads %d, %v; want the end", n, err)
				}
				if _, err := peer.Write([]byte("x")); err != nil {
					t.Errorf("the peer can no longer send: %v", err)
				}
				if n, err := shut.Read(make([]byte, 1)); n != 1 || err != nil {
					t.Errorf("after CloseWrite it reads %d, %v; want the peer's byte", n, err)
				}
			})
		}
	}
}

// connPair connects to a listener of n over loopback TCP; both ends
// close when the test ends.
func connPair(t *testing.T, n netenv.Net) (dialled, accepted net.Conn) {
	t.Helper()
	ctx := context.Background()
	ln, err := n.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		done <- c
	}()
	dialled, err = n.Dial(ctx, "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dialled.Close() })
	if accepted = <-done; accepted == nil {
		t.Fatal("no connection accepted")
	}
	t.Cleanup(func() { accepted.Close() })
	return dialled, accepted
}
