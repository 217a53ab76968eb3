package chat_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/servers/chat"
)

// naiveServer is the homework's design: one goroutine per client that
// broadcasts each message by writing to every client in turn. A client
// that never reads stops the whole room once its socket buffer fills.
type naiveServer struct {
	ln      net.Listener
	mu      sync.Mutex
	clients map[net.Conn]string
}

func startNaive(b *testing.B) *naiveServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	s := &naiveServer{ln: ln, clients: map[net.Conn]string{}}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.handle(c)
		}
	}()
	return s
}

func (s *naiveServer) broadcast(m []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		c.SetWriteDeadline(time.Now().Add(5 * time.Second)) // or it would hang for ever
		c.Write(m)
	}
}

func (s *naiveServer) handle(c net.Conn) {
	c.Write([]byte("NICK"))
	buf := make([]byte, 4096)
	n, err := c.Read(buf)
	if err != nil {
		return
	}
	nick := strings.TrimSpace(string(buf[:n]))
	s.mu.Lock()
	s.clients[c] = nick
	s.mu.Unlock()
	s.broadcast([]byte(nick + " joined!\n"))
	var pending []byte
	for {
		n, err := c.Read(buf)
		if err != nil {
			break
		}
		pending = append(pending, buf[:n]...)
		for {
			i := strings.IndexByte(string(pending), '\n')
			if i < 0 {
				break
			}
			s.broadcast([]byte(nick + ": " + string(pending[:i]) + "\n"))
			pending = pending[i+1:]
		}
	}
	s.mu.Lock()
	delete(s.clients, c)
	s.mu.Unlock()
}

// load has n line clients (and one that never reads) send msgs messages
// each; it reports the messages that reached every reader and the 99th
// percentile of delivery time.
func load(b *testing.B, addr string, n, msgs int) (delivered, expected int, p99 time.Duration) {
	staller, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer staller.Close()
	io.ReadFull(staller, make([]byte, 4))
	staller.Write([]byte("staller\n"))
	(staller.(*net.TCPConn)).SetReadBuffer(4096)

	conns := make([]net.Conn, n)
	readers := make([]*bufio.Reader, n)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		io.ReadFull(c, make([]byte, 4))
		fmt.Fprintf(c, "c%d\n", i)
		conns[i], readers[i] = c, bufio.NewReader(c)
	}
	time.Sleep(200 * time.Millisecond)
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	deadline := time.Now().Add(30 * time.Second)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conns[i].SetReadDeadline(deadline)
			for got := 0; got < n*msgs; {
				line, err := readers[i].ReadString('\n')
				if err != nil {
					return
				}
				var from, k int
				var sent int64
				if _, err := fmt.Sscanf(line, "c%d: %d %d\n", &from, &k, &sent); err != nil {
					continue
				}
				got++
				mu.Lock()
				delivered++
				lat = append(lat, time.Since(time.Unix(0, sent)))
				mu.Unlock()
			}
		}()
	}
	for i := range conns {
		go func() {
			for k := 0; k < msgs; k++ {
				fmt.Fprintf(conns[i], "%d %d\n", k, time.Now().UnixNano())
			}
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	if len(lat) > 0 {
		p99 = lat[len(lat)*99/100]
	}
	return delivered, n * n * msgs, p99
}

func rssMiB() float64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.Sys) / (1 << 20)
}

// BenchmarkRoom: 1,000 clients send 10 messages each while one client
// never reads, against our server and the homework's naive design, in
// one run.
func BenchmarkRoom(b *testing.B) {
	const n, msgs = 1000, 10
	for _, impl := range []string{"wiretutor", "naive"} {
		b.Run(impl, func(b *testing.B) {
			for range b.N {
				addr := ""
				if impl == "wiretutor" {
					s := &chat.Server{Net: netenv.Kernel{}, WriteTimeout: 5 * time.Second, MaxClients: n + 1} // the clients and the staller
					if err := s.Start(context.Background()); err != nil {
						b.Fatal(err)
					}
					defer s.Close()
					addr = s.Addr().String()
				} else {
					s := startNaive(b)
					defer s.ln.Close()
					addr = s.ln.Addr().String()
				}
				start := time.Now()
				got, want, p99 := load(b, addr, n, msgs)
				b.ReportMetric(float64(got), "delivered")
				b.ReportMetric(float64(want-got), "lost")
				b.ReportMetric(float64(p99.Milliseconds()), "p99-ms")
				b.ReportMetric(time.Since(start).Seconds(), "s")
				b.ReportMetric(rssMiB(), "process-MiB")
			}
		})
	}
}

// peakMemory samples the process's heap and RSS until stop is closed and
// returns the peaks in MiB (a measurement, not an assertion).
func peakMemory(stop <-chan struct{}) (heap, rss float64) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		heap = max(heap, float64(m.HeapInuse)/(1<<20))
		rss = max(rss, procRSSMiB())
		select {
		case <-stop:
			return heap, rss
		case <-tick.C:
		}
	}
}

// procRSSMiB is VmRSS from /proc/self/status, 0 where there is none.
func procRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkStalledMemory: 250 clients that never read while one client
// floods 6,000 lines of 4,000 bytes; it reports the peak heap and RSS of
// the process (server and clients), per stalled client too.
func BenchmarkStalledMemory(b *testing.B) {
	const stalled, lines = 250, 6000
	for range b.N {
		s := &chat.Server{Net: netenv.Kernel{}, WriteTimeout: 3 * time.Second}
		if err := s.Start(context.Background()); err != nil {
			b.Fatal(err)
		}
		addr := s.Addr().String()
		join := func(nick string) net.Conn {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				b.Fatal(err)
			}
			c.(*net.TCPConn).SetReadBuffer(4096)
			io.ReadFull(c, make([]byte, 4))
			fmt.Fprintf(c, "%s\n", nick)
			return c
		}
		var conns []net.Conn
		for i := range stalled {
			conns = append(conns, join("s"+strconv.Itoa(i)))
		}
		flooder := join("flooder")
		go io.Copy(io.Discard, flooder) // the flooder reads what it is sent
		runtime.GC()
		stop := make(chan struct{})
		peak := make(chan [2]float64)
		go func() {
			h, r := peakMemory(stop)
			peak <- [2]float64{h, r}
		}()
		line := []byte(strings.Repeat("a", 4000) + "\n")
		for range lines {
			if _, err := flooder.Write(line); err != nil {
				break
			}
		}
		close(stop)
		p := <-peak
		b.ReportMetric(p[0], "peak-heap-MiB")
		b.ReportMetric(p[1], "peak-RSS-MiB")
		b.ReportMetric(p[0]*1024/stalled, "heap-KiB/stalled")
		for _, c := range conns {
			c.Close()
		}
		flooder.Close()
		s.Close()
	}
}
