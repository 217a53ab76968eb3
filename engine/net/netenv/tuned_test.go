package netenv_test

import (
	"context"
	"errors"
	"io"
	"syscall"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
)

// TestDialTunedSandbox: the MSS and the receive buffer a tuned client
// sets are in its SYN and bound what the server sends and what the
// client offers: no data segment longer than the MSS less the
// timestamps, no window over the buffer.
func TestDialTunedSandbox(t *testing.T) {
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		t.Fatal(err)
	}
	r := record(sb)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ln, err := sb.Listen(ctx, "tcp", "127.0.0.1:9000")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := make([]byte, 50000)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Write(data)
		c.Close()
	}()
	c, err := sb.DialTuned(ctx, "127.0.0.1:9000", netenv.Tuning{MaxSeg: 1000, RecvBuffer: 8192})
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(c)
	if err != nil || len(got) != len(data) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
	c.Close()
	rec := r.stop(t)
	sb.Close()
	d, _ := dissect.New(rec.Link)
	var p dissect.Packet
	mss, longest, window := 0, 0, 0
	for _, f := range rec.Frames {
		if d.Dissect(f.Data, f.Info, &p) != nil || p.Transport != dissect.TransportTCP {
			continue
		}
		if p.TCP.Has(dissect.FlagSYN) && !p.TCP.Has(dissect.FlagACK) {
			for _, o := range p.TCP.Options {
				if o.Kind == dissect.OptMSS {
					mss = int(o.A)
				}
			}
		}
		if p.SrcPort == 9000 {
			longest = max(longest, p.TCP.Len)
		} else if !p.TCP.Has(dissect.FlagSYN) {
			window = max(window, p.TCP.Window)
		}
	}
	if mss != 1000 || longest > 1000 || longest < 900 {
		t.Errorf("the SYN announced MSS %d, the longest segment carried %d bytes; want 1000 and at most that", mss, longest)
	}
	if window == 0 || window > 8192 {
		t.Errorf("the client offered windows up to %d bytes with an 8192-byte buffer", window)
	}
}

// TestDialTunedRefused: a tuned dial to a closed port is refused as a
// plain one is.
func TestDialTunedRefused(t *testing.T) {
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	_, err = sb.DialTuned(context.Background(), "127.0.0.1:9", netenv.Tuning{MaxSeg: 1000})
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dial to a closed port: %v", err)
	}
}
