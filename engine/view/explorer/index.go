package explorer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"sync"
	"time"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
)

// Index is what the packet list shows of every frame of a capture file,
// read once, in order, in the background: each frame's columns and
// colouring rule, a few dozen bytes a frame, so that a file of half a
// million frames is listed without keeping its packets. The list can
// be drawn while the index grows: Count says how far it has got.
type Index struct {
	c      Capture
	frames Frames
	prec   int
	keep   bool // the dissector keeps what details and tracked fields need

	mu     sync.RWMutex
	chunks [][]byte // the text columns, one line after the other
	at     []uint32 // where frame i's text starts: chunk<<chunkBits | offset
	size   []uint16 // how long it is
	rel    []time.Duration
	length []uint32
	rule   []uint8
	first  time.Time
	done   bool
	err    error
	read   int64 // bytes of the file read
	total  int64 // the file's size

	changed chan struct{} // closed and replaced when frames are added
	stop    context.CancelFunc
	ended   chan struct{}

	// The display filter the index tests each frame it adds with, and
	// the frames it selected (Watch).
	watch   *filter.Display
	matched []int
}

// chunkBits sizes the chunks the columns are written in (1 MiB): a
// line is never split between two, and the index never copies what it
// has written.
const chunkBits = 20

// maxText bounds the text kept of a frame's columns.
const maxText = 1<<16 - 1

// sep ends each text column of a frame in the index.
const sep = 0

// Open starts indexing the capture c and returns once its header is
// read, with the first frames still to come: the error is one of
// opening it or of its header. A capture that grows (Growing) is
// followed until it ends. Close stops the indexing.
func Open(c Capture) (*Index, error) {
	var f Frames
	if g, ok := c.(following); ok {
		f = g.follow()
	} else {
		var err error
		if f, err = c.Open(); err != nil {
			return nil, err
		}
	}
	d, err := dissect.New(f.LinkType())
	if err != nil {
		f.Close()
		return nil, err
	}
	col, err := NewColourer(DefaultRules())
	if err != nil {
		f.Close()
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	x := &Index{c: c, frames: f, prec: f.Precision(), changed: make(chan struct{}), stop: stop, ended: make(chan struct{})}
	if _, ok := c.(following); ok {
		// A live capture is small, and filters are tested as it grows:
		// keep what every field needs.
		d.KeepDetails()
		x.keep = true
	}
	go x.fill(ctx, f, d, col)
	return x, nil
}

// Capture is the capture the index reads.
func (x *Index) Capture() Capture { return x.c }

// Precision is the decimal digits of the capture's timestamps.
func (x *Index) Precision() int { return x.prec }

// fill reads the file to its end, or until ctx ends.
func (x *Index) fill(ctx context.Context, f Frames, d *dissect.Dissector, col *Colourer) {
	defer close(x.ended)
	defer f.Close()
	var (
		p     dissect.Packet
		line  []byte
		batch = 0
	)
	live, _ := f.(interface{ buffered() int })
	// publish tells the readers of Changed; the last time, the closed
	// channel stays, so that asking after the end does not wait.
	publish := func(last bool) {
		read, total := f.Progress()
		x.mu.Lock()
		x.read, x.total = read, total
		ch := x.changed
		if !last {
			x.changed = make(chan struct{})
		}
		x.mu.Unlock()
		close(ch)
		batch = 0
	}
	for ctx.Err() == nil {
		data, ci, err := f.ReadPacketData()
		if err == nil {
			err = d.Dissect(data, ci, &p)
		}
		if err != nil {
			x.mu.Lock()
			x.done = true
			if !errors.Is(err, io.EOF) && !errors.Is(err, errClosed) {
				x.err = err
			}
			x.mu.Unlock()
			publish(true)
			return
		}
		line = dissect.AppendAddress(line[:0], &p, true)
		line = append(line, sep)
		line = dissect.AppendAddress(line, &p, false)
		line = append(line, sep)
		line = append(line, dissect.Protocol(&p)...)
		line = append(line, sep)
		line = dissect.AppendInfo(line, &p)
		if len(line) > maxText {
			line = line[:maxText]
		}
		x.add(&p, line, col.Pick(&p))
		batch++
		// A live capture's frames are shown as soon as none wait behind
		// them; a file's in batches, the first ones soon.
		if batch == 4096 || x.Count() <= 64 && batch == 16 || live != nil && live.buffered() == 0 {
			publish(false)
		}
	}
	x.mu.Lock()
	x.done = true
	x.mu.Unlock()
	publish(true) // stopped: Close
}

// add appends one frame.
func (x *Index) add(p *dissect.Packet, text []byte, rule uint8) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.at) == 0 {
		x.first = p.Time
	}
	n := len(x.chunks)
	if n == 0 || len(x.chunks[n-1])+len(text) > 1<<chunkBits {
		x.chunks = append(x.chunks, make([]byte, 0, 1<<chunkBits))
		n++
	}
	c := x.chunks[n-1]
	x.at = append(x.at, uint32(n-1)<<chunkBits|uint32(len(c)))
	x.chunks[n-1] = append(c, text...)
	x.size = append(x.size, uint16(len(text)))
	x.rel = append(x.rel, p.Rel)
	x.length = append(x.length, uint32(p.Len))
	x.rule = append(x.rule, rule)
	if x.watch != nil && x.watch.Match(p) {
		x.matched = append(x.matched, p.Number)
	}
}

// Watch makes the index test the display filter expr on each frame it
// adds from now on, and returns how many it had added before: the
// frames a pass through the capture must test itself (Select). false
// when the index cannot test this filter, one on fields that need the
// history only packet details keep, which an index of a file does not:
// the pass must then test every frame. An empty expr stops watching.
func (x *Index) Watch(expr string) (before int, ok bool) {
	df, err := filter.CompileDisplay(expr)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.watch, x.matched = nil, nil
	if expr == "" || err != nil || df.Tracked() && !x.keep {
		return len(x.at), false
	}
	x.watch = df
	return len(x.at), true
}

// Matched lists the frames the watched filter selected among those
// added since Watch.
func (x *Index) Matched() []int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return slices.Clone(x.matched)
}

// Count is how many frames are indexed so far.
func (x *Index) Count() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.at)
}

// Done says whether the whole file is indexed, and why it stopped
// short if it did: a file cut or corrupt after the frames Count says.
func (x *Index) Done() (bool, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.done, x.err
}

// Progress is how many bytes of the file are indexed, of how many.
func (x *Index) Progress() (read, total int64) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.read, x.total
}

// Changed is closed when frames are added or the index is done; ask
// again for the next change.
func (x *Index) Changed() <-chan struct{} {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.changed
}

// Row is what the packet list shows of one frame: tshark's columns.
type Row struct {
	Number   int
	Rel      time.Duration // frame.time_relative
	Src, Dst string
	Protocol string
	Length   int
	Info     string
	Rule     uint8 // its colouring rule in DefaultRules, or NoRule
}

// Row is frame n's row (from 1); false for a frame not indexed yet.
func (x *Index) Row(n int) (Row, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	i := n - 1
	if i < 0 || i >= len(x.at) {
		return Row{}, false
	}
	at := x.at[i]
	text := x.chunks[at>>chunkBits][at&(1<<chunkBits-1):]
	text = text[:x.size[i]]
	var cols [3]string
	for k := range cols {
		j := bytes.IndexByte(text, sep)
		if j < 0 {
			j = len(text)
		}
		cols[k] = string(text[:j])
		text = text[min(j+1, len(text)):]
	}
	return Row{Number: n, Rel: x.rel[i], Src: cols[0], Dst: cols[1], Protocol: cols[2],
		Length: int(x.length[i]), Info: string(text), Rule: x.rule[i]}, true
}

// Time is frame n's arrival time (frame.time); false for a frame not
// indexed yet.
func (x *Index) Time(n int) (time.Time, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if n < 1 || n > len(x.rel) {
		return time.Time{}, false
	}
	return x.first.Add(x.rel[n-1]), true
}

// Close stops the indexing and waits for it to end.
func (x *Index) Close() error {
	x.stop()
	if _, ok := x.c.(following); ok {
		x.frames.Close() // wakes the read that waits for the next frame
	}
	<-x.ended
	return nil
}
