package course_test

import (
	"errors"
	"testing"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/net/nsenter"
	"wiretutor/engine/packet/capture"
)

// TestOpenNetwork: auto takes the kernel when this process may capture
// and nothing is impaired or seeded, else the sandbox; impairments and
// seeds on the kernel are refused.
func TestOpenNetwork(t *testing.T) {
	drop := netenv.Impairment{Drop: map[int]bool{2: true}}
	seven := uint64(7)
	autoKernel, autoWhy := "kernel", course.NetAutoKernel
	var autoErr error
	switch {
	case capture.CanCapture() == nil:
	case nsenter.Allowed() == nil:
		// The private network opens in a child process made for it.
		autoKernel, autoErr = "", course.ErrOutsidePrivate
	default:
		autoKernel, autoWhy = "sandbox", course.NetAutoNoPrivate
	}
	// A lesson that loses segments of its choosing (the loss lesson).
	lesson := netenv.Impairment{Rules: []netenv.Rule{{Name: "none", Drop: func(netenv.Segment) bool { return false }}}}
	tests := []struct {
		choice string
		imp    netenv.Impairment
		seed   *uint64
		net    string // the Net's name; "" for an error
		why    course.NetReason
		err    error
	}{
		{course.NetSandbox, netenv.Impairment{}, nil, "sandbox", course.NetAsked, nil},
		{course.NetSandbox, drop, nil, "sandbox", course.NetAsked, nil},
		{course.NetSandbox, netenv.Impairment{}, &seven, "sandbox", course.NetAsked, nil},
		{course.NetAuto, drop, nil, "sandbox", course.NetAutoImpair, nil},
		{course.NetAuto, netenv.Impairment{}, &seven, "sandbox", course.NetAutoSeed, nil},
		{course.NetAuto, netenv.Impairment{}, nil, autoKernel, autoWhy, autoErr},
		{course.NetPrivate, drop, nil, "", 0, course.ErrImpairKernel},
		{course.NetPrivate, netenv.Impairment{}, &seven, "", 0, course.ErrSeedKernel},
		{course.NetKernel, drop, nil, "", 0, course.ErrImpairKernel},
		{course.NetKernel, netenv.Impairment{}, &seven, "", 0, course.ErrSeedKernel},
		{course.NetAuto, lesson, nil, "sandbox", course.NetAutoLesson, nil},
		{course.NetAuto, lesson, &seven, "sandbox", course.NetAutoLesson, nil},
		{course.NetSandbox, lesson, nil, "sandbox", course.NetAsked, nil},
		{course.NetKernel, lesson, nil, "", 0, course.ErrLossKernel},
		{course.NetPrivate, lesson, nil, "", 0, course.ErrLossKernel},
		{"wifi", netenv.Impairment{}, nil, "", 0, nil},
	}
	for _, tt := range tests {
		n, err := course.OpenNetwork(tt.choice, course.Want{Imp: tt.imp, Seed: tt.seed})
		if tt.net == "" {
			if err == nil || tt.err != nil && !errors.Is(err, tt.err) {
				t.Errorf("%s: err %v, want %v", tt.choice, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.choice, err)
			continue
		}
		if n.Net.Name() != tt.net || n.Reason != tt.why || n.Capture == nil || n.Seed != tt.seed {
			t.Errorf("%s %v: %s for reason %d, want %s for %d", tt.choice, tt.imp.Active(), n.Net.Name(), n.Reason, tt.net, tt.why)
		}
		n.Close()
	}
}

// TestChooseNetwork: auto's order is the kernel when this process may
// capture, else the private namespace (or the kernel it gives, inside
// it), else the sandbox, saying why; impairments, a seed and two hosts
// always take the sandbox; a network asked by name that cannot work is
// an error.
func TestChooseNetwork(t *testing.T) {
	drop := netenv.Impairment{Drop: map[int]bool{2: true}}
	seven := uint64(7)
	noCap := errors.New("no CAP_NET_RAW")
	forbidden := &nsenter.Error{Why: nsenter.Forbidden, Detail: "user.max_user_namespaces = 0", Err: errors.New("no")}
	notLinux := &nsenter.Error{Why: nsenter.NotLinux, Detail: "user namespaces", Err: errors.ErrUnsupported}
	root := course.Host{}
	user := course.Host{Capture: noCap}
	userNoNS := course.Host{Capture: noCap, Private: forbidden}
	elsewhere := course.Host{Capture: noCap, Private: notLinux}
	inside := course.Host{Inside: true}
	// setcap cap_net_raw: it may capture, not make namespaces.
	capOnly := course.Host{Namespaces: forbidden}
	tests := []struct {
		choice string
		imp    netenv.Impairment
		seed   *uint64
		h      course.Host
		hosts  int
		net    string // "" for an error
		why    course.NetReason
		err    error
	}{
		{course.NetAuto, netenv.Impairment{}, nil, root, 0, course.NetKernel, course.NetAutoKernel, nil},
		{course.NetAuto, netenv.Impairment{}, nil, user, 0, course.NetPrivate, course.NetAutoPrivate, nil},
		{course.NetAuto, netenv.Impairment{}, nil, inside, 0, course.NetPrivate, course.NetAutoPrivate, nil},
		{course.NetAuto, netenv.Impairment{}, nil, userNoNS, 0, course.NetSandbox, course.NetAutoNoPrivate, nil},
		{course.NetAuto, netenv.Impairment{}, nil, elsewhere, 0, course.NetSandbox, course.NetAutoNoCapture, nil},
		{course.NetAuto, drop, nil, root, 0, course.NetSandbox, course.NetAutoImpair, nil},
		{course.NetAuto, drop, nil, user, 0, course.NetSandbox, course.NetAutoImpair, nil},
		{course.NetAuto, netenv.Impairment{}, &seven, user, 0, course.NetSandbox, course.NetAutoSeed, nil},
		{course.NetAuto, netenv.Impairment{}, &seven, inside, 0, course.NetSandbox, course.NetAutoSeed, nil},
		{course.NetPrivate, netenv.Impairment{}, nil, root, 0, course.NetPrivate, course.NetAsked, nil},
		{course.NetPrivate, netenv.Impairment{}, nil, user, 0, course.NetPrivate, course.NetAsked, nil},
		{course.NetPrivate, netenv.Impairment{}, nil, inside, 0, course.NetPrivate, course.NetAsked, nil},
		{course.NetPrivate, netenv.Impairment{}, nil, userNoNS, 0, "", 0, forbidden},
		{course.NetPrivate, netenv.Impairment{}, nil, elsewhere, 0, "", 0, notLinux},
		{course.NetPrivate, drop, nil, user, 0, "", 0, course.ErrImpairKernel},
		{course.NetPrivate, netenv.Impairment{}, &seven, user, 0, "", 0, course.ErrSeedKernel},
		{course.NetKernel, netenv.Impairment{}, nil, root, 0, course.NetKernel, course.NetAsked, nil},
		{course.NetKernel, netenv.Impairment{}, nil, user, 0, "", 0, noCap},
		{course.NetSandbox, netenv.Impairment{}, nil, inside, 0, course.NetSandbox, course.NetAsked, nil},
		{course.NetAuto, netenv.Impairment{}, nil, root, 2, course.NetKernel, course.NetAutoKernel, nil},
		{course.NetAuto, netenv.Impairment{}, nil, capOnly, 2, course.NetPrivate, course.NetAutoPrivate, nil},
		{course.NetAuto, netenv.Impairment{}, nil, user, 2, course.NetPrivate, course.NetAutoPrivate, nil},
		{course.NetAuto, netenv.Impairment{}, nil, inside, 2, course.NetPrivate, course.NetAutoPrivate, nil},
		{course.NetAuto, netenv.Impairment{}, nil, userNoNS, 2, course.NetSandbox, course.NetAutoHosts, nil},
		{course.NetAuto, netenv.Impairment{}, nil, elsewhere, 2, course.NetSandbox, course.NetAutoHosts, nil},
		{course.NetAuto, netenv.Impairment{}, &seven, inside, 2, course.NetSandbox, course.NetAutoSeed, nil},
		{course.NetKernel, netenv.Impairment{}, nil, root, 2, course.NetKernel, course.NetAsked, nil},
		{course.NetKernel, netenv.Impairment{}, nil, capOnly, 2, "", 0, course.ErrHostsKernel},
		{course.NetPrivate, netenv.Impairment{}, nil, user, 2, course.NetPrivate, course.NetAsked, nil},
		{course.NetSandbox, netenv.Impairment{}, nil, user, 2, course.NetSandbox, course.NetAsked, nil},
		{"wifi", netenv.Impairment{}, nil, root, 0, "", 0, nil},
	}
	for _, tt := range tests {
		net, why, err := course.ChooseNetwork(tt.choice, course.Want{Imp: tt.imp, Seed: tt.seed, Hosts: tt.hosts}, tt.h)
		if tt.net == "" {
			if err == nil || tt.err != nil && !errors.Is(err, tt.err) {
				t.Errorf("%s on %+v: err %v, want %v", tt.choice, tt.h, err, tt.err)
			}
			continue
		}
		if err != nil || net != tt.net || why != tt.why {
			t.Errorf("%s (impaired %v, seed %v) on %+v: %s for %d (%v), want %s for %d",
				tt.choice, tt.imp.Active(), tt.seed != nil, tt.h, net, why, err, tt.net, tt.why)
		}
	}
}
