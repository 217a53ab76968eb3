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
	untap   func()
	frames  chan Frame
	done    chan struct{}
	once    sync.Once
	mu      sync.Mutex
	dropped uint32
	vm      *bpf.VM
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

// Stats returns the frames dropped because the reader fell behind.
func (s *TapSource) Stats() (received, dropped uint32, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return 0, s.dropped, nil
}

// Close stops capturing.
func (s *TapSource) Close() error {
	s.once.Do(func() {
		s.untap()
		close(s.done)
	})
	return nil
}
