package explorer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
)

// Cursor dissects the frames of a capture file one asks to look at,
// with the details of their protocol trees. The dissector's state needs
// every frame before the one shown (relative sequence numbers, stream
// indexes, reassembled messages), so a Cursor reads forward from where
// it stands, and from the first frame again when asked for one before.
// It is not safe for concurrent use.
type Cursor struct {
	path string
	f    *capture.File
	d    *dissect.Dissector
	next int // the number of the frame the next read gives
	p    dissect.Packet
}

// NewCursor opens a cursor on the capture file at path.
func NewCursor(path string) (*Cursor, error) {
	c := &Cursor{path: path}
	if err := c.rewind(); err != nil {
		return nil, err
	}
	return c, nil
}

// rewind opens the file again at its first frame.
func (c *Cursor) rewind() error {
	if c.f != nil {
		c.f.Close()
		c.f = nil
	}
	f, err := capture.Open(c.path)
	if err != nil {
		return err
	}
	d, err := dissect.New(f.LinkType())
	if err != nil {
		f.Close()
		return err
	}
	d.KeepDetails()
	c.f, c.d, c.next = f, d, 1
	return nil
}

// ErrNoFrame is the error of a frame number the file does not hold.
var ErrNoFrame = errors.New("no such frame")

// Frame is frame n (from 1), dissected with its details; it is the
// Cursor's own, valid until the next call. Reading up to it stops when
// ctx ends.
func (c *Cursor) Frame(ctx context.Context, n int) (*dissect.Packet, error) {
	if n < 1 {
		return nil, fmt.Errorf("frame %d: %w", n, ErrNoFrame)
	}
	if n < c.next {
		if err := c.rewind(); err != nil {
			return nil, err
		}
	}
	for c.next <= n {
		if c.next%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		data, ci, err := c.f.ReadPacketData()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("frame %d: %w", n, ErrNoFrame)
		}
		if err == nil {
			err = c.d.Dissect(data, ci, &c.p)
		}
		if err != nil {
			return nil, err
		}
		c.next++
	}
	return &c.p, nil
}

// Tree is the protocol tree of frame n, as tshark -V prints it, with
// the bytes of each line. prev is the time of the frame the list shows
// before it, if it shows one, for the time since the previous displayed
// frame.
func (c *Cursor) Tree(ctx context.Context, n int, prev time.Time, shown bool) (*Tree, error) {
	p, err := c.Frame(ctx, n)
	if err != nil {
		return nil, err
	}
	var parts []part
	det := dissect.Details{Link: c.f.LinkType(), Part: func(proto string, at int) { parts = append(parts, part{proto, at}) }}
	f := c.f
	det.Interface = func(i int) string {
		name, _ := f.InterfaceName(i)
		return name
	}
	if _, ok := f.InterfaceName(0); !ok {
		det.Interface = nil
	}
	det.Follow(prev, shown)
	return newTree(p, det.AppendTree(nil, p), parts), nil
}

// Close closes the file.
func (c *Cursor) Close() error {
	if c.f == nil {
		return nil
	}
	err := c.f.Close()
	c.f = nil
	return err
}
