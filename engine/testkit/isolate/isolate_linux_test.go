//go:build linux

package isolate_test

import (
	"fmt"
	"net"
	"os"
	"testing"

	"wiretutor/engine/testkit/isolate"
)

func TestMain(m *testing.M) { isolate.Main(m) }

// TestOwnNamespace: as root the tests run in a network namespace that is
// not the one of the process that started them, its loopback up and
// its only interface, and say so to the processes they start.
func TestOwnNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a network namespace of its own needs root")
	}
	self, err1 := os.Readlink("/proc/self/ns/net")
	parent, err2 := os.Readlink(fmt.Sprintf("/proc/%d/ns/net", os.Getppid()))
	if err1 != nil || err2 != nil {
		t.Skip("no /proc namespaces to compare:", err1, err2)
	}
	if self == parent {
		t.Errorf("the tests share the network namespace %s of the process that started them", self)
	}
	if os.Getenv(isolate.Var) == "" {
		t.Errorf("%s is not set for the processes the tests start", isolate.Var)
	}
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	if len(ifs) != 1 || ifs[0].Name != "lo" || ifs[0].Flags&net.FlagUp == 0 {
		t.Errorf("interfaces %v: want the loopback alone, up", ifs)
	}
}
