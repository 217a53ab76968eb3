//go:build unix && !linux

package verify

import "syscall"

// setDeathSignal does nothing: only Linux has a parent-death signal.
func setDeathSignal(attr *syscall.SysProcAttr) {}
