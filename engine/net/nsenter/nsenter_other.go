//go:build !linux

package nsenter

import (
	"io"
	"os"
)

// Inside reports whether this process runs in wiretutor's private
// namespace: never off Linux.
func Inside() bool { return false }

// Allowed says the private network cannot work off Linux.
func Allowed() error { return errNotLinux }

// Run cannot make a namespace off Linux.
func Run(exe string, args, env []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	return 0, errNotLinux
}

// CanMakeNetns says network namespaces are Linux's.
func CanMakeNetns() error { return errNotLinux }

// LoopbackUp has no namespace to set up off Linux.
func LoopbackUp() error { return errNotLinux }

// Forward has no child to pass signals to off Linux: stop does nothing.
func Forward(sigs <-chan os.Signal, p *os.Process) (stop func()) { return func() {} }
