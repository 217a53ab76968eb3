package echo_test

import (
	"context"
	"io"
	"net"
	"testing"

	"wiretutor/engine/net/netenv"
	"wiretutor/servers/echo"
)

func roundTrips(b *testing.B, addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	msg, buf := []byte("hello server"), make([]byte, 12)
	b.ResetTimer()
	for range b.N {
		if _, err := c.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEchoRoundTrip: one 12-byte request and its echo over loopback.
func BenchmarkEchoRoundTrip(b *testing.B) {
	s := &echo.Server{Net: netenv.Kernel{}, UDPPort: -1}
	if err := s.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	roundTrips(b, s.TCPAddr().String())
}

// BenchmarkNaiveEchoRoundTrip is the baseline: io.Copy back, no
// upper-casing, no bookkeeping.
func BenchmarkNaiveEchoRoundTrip(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	roundTrips(b, ln.Addr().String())
}
