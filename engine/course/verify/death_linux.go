package verify

import "syscall"

// setDeathSignal has the kernel kill the program when wiretutor ends,
// however it ends.
func setDeathSignal(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }
