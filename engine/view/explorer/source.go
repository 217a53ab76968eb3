package explorer

import (
	"errors"
	"io"
	"sync"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/capture"
)

// Capture is a capture the explorer reads from its first frame as often
// as it needs: once for the index, again for each frame's details, for
// each filter and for each stream followed.
type Capture interface {
	// Open starts a reading at the first frame.
	Open() (Frames, error)
	// Name is the capture as a person knows it: its file's path.
	Name() string
}

// Frames is one reading of a capture, from its first frame; a
// capture.File is one.
type Frames interface {
	LinkType() layers.LinkType
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	Precision() int
	InterfaceName(index int) (string, bool)
	// Progress is how far the reading has got, and of how much, in bytes
	// or in frames: for a progress bar.
	Progress() (done, total int64)
	Close() error
}

// File is the capture file at a path.
type File string

// Open opens the file.
func (f File) Open() (Frames, error) { return capture.Open(string(f)) }

// Name is the file's path.
func (f File) Name() string { return string(f) }

// Growing is a capture taken live, kept in memory as its frames come:
// the index follows it as it grows, waiting for the next frame, while
// every other reading ends at the frames it holds when it gets there.
type Growing struct {
	name string
	link layers.LinkType
	prec int

	mu     sync.Mutex
	grown  *sync.Cond
	frames []frame
	ended  bool
	err    error
}

// frame is one frame of a Growing capture.
type frame struct {
	ci   gopacket.CaptureInfo
	data []byte
}

// NewGrowing is an empty live capture of link type link, its timestamps
// of prec decimal digits, named name.
func NewGrowing(name string, link layers.LinkType, prec int) *Growing {
	g := &Growing{name: name, link: link, prec: prec}
	g.grown = sync.NewCond(&g.mu)
	return g
}

// Add appends a frame; data is copied.
func (g *Growing) Add(ci gopacket.CaptureInfo, data []byte) {
	g.mu.Lock()
	g.frames = append(g.frames, frame{ci, append([]byte(nil), data...)})
	g.mu.Unlock()
	g.grown.Broadcast()
}

// End says no frame will come after those added, and why: nil when the
// capture was stopped.
func (g *Growing) End(err error) {
	g.mu.Lock()
	g.ended, g.err = true, err
	g.mu.Unlock()
	g.grown.Broadcast()
}

// Len is how many frames the capture holds so far.
func (g *Growing) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.frames)
}

// Name is the capture's name.
func (g *Growing) Name() string { return g.name }

// Open reads the frames the capture holds.
func (g *Growing) Open() (Frames, error) { return &growingFrames{g: g}, nil }

// follow reads the frames as they come, waiting at the end for more.
func (g *Growing) follow() Frames { return &growingFrames{g: g, wait: true} }

// growingFrames is one reading of a Growing capture.
type growingFrames struct {
	g      *Growing
	next   int
	wait   bool
	closed bool
}

func (r *growingFrames) LinkType() layers.LinkType { return r.g.link }
func (r *growingFrames) Precision() int            { return r.g.prec }

// InterfaceName names the one interface a live capture has.
func (r *growingFrames) InterfaceName(int) (string, bool) { return r.g.name, true }

// Progress counts frames.
func (r *growingFrames) Progress() (done, total int64) {
	n := r.g.Len()
	return int64(r.next), int64(n)
}

// buffered is how many frames the capture holds past this reading.
func (r *growingFrames) buffered() int {
	r.g.mu.Lock()
	defer r.g.mu.Unlock()
	return len(r.g.frames) - r.next
}

// errClosed is the read of a reading closed while it waited.
var errClosed = errors.New("reading closed")

// ReadPacketData returns the next frame; at the end, io.EOF, or for the
// index the next frame once it comes, io.EOF when the capture ends.
func (r *growingFrames) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	g := r.g
	g.mu.Lock()
	defer g.mu.Unlock()
	for r.wait && r.next >= len(g.frames) && !g.ended && !r.closed {
		g.grown.Wait()
	}
	if r.closed {
		return nil, gopacket.CaptureInfo{}, errClosed
	}
	if r.next >= len(g.frames) {
		if g.err != nil && r.wait {
			return nil, gopacket.CaptureInfo{}, g.err
		}
		return nil, gopacket.CaptureInfo{}, io.EOF
	}
	f := g.frames[r.next]
	r.next++
	return f.data, f.ci, nil
}

// Close ends the reading, waking a read that waits.
func (r *growingFrames) Close() error {
	r.g.mu.Lock()
	r.closed = true
	r.g.mu.Unlock()
	r.g.grown.Broadcast()
	return nil
}

// following is a Capture whose index follows it as it grows.
type following interface{ follow() Frames }
