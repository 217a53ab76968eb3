package cli_test

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"wiretutor/engine/benchdata"
	"wiretutor/engine/testenv"
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
	b.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdout = io.Discard
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s %v: %v", name, args, err)
	}
	return time.Since(start)
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
