package netenv

import (
	"bytes"
	cryptorand "crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"math/rand"
	randv2 "math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
)

// A seeded sandbox (--seed N) makes the same capture on every run: the
// same ephemeral ports, initial sequence numbers, TCP timestamps and
// frame times. The stack's random numbers come from the seed, and its
// clock is an event clock: it stands still while packets flow and moves
// on only when one of the stack's own timers fires (a retransmission,
// TIME_WAIT), by exactly that timer's duration. A capture's times are
// that clock's, each frame a fixed step after the one before, so a
// retransmission one RTO after its original shows exactly one RTO
// later; waits of the programs themselves (a read deadline) do not show.

// seedEpoch is when a seeded sandbox's clock starts: a fixed date, the
// same on every run and every machine.
var seedEpoch = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

// seedFrameStep is the time a seeded capture puts between frames that
// follow each other without a timer between them.
const seedFrameStep = 10 * time.Microsecond

// seedStart is the event clock's monotonic reading at the start: not
// zero, which some code could take for "never".
const seedStart = time.Hour

// seedBytes derives the stack's random bytes from the seed, through a
// hash, so that seeds 1 and 2 give unrelated numbers.
// stream names one of the seed's streams, so that each is apart.
func seedBytes(seed uint64, stream string) [32]byte {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	return sha256.Sum256(append([]byte("wiretutor sandbox seed: "+stream+": "), b[:]...))
}

// seededRNG is a deterministic io.Reader for the stack's SecureRNG and
// a thread-safe math/rand Source for its RandSource.
type seededRNG struct {
	mu sync.Mutex
	c  *randv2.ChaCha8
}

func newSeededRNG(seed uint64, stream string) *seededRNG {
	return &seededRNG{c: randv2.NewChaCha8(seedBytes(seed, stream))}
}

// Read fills p from the seed's stream; it never fails.
func (r *seededRNG) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.c.Read(p)
}

// Int63 is a math/rand Source's number.
func (r *seededRNG) Int63() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return int64(r.c.Uint64() >> 1)
}

// Seed is part of math/rand's Source; a seeded sandbox's stream cannot
// be reseeded.
func (r *seededRNG) Seed(int64) {}

var _ rand.Source = (*seededRNG)(nil)

// eventClock is a tcpip.Clock whose time moves only when a timer made
// through it fires and its callback looks at the time: the clock then
// stands at that timer's target, the time it was set plus its duration.
// A callback that does not look (gVisor's TCP timers, when they were
// disabled after they were set, return at once) leaves the clock where
// it is, so that timers which no longer matter, firing while a program
// waits, change nothing. Timers wait in real time.
type eventClock struct {
	real tcpip.Clock
	mu   sync.Mutex
	now  time.Duration // since seedEpoch
	// firing holds, by goroutine, the target of the timer whose callback
	// that goroutine runs.
	firing map[uint64]time.Duration
}

func newEventClock() *eventClock {
	return &eventClock{real: tcpip.NewStdClock(), firing: map[uint64]time.Duration{}}
}

// elapsed is the clock's time; a timer's callback that asks moves it on
// to the timer's target first.
func (c *eventClock) elapsed() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.firing) > 0 {
		if t, ok := c.firing[goroutineID()]; ok {
			c.now = max(c.now, t)
		}
	}
	return c.now
}

// fire runs a timer's callback f as the timer of target.
func (c *eventClock) fire(target time.Duration, f func()) {
	id := goroutineID()
	c.mu.Lock()
	c.firing[id] = target
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.firing, id)
		c.mu.Unlock()
	}()
	f()
}

// goroutineID is the number the runtime gives the calling goroutine, as
// its stack trace's first line says ("goroutine 18 [running]:").
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	n, _ := strconv.ParseUint(string(b), 10, 64)
	return n
}

// Now is the wall time: the fixed epoch plus the clock's time.
func (c *eventClock) Now() time.Time { return seedEpoch.Add(c.elapsed()) }

// NowMonotonic is the clock's time for the stack.
func (c *eventClock) NowMonotonic() tcpip.MonotonicTime {
	return tcpip.MonotonicTime{}.Add(seedStart + c.elapsed())
}

// AfterFunc waits d in real time, moves the clock on to when it was set
// plus d, and calls f.
func (c *eventClock) AfterFunc(d time.Duration, f func()) tcpip.Timer {
	t := &eventTimer{c: c, target: c.elapsed() + d}
	t.t = c.real.AfterFunc(d, func() {
		t.mu.Lock()
		target := t.target
		t.mu.Unlock()
		c.fire(target, f)
	})
	return t
}

// eventTimer is a timer of an eventClock.
type eventTimer struct {
	c      *eventClock
	t      tcpip.Timer
	mu     sync.Mutex
	target time.Duration
}

// Stop stops the timer, as tcpip.Timer's Stop does.
func (t *eventTimer) Stop() bool { return t.t.Stop() }

// Reset sets the timer to fire d from the clock's time now.
func (t *eventTimer) Reset(d time.Duration) {
	t.mu.Lock()
	t.target = t.c.elapsed() + d
	t.mu.Unlock()
	t.t.Reset(d)
}

// frameTime is when a seeded capture says frame n (from 1) crossed the
// link: the clock's time, plus a step per frame so that the frames stay
// in order.
func (c *eventClock) frameTime(n int) time.Time {
	return c.Now().Add(time.Duration(n) * seedFrameStep)
}

// Seeded reports whether the sandbox's numbers come from a seed.
func (sb *Sandbox) Seeded() bool { return sb.clock != nil }

// Now is the sandbox's time: a seeded sandbox's own clock (see
// eventClock), else the system's. Programs that put the time on the
// wire (an HTTP Date header) take it from here.
func (sb *Sandbox) Now() time.Time {
	if sb.clock != nil {
		return sb.clock.Now()
	}
	return time.Now()
}

// Rand is where programs on the sandbox take random bytes that reach
// the wire (a token): a stream of the seed's, apart from the stack's
// own so that a program's reads do not move the stack's numbers, else
// crypto/rand.
func (sb *Sandbox) Rand() io.Reader {
	if sb.rand != nil {
		return sb.rand
	}
	return cryptorand.Reader
}

// Rand is where programs on n take random bytes that reach the wire:
// n's own seeded stream where it has one, else crypto/rand.
func Rand(n Net) io.Reader {
	if sb, ok := n.(*Sandbox); ok {
		return sb.Rand()
	}
	return cryptorand.Reader
}
