// Package testenv tells tests what this machine allows: live capture,
// tshark. A test that needs what is missing skips with the reason,
// unless WIRETUTOR_REQUIRE_KERNEL=1 (set by CI) turns the skip into a
// failure, so capture tests cannot quietly stop running.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
)

// RequireKernelVar is the variable that forbids skipping capture tests.
const RequireKernelVar = "WIRETUTOR_REQUIRE_KERNEL"

// NeedCapture skips (or, under RequireKernelVar, fails) a test when this
// process may not capture live on the loopback.
func NeedCapture(t testing.TB) {
	t.Helper()
	if err := capture.CanCapture(); err != nil {
		missing(t, "live capture: "+err.Error())
	}
}

// Tshark returns the path of tshark, skipping (or failing under
// RequireKernelVar, since CI installs it) when it is not installed.
func Tshark(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("tshark")
	if err != nil {
		missing(t, "tshark is not installed")
	}
	return p
}

// Python3 returns the path of python3, which runs the labs' own clients,
// skipping (or failing under RequireKernelVar, since CI installs it) when
// it is not installed.
func Python3(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		missing(t, "python3 is not installed")
	}
	return p
}

func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv(RequireKernelVar) == "1" {
		t.Fatalf("%s, and %s=1 forbids skipping", why, RequireKernelVar)
	}
	t.Skip(why)
}

// Testdata is the path of a file under the repository's testdata.
func Testdata(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", name)
}

// Recording reads a committed capture whole.
func Recording(t testing.TB, name string) *capture.Recording {
	t.Helper()
	return RecordingAt(t, Testdata(name))
}

// RecordingAt reads the capture file at path whole: one a test wrote.
func RecordingAt(t testing.TB, path string) *capture.Recording {
	t.Helper()
	f, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec, err := capture.ReadAll(f, f.Precision())
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// Packets dissects a committed capture; every packet owns its memory.
func Packets(t testing.TB, name string) []dissect.Packet {
	t.Helper()
	return PacketsAt(t, Testdata(name))
}

// PacketsAt dissects the capture file at path, as Packets does.
func PacketsAt(t testing.TB, path string) []dissect.Packet {
	t.Helper()
	pkts, err := dissect.Collect(RecordingAt(t, path).Source())
	if err != nil {
		t.Fatal(err)
	}
	return pkts
}

// Stdin returns a file that holds input, open for reading, to stand for
// standard input (a file, not a terminal); it is closed when the test
// ends.
func Stdin(t testing.TB, input string) *os.File {
	t.Helper()
	in := filepath.Join(t.TempDir(), "stdin")
	if err := os.WriteFile(in, []byte(input), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// Missing skips t for why (or, under RequireKernelVar, fails it): a test
// that needs something this machine does not give, which CI gives.
func Missing(t testing.TB, why string) {
	t.Helper()
	missing(t, why)
}
