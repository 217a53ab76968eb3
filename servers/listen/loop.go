package listen

import (
	"errors"
	"net"
	"sync"
	"time"
)

// Loop is the accept loop the course's TCP servers share: it accepts
// connections until it is stopped and serves each in a goroutine of its
// own, keeping track of them so that Close ends them all and waits for
// every goroutine it started. Set the fields, then Serve.
type Loop struct {
	// Handle serves one connection. The loop closes the connection once
	// Handle returns, and also when the loop is stopped (unless the
	// connection was released).
	Handle func(net.Conn)
	// Max, when positive, caps the connections served at once; released
	// ones do not count. A connection beyond the cap goes to Refuse
	// instead, closed once Refuse returns (at once when Refuse is nil).
	Max    int
	Refuse func(net.Conn)

	ln    net.Listener
	mu    sync.Mutex
	conns map[net.Conn]struct{} // served and not released
	wg    sync.WaitGroup
	done  chan struct{}
	once  sync.Once
}

// Backoff bounds: a failed Accept is tried again after minBackoff,
// doubling up to maxBackoff while Accept keeps failing.
const (
	minBackoff = 5 * time.Millisecond
	maxBackoff = time.Second
)

// Serve starts accepting on ln in the background. Call it once.
func (l *Loop) Serve(ln net.Listener) {
	l.ln = ln
	l.conns = map[net.Conn]struct{}{}
	l.done = make(chan struct{})
	l.wg.Add(1)
	go l.accept()
}

// accept is the loop. It ends when the loop is stopped, or when the
// listener was closed by someone else (net.ErrClosed): no Accept can
// succeed again. Any other error (out of file descriptors, a connection
// reset before it was taken) is waited out, longer each time it comes
// again.
func (l *Loop) accept() {
	defer l.wg.Done()
	var delay time.Duration
	for {
		c, err := l.ln.Accept()
		if err != nil {
			if l.stopped() || errors.Is(err, net.ErrClosed) {
				return
			}
			delay = min(max(2*delay, minBackoff), maxBackoff)
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-l.done:
				t.Stop()
				return
			}
			continue
		}
		delay = 0
		l.mu.Lock()
		switch {
		case l.stopped():
			l.mu.Unlock()
			c.Close()
			return
		case l.Max > 0 && len(l.conns) >= l.Max:
			l.mu.Unlock()
			l.Go(func() {
				defer c.Close()
				if l.Refuse != nil {
					l.Refuse(c)
				}
			})
			continue
		}
		l.conns[c] = struct{}{}
		l.mu.Unlock()
		l.Go(func() {
			defer func() {
				l.Release(c)
				c.Close()
			}()
			l.Handle(c)
		})
	}
}

// Go runs f in a goroutine of its own that Wait and Close wait for. Call
// it from a goroutine of the loop (a handler), or before Close.
func (l *Loop) Go(f func()) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		f()
	}()
}

// Release stops tracking c: it no longer counts against Max, and
// stopping the loop leaves it open for its handler to finish with.
func (l *Loop) Release(c net.Conn) {
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
}

// Done is closed once the loop is stopped.
func (l *Loop) Done() <-chan struct{} { return l.done }

func (l *Loop) stopped() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

// Stop stops accepting and closes every connection being served (but
// the released ones); it does not wait. Stopping again does nothing.
func (l *Loop) Stop() {
	l.once.Do(func() {
		l.mu.Lock()
		close(l.done)
		for c := range l.conns {
			c.Close()
		}
		l.mu.Unlock()
		l.ln.Close()
	})
}

// Wait waits for the accept loop and every goroutine it started
// (handlers, refusals, and those of Go) to end.
func (l *Loop) Wait() { l.wg.Wait() }

// Close stops the loop and waits for it.
func (l *Loop) Close() error {
	l.Stop()
	l.Wait()
	return nil
}
