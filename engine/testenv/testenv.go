// Package testenv tells tests what this machine allows: live capture,
// tshark. A test that needs what is missing skips with the reason,
// unless WIRETUTOR_REQUIRE_KERNEL=1 (set by CI) turns the skip into a
// failure, so capture tests cannot quietly stop running.
package testenv

import (
	"os"
	"os/exec"
	"testing"

	"wiretutor/engine/capture"
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

func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv(RequireKernelVar) == "1" {
		t.Fatalf("%s, and %s=1 forbids skipping", why, RequireKernelVar)
	}
	t.Skip(why)
}
