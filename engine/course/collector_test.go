package course

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/testkit/testenv"
)

// queued is a live source whose frames are all already in its queue, as
// the kernel's would be once the exchange has returned, but which hands
// out the later ones only after someone asked whether frames are
// pending: like a reader that has not yet been scheduled. Frames still
// queued at Close are lost, as on a closed packet socket.
type queued struct {
	mu     sync.Mutex
	frames [][]byte
	first  bool          // the first frame has been read
	asked  chan struct{} // closed at the first Pending call
	once   sync.Once
	closed chan struct{}
}

func (q *queued) LinkType() layers.LinkType { return layers.LinkTypeEthernet }

func (q *queued) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	q.mu.Lock()
	first := !q.first
	q.first = true
	q.mu.Unlock()
	if !first {
		select {
		case <-q.asked:
		case <-q.closed:
			return nil, gopacket.CaptureInfo{}, os.ErrClosed
		}
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	select {
	case <-q.closed:
		return nil, gopacket.CaptureInfo{}, os.ErrClosed
	default:
	}
	if len(q.frames) == 0 {
		q.mu.Unlock()
		<-q.closed
		q.mu.Lock()
		return nil, gopacket.CaptureInfo{}, os.ErrClosed
	}
	f := q.frames[0]
	q.frames = q.frames[1:]
	return f, gopacket.CaptureInfo{Length: len(f), CaptureLength: len(f)}, nil
}

func (q *queued) Pending() bool {
	q.once.Do(func() { close(q.asked) })
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.frames) > 0
}

func (q *queued) Close() error {
	select {
	case <-q.closed:
	default:
		close(q.closed)
	}
	return nil
}

// TestCollectorReadsEverythingQueued: a lesson whose Complete already
// holds after the first frame (the filters lesson's held once it had
// seen UDP and TCP, before the ping's reply was read) still gets every
// frame that was queued when the exchange returned. Before, the capture
// stopped at Complete and lost the ping in about one run of five.
func TestCollectorReadsEverythingQueued(t *testing.T) {
	rec := testenv.Recording(t, "echo-lab.pcap")
	if rec.Link != layers.LinkTypeEthernet {
		t.Skip("echo-lab.pcap is not Ethernet")
	}
	q := &queued{asked: make(chan struct{}), closed: make(chan struct{})}
	for _, f := range rec.Frames {
		q.frames = append(q.frames, f.Data)
	}
	always := func([]dissect.Packet) bool { return true }
	c, err := newCollector(q, always)
	if err != nil {
		t.Fatal(err)
	}
	got := c.stop(context.Background())
	if len(got.Frames) != len(rec.Frames) {
		t.Errorf("the capture kept %d of the %d frames queued when the exchange ended", len(got.Frames), len(rec.Frames))
	}
}
