package netenv_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
)

// TestPair: a connection from the client's host to the server's crosses
// the wire with the hosts' own addresses, after ARP found the server's
// Ethernet address; every frame is recorded once.
func TestPair(t *testing.T) {
	p, err := netenv.NewSandboxPair(netenv.Impairment{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var mu sync.Mutex
	var frames [][]byte
	untap := p.Tap(func(_ time.Time, f []byte) {
		mu.Lock()
		frames = append(frames, append([]byte{}, f...))
		mu.Unlock()
	})
	srv, ok := netenv.Peer(p.Client)
	if !ok || srv != p.Server {
		t.Fatalf("peer: %v %v", srv, ok)
	}
	if _, ok := netenv.Peer(p.Server); ok {
		t.Fatal("the server's host has a peer")
	}
	ctx := context.Background()
	ln, err := srv.Listen(ctx, "tcp", netenv.PairServerIP+":24001")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- err.Error()
			return
		}
		defer c.Close()
		b, _ := io.ReadAll(c)
		got <- c.RemoteAddr().String() + " " + string(b)
	}()
	c, err := p.Client.Dial(ctx, "tcp", netenv.PairServerIP+":24001")
	if err != nil {
		t.Fatal(err)
	}
	if a := c.LocalAddr().(*net.TCPAddr); a.IP.String() != netenv.PairClientIP {
		t.Errorf("client address %v", a)
	}
	c.Write([]byte("hi"))
	c.Close()
	if s := <-got; !bytes.HasSuffix([]byte(s), []byte(" hi")) || s[:len(netenv.PairClientIP)] != netenv.PairClientIP {
		t.Errorf("server got %q", s)
	}
	untap()
	mu.Lock()
	defer mu.Unlock()
	if len(frames) < 4 {
		t.Fatalf("%d frames", len(frames))
	}
	mac := func(s string) []byte { m, _ := net.ParseMAC(s); return m }
	bcast := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	for i, want := range []struct {
		dst, src []byte
		typ      uint16
	}{
		{bcast, mac(netenv.PairClientMAC), 0x0806},
		{mac(netenv.PairClientMAC), mac(netenv.PairServerMAC), 0x0806},
		{mac(netenv.PairServerMAC), mac(netenv.PairClientMAC), 0x0800},
	} {
		f := frames[i]
		if !bytes.Equal(f[:6], want.dst) || !bytes.Equal(f[6:12], want.src) || uint16(f[12])<<8|uint16(f[13]) != want.typ {
			t.Errorf("frame %d: % x", i+1, f[:14])
		}
	}
}
