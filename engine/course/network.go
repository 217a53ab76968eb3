package course

import (
	"fmt"

	"golang.org/x/net/bpf"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/filter"
)

// The networks a lesson runs on, as --net names them.
const (
	// NetAuto is the kernel's loopback when this process may capture on
	// it and nothing is to be impaired, else the sandbox.
	NetAuto    = "auto"
	NetKernel  = "kernel"  // the kernel's own loopback, captured live
	NetSandbox = "sandbox" // a TCP/IP stack inside wiretutor; it needs no rights
)

// NetReason says why OpenNetwork took the network it took.
type NetReason int

// The reasons.
const (
	NetAsked         NetReason = iota // the network was named
	NetAutoKernel                     // auto: this process may capture on the loopback
	NetAutoImpair                     // auto: the sandbox, whose link impairs
	NetAutoNoCapture                  // auto: the sandbox, as this process may not capture
	NetAutoSeed                       // auto: the sandbox, the one network a seed makes repeatable
)

// Network is where a lesson runs: the Net, how to capture the lesson's
// ports on it, and why it was chosen. Close it after the lesson.
type Network struct {
	Net     netenv.Net
	Capture func(Ports) (LiveSource, error)
	Reason  NetReason
	// Seed is the seed the sandbox's numbers come from (--seed), or nil:
	// fresh numbers on every run.
	Seed  *uint64
	close func()
}

// Close releases the network: the sandbox's stack, if it is one.
func (n *Network) Close() { n.close() }

// OpenNetwork opens the network choice names (NetAuto, NetKernel or
// NetSandbox) with the impairments imp, and, when seed is not nil, with
// the numbers of a seeded sandbox (the same capture on every run).
// Only the sandbox impairs and takes a seed: asked of the kernel, they
// are ErrImpairKernel and ErrSeedKernel.
func OpenNetwork(choice string, imp netenv.Impairment, seed *uint64) (*Network, error) {
	switch choice {
	case NetAuto, NetKernel, NetSandbox:
	default:
		return nil, fmt.Errorf("no network %q", choice)
	}
	if choice == NetKernel && imp.Active() {
		return nil, ErrImpairKernel
	}
	if choice == NetKernel && seed != nil {
		return nil, ErrSeedKernel
	}
	capErr := capture.CanCapture()
	if choice == NetKernel && capErr != nil {
		return nil, capErr
	}
	if choice == NetKernel || choice == NetAuto && capErr == nil && !imp.Active() && seed == nil {
		why := NetAsked
		if choice == NetAuto {
			why = NetAutoKernel
		}
		return &Network{Net: netenv.Kernel{}, Capture: LiveLoopback, Reason: why, close: func() {}}, nil
	}
	var sb *netenv.Sandbox
	var err error
	if seed != nil {
		sb, err = netenv.NewSeededSandbox(imp, *seed)
	} else {
		sb, err = netenv.NewSandbox(imp)
	}
	if err != nil {
		return nil, err
	}
	why := NetAsked
	switch {
	case choice == NetSandbox:
	case imp.Active():
		why = NetAutoImpair
	case seed != nil:
		why = NetAutoSeed
	default:
		why = NetAutoNoCapture
	}
	return &Network{Net: sb, Capture: LiveTap(sb), Reason: why, Seed: seed, close: func() { sb.Close() }}, nil
}

// ErrImpairKernel: impairments were asked of the kernel's network,
// whose link does not impair.
var ErrImpairKernel error = impairKernelError{}

type impairKernelError struct{}

func (impairKernelError) Error() string { return "impairments need the sandbox" }

// Message names the sentence that tells the learner.
func (impairKernelError) Message() (string, map[string]any) { return "error.impair_kernel", nil }

// ErrSeedKernel: a seed was asked of the kernel's network, whose
// numbers no program can fix.
var ErrSeedKernel error = seedKernelError{}

type seedKernelError struct{}

func (seedKernelError) Error() string { return "a seed needs the sandbox" }

// Message names the sentence that tells the learner.
func (seedKernelError) Message() (string, map[string]any) { return "error.seed_kernel", nil }

// LiveLoopback opens a live capture of the lesson's ports on the
// loopback interface.
func LiveLoopback(p Ports) (LiveSource, error) {
	prog, err := portFilter(p)
	if err != nil {
		return nil, err
	}
	return capture.OpenLive(capture.Loopback, prog)
}

// LiveTap returns how to capture the lesson's ports on a sandbox's
// link: LiveLoopback's counterpart there.
func LiveTap(t capture.Tapper) func(Ports) (LiveSource, error) {
	return func(p Ports) (LiveSource, error) {
		prog, err := portFilter(p)
		if err != nil {
			return nil, err
		}
		return capture.NewTapSource(t, prog)
	}
}

// portFilter compiles CaptureFilter(p).
func portFilter(p Ports) ([]bpf.Instruction, error) {
	return filter.CompileCapture(CaptureFilter(p), capture.MaxFrame)
}
