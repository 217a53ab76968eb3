package cli_test

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"wiretutor/engine/testkit/benchdata"
	"wiretutor/engine/testkit/testenv"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds wiretutor once for the whole-command benchmarks.
func binary(b *testing.B) string {
	b.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wiretutor-bench")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "wiretutor")
		out, err := exec.Command("go", "build", "-o", binPath, "../..").CombinedOutput()
		if err != nil {
			buildErr = err
			b.Logf("%s", out)
		}
	})
	if buildErr != nil {
		b.Fatal(buildErr)
	}
	return binPath
}

func timeRun(b *testing.B, name string, args ...string) time.Duration {
	d, _ := timeRunRSS(b, name, args...)
	return d
}

// timeRunRSS runs a command and returns its wall time and its peak
// resident memory in MiB.
func timeRunRSS(b *testing.B, name string, args ...string) (time.Duration, float64) {
	b.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdout = io.Discard
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s %v: %v", name, args, err)
	}
	d := time.Since(start)
	var rss float64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = float64(ru.Maxrss) / 1024 // Linux reports KiB
	}
	return d, rss
}

// BenchmarkReadFilterVsTshark is BenchmarkReadVsTshark with a display
// filter: read -Y against tshark -Y, same filter, same 400k packets.
func BenchmarkReadFilterVsTshark(b *testing.B) {
	ts := testenv.Tshark(b)
	bin := binary(b)
	path := filepath.Join(b.TempDir(), "400k.pcap")
	if _, err := benchdata.Write(path, testdata("echo-lab.pcap"), 400_000); err != nil {
		b.Fatal(err)
	}
	const y = "tcp.port==10000 && tcp.flags.syn==1"
	b.ResetTimer()
	var ours, theirs time.Duration
	for range b.N {
		ours += timeRun(b, bin, "read", "-r", path, "-Y", y)
		theirs += timeRun(b, ts, "-r", path, "-Y", y)
	}
	b.ReportMetric(float64(ours.Milliseconds())/float64(b.N), "wiretutor-ms")
	b.ReportMetric(float64(theirs.Milliseconds())/float64(b.N), "tshark-ms")
	b.ReportMetric(float64(theirs)/float64(ours), "x-faster")
}

// BenchmarkFollowVsTshark follows one 100 MB TCP stream: wiretutor
// follow --format raw against tshark -z follow,tcp,raw,0.
func BenchmarkFollowVsTshark(b *testing.B) {
	ts := testenv.Tshark(b)
	bin := binary(b)
	path := filepath.Join(b.TempDir(), "100mb.pcap")
	if _, err := benchdata.WriteStream(path, 100<<20, 16<<10); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var ours, theirs time.Duration
	var rss float64
	for range b.N {
		d, r := timeRunRSS(b, bin, "follow", "-r", path, "--stream", "0", "--format", "raw")
		ours += d
		rss = max(rss, r)
		theirs += timeRun(b, ts, "-r", path, "-q", "-z", "follow,tcp,raw,0")
	}
	b.ReportMetric(float64(ours.Milliseconds())/float64(b.N), "wiretutor-ms")
	b.ReportMetric(float64(theirs.Milliseconds())/float64(b.N), "tshark-ms")
	b.ReportMetric(float64(theirs)/float64(ours), "x-faster")
	b.ReportMetric(rss, "wiretutor-maxrss-MiB")
}

// BenchmarkReadMemory reads captures of 100k and 400k packets and
// reports wiretutor's peak memory for each: it must not grow with the
// file.
func BenchmarkReadMemory(b *testing.B) {
	bin := binary(b)
	dir := b.TempDir()
	for _, n := range []int{100_000, 400_000} {
		path := filepath.Join(dir, strconv.Itoa(n)+".pcap")
		if _, err := benchdata.Write(path, testdata("echo-lab.pcap"), n); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	var small, large float64
	for range b.N {
		_, s := timeRunRSS(b, bin, "read", "-r", filepath.Join(dir, "100000.pcap"))
		_, l := timeRunRSS(b, bin, "read", "-r", filepath.Join(dir, "400000.pcap"))
		small, large = max(small, s), max(large, l)
	}
	b.ReportMetric(small, "maxrss-100k-MiB")
	b.ReportMetric(large, "maxrss-400k-MiB")
}

// BenchmarkFlowMemory draws the ladder of a 185 MB capture (2,150,000
// packets, 215,000 streams) and reports the peak RSS: flow keeps a few
// numbers per arrow, not the packets.
func BenchmarkFlowMemory(b *testing.B) {
	bin := binary(b)
	path := filepath.Join(b.TempDir(), "2150k.pcap")
	if _, err := benchdata.Write(path, testdata("echo-lab.pcap"), 2_150_000); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var rss float64
	for range b.N {
		_, r := timeRunRSS(b, bin, "flow", "-r", path)
		rss = max(rss, r)
	}
	b.ReportMetric(rss, "maxrss-MiB")
}

// BenchmarkReadVsTshark times `wiretutor read -r F` and `tshark -r F`
// on the same 400,000-packet capture in one run, alternating, and
// reports how many times faster wiretutor is.
func BenchmarkReadVsTshark(b *testing.B) {
	ts := testenv.Tshark(b)
	bin := binary(b)
	path := filepath.Join(b.TempDir(), "400k.pcap")
	n, err := benchdata.Write(path, testdata("echo-lab.pcap"), 400_000)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var ours, theirs time.Duration
	for range b.N {
		ours += timeRun(b, bin, "read", "-r", path)
		theirs += timeRun(b, ts, "-r", path)
	}
	b.ReportMetric(float64(ours.Milliseconds())/float64(b.N), "wiretutor-ms")
	b.ReportMetric(float64(theirs.Milliseconds())/float64(b.N), "tshark-ms")
	b.ReportMetric(float64(theirs)/float64(ours), "x-faster")
	b.ReportMetric(float64(n), "packets")
}

// BenchmarkLessonNoInput times a whole `wiretutor lesson tcp-handshake
// --no-input` run: start, server, traffic, capture, text, quiz export.
func BenchmarkLessonNoInput(b *testing.B) {
	testenv.NeedCapture(b)
	bin := binary(b)
	b.ResetTimer()
	for range b.N {
		timeRun(b, bin, "lesson", "tcp-handshake", "--no-input")
	}
}

// BenchmarkLessonSandbox is BenchmarkLessonNoInput on the sandbox
// network, which needs no rights.
func BenchmarkLessonSandbox(b *testing.B) {
	bin := binary(b)
	b.ResetTimer()
	for range b.N {
		timeRun(b, bin, "lesson", "tcp-handshake", "--no-input", "--net", "sandbox")
	}
}

// BenchmarkFirstText times from starting `wiretutor lesson tcp-handshake
// --no-input` to the lesson's title on its standard output.
func BenchmarkFirstText(b *testing.B) {
	testenv.NeedCapture(b)
	bin := binary(b)
	b.ResetTimer()
	var total time.Duration
	for range b.N {
		cmd := exec.Command(bin, "lesson", "tcp-handshake", "--no-input")
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		// The lesson's title is the first text rendered from its document.
		r := bufio.NewReader(out)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				b.Fatal(err)
			}
			if strings.Contains(line, "TCP echo and the three-way handshake") {
				break
			}
		}
		total += time.Since(start)
		io.Copy(io.Discard, r)
		cmd.Wait()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-title")
}

// BenchmarkDetailsVsTshark prints the packet details of the frames a
// filter selects in the 400k-packet capture: read -V -Y against
// tshark -V -Y, same filter, side by side.
func BenchmarkDetailsVsTshark(b *testing.B) {
	benchReadVsTshark(b, "-V", "-Y", "tcp.port==10000 && tcp.flags.syn==1")
}
