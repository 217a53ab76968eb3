package lessons_test

import (
	"strings"
	"testing"
)

// TestPingAsksWhereItTeaches: four predictions before the capture (the
// checksum on paper, the reply's type and sequence, the code for a
// closed port), then a question of two frames and a what-if; the text
// never gives the checksum before it is asked.
func TestPingAsksWhereItTeaches(t *testing.T) {
	p := checkFlow(t, "ping", []want{
		{"icmp-checksum", "", 0, true},
		{"icmp-reply-type", "0", 0, true},
		{"icmp-seq", "3", 0, true},
		{"icmp-unreach-code", "3", 0, true},
		{"icmp-resp-to", "3", 0, false},
		{"icmp-ttl-routers", "61", -3, false},
	}, 2)
	if len(p.qs) > 0 {
		sum := strings.TrimPrefix(p.qs[0].Expect, "0x")
		if before := p.before(t, 1); strings.Contains(before, sum) {
			t.Errorf("the text gives the checksum %s before it is asked:\n%s", sum, before)
		}
	}
	for _, task := range []string{"Show only the echo replies.", "Show only the ICMP messages that report an error."} {
		if !strings.Contains(p.out, task) {
			t.Errorf("the lesson lacks the task %q", task)
		}
	}
}
