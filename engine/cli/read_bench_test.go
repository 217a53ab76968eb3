package cli_test

import (
	"io"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"wiretutor/content"
	"wiretutor/engine/cli"
	"wiretutor/engine/testkit/benchdata"
	"wiretutor/engine/testkit/testenv"
)

// benchReadVsTshark times `wiretutor read -r F ARGS` and `tshark -r F
// ARGS` on the same 400,000-packet capture in one run, alternating, and
// reports how many times faster wiretutor is, in wall time and in CPU
// time (user and system, which a loaded machine disturbs less).
func benchReadVsTshark(b *testing.B, args ...string) {
	ts := testenv.Tshark(b)
	bin := binary(b)
	path := filepath.Join(b.TempDir(), "400k.pcap")
	if _, err := benchdata.Write(path, testdata("echo-lab.pcap"), 400_000); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var ours, theirs, oursCPU, theirsCPU time.Duration
	for range b.N {
		d, c := timeRunCPU(b, bin, append([]string{"read", "-r", path}, args...)...)
		ours, oursCPU = ours+d, oursCPU+c
		d, c = timeRunCPU(b, ts, append([]string{"-r", path}, args...)...)
		theirs, theirsCPU = theirs+d, theirsCPU+c
	}
	b.ReportMetric(float64(ours.Milliseconds())/float64(b.N), "wiretutor-ms")
	b.ReportMetric(float64(theirs.Milliseconds())/float64(b.N), "tshark-ms")
	b.ReportMetric(float64(theirs)/float64(ours), "x-faster")
	b.ReportMetric(float64(oursCPU.Milliseconds())/float64(b.N), "wiretutor-cpu-ms")
	b.ReportMetric(float64(theirsCPU.Milliseconds())/float64(b.N), "tshark-cpu-ms")
	b.ReportMetric(float64(theirsCPU)/float64(oursCPU), "x-less-cpu")
}

// timeRunCPU runs a command, its output discarded, and returns its wall
// time and the CPU time it used.
func timeRunCPU(b *testing.B, name string, args ...string) (wall, cpu time.Duration) {
	b.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdout = io.Discard
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s %v: %v", name, args, err)
	}
	wall = time.Since(start)
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// BenchmarkReadHexVsTshark: read -x against tshark -x, 400k packets
// (142 MB of dump).
func BenchmarkReadHexVsTshark(b *testing.B) { benchReadVsTshark(b, "-x") }

// BenchmarkReadFilterHexVsTshark: read -Y FILTER -x against tshark -Y
// FILTER -x, the filter of BenchmarkReadFilterVsTshark.
func BenchmarkReadFilterHexVsTshark(b *testing.B) {
	benchReadVsTshark(b, "-Y", "tcp.port==10000 && tcp.flags.syn==1", "-x")
}

// BenchmarkReadSummaryHexVsTshark: read -P -x against tshark -P -x.
func BenchmarkReadSummaryHexVsTshark(b *testing.B) { benchReadVsTshark(b, "-P", "-x") }

// BenchmarkReadHex400k runs `read -r F -x` in the test's process, its
// output discarded, so a profile shows where the time goes
// (-cpuprofile); the whole-command benchmarks above time the binary.
func BenchmarkReadHex400k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "400k.pcap")
	n, err := benchdata.Write(path, testdata("echo-lab.pcap"), 400_000)
	if err != nil {
		b.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"x", []string{"-x"}},
		{"Y-x", []string{"-Y", "tcp.port==10000 && tcp.flags.syn==1", "-x"}},
		{"P-x", []string{"-P", "-x"}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			for range b.N {
				if code := cli.Run(cli.Env{
					Args:   append([]string{"read", "-r", path}, tt.args...),
					Stdout: io.Discard, Stderr: io.Discard,
					Getenv:  func(string) string { return "" },
					Content: content.FS,
				}); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/packet")
		})
	}
}
