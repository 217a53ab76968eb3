package explorer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"wiretutor/engine/packet/dissect"
)

// Cursor dissects the frames of a capture file one asks to look at,
// with the details of their protocol trees. The dissector's state needs
// every frame before the one shown (relative sequence numbers, stream
// indexes, reassembled messages), so a Cursor reads forward from where
// it stands, and from the first frame again when asked for one before.
// It is not safe for concurrent use.
type Cursor struct {
	c    Capture
	f    Frames
	d    *dissect.Dissector
	next int // the number of the frame the next read gives
	p    dissect.Packet

	// Trees of frames dissected lately, so that stepping back through
	// the list does not read the file from the start at each step: a
	// pass from the start keeps the trees of the frames just before the
	// one asked for.
	trees map[int]*Tree
	kept  []int // the frames of trees, oldest first
}

// keepBehind is how many frames before the one asked for a pass from
// the start keeps the trees of; keepTrees bounds the trees kept.
const (
	keepBehind = 256
	keepTrees  = 1024
)

// NewCursor opens a cursor on a capture.
func NewCursor(capt Capture) (*Cursor, error) {
	c := &Cursor{c: capt}
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
	f, err := c.c.Open()
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
	if t, ok := c.trees[n]; ok {
		return t.after(prev, shown), nil
	}
	if n < c.next {
		if err := c.rewind(); err != nil {
			return nil, err
		}
		if from := n - keepBehind; from > 1 {
			if _, err := c.Frame(ctx, from-1); err != nil {
				return nil, err
			}
		}
		for c.next < n {
			p, err := c.Frame(ctx, c.next)
			if err != nil {
				return nil, err
			}
			c.keep(c.tree(p))
		}
	}
	p, err := c.Frame(ctx, n)
	if err != nil {
		return nil, err
	}
	t := c.tree(p)
	c.keep(t)
	return t.after(prev, shown), nil
}

// tree writes the tree of the frame just read.
func (c *Cursor) tree(p *dissect.Packet) *Tree {
	var parts []part
	det := dissect.Details{Link: c.f.LinkType(), Part: func(proto string, at int) { parts = append(parts, part{proto, at}) }}
	f := c.f
	if _, ok := f.InterfaceName(0); ok {
		det.Interface = func(i int) string {
			name, _ := f.InterfaceName(i)
			return name
		}
	}
	t := newTree(p, det.AppendTree(nil, p), parts)
	t.time = p.Time
	return t
}

// keep keeps a tree, forgetting the oldest beyond keepTrees.
func (c *Cursor) keep(t *Tree) {
	if c.trees == nil {
		c.trees = map[int]*Tree{}
	}
	if _, ok := c.trees[t.Number]; ok {
		return
	}
	c.trees[t.Number] = t
	c.kept = append(c.kept, t.Number)
	if len(c.kept) > keepTrees {
		delete(c.trees, c.kept[0])
		c.kept = c.kept[1:]
	}
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
