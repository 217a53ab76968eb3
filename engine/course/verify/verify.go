// Package verify runs a learner's own program in one role of a
// lesson's exchange, with the lesson's side of it (the peer) beside it,
// captures every packet, and grades the program by the lesson's checks
// of that capture: learnyounode's verify, for packets.
//
// The client role starts the peer's servers, then the program, and
// waits for the program to end, or for every check to pass (the grade
// is done: a chat client that never ends is stopped then), or for the
// time limit. The server role starts the program, waits until it
// listens on the lab's port, then runs the peer's clients against it,
// and stops the program when they are done. Either way the capture ends
// once every TCP connection in it has closed and nothing waits unread.
package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
)

// DefaultLimit is how long a program may run unless Options.Limit says.
const DefaultLimit = 30 * time.Second

// exitGrace is how long a program that has passed every check may take
// to end by itself before verify stops it.
const exitGrace = time.Second

// MaxFrames is how many frames a run captures at most: a program that
// floods is stopped there.
const MaxFrames = 50000

// Options are a verify run's settings.
type Options struct {
	// Net is where the run takes place: the kernel's loopback (or the
	// private namespace's), captured live.
	Net *course.Network
	// Command is the learner's program and its arguments.
	Command []string
	// Stdin is the program's standard input (nil: none).
	Stdin io.Reader
	// Output receives each line the program writes, with its stream.
	Output func(Line)
	// Say shows a line of what the peer does.
	Say func(line string)
	// Event tells of the run's moments, for a progress line.
	Event func(Event)
	// Limit is how long the program may run (DefaultLimit when 0); for
	// the server role it bounds the wait for it to listen too.
	Limit time.Duration
	// Group runs the program in a process group of its own, so stopping
	// it stops its children too. Leave it unset when the program reads
	// the terminal: a background group may not.
	Group bool
}

// Event is a moment of a run.
type Event int

// The moments.
const (
	PeerReady Event = iota // the peer's servers listen (client role)
	Started                // the program started
	Listening              // the program listens (server role)
	PeerDone               // the peer's clients are done (server role)
	Stopping               // verify stops the program
)

// Stop says why the program ended.
type Stop int

// The reasons.
const (
	Exited       Stop = iota // it ended by itself
	GradeDone                // every check passed while it ran: verify stopped it
	PeerFinished             // the server role's peer was done: verify stopped it
	TimeLimit                // it ran past the time limit
	Flooded                  // it sent more than MaxFrames frames
	Interrupted              // the run was interrupted (Ctrl-C)
)

// Result is one check's outcome.
type Result struct {
	course.Check
	course.Finding
}

// Outcome is what a run found.
type Outcome struct {
	Recording *capture.Recording
	Packets   []dissect.Packet
	Results   []Result
	// Stop says how the program ended; Code is its exit status (-1 when
	// a signal ended it).
	Stop    Stop
	Code    int
	Dropped uint32 // frames the capture had to drop
	// Stopped is when verify stopped the program; zero when it ended by
	// itself.
	Stopped time.Time
}

// Passed reports whether every check passed.
func (o *Outcome) Passed() bool { return len(o.Results) > 0 && o.Failed() == 0 }

// Failed counts the checks that did not pass.
func (o *Outcome) Failed() int { return Failed(o.Results) }

// Failed counts the results that did not pass.
func Failed(res []Result) int {
	n := 0
	for _, r := range res {
		if !r.OK {
			n++
		}
	}
	return n
}

// Grade runs a program role's checks on a capture's packets; stopped is
// when verify stopped the program (zero: unknown, or it ended itself).
func Grade(p *course.Program, pkts []dissect.Packet, stopped time.Time) []Result {
	e := course.NewEvidence(pkts, p.Role, p.Peer.Ports, stopped)
	out := make([]Result, len(p.Checks))
	for i, c := range p.Checks {
		out[i] = Result{Check: c, Finding: c.Run(e)}
	}
	return out
}

// passes reports whether every check passes on pkts so far.
func passes(p *course.Program, pkts []dissect.Packet) bool {
	e := course.NewEvidence(pkts, p.Role, p.Peer.Ports, time.Time{})
	for _, c := range p.Checks {
		if !c.Run(e).OK {
			return false
		}
	}
	return true
}

// allClosed reports whether every TCP connection in pkts has ended: a
// reset, or a FIN each way and the ACK of the second.
func allClosed(pkts []dissect.Packet) bool {
	for _, c := range stream.TCPConns(pkts) {
		if c.RST >= 0 {
			continue
		}
		var fin [2]int // the FIN of each side, -1 none
		fin[0], fin[1] = -1, -1
		acked := false
		for _, i := range c.Frames {
			p := &pkts[i]
			side := 0
			if !c.FromClient(p) {
				side = 1
			}
			if p.TCP.Has(dissect.FlagFIN) && fin[side] < 0 {
				fin[side] = i
			}
			if o := fin[1-side]; o >= 0 && fin[side] >= 0 && o > fin[side] && p.TCP.Ack == pkts[o].TCP.NextSeq {
				acked = true // this side acknowledges the other's later FIN
			}
		}
		if fin[0] < 0 || fin[1] < 0 || !acked {
			return false
		}
	}
	return true
}

// Run runs the learner's program in role p of a lesson, with p's peer,
// and grades the capture. The error is for a run that could not happen
// (the capture, the peer or the program could not start; the server
// never listened); a program that fails its checks is an Outcome.
func Run(ctx context.Context, p *course.Program, o Options) (*Outcome, error) {
	if len(o.Command) == 0 {
		return nil, errors.New("verify: no command")
	}
	if o.Limit <= 0 {
		o.Limit = DefaultLimit
	}
	if o.Say == nil {
		o.Say = func(string) {}
	}
	if o.Event == nil {
		o.Event = func(Event) {}
	}
	if o.Output == nil {
		o.Output = func(Line) {}
	}
	src, err := o.Net.Capture(p.Peer.Ports)
	if err != nil {
		return nil, err
	}
	col, err := course.Collect(src, nil)
	if err != nil {
		src.Close()
		return nil, err
	}
	r := &run{p: p, o: o, col: col}
	defer r.cleanup()
	if p.Role == course.RoleServer {
		err = r.server(ctx)
	} else {
		err = r.client(ctx)
	}
	if err != nil {
		return nil, err
	}
	return r.finish(ctx)
}

// run is one verify run in progress.
type run struct {
	p        *course.Program
	o        Options
	col      *course.Collector
	proc     *process
	peerStop context.CancelFunc
	peerDone chan struct{}
	peerErr  error
	env      []string // what the peer adds to the program's environment
	stop     Stop
	stopped  time.Time
	done     bool // the capture is stopped
}

// cleanup stops whatever still runs: the program, the peer, the capture.
func (r *run) cleanup() {
	if r.proc != nil {
		r.proc.stop()
	}
	if r.peerStop != nil {
		r.peerStop()
		<-r.peerDone
	}
	if !r.done {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r.col.Stop(ctx)
	}
}

// startPeer runs the peer and waits until it is ready (or has failed).
func (r *run) startPeer(ctx context.Context) error {
	pctx, stop := context.WithCancel(ctx)
	r.peerStop, r.peerDone = stop, make(chan struct{})
	ready := make(chan struct{})
	var once sync.Once
	go func() {
		defer close(r.peerDone)
		r.peerErr = r.p.Peer.Run(pctx, r.o.Net.Net, func(env ...string) {
			once.Do(func() { r.env = env; close(ready) })
		}, r.o.Say)
	}()
	select {
	case <-ready:
		return nil
	case <-r.peerDone:
		select {
		case <-ready:
			return nil // ready, and done already (a quick client)
		default:
		}
		if r.peerErr == nil {
			r.peerErr = errors.New("the peer ended before it was ready")
		}
		return r.peerErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *run) startProgram() error {
	var proc *process
	start := func() (err error) {
		proc, err = startProcess(r.o.Command, r.env, r.o.Stdin, r.o.Output, r.o.Group)
		return err
	}
	// On a host of a namespace pair the program starts in its namespace:
	// a process forked from a thread there lives there.
	var err error
	if h, ok := r.o.Net.Net.(interface{ Do(func() error) error }); ok {
		err = h.Do(start)
	} else {
		err = start()
	}
	if err != nil {
		return err
	}
	r.proc = proc
	r.o.Event(Started)
	return nil
}

// client runs the client role: the peer's servers, then the program
// until it ends, passes, floods or runs out of time.
func (r *run) client(ctx context.Context) error {
	if err := r.startPeer(ctx); err != nil {
		return err
	}
	r.o.Event(PeerReady)
	r.col.SetComplete(func(pkts []dissect.Packet) bool {
		// Every check on every frame is quadratic: past a few thousand
		// frames look at every hundredth.
		if n := len(pkts); n > 2000 && n%100 != 0 {
			return false
		}
		return passes(r.p, pkts)
	})
	if err := r.startProgram(); err != nil {
		return err
	}
	limit := time.NewTimer(r.o.Limit)
	defer limit.Stop()
	for {
		select {
		case <-r.proc.done:
			r.stop = Exited
			return nil
		case <-r.col.Progress():
			switch {
			case r.col.Len() >= MaxFrames:
				r.halt(Flooded)
				return nil
			case r.col.Complete():
				r.settle(ctx, GradeDone)
				return ctx.Err()
			}
		case <-limit.C:
			r.halt(TimeLimit)
			return nil
		case <-ctx.Done():
			r.halt(Interrupted)
			return ctx.Err()
		}
	}
}

// server runs the server role: the program, the wait for it to listen,
// then the peer's clients.
func (r *run) server(ctx context.Context) error {
	if err := r.startProgram(); err != nil {
		return err
	}
	deadline := time.Now().Add(r.o.Limit)
	if err := waitListen(ctx, r.o.Net.Net, r.p.Peer.Listen, r.proc, deadline); err != nil {
		r.halt(Interrupted)
		return err
	}
	r.o.Event(Listening)
	if err := r.startPeer(ctx); err != nil {
		return err
	}
	limit := time.NewTimer(time.Until(deadline))
	defer limit.Stop()
	exited := false
	for {
		select {
		case <-r.peerDone:
			r.o.Event(PeerDone)
			if exited {
				r.stop = Exited
			} else {
				r.halt(PeerFinished)
			}
			return nil
		case <-r.proc.doneOrNil(exited):
			exited = true // the peer's clients find out on their own
		case <-r.col.Progress():
			if r.col.Len() >= MaxFrames {
				r.halt(Flooded)
				return nil
			}
		case <-limit.C:
			r.halt(TimeLimit)
			return nil
		case <-ctx.Done():
			r.halt(Interrupted)
			return ctx.Err()
		}
	}
}

// settle gives a program that has passed every check a moment to end
// by itself (it is closing, most likely), then stops it for reason why.
func (r *run) settle(ctx context.Context, why Stop) {
	t := time.NewTimer(exitGrace)
	defer t.Stop()
	for {
		select {
		case <-r.proc.done:
			r.stop = Exited
		case <-r.col.Progress():
			if r.col.Len() < MaxFrames {
				continue
			}
			r.halt(Flooded)
		case <-t.C:
			r.halt(why)
		case <-ctx.Done():
			r.halt(Interrupted)
		}
		return
	}
}

// halt stops the program, if it still runs, for reason why.
func (r *run) halt(why Stop) {
	r.stop = why
	select {
	case <-r.proc.done:
		return // it had ended already
	default:
	}
	r.o.Event(Stopping)
	r.stopped = time.Now()
	r.proc.stop()
}

// finish stops the peer and the capture and grades it.
func (r *run) finish(ctx context.Context) (*Outcome, error) {
	r.proc.stop()
	<-r.proc.done
	r.peerStop()
	<-r.peerDone
	r.col.SetComplete(allClosed)
	rec, dropped, err := r.col.Stop(ctx)
	r.done = true
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pkts, err := course.DissectAll(rec)
	if err != nil {
		return nil, fmt.Errorf("dissect the capture: %w", err)
	}
	out := &Outcome{Recording: rec, Packets: pkts, Stop: r.stop, Code: r.proc.code(), Dropped: dropped, Stopped: r.stopped}
	out.Results = Grade(r.p, pkts, r.stopped)
	return out, nil
}
