package netenv_test

import (
	"fmt"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
)

// TestSeededSandboxRepeats: two sandboxes of the same seed open the
// same connection, with the same ports, sequence numbers, options and
// timestamps, to the nanosecond, a lost SYN's retransmission included
// (one RTO later, by the sandbox's clock); another seed gives other
// numbers.
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
			// The handshake follows from the seed alone. (What comes after
			// also depends on how the programs' goroutines interleave: on a
			// loaded machine an ACK may ride with the echo in one run and
			// go alone in another.)
			handshake := func(pkts []dissect.Packet) string {
				var s string
				for i := range pkts {
					if pkts[i].TCP.Has(dissect.FlagSYN) {
						s += frameSummary(&pkts[i]) + "\n"
					}
				}
				return s
			}
			if x, y := handshake(a), handshake(b); x != y || x == "" {
				t.Errorf("the handshake differs between two runs of seed 7:\n%s\n%s", x, y)
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
