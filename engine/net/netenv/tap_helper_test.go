package netenv_test

import (
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
)

// recorder keeps every frame a sandbox's link carries and tells a
// waiting test each time one arrives.
type recorder struct {
	mu    sync.Mutex
	rec   capture.Recording
	more  chan struct{} // a frame arrived
	untap func()
}

// record taps sb.
func record(sb *netenv.Sandbox) *recorder {
	r := &recorder{rec: capture.Recording{Link: layers.LinkTypeEthernet, Precision: 9}, more: make(chan struct{}, 1)}
	r.untap = sb.Tap(func(ts time.Time, f []byte) {
		r.mu.Lock()
		r.rec.Add(gopacket.CaptureInfo{Timestamp: ts, Length: len(f), CaptureLength: len(f)}, f)
		r.mu.Unlock()
		select {
		case r.more <- struct{}{}:
		default:
		}
	})
	return r
}

// closed reports whether the frames hold a TCP close: two FINs and,
// after the second, the other side's ACK of it.
func closed(rec *capture.Recording) bool {
	d, err := dissect.New(rec.Link)
	if err != nil {
		return false
	}
	fins, second := 0, uint16(0)
	var p dissect.Packet
	for _, f := range rec.Frames {
		if d.Dissect(f.Data, f.Info, &p) != nil || p.Transport != dissect.TransportTCP {
			continue
		}
		switch {
		case fins == 2 && p.SrcPort != second && p.TCP.Has(dissect.FlagACK):
			return true
		case p.TCP.Has(dissect.FlagFIN):
			if fins++; fins == 2 {
				second = p.SrcPort
			}
		}
	}
	return false
}

// stop waits until the frames hold a whole TCP close, untaps and
// returns them. It waits on the frames themselves, not on a clock; the
// deadline only ends a test whose close never comes.
func (r *recorder) stop(t *testing.T) *capture.Recording {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		r.mu.Lock()
		done := closed(&r.rec)
		r.mu.Unlock()
		if done {
			break
		}
		select {
		case <-r.more:
		case <-deadline:
			t.Fatal("the capture never held the close")
		}
	}
	r.untap()
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.rec
	return &out
}
