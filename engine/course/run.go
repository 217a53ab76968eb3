package course

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"wiretutor/engine/capture"
	"wiretutor/engine/dissect"
	"wiretutor/engine/filter"
	"wiretutor/engine/netenv"
	"wiretutor/engine/quiz"
	"wiretutor/engine/render"
	"wiretutor/engine/stream"
)

// settle is how long to wait for the last packets of an exchange to
// reach the capture after the exchange returns.
const settle = 3 * time.Second

// CaptureFilter is the capture filter that keeps a lesson's ports.
func CaptureFilter(p Ports) string {
	var terms []string
	for _, n := range p.TCP {
		terms = append(terms, "tcp port "+strconv.Itoa(n))
	}
	for _, n := range p.UDP {
		terms = append(terms, "udp port "+strconv.Itoa(n))
	}
	if p.ICMP {
		terms = append(terms, "icmp")
	}
	return strings.Join(terms, " or ")
}

// LiveLoopback opens a live capture of the lesson's ports on the
// loopback interface.
func LiveLoopback(p Ports) (LiveSource, error) {
	prog, err := filter.CompileCapture(CaptureFilter(p), capture.MaxFrame)
	if err != nil {
		return nil, err
	}
	return capture.OpenLive(capture.Loopback, prog)
}

// collector reads a live source into a recording in the background and
// says when the lesson's capture is complete.
type collector struct {
	src      LiveSource
	complete func([]dissect.Packet) bool
	mu       sync.Mutex
	rec      *capture.Recording
	d        *dissect.Dissector
	pkts     []dissect.Packet
	done     chan struct{} // closed when complete
	stopped  chan struct{} // closed when the reader ends
	err      error
	doneOnce sync.Once
}

func newCollector(src LiveSource, complete func([]dissect.Packet) bool) (*collector, error) {
	d, err := dissect.New(src.LinkType())
	if err != nil {
		return nil, err
	}
	prec := 9 // a live capture is saved as nanosecond pcapng
	if p, ok := src.(interface{ Precision() int }); ok {
		prec = p.Precision()
	}
	c := &collector{
		src: src, complete: complete, d: d,
		rec:  &capture.Recording{Link: src.LinkType(), Precision: prec},
		done: make(chan struct{}), stopped: make(chan struct{}),
	}
	go c.read()
	return c, nil
}

func (c *collector) read() {
	defer close(c.stopped)
	for {
		data, ci, err := c.src.ReadPacketData()
		if err != nil {
			if !errors.Is(err, os.ErrClosed) && !errors.Is(err, io.EOF) {
				c.err = err
			}
			return
		}
		c.mu.Lock()
		c.rec.Add(ci, data)
		f := c.rec.Frames[len(c.rec.Frames)-1]
		var p dissect.Packet
		if c.d.Dissect(f.Data, f.Info, &p) == nil {
			p.TCP.Options = append([]dissect.Option(nil), p.TCP.Options...)
			c.pkts = append(c.pkts, p)
		}
		if c.complete != nil && c.complete(c.pkts) {
			c.doneOnce.Do(func() { close(c.done) })
		}
		c.mu.Unlock()
	}
}

// stop waits for completion (or the settle time), then closes the source.
func (c *collector) stop(ctx context.Context) *capture.Recording {
	select {
	case <-c.done:
	case <-time.After(settle):
	case <-ctx.Done():
	}
	c.src.Close()
	<-c.stopped
	return c.rec
}

func (run *runner) capture(ctx context.Context) error {
	o := run.o
	run.say(run.tx.T("run.starting."+o.Net.Name(), nil))
	open := o.Capture
	if open == nil {
		open = LiveLoopback
	}
	h := &hooks{run: run, open: open}
	h.baseline()
	err := run.l.Exchange(ctx, o.Net, h)
	col := h.col
	if col == nil {
		if err == nil {
			err = errors.New("the lesson's exchange never started the capture")
		}
		return err
	}
	rec := col.stop(ctx)
	if err != nil {
		return err
	}
	h.Snapshot(AfterSnapshot)
	if col.err != nil {
		return fmt.Errorf("capture: %w", col.err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	run.rec = rec
	pkts, err := DissectAll(rec)
	if err != nil {
		return err
	}
	run.cap = &quiz.Capture{Packets: pkts}
	conns := stream.TCPConns(pkts)
	if run.l.Focus != nil {
		run.cap.Conn = run.l.Focus(conns)
	} else if len(conns) > 0 {
		run.cap.Conn = conns[0]
	}
	if run.l.Facts != nil {
		run.fact = run.l.Facts(run.cap, run.tx)
	}
	if run.fact == nil {
		run.fact = map[string]any{}
	}
	run.fact["Net"] = o.Net.Name()
	run.fact["CaptureFilter"] = CaptureFilter(run.port)
	run.fact["HasEphemeralRange"] = false
	if er, ok := o.Net.(interface {
		EphemeralRange() (lo, hi uint16, err error)
	}); ok {
		if lo, hi, err := er.EphemeralRange(); err == nil {
			run.fact["EphemeralLo"], run.fact["EphemeralHi"], run.fact["HasEphemeralRange"] = lo, hi, true
		}
	}
	run.say(run.tx.N("run.captured", len(pkts), nil))
	if o.SaveCapture != "" {
		if err := capture.WriteFile(o.SaveCapture, rec, capture.Loopback); err != nil {
			return fmt.Errorf("save capture: %w", err)
		}
		run.say(run.tx.T("run.saved", map[string]any{"Path": o.SaveCapture}))
	}
	fmt.Fprintln(o.Out)
	return nil
}

// hooks is the runner's side of an exchange.
type hooks struct {
	run    *runner
	open   func(Ports) (LiveSource, error)
	col    *collector
	before map[socketKey]netenv.Socket // the sockets there before the exchange
}

func (h *hooks) Ready(p Ports) error {
	src, err := h.open(p)
	if err != nil {
		return err
	}
	h.run.port = p
	h.col, err = newCollector(src, h.run.l.Complete)
	if err != nil {
		src.Close()
	}
	return err
}

func (h *hooks) Ask(id string) (string, bool, error) {
	if h.run.o.NoInput || h.run.o.Asker == nil {
		return "", false, nil
	}
	a, err := h.run.o.Asker.Ask(h.run.tx.T(id, nil))
	if errors.Is(err, quiz.ErrNoInput) {
		return "", false, nil
	}
	if errors.Is(err, quiz.ErrInterrupted) {
		return "", false, ErrQuit
	}
	return a, err == nil, err
}

func (h *hooks) Say(line string) { h.run.say(h.run.r.Paint(render.Dim, line)) }

// DissectAll dissects a whole recording, owning every packet's memory.
func DissectAll(rec *capture.Recording) ([]dissect.Packet, error) {
	d, err := dissect.New(rec.Link)
	if err != nil {
		return nil, err
	}
	pkts := make([]dissect.Packet, 0, len(rec.Frames))
	for _, f := range rec.Frames {
		var p dissect.Packet
		if err := d.Dissect(f.Data, f.Info, &p); err != nil {
			return nil, err
		}
		p.TCP.Options = append([]dissect.Option(nil), p.TCP.Options...)
		pkts = append(pkts, p)
	}
	return pkts, nil
}
