//go:build linux

package isolate

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"
	"testing"

	"wiretutor/engine/net/nsenter"
)

// run is Main's work: as root, the test binary again with the same
// arguments in a new network namespace, its loopback up; inside, the
// tests themselves.
func run(m *testing.M) int {
	if os.Getenv(Var) != "" {
		if err := nsenter.LoopbackUp(); err != nil {
			fmt.Fprintf(os.Stderr, "isolate: the namespace's loopback: %v\n", err)
			return 2
		}
		return m.Run()
	}
	if os.Geteuid() != 0 {
		return m.Run()
	}
	code, err := again()
	if err != nil {
		fmt.Fprintf(os.Stderr, "isolate: no network namespace of its own (%v): the tests share the host's loopback\n", err)
		return m.Run()
	}
	return code
}

// again runs this test binary in a new network namespace and returns its
// exit status. INT, TERM and HUP are passed on to it (a second one
// kills it); it dies with this process.
func again() (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("the test binary: %w", err)
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), Var+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWNET,
		// The child ends with this thread: held until Wait returns.
		Pdeathsig: syscall.SIGKILL,
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("clone(CLONE_NEWNET): %w", err)
	}
	defer nsenter.Forward(sigs, cmd.Process)()
	cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal()), nil
	}
	return cmd.ProcessState.ExitCode(), nil
}
