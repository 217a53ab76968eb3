//go:build unix

package verify

import (
	"os"
	"os/exec"
	"runtime"
	"syscall"
)

// setProcAttr puts the program in a process group of its own when group
// is set, and, on Linux, has the kernel kill it should wiretutor die
// first.
func setProcAttr(cmd *exec.Cmd, group bool) {
	attr := &syscall.SysProcAttr{Setpgid: group}
	if runtime.GOOS == "linux" {
		setDeathSignal(attr)
	}
	cmd.SysProcAttr = attr
}

// terminate asks the program (its whole group, when it has one) to end.
func terminate(p *os.Process, group bool) { signal(p, group, syscall.SIGTERM) }

// kill ends the program (and its group) at once.
func kill(p *os.Process, group bool) { signal(p, group, syscall.SIGKILL) }

func signal(p *os.Process, group bool, sig syscall.Signal) {
	if group {
		syscall.Kill(-p.Pid, sig)
	}
	p.Signal(sig)
}
