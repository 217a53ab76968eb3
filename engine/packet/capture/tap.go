package capture

import (
	"os"
	"sync"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// Tapper is a link that hands every frame it carries to a function: the
// sandbox network's link (netenv.Sandbox) is one.
type Tapper interface {
	Tap(fn func(t time.Time, frame []byte)) (untap func())
}

// TapSource captures from a Tapper, running the same classic BPF capture
// filter the kernel would, in a BPF virtual machine.
type TapSource struct {
	untap    func()
	frames   chan Frame
	done     chan struct{}
	once     sync.Once
	mu       sync.Mutex // guards the counters and the VM
	received uint32     // frames the filter passed, dropped ones too
	dropped  uint32     // frames the filter passed that found the queue full
	vm       *bpf.VM
}

// tapQueue is how many frames may wait for the reader before new ones are
// counted as dropped, as a kernel capture buffer would.
const tapQueue = 1 << 16

// NewTapSource starts capturing from t. prog is the capture filter; nil
// keeps everything.
func NewTapSource(t Tapper, prog []bpf.Instruction) (*TapSource, error) {
	s := &TapSource{frames: make(chan Frame, tapQueue), done: make(chan struct{})}
	if prog != nil {
		vm, err := bpf.NewVM(prog)
		if err != nil {
			return nil, err
		}
		s.vm = vm
	}
	s.untap = t.Tap(s.push)
	return s, nil
}

func (s *TapSource) push(ts time.Time, frame []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.vm != nil {
		if n, err := s.vm.Run(frame); err != nil || n == 0 {
			return
		}
	}
	f := Frame{
		Info: gopacket.CaptureInfo{Timestamp: ts.Round(0), Length: len(frame), CaptureLength: len(frame)},
		Data: append([]byte(nil), frame...),
	}
	s.received++
	select {
	case s.frames <- f:
	default:
		s.dropped++
	}
}

// LinkType is Ethernet, as on Linux's loopback.
func (s *TapSource) LinkType() layers.LinkType { return layers.LinkTypeEthernet }

// ReadPacketData returns the next frame, blocking until one comes or the
// source is closed (os.ErrClosed). Frames still queued at Close are
// returned first.
func (s *TapSource) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	select {
	case f := <-s.frames:
		return f.Data, f.Info, nil
	default:
	}
	select {
	case f := <-s.frames:
		return f.Data, f.Info, nil
	case <-s.done:
		select {
		case f := <-s.frames:
			return f.Data, f.Info, nil
		default:
			return nil, gopacket.CaptureInfo{}, os.ErrClosed
		}
	}
}

// Stats returns how many frames the filter passed (received, the
// dropped ones included) and how many of them were dropped because the
// reader fell tapQueue frames behind, both since NewTapSource; as
// Live.Stats does. After Close it returns the final counts.
func (s *TapSource) Stats() (received, dropped uint32, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.received, s.dropped, nil
}

// Pending reports whether at least one frame, passed by the filter, waits
// in the queue that ReadPacketData has not yet returned. The link hands
// a frame to the tap before the frame goes on its way, so once an
// exchange's last frame has reached its receiver, Pending false means the
// capture has read everything the exchange caused (bar drops: see Stats).
// Frames queued at Close are still returned, so Pending stays true for
// them.
func (s *TapSource) Pending() bool { return len(s.frames) > 0 }

// Close stops capturing.
func (s *TapSource) Close() error {
	s.once.Do(func() {
		s.untap()
		close(s.done)
	})
	return nil
}
