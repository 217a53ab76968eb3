package verify

import (
	"os"
	"os/exec"
)

// setProcAttr does nothing on Windows: the program is stopped alone.
func setProcAttr(cmd *exec.Cmd, group bool) {}

// terminate ends the program: Windows has no SIGTERM to ask with.
func terminate(p *os.Process, group bool) { p.Kill() }

// kill ends the program.
func kill(p *os.Process, group bool) { p.Kill() }
