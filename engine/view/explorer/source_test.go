package explorer_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/view/explorer"
)

// waitFor waits on the index's changes until ok says enough.
func waitFor(x *explorer.Index, ok func() bool) {
	for !ok() {
		<-x.Changed()
	}
}

// TestGrowingCapture: the index follows a live capture as its frames
// come, a filter watched from the middle selects tshark's frames among
// those that come after, the cursor dissects any frame held so far, and
// the end of the capture ends the index.
func TestGrowingCapture(t *testing.T) {
	f, err := capture.Open(testenv.Testdata("echo-lab.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := explorer.NewGrowing("lo", f.LinkType(), f.Precision())
	x, err := explorer.Open(g)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	add := func(n int) {
		for range n {
			data, ci, err := f.ReadPacketData()
			if err != nil {
				t.Fatal(err)
			}
			g.Add(ci, data)
		}
	}
	add(1)
	waitFor(x, func() bool { return x.Count() == 1 })
	before, ok := x.Watch("tcp.flags.syn == 1 || udp")
	if !ok || before != 1 {
		t.Fatalf("Watch: %d, %v; want 1, true", before, ok)
	}
	add(11)
	waitFor(x, func() bool { return x.Count() == 12 })
	if got, want := x.Matched(), []int{2, 11, 12}; !slices.Equal(got, want) {
		t.Errorf("matched %v, tshark %v (frame 1 came before the watch)", got, want)
	}
	if done, _ := x.Done(); done {
		t.Error("the index ended before the capture did")
	}
	c, err := explorer.NewCursor(g)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tr, err := c.Tree(context.Background(), 12, time.Time{}, false)
	if err != nil || tr.Number != 12 {
		t.Fatalf("tree of frame 12: %v", err)
	}
	if _, err := c.Tree(context.Background(), 13, time.Time{}, false); !errors.Is(err, explorer.ErrNoFrame) {
		t.Errorf("frame 13, not yet captured: %v", err)
	}
	g.End(nil)
	waitFor(x, func() bool { done, _ := x.Done(); return done })
	if _, err := x.Done(); err != nil {
		t.Error(err)
	}
	if _, _, err := f.ReadPacketData(); !errors.Is(err, io.EOF) {
		t.Error("echo-lab.pcap has more than 12 frames")
	}
}

// TestCloseWakesTheIndex: closing the index of a live capture that
// waits for its next frame ends it at once.
func TestCloseWakesTheIndex(t *testing.T) {
	g := explorer.NewGrowing("lo", 1, 9)
	x, err := explorer.Open(g)
	if err != nil {
		t.Fatal(err)
	}
	x.Close() // returns only once the index has stopped
	if done, _ := x.Done(); !done {
		t.Error("a closed index is not done")
	}
}
