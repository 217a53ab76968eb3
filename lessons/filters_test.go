package lessons_test

import (
	"strings"
	"testing"
)

// TestFiltersPredictsBeforeTheTasks: the values three filters compare
// with are predicted before the packets are shown (tcp.len counts the
// data, udp.length the header too, icmp.type 0 is the reply), a
// question of two frames follows, and the six tasks are still there.
func TestFiltersPredictsBeforeTheTasks(t *testing.T) {
	p := checkFlow(t, "filters", []want{
		{"filters-tcp-len", "12", 0, true},    // "hello server"
		{"filters-udp-length", "17", 0, true}, // 8 + "hello udp"
		{"filters-icmp-reply", "0", 0, true},  // the sandbox lets the lesson ping
		{"filters-reply-frame", "", 0, false},
	}, 6)
	if !strings.Contains(p.out, "The lesson has 6 filtering tasks") {
		t.Errorf("the six filter tasks are gone:\n%s", p.out)
	}
	if before := p.before(t, 1); strings.Contains(before, "Len=") {
		t.Errorf("the packets are shown before the predictions:\n%s", before)
	}
}
