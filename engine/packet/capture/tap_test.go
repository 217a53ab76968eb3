package capture_test

import (
	"os"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"wiretutor/engine/packet/capture"
)

// fakeLink is a Tapper whose frames the test sends by hand.
type fakeLink struct{ fn func(time.Time, []byte) }

func (l *fakeLink) Tap(fn func(time.Time, []byte)) func() {
	l.fn = fn
	return func() { l.fn = nil }
}

// TestTapStatsAndPending: the tap source counts what its filter passes
// and what a full queue drops, as the kernel does, and Pending says
// whether a passed frame waits unread.
func TestTapStatsAndPending(t *testing.T) {
	const queue = 1 << 16 // the source's queue, in frames
	const extra = 5
	link := &fakeLink{}
	// Keep frames whose first byte is 1.
	keepOnes := []bpf.Instruction{
		bpf.LoadAbsolute{Off: 0, Size: 1},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 1, SkipFalse: 1},
		bpf.RetConstant{Val: capture.MaxFrame},
		bpf.RetConstant{Val: 0},
	}
	src, err := capture.NewTapSource(link, keepOnes)
	if err != nil {
		t.Fatal(err)
	}
	if src.Pending() {
		t.Error("Pending before any frame")
	}
	now := time.Now()
	link.fn(now, []byte{2, 0}) // refused by the filter: not counted
	if src.Pending() {
		t.Error("Pending after a frame the filter refused")
	}
	for i := 0; i < queue+extra; i++ {
		link.fn(now, []byte{1, 0})
	}
	received, dropped, err := src.Stats()
	if err != nil || received != queue+extra || dropped != extra {
		t.Fatalf("Stats = %d, %d, %v; want %d, %d", received, dropped, err, queue+extra, extra)
	}
	for i := 0; i < queue; i++ {
		if !src.Pending() {
			t.Fatalf("Pending false with %d frames unread", queue-i)
		}
		if _, _, err := src.ReadPacketData(); err != nil {
			t.Fatal(err)
		}
	}
	if src.Pending() {
		t.Error("Pending after every queued frame was read")
	}
	link.fn(now, []byte{1, 0})
	src.Close()
	if !src.Pending() {
		t.Error("a frame queued before Close is still to be read, but Pending is false")
	}
	if _, _, err := src.ReadPacketData(); err != nil {
		t.Fatal(err)
	}
	if src.Pending() {
		t.Error("Pending after Close with nothing queued")
	}
	if _, _, err := src.ReadPacketData(); err != os.ErrClosed {
		t.Errorf("read after Close: %v, want os.ErrClosed", err)
	}
	if r, d, _ := src.Stats(); r != queue+extra+1 || d != extra {
		t.Errorf("Stats after Close = %d, %d; want %d, %d", r, d, queue+extra+1, extra)
	}
}

// The lesson runner uses both live sources through these methods.
var (
	_ interface {
		capture.Source
		Stats() (received, dropped uint32, err error)
		Pending() bool
		Close() error
	} = (*capture.Live)(nil)
	_ interface {
		capture.Source
		Stats() (received, dropped uint32, err error)
		Pending() bool
		Close() error
	} = (*capture.TapSource)(nil)
)
