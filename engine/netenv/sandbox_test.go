package netenv_test

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/capture"
	"wiretutor/engine/dissect"
	"wiretutor/engine/netenv"
)

// exchange runs the lab's echo exchange over a sandbox and returns its
// capture.
func exchange(t *testing.T, imp netenv.Impairment) *capture.Recording {
	t.Helper()
	sb, err := netenv.NewSandbox(imp)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	var mu sync.Mutex
	rec := &capture.Recording{Link: layers.LinkTypeEthernet, Precision: 9}
	untap := sb.Tap(func(ts time.Time, f []byte) {
		mu.Lock()
		rec.Add(gopacket.CaptureInfo{Timestamp: ts, Length: len(f), CaptureLength: len(f)}, f)
		mu.Unlock()
	})
	defer untap()
	ctx := context.Background()
	ln, err := sb.Listen(ctx, "tcp", "127.0.0.1:10000")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		buf := make([]byte, 64)
		for {
			n, err := c.Read(buf)
			if n > 0 {
				c.Write([]byte("HELLO SERVER")[:n])
			}
			if err != nil {
				c.(interface{ CloseWrite() error }).CloseWrite()
				time.Sleep(50 * time.Millisecond)
				c.Close()
				return
			}
		}
	}()
	dctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	c, err := sb.Dial(dctx, "tcp", "127.0.0.1:10000")
	if err != nil {
		mu.Lock()
		t.Logf("%d frames, tcp %+v", len(rec.Frames), sb.Stack().Stats().TCP)
		t.Logf("%x", rec.Frames[0].Data)
		mu.Unlock()
		t.Fatal(err)
	}
	c.Write([]byte("hello server"))
	buf := make([]byte, 12)
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatal(err)
	}
	c.Close()
	time.Sleep(300 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	out := *rec
	return &out
}

func TestSandboxExchange(t *testing.T) {
	rec := exchange(t, netenv.Impairment{})
	d, _ := dissect.New(rec.Link)
	for _, f := range rec.Frames {
		var p dissect.Packet
		d.Dissect(f.Data, f.Info, &p)
		t.Log(string(dissect.Summary(nil, &p, 9)))
	}
	_ = net.IPv4len
}
