package course_test

import (
	"errors"
	"testing"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
)

// TestOpenNetwork: auto takes the kernel when this process may capture
// and nothing is impaired or seeded, else the sandbox; impairments and
// seeds on the kernel are refused.
func TestOpenNetwork(t *testing.T) {
	drop := netenv.Impairment{Drop: map[int]bool{2: true}}
	seven := uint64(7)
	autoKernel, autoWhy := "kernel", course.NetAutoKernel
	if capture.CanCapture() != nil {
		autoKernel, autoWhy = "sandbox", course.NetAutoNoCapture
	}
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
		{course.NetAuto, netenv.Impairment{}, nil, autoKernel, autoWhy, nil},
		{course.NetKernel, drop, nil, "", 0, course.ErrImpairKernel},
		{course.NetKernel, netenv.Impairment{}, &seven, "", 0, course.ErrSeedKernel},
		{"wifi", netenv.Impairment{}, nil, "", 0, nil},
	}
	for _, tt := range tests {
		n, err := course.OpenNetwork(tt.choice, tt.imp, tt.seed)
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
