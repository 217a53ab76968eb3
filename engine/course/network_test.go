package course_test

import (
	"errors"
	"testing"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
)

// TestOpenNetwork: auto takes the kernel when this process may capture
// and nothing is impaired, else the sandbox; impairments on the kernel
// are refused.
func TestOpenNetwork(t *testing.T) {
	drop := netenv.Impairment{Drop: map[int]bool{2: true}}
	autoKernel, autoWhy := "kernel", course.NetAutoKernel
	if capture.CanCapture() != nil {
		autoKernel, autoWhy = "sandbox", course.NetAutoNoCapture
	}
	tests := []struct {
		choice string
		imp    netenv.Impairment
		net    string // the Net's name; "" for an error
		why    course.NetReason
		err    error
	}{
		{course.NetSandbox, netenv.Impairment{}, "sandbox", course.NetAsked, nil},
		{course.NetSandbox, drop, "sandbox", course.NetAsked, nil},
		{course.NetAuto, drop, "sandbox", course.NetAutoImpair, nil},
		{course.NetAuto, netenv.Impairment{}, autoKernel, autoWhy, nil},
		{course.NetKernel, drop, "", 0, course.ErrImpairKernel},
		{"wifi", netenv.Impairment{}, "", 0, nil},
	}
	for _, tt := range tests {
		n, err := course.OpenNetwork(tt.choice, tt.imp)
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
		if n.Net.Name() != tt.net || n.Reason != tt.why || n.Capture == nil {
			t.Errorf("%s %v: %s for reason %d, want %s for %d", tt.choice, tt.imp.Active(), n.Net.Name(), n.Reason, tt.net, tt.why)
		}
		n.Close()
	}
}
