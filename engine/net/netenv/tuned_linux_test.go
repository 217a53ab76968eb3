package netenv_test

import (
	"context"
	"net"
	"testing"

	"golang.org/x/sys/unix"

	"wiretutor/engine/net/netenv"
)

// TestDialTunedKernel: the kernel's server side of a tuned connection
// sends segments no longer than the MSS the client announced.
func TestDialTunedKernel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c, err := netenv.Kernel{}.DialTuned(context.Background(), ln.Addr().String(), netenv.Tuning{MaxSeg: 1000, RecvBuffer: 8192})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := <-accepted
	if s == nil {
		t.Fatal("no connection accepted")
	}
	defer s.Close()
	raw, _ := s.(*net.TCPConn).SyscallConn()
	var mss int
	raw.Control(func(fd uintptr) { mss, err = unix.GetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_MAXSEG) })
	if err != nil || mss > 1000 || mss < 900 {
		t.Errorf("the server's MSS is %d (%v), want at most the 1000 the client announced", mss, err)
	}
}
