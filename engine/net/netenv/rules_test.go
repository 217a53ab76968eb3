package netenv_test

import (
	"context"
	"io"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
)

// TestRuleDropsChosenSegments: a rule that loses the first data segment
// of the server's loses it once; TCP sends it again, the client gets
// every byte, and the capture holds the segment twice, the copy marked a
// retransmission.
func TestRuleDropsChosenSegments(t *testing.T) {
	var seen []netenv.Segment
	lost := false
	rule := netenv.Rule{Name: "first-data", Drop: func(s netenv.Segment) bool {
		seen = append(seen, s)
		if s.Src.Port() == 9000 && s.Len > 0 && !lost {
			lost = true
			return true
		}
		return false
	}}
	sb, err := netenv.NewSandbox(netenv.Impairment{Rules: []netenv.Rule{rule}})
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
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Write([]byte("every byte arrives"))
		c.Close()
	}()
	c, err := sb.Dial(ctx, "tcp", "127.0.0.1:9000")
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "every byte arrives" {
		t.Fatalf("read %q, %v", got, err)
	}
	c.Close()
	rec := r.stop(t)
	sb.Close()
	d, _ := dissect.New(rec.Link)
	var p dissect.Packet
	copies, resent := 0, 0
	for _, f := range rec.Frames {
		if d.Dissect(f.Data, f.Info, &p) != nil || p.SrcPort != 9000 || p.TCP.Len == 0 {
			continue
		}
		copies++
		if p.TCP.Analysis&dissect.AnalysisRetransmission != 0 {
			resent++
		}
	}
	if copies != 2 || resent != 1 {
		t.Errorf("the data crossed %d times, %d marked resent; want 2 and 1", copies, resent)
	}
	if len(seen) < 6 || seen[0].Flags != netenv.SegSYN || seen[0].Dst.Port() != 9000 {
		t.Errorf("the rule saw %d segments, the first %+v; want the SYN first", len(seen), seen)
	}
}
