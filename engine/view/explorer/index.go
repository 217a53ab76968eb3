package explorer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
)

// Index is what the packet list shows of every frame of a capture file,
// read once, in order, in the background: each frame's columns and
// colouring rule, a few dozen bytes a frame, so that a file of half a
// million frames is listed without keeping its packets. The list can
// be drawn while the index grows: Count says how far it has got.
type Index struct {
	path string
	prec int

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
}

// chunkBits sizes the chunks the columns are written in (1 MiB): a
// line is never split between two, and the index never copies what it
// has written.
const chunkBits = 20

// maxText bounds the text kept of a frame's columns.
const maxText = 1<<16 - 1

// sep ends each text column of a frame in the index.
const sep = 0

// Open starts indexing the capture file at path and returns once its
// header is read, with the first frames still to come: the error is
// one of opening the file or of its header. Close stops the indexing.
func Open(path string) (*Index, error) {
	f, err := capture.Open(path)
	if err != nil {
		return nil, err
	}
	d, err := dissect.New(f.LinkType())
	if err != nil {
		f.Close()
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	x := &Index{path: path, prec: f.Precision(), changed: make(chan struct{}), stop: stop, ended: make(chan struct{})}
	col, err := NewColourer(DefaultRules())
	if err != nil {
		stop()
		f.Close()
		return nil, err
	}
	go x.fill(ctx, f, d, col)
	return x, nil
}

// Path is the file the index reads.
func (x *Index) Path() string { return x.path }

// Precision is the decimal digits of the file's timestamps.
func (x *Index) Precision() int { return x.prec }

// fill reads the file to its end, or until ctx ends.
func (x *Index) fill(ctx context.Context, f *capture.File, d *dissect.Dissector, col *Colourer) {
	defer close(x.ended)
	defer f.Close()
	var (
		p     dissect.Packet
		line  []byte
		batch = 0
	)
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
			if !errors.Is(err, io.EOF) {
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
		if batch++; batch == 4096 || x.Count() <= 64 && batch == 16 {
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
	<-x.ended
	return nil
}
