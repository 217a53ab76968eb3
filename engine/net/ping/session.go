package ping

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"math"
	"net"
	"os"
	"time"
)

// Conn is what a session needs from an ICMP echo socket: a raw socket,
// Linux's unprivileged ping socket or the sandbox's, all of which read
// and write ICMP messages without the IP header.
type Conn interface {
	WriteTo(b []byte, addr net.Addr) (int, error)
	// ReadTTL reads one ICMP message and the TTL of the IP packet that
	// carried it (-1 when the socket cannot tell).
	ReadTTL(b []byte) (n int, from net.Addr, ttl int, err error)
	SetReadDeadline(t time.Time) error
}

// Options are ping's flags.
type Options struct {
	Count    int           // stop after this many requests; 0 means until ctx ends
	Interval time.Duration // between requests
	Size     int           // data bytes after the 8-byte header
	Wait     time.Duration // how long to wait for the last reply
	Ident    uint16        // identifier (a ping socket replaces it)
}

// Reply is one echo reply matched to its request.
type Reply struct {
	From  net.Addr
	Bytes int // ICMP bytes, header included, as ping prints
	Seq   uint16
	TTL   int
	RTT   time.Duration
	Dup   bool
}

// Stats sums up a session as ping's closing lines do.
type Stats struct {
	Sent, Received, Dups int
	Elapsed              time.Duration
	Min, Avg, Max, Mdev  time.Duration
	sum, sum2            float64
}

// Loss returns the share of requests without a reply, in percent.
func (s *Stats) Loss() int {
	if s.Sent == 0 {
		return 0
	}
	return (s.Sent - s.Received) * 100 / s.Sent
}

func (s *Stats) add(rtt time.Duration) {
	if s.Received == 0 || rtt < s.Min {
		s.Min = rtt
	}
	if rtt > s.Max {
		s.Max = rtt
	}
	s.Received++
	f := float64(rtt)
	s.sum += f
	s.sum2 += f * f
	avg := s.sum / float64(s.Received)
	s.Avg = time.Duration(avg)
	s.Mdev = time.Duration(math.Sqrt(math.Max(0, s.sum2/float64(s.Received)-avg*avg)))
}

// cookieLen is the session's random tag at the start of every request's
// data: replies are matched on it and the sequence number, which survive
// a ping socket rewriting the identifier.
const cookieLen = 8

// Run pings dst over c until Count requests are answered or timed out,
// or ctx ends (Ctrl-C), calling onReply for each reply as it comes. It
// returns the statistics so far even when ctx ends.
func Run(ctx context.Context, c Conn, dst net.Addr, opt Options, onReply func(Reply)) (Stats, error) {
	if opt.Interval <= 0 {
		opt.Interval = time.Second
	}
	if opt.Wait <= 0 {
		opt.Wait = 10 * time.Second
	}
	data := make([]byte, max(opt.Size, 0))
	for i := range data {
		data[i] = byte(i)
	}
	// The tag is the data's first bytes, random: all of them when the
	// data is shorter than cookieLen.
	tag := data[:min(len(data), cookieLen)]
	rand.Read(tag)

	type result struct {
		r   Reply
		at  time.Time
		err error
	}
	sentAt := make(map[uint16]time.Time)
	seen := make(map[uint16]bool)
	results := make(chan result, 16)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		buf := make([]byte, 65536)
		for {
			// A short deadline lets the reader notice the session ended
			// even when the caller keeps the socket open.
			_ = c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
			n, from, ttl, err := c.ReadTTL(buf)
			now := time.Now()
			if err != nil {
				if errors.Is(err, os.ErrDeadlineExceeded) {
					select {
					case <-stop:
						return
					default:
						continue
					}
				}
				select {
				case results <- result{err: err}:
				case <-stop:
				}
				return
			}
			m, err := Parse(buf[:n])
			if err != nil || m.Type != TypeEchoReply || !bytes.HasPrefix(m.Data, tag) {
				continue
			}
			select {
			case results <- result{r: Reply{From: from, Bytes: n, Seq: m.Seq, TTL: ttl}, at: now}:
			case <-stop:
				return
			}
		}
	}()

	var st Stats
	start := time.Now()
	tick := time.NewTimer(0)
	defer tick.Stop()
	var deadline <-chan time.Time
	var seq uint16
	pkt := make([]byte, 0, HeaderLen+len(data))
	for {
		select {
		case <-ctx.Done():
			st.Elapsed = time.Since(start)
			return st, nil
		case <-deadline:
			st.Elapsed = time.Since(start)
			return st, nil
		case <-tick.C:
			seq++
			m := Message{Type: TypeEchoRequest, Ident: opt.Ident, Seq: seq, Data: data}
			pkt = m.Marshal(pkt[:0])
			sentAt[seq] = time.Now()
			if _, err := c.WriteTo(pkt, dst); err != nil {
				st.Elapsed = time.Since(start)
				return st, err
			}
			st.Sent++
			if opt.Count > 0 && st.Sent >= opt.Count {
				deadline = time.After(opt.Wait)
			} else {
				tick.Reset(opt.Interval)
			}
		case res := <-results:
			if res.err != nil {
				st.Elapsed = time.Since(start)
				return st, res.err
			}
			r := res.r
			t0, ok := sentAt[r.Seq]
			if !ok {
				continue
			}
			r.RTT = res.at.Sub(t0)
			if seen[r.Seq] {
				r.Dup = true
				st.Dups++
			} else {
				seen[r.Seq] = true
				st.add(r.RTT)
			}
			if onReply != nil {
				onReply(r)
			}
			if opt.Count > 0 && st.Received >= opt.Count {
				st.Elapsed = time.Since(start)
				return st, nil
			}
		}
	}
}
