// Package isolate runs a package's tests in a network namespace of their
// own, where this process may make one (root on Linux).
//
// go test runs the test binaries of different packages at once. Tests
// that use the lab's fixed ports (the echo server's 10000, the chat's
// 12345) or capture on the loopback would otherwise meet other
// packages' servers and packets on the host's one loopback: a port
// already in use, or a stranger's segment in a capture. In a namespace
// of its own each package has a loopback no other package sees.
//
// A package opts in with
//
//	func TestMain(m *testing.M) { isolate.Main(m) }
//
// Elsewhere (not root, not Linux, or no namespace allowed) the tests run
// as they are, on the host's loopback.
package isolate

import (
	"os"
	"testing"
)

// Var marks a test binary already inside the namespace Main made, and
// every process it starts: they stay in it and make no other.
const Var = "WIRETUTOR_TEST_NETNS"

// Main runs m's tests, in a network namespace of their own where one can
// be made, and exits with their status.
func Main(m *testing.M) {
	os.Exit(run(m))
}
