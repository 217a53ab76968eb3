package course

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/text/render"
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
	if p.ARP {
		terms = append(terms, "arp")
	}
	return strings.Join(terms, " or ")
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
	done     bool          // complete() held after the last frame read
	progress chan struct{} // a frame was read (buffered, one pending)
	stopped  chan struct{} // closed when the reader ends
	err      error
}

// pendingSource is a live source that can tell whether frames wait in
// its queue that have not been read: capture.Live and capture.TapSource.
type pendingSource interface {
	Pending() bool
}

// statsSource is a live source that counts the frames it had to drop.
type statsSource interface {
	Stats() (received, dropped uint32, err error)
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
		rec:      &capture.Recording{Link: src.LinkType(), Precision: prec},
		progress: make(chan struct{}, 1), stopped: make(chan struct{}),
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
			c.pkts = append(c.pkts, *p.Clone())
		}
		c.done = c.complete == nil || c.complete(c.pkts)
		c.mu.Unlock()
		select {
		case c.progress <- struct{}{}:
		default:
		}
	}
}

// stop is called once the exchange has returned. It ends the capture as
// soon as it holds everything: no frame waits unread in the source (a
// frame passes the capture's tap before it reaches its receiving socket,
// so every frame the exchange's programs sent and received is then in
// the recording) and the lesson's Complete holds (for what the systems
// send on their own afterwards, such as the last ACK of a close). It
// gives up after the settle time, or when ctx is done.
func (c *collector) stop(ctx context.Context) *capture.Recording {
	giveUp := time.NewTimer(settle)
	defer giveUp.Stop()
wait:
	for !c.ready() {
		select {
		case <-c.progress:
		case <-giveUp.C:
			break wait
		case <-ctx.Done():
			break wait
		case <-c.stopped:
			break wait
		}
	}
	c.src.Close()
	<-c.stopped
	return c.rec
}

// ready: the lesson's capture is complete and the source has nothing
// left unread. A source that cannot tell is taken as drained.
func (c *collector) ready() bool {
	c.mu.Lock()
	done := c.done
	c.mu.Unlock()
	if !done {
		return false
	}
	p, ok := c.src.(pendingSource)
	return !ok || !p.Pending()
}

// dropped is how many frames the source had to drop for want of room.
func (c *collector) dropped() uint32 {
	if s, ok := c.src.(statsSource); ok {
		if _, n, err := s.Stats(); err == nil {
			return n
		}
	}
	return 0
}

func (run *runner) capture(ctx context.Context) error {
	o := run.o
	starting := "run.starting." + o.Net.Name()
	if p, ok := o.Net.(interface{ Private() bool }); ok && p.Private() {
		starting = "run.starting.private"
	}
	if _, two := netenv.Peer(o.Net); two && o.Net.Name() == "kernel" {
		starting = "run.starting.pair" // two namespaces, not a loopback
	}
	run.say(run.tx.T(starting, nil))
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
	if n := col.dropped(); n > 0 {
		run.say(run.r.Paint(render.Dim, run.tx.N("run.dropped", int(n), nil)))
	}
	h.Snapshot(AfterSnapshot)
	if col.err != nil {
		return fmt.Errorf("capture: %w", col.err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := run.load(rec); err != nil {
		return err
	}
	run.say(run.tx.N("run.captured", len(run.cap.Packets), nil))
	if err := run.save(rec); err != nil {
		return err
	}
	fmt.Fprintln(o.Out)
	return nil
}

// save writes the capture to Options.SaveCapture, when it is set, as
// pcapng (atomically: a reader sees the previous run's file or this
// one's, whole), readable as the umask says, or by its owner alone for
// a lesson whose capture holds a secret; each run replaces the last
// one's. It says where, and makes the text's commands name the file.
// An interactive run that cannot write it says why and goes on, since
// the lesson needs no file; a --no-input run fails, since the file was
// what it was asked for.
func (run *runner) save(rec *capture.Recording) error {
	o := run.o
	if o.SaveCapture == "" {
		return nil
	}
	write := capture.WriteFile
	if run.l.Secret {
		write = capture.WritePrivateFile
	}
	if err := write(o.SaveCapture, rec, capture.Loopback); err != nil {
		if o.NoInput {
			return fmt.Errorf("save capture: %w", err)
		}
		// The path is in the message already: the system's reason is
		// what it adds.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		run.say(run.r.Paint(render.Dim, run.tx.T("run.save.failed", map[string]any{"Path": o.SaveCapture, "Err": err.Error()})))
		return nil
	}
	run.fact["CaptureFile"], run.fact["CaptureSaved"] = shellQuote(o.SaveCapture, runtime.GOOS), true
	run.say(run.tx.T("run.saved", map[string]any{"Path": o.SaveCapture}))
	return nil
}

// unsavedCapture is the file the text's commands name when the run
// saves no capture (a --no-input run without --save-capture): the name
// the text tells the reader to save it under.
const unsavedCapture = "capture.pcapng"

// shellQuote writes path as a shell of goos takes it as one argument:
// as it is when nothing in it is special, else in single quotes for a
// POSIX shell (a single quote inside ends them, is escaped, and opens
// them again), or in double quotes on Windows, whose file names hold no
// double quote and where PowerShell and cmd both take them.
func shellQuote(path, goos string) string {
	plain := path != "" && strings.IndexFunc(path, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r) || goos == "windows" && r == '\\')
	}) < 0
	switch {
	case plain:
		return path
	case goos == "windows":
		return `"` + path + `"`
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}

// load makes rec the run's capture: its packets, the lesson's
// connection and the facts the text's placeholders use.
func (run *runner) load(rec *capture.Recording) error {
	o := run.o
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
	// Until save has written it: the name the text says to save it as.
	run.fact["CaptureFile"], run.fact["CaptureSaved"] = unsavedCapture, false
	run.fact["CaptureFilter"] = CaptureFilter(run.port)
	run.fact["HasEphemeralRange"] = false
	if er, ok := o.Net.(interface {
		EphemeralRange() (lo, hi uint16, err error)
	}); ok {
		if lo, hi, err := er.EphemeralRange(); err == nil {
			run.fact["EphemeralLo"], run.fact["EphemeralHi"], run.fact["HasEphemeralRange"] = lo, hi, true
		}
	}
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

// T words a message in the learner's language: what an exchange's
// programs say to people (a chat bot's line, a web page) is the
// learner's to read. Hooks that have it satisfy quiz.Texts.
func (h *hooks) T(id string, data any) string { return h.run.tx.T(id, data) }

// Collector reads a live source in the background into a recording,
// for a caller that runs its own programs (wiretutor verify) rather
// than a lesson's exchange.
type Collector struct{ c *collector }

// Collect starts reading src. complete says when the capture holds what
// the caller waits for; Progress tells of each frame read.
func Collect(src LiveSource, complete func([]dissect.Packet) bool) (*Collector, error) {
	c, err := newCollector(src, complete)
	if err != nil {
		return nil, err
	}
	return &Collector{c: c}, nil
}

// Progress receives a value after frames were read (one pending at
// most); the channel is never closed.
func (c *Collector) Progress() <-chan struct{} { return c.c.progress }

// Stopped is closed when the source has ended.
func (c *Collector) Stopped() <-chan struct{} { return c.c.stopped }

// Complete reports whether complete held after the last frame read.
func (c *Collector) Complete() bool {
	c.c.mu.Lock()
	defer c.c.mu.Unlock()
	return c.c.done
}

// Len is the number of frames read so far.
func (c *Collector) Len() int {
	c.c.mu.Lock()
	defer c.c.mu.Unlock()
	return len(c.c.rec.Frames)
}

// SetComplete replaces the complete condition, and applies it to the
// frames read so far.
func (c *Collector) SetComplete(complete func([]dissect.Packet) bool) {
	c.c.mu.Lock()
	c.c.complete = complete
	c.c.done = complete == nil || complete(c.c.pkts)
	c.c.mu.Unlock()
	select {
	case c.c.progress <- struct{}{}:
	default:
	}
}

// Stop ends the capture once it is complete and nothing waits unread,
// or after the settle time, or when ctx is done, and returns the
// recording, with how many frames the source dropped.
func (c *Collector) Stop(ctx context.Context) (*capture.Recording, uint32, error) {
	rec := c.c.stop(ctx)
	if c.c.err != nil {
		return rec, c.c.dropped(), fmt.Errorf("capture: %w", c.c.err)
	}
	return rec, c.c.dropped(), nil
}

// DissectAll dissects a whole recording, owning every packet's memory,
// with what the packet details show of each stream's history (bytes in
// flight, the frame an ACK acknowledges): questions ask for that too.
func DissectAll(rec *capture.Recording) ([]dissect.Packet, error) {
	return dissect.CollectDetailed(rec.Source())
}
