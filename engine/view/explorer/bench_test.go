package explorer_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"wiretutor/engine/testkit/benchdata"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/view/explorer"
)

// BenchmarkExplorer500k times what wiretutor view does with a capture of
// half a million packets, beside tshark reading the same file: the first
// screen (the first rows listed and frame 1's tree dissected), the whole
// index, the tree of the last frame, a step back up the list from there,
// and the memory the index keeps against tshark's peak.
func BenchmarkExplorer500k(b *testing.B) {
	ts := testenv.Tshark(b)
	path := filepath.Join(b.TempDir(), "500k.pcap")
	n, err := benchdata.Write(path, testenv.Testdata("echo-lab.pcap"), 500_000)
	if err != nil {
		b.Fatal(err)
	}
	var first, whole, last, back, tshark time.Duration
	var heap, rss int64
	for range b.N {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		x, err := explorer.Open(explorer.File(path))
		if err != nil {
			b.Fatal(err)
		}
		c, err := explorer.NewCursor(explorer.File(path))
		if err != nil {
			b.Fatal(err)
		}
		for done, _ := x.Done(); x.Count() < 60 && !done; done, _ = x.Done() {
			<-x.Changed()
		}
		if _, err := c.Tree(context.Background(), 1, time.Time{}, false); err != nil {
			b.Fatal(err)
		}
		first += time.Since(start)
		for done, _ := x.Done(); !done; done, _ = x.Done() {
			<-x.Changed()
		}
		whole += time.Since(start)
		if x.Count() != n {
			b.Fatalf("%d frames indexed of %d", x.Count(), n)
		}
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		heap += int64(after.HeapAlloc) - int64(before.HeapAlloc)
		start = time.Now()
		if _, err := c.Tree(context.Background(), n, time.Time{}, false); err != nil {
			b.Fatal(err)
		}
		last += time.Since(start)
		start = time.Now()
		for k := 1; k <= 100; k++ { // a hundred steps back up the list
			if _, err := c.Tree(context.Background(), n-k, time.Time{}, false); err != nil {
				b.Fatal(err)
			}
		}
		back += time.Since(start)
		runtime.KeepAlive(x)
		x.Close()
		c.Close()

		start = time.Now()
		cmd := exec.Command(ts, "-r", path)
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		tshark += time.Since(start)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss += ru.Maxrss * 1024
		}
	}
	per := func(d time.Duration) float64 { return float64(d.Milliseconds()) / float64(b.N) }
	b.ReportMetric(per(first), "first-screen-ms")
	b.ReportMetric(per(whole), "index-ms")
	b.ReportMetric(per(last), "last-tree-ms")
	b.ReportMetric(per(back)/100, "step-back-ms")
	b.ReportMetric(per(tshark), "tshark-r-ms")
	b.ReportMetric(float64(heap)/float64(b.N)/(1<<20), "index-MiB")
	b.ReportMetric(float64(rss)/float64(b.N)/(1<<20), "tshark-peak-MiB")
	b.ReportMetric(0, "ns/op")
}
