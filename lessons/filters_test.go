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
	p := play(t, "filters")
	checkQuestions(t, p, []want{
		{"filters-tcp-len", "12", true, 0},    // "hello server"
		{"filters-udp-length", "17", true, 0}, // 8 + "hello udp"
		{"filters-icmp-reply", "0", true, 0},  // the sandbox lets the lesson ping
		{"filters-reply-frame", "", false, 0},
	})
	if !strings.Contains(p.out, "The lesson has 6 filtering tasks") {
		t.Errorf("the six filter tasks are gone:\n%s", p.out)
	}
	if before := p.before(t, 1); strings.Contains(before, "Len=") {
		t.Errorf("the packets are shown before the predictions:\n%s", before)
	}
}
