package course

import (
	"errors"
	"fmt"

	"golang.org/x/net/bpf"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/net/nsenter"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/filter"
)

// The networks a lesson runs on, as --net names them.
const (
	// NetAuto is the kernel's loopback when this process may capture on
	// it, else the private namespace where the system allows one, else
	// the sandbox; impairments and a seed always take the sandbox.
	NetAuto   = "auto"
	NetKernel = "kernel" // the kernel's own loopback, captured live
	// NetPrivate is the loopback of a user and network namespace of
	// wiretutor's own (Linux): the real kernel's TCP, captured with no
	// rights. The lesson runs in a child process made there
	// (nsenter.Run); inside it, the network is the kernel's.
	NetPrivate = "private"
	NetSandbox = "sandbox" // a TCP/IP stack inside wiretutor; it needs no rights
)

// NetNames lists the --net names.
var NetNames = []string{NetAuto, NetKernel, NetPrivate, NetSandbox}

// NetReason says why OpenNetwork took the network it took.
type NetReason int

// The reasons.
const (
	NetAsked         NetReason = iota // the network was named
	NetAutoKernel                     // auto: this process may capture on the loopback
	NetAutoImpair                     // auto: the sandbox, whose link impairs
	NetAutoNoCapture                  // auto: the sandbox, as this process may not capture (and this OS has no namespaces)
	NetAutoSeed                       // auto: the sandbox, the one network a seed makes repeatable
	NetAutoPrivate                    // auto: the private namespace, as this process may not capture on the loopback
	NetAutoNoPrivate                  // auto: the sandbox: no capture, and the system forbids the private namespace
	NetAutoLesson                     // auto: the sandbox, where the lesson loses the packets it chooses
	NetAutoHosts                      // auto: the sandbox's two hosts, as the lesson needs two
)

// Want is what a run asks of its network besides its name: impairments,
// a seed (nil: none), and how many hosts its exchange needs (0 or 1: one,
// whose loopback carries everything; 2: a client and a server host, each
// with its own IPv4 and Ethernet address).
type Want struct {
	Imp   netenv.Impairment
	Seed  *uint64
	Hosts int
}

// Host is what this machine allows, as ChooseNetwork needs it.
type Host struct {
	Capture error // why this process may not capture on the loopback, or nil
	Private error // why the private namespace cannot be made, or nil
	Inside  bool  // this process runs in the private namespace already
	// Namespaces is why this process may not make network namespaces
	// itself (two hosts of the real kernel), or nil: root may, and so
	// may a process inside the private namespace.
	Namespaces error
}

// ThisHost finds what this process may do.
func ThisHost() Host {
	h := Host{Inside: nsenter.Inside(), Capture: capture.CanCapture()}
	if !h.Inside && h.Capture != nil {
		h.Private = nsenter.Allowed()
	}
	h.Namespaces = nsenter.CanMakeNetns()
	return h
}

// ChooseNetwork resolves choice (one of NetNames) into the network to
// open (NetKernel, NetPrivate or NetSandbox) and why, on host h. auto
// takes the kernel when this process may capture, else the private
// namespace, else the sandbox; impairments and a seed take the sandbox
// and are refused by the kernel and the private namespace. Two hosts
// are two network namespaces of the kernel's (which the kernel network
// makes only where this process may, ErrHostsKernel otherwise) or the
// sandbox's pair.
func ChooseNetwork(choice string, w Want, h Host) (string, NetReason, error) {
	imp, seed := w.Imp, w.Seed
	switch choice {
	case NetAuto, NetKernel, NetPrivate, NetSandbox:
	default:
		return "", 0, fmt.Errorf("no network %q", choice)
	}
	if choice == NetKernel || choice == NetPrivate {
		switch {
		case len(imp.Rules) > 0:
			return "", 0, ErrLossKernel
		case imp.Active():
			return "", 0, ErrImpairKernel
		case seed != nil:
			return "", 0, ErrSeedKernel
		}
	}
	switch choice {
	case NetKernel:
		if h.Capture != nil {
			return "", 0, h.Capture
		}
		if w.Hosts > 1 && h.Namespaces != nil {
			return "", 0, ErrHostsKernel
		}
		return NetKernel, NetAsked, nil
	case NetPrivate:
		if !h.Inside && h.Private != nil {
			return "", 0, h.Private
		}
		return NetPrivate, NetAsked, nil
	case NetSandbox:
		return NetSandbox, NetAsked, nil
	}
	var ne *nsenter.Error
	switch {
	case len(imp.Rules) > 0:
		return NetSandbox, NetAutoLesson, nil
	case imp.Active():
		return NetSandbox, NetAutoImpair, nil
	case seed != nil:
		return NetSandbox, NetAutoSeed, nil
	case h.Inside:
		return NetPrivate, NetAutoPrivate, nil
	case h.Capture == nil && (w.Hosts < 2 || h.Namespaces == nil):
		return NetKernel, NetAutoKernel, nil
	case w.Hosts > 1 && h.Private != nil:
		return NetSandbox, NetAutoHosts, nil
	case h.Private == nil:
		return NetPrivate, NetAutoPrivate, nil
	case errors.As(h.Private, &ne) && ne.Why == nsenter.NotLinux:
		return NetSandbox, NetAutoNoCapture, nil
	}
	return NetSandbox, NetAutoNoPrivate, nil
}

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

// ErrOutsidePrivate: the private network was chosen by a process that
// does not run in the namespace; the lesson must run in a child made
// there (nsenter.Run), which opens it.
var ErrOutsidePrivate = errors.New("the private network opens inside its namespace only")

// OpenNetwork opens the network choice names (one of NetNames) with
// what w wants, as ChooseNetwork picks it on this host: the impairments
// w.Imp; when w.Seed is not nil, the numbers of a seeded sandbox (the
// same capture on every run); w.Hosts hosts. Only the sandbox impairs,
// takes a seed and has two hosts: asked of the kernel, they are
// ErrImpairKernel, ErrSeedKernel and ErrHostsKernel. The private network
// opens only inside its namespace (else ErrOutsidePrivate).
func OpenNetwork(choice string, w Want) (*Network, error) {
	name, why, err := ChooseNetwork(choice, w, ThisHost())
	if err != nil {
		return nil, err
	}
	return OpenChosen(name, why, w)
}

// OpenChosen opens the network ChooseNetwork picked (name, for reason
// why). With two hosts, Net is the client's host (netenv.Peer gives the
// server's) and Capture records their wire.
func OpenChosen(name string, why NetReason, w Want) (*Network, error) {
	imp, seed := w.Imp, w.Seed
	switch name {
	case NetPrivate:
		if !nsenter.Inside() {
			return nil, ErrOutsidePrivate
		}
		if w.Hosts > 1 {
			return openNamespacePair(why)
		}
		return &Network{Net: netenv.Kernel{Namespace: true}, Capture: LiveLoopback, Reason: why, close: func() {}}, nil
	case NetKernel:
		if w.Hosts > 1 {
			return openNamespacePair(why)
		}
		return &Network{Net: netenv.Kernel{}, Capture: LiveLoopback, Reason: why, close: func() {}}, nil
	}
	if w.Hosts > 1 {
		pair, err := netenv.NewSandboxPair(imp, seed)
		if err != nil {
			return nil, err
		}
		return &Network{Net: pair.Client, Capture: LiveTap(pair), Reason: why, Seed: seed, close: func() { pair.Close() }}, nil
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
	return &Network{Net: sb, Capture: LiveTap(sb), Reason: why, Seed: seed, close: func() { sb.Close() }}, nil
}

// ErrImpairKernel: impairments were asked of the kernel's network,
// whose link does not impair.
var ErrImpairKernel error = impairKernelError{}

type impairKernelError struct{}

func (impairKernelError) Error() string { return "impairments need the sandbox" }

// Message names the sentence that tells the learner.
func (impairKernelError) Message() (string, map[string]any) { return "error.impair_kernel", nil }

// ErrLossKernel: a lesson that loses packets of its choosing (its
// Script's Impair) was asked to run on the kernel's network or the
// private namespace. Linux's netem could lose packets there, but not by
// what they carry without a classifier per lesson, so the lesson runs
// in the sandbox.
var ErrLossKernel error = lossKernelError{}

type lossKernelError struct{}

func (lossKernelError) Error() string { return "the lesson loses chosen packets, in the sandbox only" }

// Message names the sentence that tells the learner.
func (lossKernelError) Message() (string, map[string]any) { return "error.loss_kernel", nil }

// ErrSeedKernel: a seed was asked of the kernel's network, whose
// numbers no program can fix.
var ErrSeedKernel error = seedKernelError{}

type seedKernelError struct{}

func (seedKernelError) Error() string { return "a seed needs the sandbox" }

// Message names the sentence that tells the learner.
func (seedKernelError) Message() (string, map[string]any) { return "error.seed_kernel", nil }

// openNamespacePair opens two hosts of the real kernel: Net is the
// client's namespace, and Capture records the veth pair from its end.
func openNamespacePair(why NetReason) (*Network, error) {
	pair, err := netenv.NewNamespacePair()
	if err != nil {
		return nil, err
	}
	live := func(p Ports) (LiveSource, error) {
		prog, err := portFilter(p)
		if err != nil {
			return nil, err
		}
		var src LiveSource
		err = pair.Client.Do(func() (err error) {
			src, err = capture.OpenLive(netenv.NSClientLink, prog)
			return err
		})
		return src, err
	}
	return &Network{Net: pair.Client, Capture: live, Reason: why, close: func() { pair.Close() }}, nil
}

// ErrHostsKernel: a lesson whose exchange crosses between two hosts was
// asked to run on the kernel's network by a process that may not make
// the two network namespaces; the private namespace and the sandbox
// can.
var ErrHostsKernel error = hostsKernelError{}

type hostsKernelError struct{}

func (hostsKernelError) Error() string {
	return "the lesson needs two hosts: network namespaces, which this process may not make"
}

// Message names the sentence that tells the learner.
func (hostsKernelError) Message() (string, map[string]any) { return "error.hosts_kernel", nil }

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
