package chat_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/servers/chat"
)

// partitions calls f with every way of cutting b into non-empty pieces,
// in order: 2^(len(b)-1) of them.
func partitions(b []byte, f func(pieces [][]byte)) {
	n := len(b)
	if n == 0 {
		f(nil)
		return
	}
	for mask := 0; mask < 1<<(n-1); mask++ {
		var pieces [][]byte
		start := 0
		for i := 1; i < n; i++ {
			if mask&(1<<(i-1)) != 0 {
				pieces = append(pieces, b[start:i])
				start = i
			}
		}
		f(append(pieces, b[start:]))
	}
}

type piece struct {
	text string
	cut  bool
}

// TestSplitterEverySplit: the long-line rule gives the same lines for
// every way the stream is split into reads.
func TestSplitterEverySplit(t *testing.T) {
	tests := []struct {
		in      string
		want    []piece
		pending string
	}{
		{"abcd\n", []piece{{"abcd", false}}, ""},
		{"abcde\n", []piece{{"abcd", true}}, ""},
		{"abcd\r\n", []piece{{"abcd", false}}, ""},
		{"abcde\r\n", []piece{{"abcd", true}}, ""},
		{"ab\r\r\n", []piece{{"ab\r", false}}, ""},
		{"abcdefghij\nxy\n", []piece{{"abcd", true}, {"xy", false}}, ""},
		{"\n\nab\n", []piece{{"", false}, {"", false}, {"ab", false}}, ""},
		{"a\xc3\xa9\xc3\xa9\n", []piece{{"a\xc3\xa9", true}}, ""}, // "aéé": a cut never splits é
		{"\xe5\xb0\x8f\xe6\x98\x8e\n", []piece{{"\xe5\xb0\x8f", true}}, ""},
		{"\x80\x80\x80\x80\x80\n", []piece{{"\x80\x80\x80\x80", true}}, ""},
		{"abcdefgh", []piece{{"abcd", true}}, ""},
		{"abcde", nil, "abcde"}, // a "\r\n" may still come
		{"ab", nil, "ab"},
		{"abcdefghijklm\nz", []piece{{"abcd", true}}, "z"},
	}
	for _, tt := range tests {
		count := 0
		partitions([]byte(tt.in), func(pieces [][]byte) {
			count++
			sp := chat.Splitter{Max: 4}
			var got []piece
			for _, p := range pieces {
				sp.Feed(p, func(text []byte, cut bool) { got = append(got, piece{string(text), cut}) })
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || string(sp.Pending()) != tt.pending {
				t.Fatalf("%q split as %q: lines %+v, pending %q; want %+v, %q", tt.in, pieces, got, sp.Pending(), tt.want, tt.pending)
			}
		})
		if count != 1<<(len(tt.in)-1) {
			t.Fatalf("%q: %d partitions", tt.in, count)
		}
	}
}

// pipeMember joins a server on chat.Pipes as a line client.
func pipeMember(t *testing.T, p *chat.Pipes, nick string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c := p.Dial()
	t.Cleanup(func() { c.Close() })
	if _, err := io.ReadFull(c, make([]byte, 4)); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "%s\n", nick)
	r := bufio.NewReader(c)
	expectLine(t, r, nick+" joined!")
	expectLine(t, r, "Connected to server!")
	return c, r
}

// TestServerLongLineEverySplit: whatever reads the server gets an
// over-long line in (net.Pipe hands it each write as a read of its
// own), the room sees the same cut line and nothing of its rest.
func TestServerLongLineEverySplit(t *testing.T) {
	p := &chat.Pipes{}
	s := &chat.Server{Net: p}
	chat.SetMaxLine(s, 8)
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, rr := pipeMember(t, p, "r")
	w, rw := pipeMember(t, p, "w")
	expectLine(t, rr, "w joined!")
	go io.Copy(io.Discard, rw) // w hears itself too
	in := []byte("0123456789\r\nok\n")
	partitions(in, func(pieces [][]byte) {
		for _, piece := range pieces {
			if _, err := w.Write(piece); err != nil {
				t.Fatal(err)
			}
		}
		expectLine(t, rr, "w: 01234567"+chat.CutMarker)
		expectLine(t, rr, "w: ok")
	})
}

// TestFlood: one member writes thousands of short lines in one go; every
// reader that reads gets every line, nobody is cut off, and the flooder
// is still there at the end.
func TestFlood(t *testing.T) {
	for _, lines := range []int{5000, 50000} {
		t.Run(fmt.Sprint(lines), func(t *testing.T) {
			s := &chat.Server{Net: netenv.Kernel{}, WriteTimeout: time.Minute}
			if err := s.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			const readers = 10
			var rs []*bufio.Reader
			for i := range readers {
				_, r := lineClient(t, s, fmt.Sprint("r", i))
				rs = append(rs, r)
			}
			flood, rf := lineClient(t, s, "flood")
			go func() {
				flood.Write([]byte(strings.Repeat("a\n", lines) + "end\n"))
			}()
			rs = append(rs, rf)
			var wg sync.WaitGroup
			for i, r := range rs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got := 0
					for {
						line, err := r.ReadString('\n')
						switch {
						case err != nil:
							t.Errorf("reader %d after %d lines: %v", i, got, err)
							return
						case line == "flood: a\n":
							got++
						case line == "flood: end\n":
							if got != lines {
								t.Errorf("reader %d got %d lines of %d", i, got, lines)
							}
							return
						case strings.Contains(line, "disconnected") || strings.Contains(line, "left!"):
							t.Errorf("reader %d: %q", i, line)
						}
					}
				}()
			}
			wg.Wait()
		})
	}
}

// TestFloodWithStaller: with a member that never reads, a flood cuts
// that member off, announced as disconnected, and the readers still get
// every line.
func TestFloodWithStaller(t *testing.T) {
	s := &chat.Server{Net: netenv.Kernel{}, WriteTimeout: 2 * time.Second}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	staller, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer staller.Close()
	staller.(*net.TCPConn).SetReadBuffer(4096)
	io.ReadFull(staller, make([]byte, 4))
	staller.Write([]byte("staller\n")) // and never reads again

	const readers, lines = 4, 3000
	long := strings.Repeat("a", 4000)
	var rs []*bufio.Reader
	for i := range readers {
		_, r := lineClient(t, s, fmt.Sprint("r", i))
		rs = append(rs, r)
	}
	flood, rf := lineClient(t, s, "flood")
	rs = append(rs, rf)
	go func() {
		for range lines {
			if _, err := fmt.Fprintf(flood, "%s\n", long); err != nil {
				return
			}
		}
		fmt.Fprintf(flood, "end\n")
	}()
	var wg sync.WaitGroup
	for i, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, cut := 0, false
			for {
				line, err := r.ReadString('\n')
				switch {
				case err != nil:
					t.Errorf("reader %d after %d lines: %v", i, got, err)
					return
				case line == "flood: "+long+"\n":
					got++
				case line == "staller was disconnected: not reading.\n":
					cut = true
				case line == "flood: end\n":
					if got != lines || !cut {
						t.Errorf("reader %d got %d lines of %d; staller cut off: %v", i, got, lines, cut)
					}
					return
				case strings.Contains(line, "disconnected") || strings.Contains(line, "left!"):
					t.Errorf("reader %d: %q", i, line)
				}
			}
		}()
	}
	wg.Wait()
}

// TestStalledMemory: 100 members that never read, and one that floods
// until the server stops reading from it; what the server holds stays
// under 256 KB a member.
func TestStalledMemory(t *testing.T) {
	const stalled, budget = 100, 256 << 10
	p := &chat.Pipes{}
	joined := make(chan struct{}, stalled+1)
	s := &chat.Server{Net: p, WriteTimeout: time.Hour, OnEvent: func(e chat.Event) {
		if e.Kind == chat.Joined {
			joined <- struct{}{}
		}
	}}
	waiting := make(chan struct{}, 1)
	chat.OnWaiting(s, func(string) {
		select {
		case waiting <- struct{}{}:
		default:
		}
	})
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc + m.StackInuse
	}
	before := heap()
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	flood, rf := pipeMember(t, p, "flood")
	go io.Copy(io.Discard, rf)
	for i := range stalled {
		c := p.Dial()
		defer c.Close()
		io.ReadFull(c, make([]byte, 4))
		fmt.Fprintf(c, "s%d\n", i) // and never reads again
	}
	for range stalled + 1 {
		<-joined
	}
	go func() {
		line := []byte(strings.Repeat("a", 4000) + "\n")
		for {
			if _, err := flood.Write(line); err != nil {
				return
			}
		}
	}()
	<-waiting // the flooder waits: the server no longer reads from it
	after := heap()
	per := (int64(after) - int64(before)) / (stalled + 1)
	t.Logf("%d stalled members and a flooder: %d KiB held, %d KiB a member", stalled, (int64(after)-int64(before))>>10, per>>10)
	if per > budget {
		t.Errorf("%d bytes a member, more than %d", per, budget)
	}
}

// TestMaxClients: one client more than MaxClients is told so and
// closed; once a member leaves, there is room again.
func TestMaxClients(t *testing.T) {
	full := make(chan chat.Event, 1)
	s := &chat.Server{Net: netenv.Kernel{}, MaxClients: 3, OnEvent: func(e chat.Event) {
		if e.Kind == chat.Full {
			full <- e
		}
	}}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, _ := lineClient(t, s, "a")
	_, rb := lineClient(t, s, "b")
	lineClient(t, s, "c")
	extra, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer extra.Close()
	if got, err := io.ReadAll(extra); string(got) != chat.ServerFull+"\n" || err != nil {
		t.Fatalf("the fourth client got %q, %v", got, err)
	}
	if e := <-full; e.Remote == nil || e.Text != chat.ServerFull {
		t.Errorf("event %+v", e)
	}
	expectLine(t, rb, "c joined!")
	a.Close()
	expectLine(t, rb, "a left!")
	lineClient(t, s, "d")
	expectLine(t, rb, "d joined!")
}
