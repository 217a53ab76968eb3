package cli

import (
	"runtime"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
)

// pickNet resolves --net, --impair and --seed (nil: none) into the
// lesson's network, and says which network auto took and why.
func (a *app) pickNet(choice string, impair []string, seed *uint64) (*course.Network, error) {
	imp, err := netenv.ParseImpairments(impair)
	if err != nil {
		return nil, err
	}
	switch choice {
	case course.NetAuto, course.NetKernel, course.NetSandbox:
	default:
		return nil, errBadValue{flag: "--net", value: choice, want: "auto, kernel, sandbox"}
	}
	n, err := course.OpenNetwork(choice, imp, seed)
	if err != nil {
		return nil, err
	}
	switch {
	case n.Reason == course.NetAutoKernel:
		a.say(a.tx.T("net.auto_kernel", nil))
	case n.Reason == course.NetAutoImpair:
		a.say(a.tx.T("net.auto_sandbox_impair", nil))
	case n.Reason == course.NetAutoSeed:
		a.say(a.tx.T("net.auto_sandbox_seed", map[string]any{"Seed": *seed}))
	case n.Reason == course.NetAutoNoCapture && runtime.GOOS == "linux":
		a.say(a.tx.T("net.auto_sandbox_linux", map[string]any{"Exe": exePath()}))
	case n.Reason == course.NetAutoNoCapture:
		a.say(a.tx.T("net.auto_sandbox", nil))
	}
	return n, nil
}
