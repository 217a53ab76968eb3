package netenv_test

import (
	"fmt"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
)

// TestSeededSandboxRepeats: two sandboxes of the same seed make the
// same capture of the same exchange, byte for byte and to the
// nanosecond, a lost SYN's retransmission included (one RTO later, by
// the sandbox's clock); another seed gives other numbers.
func TestSeededSandboxRepeats(t *testing.T) {
	tests := []struct {
		name string
		imp  netenv.Impairment
	}{
		{"clean", netenv.Impairment{}},
		{"the SYN lost", netenv.Impairment{Drop: map[int]bool{1: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := func(seed uint64) []dissect.Packet {
				sb, err := netenv.NewSeededSandbox(tt.imp, seed)
				if err != nil {
					t.Fatal(err)
				}
				if !sb.Seeded() {
					t.Fatal("a seeded sandbox says it is not seeded")
				}
				return exchangeOn(t, sb)
			}
			a, b, other := run(7), run(7), run(8)
			if len(a) != len(b) {
				t.Fatalf("seed 7 made %d frames, then %d", len(a), len(b))
			}
			for i := range a {
				if x, y := frameSummary(&a[i]), frameSummary(&b[i]); x != y {
					t.Errorf("frame %d differs between two runs of seed 7:\n%s\n%s", i+1, x, y)
				}
			}
			if a[0].SrcPort == other[0].SrcPort && a[0].TCP.SeqRaw == other[0].TCP.SeqRaw {
				t.Errorf("seeds 7 and 8 gave the same client port %d and ISN %d", a[0].SrcPort, a[0].TCP.SeqRaw)
			}
			if tt.imp.Active() {
				// Frame 2 is the SYN again, one initial RTO (1 s) later.
				if gap := a[1].Time.Sub(a[0].Time); gap.Round(1e6) != 1e9 || !a[1].TCP.Has(dissect.FlagSYN) {
					t.Errorf("the retransmitted SYN came %v after the first; want 1s", gap)
				}
			}
		})
	}
}

// frameSummary is every number of a TCP frame that a seed fixes.
func frameSummary(p *dissect.Packet) string {
	return fmt.Sprintf("%s %d→%d id=%d seq=%d ack=%d %s len=%d win=%d %v %q", p.Time.Format(time.RFC3339Nano),
		p.SrcPort, p.DstPort, p.IPID, p.TCP.SeqRaw, p.TCP.AckRaw, p.TCP.Flags, p.TCP.Len, p.TCP.Window, p.TCP.Options, p.Payload)
}

// TestUnseededSandboxIsFresh: without a seed, two sandboxes pick their
// own initial sequence numbers, as real stacks do.
func TestUnseededSandboxIsFresh(t *testing.T) {
	a := exchange(t, netenv.Impairment{})
	b := exchange(t, netenv.Impairment{})
	if a[0].TCP.SeqRaw == b[0].TCP.SeqRaw {
		t.Errorf("two unseeded runs chose the same ISN %d", a[0].TCP.SeqRaw)
	}
}
