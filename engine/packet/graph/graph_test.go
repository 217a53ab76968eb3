package graph_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"wiretutor/engine/packet/graph"
	"wiretutor/engine/testkit/testenv"
)

// tsharkRows reads NAME.graph.tsv, the fields of graph-fields.list that
// tshark printed for each TCP segment of a capture (regen.sh).
func tsharkRows(t *testing.T, name string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile(testenv.Testdata(strings.TrimSuffix(strings.TrimSuffix(name, ".pcap"), ".pcapng") + ".graph.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	head := strings.Split(lines[0], "\t")
	var rows []map[string]string
	for _, l := range lines[1:] {
		row := map[string]string{}
		for i, cell := range strings.Split(l, "\t") {
			row[head[i]] = cell
		}
		rows = append(rows, row)
	}
	return rows
}

func num(t *testing.T, s string) uint32 {
	t.Helper()
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return uint32(n)
}

func secs(d time.Duration) string { return fmt.Sprintf("%.9f", d.Seconds()) }

func collect(t *testing.T, name string, stream int) *graph.Collector {
	c := graph.NewCollector(stream)
	for _, p := range testenv.Packets(t, name) {
		c.Add(&p)
	}
	return c
}

// TestSeriesMatchTshark draws each capture's stream 0 both ways and
// checks every point of every series against the fields tshark printed
// for the same frames: the sender's segments (frame.time_relative,
// tcp.seq, tcp.nxtseq, tcp.analysis.retransmission), the receiver's
// ACK and window line (tcp.ack, tcp.window_size, zero_window), its SACK
// blocks, each ack_rtt that tshark computed, and the bytes a
// throughput graph counts.
func TestSeriesMatchTshark(t *testing.T) {
	for _, name := range []string{"bulk-zerowin.pcap", "analysis-kernel.pcap", "analysis-sandbox-drop.pcapng"} {
		rows := tsharkRows(t, name)
		c := collect(t, name, 0)
		if c.Len() != len(rows) {
			t.Fatalf("%s: %d segments, tshark has %d", name, c.Len(), len(rows))
		}
		for _, reverse := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/reverse=%v", name, reverse), func(t *testing.T) {
				s, ok := c.Series(reverse)
				if !ok {
					t.Fatal("no series")
				}
				// The data direction is the port that sent the most payload.
				sent := map[string]uint32{}
				for _, r := range rows {
					sent[r["tcp.srcport"]] += num(t, r["tcp.len"])
				}
				port, other := rows[0]["tcp.srcport"], rows[0]["tcp.dstport"]
				if sent[other] > sent[port] {
					port, other = other, port
				}
				if reverse {
					port = other
				}
				if got := strconv.Itoa(int(s.Sender.Port())); got != port {
					t.Fatalf("sender port %s, want %s", got, port)
				}
				var segs, acks, sacks []string
				rtts := map[string]bool{}
				bytes := 0
				for _, r := range rows {
					at := r["frame.time_relative"]
					if r["tcp.srcport"] == port {
						bytes += int(num(t, r["frame.len"]))
						if r["tcp.len"] != "0" || r["tcp.flags.syn"] == "1" || r["tcp.flags.fin"] == "1" {
							segs = append(segs, fmt.Sprintf("%s %s %s..%s resent=%v", r["frame.number"], at, r["tcp.seq"], r["tcp.nxtseq"], r["tcp.analysis.retransmission"] != ""))
						}
						continue
					}
					if r["tcp.flags.ack"] != "1" {
						continue
					}
					acks = append(acks, fmt.Sprintf("%s %s ack=%s win=%s zero=%v", r["frame.number"], at, r["tcp.ack"], r["tcp.window_size"], r["tcp.analysis.zero_window"] != ""))
					if le := r["tcp.options.sack_le"]; le != "" {
						les, res := strings.Split(le, ","), strings.Split(r["tcp.options.sack_re"], ",")
						for i := range les {
							sacks = append(sacks, fmt.Sprintf("%s %s..%s", r["frame.number"], les[i], res[i]))
						}
					}
					if f := r["tcp.analysis.acks_frame"]; f != "" {
						rtts[f+" "+r["frame.number"]+" "+r["tcp.analysis.ack_rtt"]] = true
					}
				}
				if !reverse && (len(segs) < 3 || len(acks) < 3) {
					t.Fatalf("%d segments and %d ACKs: too few to check a graph", len(segs), len(acks))
				}
				var gotSegs, gotAcks, gotSACKs []string
				for _, g := range s.Segments {
					gotSegs = append(gotSegs, fmt.Sprintf("%d %s %d..%d resent=%v", g.Frame, secs(g.At), g.Seq, g.End, g.Resent))
				}
				for _, a := range s.Acks {
					gotAcks = append(gotAcks, fmt.Sprintf("%d %s ack=%d win=%d zero=%v", a.Frame, secs(a.At), a.Ack, a.Window, a.Zero))
				}
				for _, b := range s.SACKs {
					gotSACKs = append(gotSACKs, fmt.Sprintf("%d %d..%d", b.Frame, b.Le, b.Re))
				}
				for what, pair := range map[string][2][]string{"segments": {gotSegs, segs}, "acks": {gotAcks, acks}, "sacks": {gotSACKs, sacks}} {
					if !slices.Equal(pair[0], pair[1]) {
						t.Errorf("%s:\n got %q\nwant %q", what, pair[0], pair[1])
					}
				}
				// Each round trip tshark times (the ACK of a segment it
				// names in acks_frame) is one of the graph's samples.
				have := map[string]bool{}
				for _, r := range s.RTTs {
					have[fmt.Sprintf("%d %d %s", r.Frame, r.Acked, secs(r.RTT))] = true
				}
				for k := range rtts {
					if f := strings.Fields(k)[0]; !slices.ContainsFunc(rows, func(r map[string]string) bool {
						return r["frame.number"] == f && r["tcp.srcport"] == port && r["tcp.len"] != "0" && r["tcp.analysis.retransmission"] == ""
					}) {
						continue // an ACK of a SYN, a FIN or a resent segment: not timed
					}
					if !have[k] {
						t.Errorf("tshark's round trip %q (segment, ack, rtt) is not in the graph's %v", k, have)
					}
				}
				total := 0
				for _, b := range s.Throughput(7) {
					total += b.Bytes
				}
				if total != bytes {
					t.Errorf("throughput counts %d bytes, tshark's frame.len sum to %d", total, bytes)
				}
			})
		}
	}
}

// TestThroughputBins checks that bins split time evenly, that goodput
// counts resent bytes once, and that the last frame lands in the last bin.
func TestThroughputBins(t *testing.T) {
	s, _ := collect(t, "bulk-zerowin.pcap", 0).Series(false)
	for _, n := range []int{0, 1, 5, 40} {
		bins := s.Throughput(n)
		if len(bins) != max(n, 1) {
			t.Fatalf("%d bins, want %d", len(bins), max(n, 1))
		}
		good := 0
		for i, b := range bins {
			good += b.Goodput
			if i > 0 && b.From != bins[i-1].To {
				t.Errorf("bin %d starts at %v, the one before ends at %v", i, b.From, bins[i-1].To)
			}
		}
		if bins[0].From != s.Start || bins[len(bins)-1].To != s.End {
			t.Errorf("bins span %v..%v, the stream %v..%v", bins[0].From, bins[len(bins)-1].To, s.Start, s.End)
		}
		// 40,000 bytes and the server's "OK 40000\n" crossed once each,
		// however often a part was resent.
		if want := 40000 + len("OK 40000\n"); good != want {
			t.Errorf("%d bins: goodput %d bytes, want %d", n, good, want)
		}
	}
}

func TestNoSuchStream(t *testing.T) {
	c := collect(t, "bulk-zerowin.pcap", 7)
	if _, ok := c.Series(false); ok || c.Len() != 0 {
		t.Fatalf("stream 7 of a one-stream capture: ok=%v, %d segments", ok, c.Len())
	}
}
