//go:build linux

package nsenter_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"syscall"
	"testing"

	"wiretutor/engine/net/nsenter"
	"wiretutor/engine/testkit/testenv"
)

// helperVar makes the test binary, run by nsenter.Run, report what it
// finds in the namespace and exit with the status it holds.
const helperVar = "NSENTER_TEST_HELPER"

func TestMain(m *testing.M) {
	if v := os.Getenv(helperVar); v != "" {
		lo, err := net.InterfaceByName("lo")
		up := err == nil && lo.Flags&net.FlagUp != 0
		ifs, _ := net.Interfaces()
		_, marked := os.LookupEnv(nsenter.Var)
		fmt.Printf("inside=%v lo_up=%v interfaces=%d uid=%d marked=%v\n", nsenter.Inside(), up, len(ifs), os.Getuid(), marked)
		if v == "kill" {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
		code, _ := strconv.Atoi(v)
		os.Exit(code)
	}
	os.Exit(m.Run())
}

func need(t *testing.T) {
	t.Helper()
	if err := nsenter.Allowed(); err != nil {
		if os.Getenv(testenv.RequireKernelVar) == "1" {
			t.Fatalf("private network: %v, and %s=1 forbids skipping", err, testenv.RequireKernelVar)
		}
		t.Skip("private network:", err)
	}
}

// TestRun: the child runs in a namespace of its own, its loopback up and
// the only interface, as root there, told it is inside; its exit status,
// and the signal that killed it, come back.
func TestRun(t *testing.T) {
	need(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		helper string
		code   int
	}{{"7", 7}, {"0", 0}, {"kill", 128 + int(syscall.SIGKILL)}} {
		var out bytes.Buffer
		code, err := nsenter.Run(self, nil, []string{helperVar + "=" + tt.helper}, nil, &out, &out)
		if err != nil {
			t.Fatalf("%s: %v", tt.helper, err)
		}
		if code != tt.code {
			t.Errorf("%s: exit %d, want %d", tt.helper, code, tt.code)
		}
		if want := "inside=true lo_up=true interfaces=1 uid=0 marked=false\n"; out.String() != want {
			t.Errorf("%s: the child says %q, want %q", tt.helper, out.String(), want)
		}
	}
	if nsenter.Inside() {
		t.Error("the parent thinks it is inside")
	}
}

// TestErrorMessage: each reason names its sentence.
func TestErrorMessage(t *testing.T) {
	for why, id := range map[nsenter.Why]string{
		nsenter.NotLinux: "error.private_not_linux", nsenter.Forbidden: "error.private_forbidden", nsenter.Failed: "error.private_failed",
	} {
		e := &nsenter.Error{Why: why, Detail: "x", Err: errors.New("y")}
		if got, _ := e.Message(); got != id {
			t.Errorf("%d: %s, want %s", why, got, id)
		}
	}
}
