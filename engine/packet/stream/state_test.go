package stream_test

import (
	"fmt"
	"strings"
	"testing"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/testkit/testenv"
)

// statesOf runs the state machine over one stream of pkts and returns,
// by frame number, "CLIENT SERVER" after that frame.
func statesOf(t *testing.T, pkts []dissect.Packet, streamIdx int) map[int]string {
	t.Helper()
	for _, c := range stream.TCPConns(pkts) {
		if c.Stream != streamIdx {
			continue
		}
		steps := c.States(pkts)
		if len(steps) != len(c.Frames) {
			t.Fatalf("%d steps for %d frames", len(steps), len(c.Frames))
		}
		got := map[int]string{}
		for k, s := range steps {
			if s.Index != c.Frames[k] {
				t.Fatalf("step %d is packet %d, the connection's frame is %d", k, s.Index, c.Frames[k])
			}
			got[pkts[s.Index].Number] = string(s.Client.State) + " " + string(s.Server.State)
		}
		return got
	}
	t.Fatalf("no stream %d", streamIdx)
	return nil
}

// TestStates: each end's state after each frame, in the committed
// captures (the frame numbers tshark gives them, in testdata/*.txt).
func TestStates(t *testing.T) {
	tests := []struct {
		name    string
		capture string
		stream  int
		want    map[int]string // frame number → "CLIENT SERVER" after it
	}{
		{"handshake", "echo-lab.pcap", 0, map[int]string{
			1: "SYN_SENT SYN_RECV", 2: "ESTABLISHED SYN_RECV", 3: "ESTABLISHED ESTABLISHED", 7: "ESTABLISHED ESTABLISHED"}},
		// The kernel: the server's FIN, ACK acknowledges the client's FIN,
		// so the client goes from FIN_WAIT1 straight to TIME_WAIT.
		{"three-packet close", "echo-lab.pcap", 0, map[int]string{
			8: "FIN_WAIT1 CLOSE_WAIT", 9: "TIME_WAIT LAST_ACK", 10: "TIME_WAIT CLOSED"}},
		{"three-packet close, IPv6", "echo-ipv6.pcap", 0, map[int]string{
			10: "FIN_WAIT1 CLOSE_WAIT", 11: "TIME_WAIT LAST_ACK", 12: "TIME_WAIT CLOSED"}},
		// The sandbox: the ACK of the client's FIN first, then the FIN.
		{"four-packet close", "analysis-swap.pcapng", 0, map[int]string{
			11: "ESTABLISHED ESTABLISHED", 12: "FIN_WAIT1 CLOSE_WAIT", 13: "FIN_WAIT2 CLOSE_WAIT",
			14: "TIME_WAIT LAST_ACK", 15: "TIME_WAIT CLOSED"}},
		// HTTP/1.0: the server closes first and is the one that waits.
		{"server closes first", "http-python.pcap", 0, map[int]string{
			10: "CLOSE_WAIT FIN_WAIT1", 11: "LAST_ACK TIME_WAIT", 12: "CLOSED TIME_WAIT"}},
		{"server closes first, second connection", "http-python.pcap", 1, map[int]string{
			13: "SYN_SENT SYN_RECV", 22: "CLOSE_WAIT FIN_WAIT1", 23: "LAST_ACK TIME_WAIT", 24: "CLOSED TIME_WAIT"}},
		// The FINs crossed: the server's FIN (frame 9, Ack=13) left before
		// it had taken the client's in, so both ends go through CLOSING.
		{"simultaneous close", "sandbox-echo.pcapng", 0, map[int]string{
			8: "FIN_WAIT1 ESTABLISHED", 9: "CLOSING FIN_WAIT1", 10: "TIME_WAIT CLOSING", 11: "TIME_WAIT TIME_WAIT"}},
		{"simultaneous close, dropped data", "sandbox-drop4.pcapng", 0, map[int]string{
			9: "FIN_WAIT1 ESTABLISHED", 10: "CLOSING FIN_WAIT1", 11: "TIME_WAIT CLOSING", 12: "TIME_WAIT TIME_WAIT"}},
		// The FIN came after a lost segment: the server acknowledges only
		// the data before the hole, and takes the FIN in when it is sent
		// again (frame 21).
		{"FIN after a hole", "analysis-sandbox-drop.pcapng", 0, map[int]string{
			12: "FIN_WAIT1 ESTABLISHED", 20: "FIN_WAIT1 ESTABLISHED", 21: "FIN_WAIT1 CLOSE_WAIT",
			22: "FIN_WAIT2 CLOSE_WAIT", 23: "TIME_WAIT LAST_ACK", 24: "TIME_WAIT CLOSED"}},
		// Captured after the handshake: both ends start ESTABLISHED.
		{"mid-stream", "echo-midstream.pcapng", 0, map[int]string{
			1: "ESTABLISHED ESTABLISHED", 5: "FIN_WAIT1 CLOSE_WAIT", 6: "TIME_WAIT LAST_ACK", 7: "TIME_WAIT CLOSED"}},
		{"frames cut short", "runts.pcap", 0, map[int]string{
			19: "FIN_WAIT1 CLOSE_WAIT", 20: "TIME_WAIT LAST_ACK", 21: "TIME_WAIT CLOSED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := statesOf(t, testenv.Packets(t, tt.capture), tt.stream)
			for frame, want := range tt.want {
				if got[frame] != want {
					t.Errorf("after frame %d: %q, want %q", frame, got[frame], want)
				}
			}
		})
	}
}

// TestStatesReset: a RST closes both ends at once, whatever they were
// in: an abort, and a SYN that a closed port refuses. No committed
// capture has one, so echo-lab.pcap's packets are changed into them.
func TestStatesReset(t *testing.T) {
	t.Run("abort", func(t *testing.T) {
		pkts := testenv.Packets(t, "echo-lab.pcap")[:8]
		pkts[7].TCP.Flags = dissect.FlagRST | dissect.FlagACK // the client's FIN, now a reset
		got := statesOf(t, pkts, 0)
		if got[7] != "ESTABLISHED ESTABLISHED" || got[8] != "CLOSED CLOSED" {
			t.Errorf("before and after the RST: %q, %q", got[7], got[8])
		}
		c := stream.TCPConns(pkts)[0]
		last := c.States(pkts)[len(c.Frames)-1]
		if last.Client.Reset != 7 || last.Server.Reset != 7 || last.Client.FIN != -1 {
			t.Errorf("the ends after the RST: %+v", last)
		}
	})
	t.Run("refused", func(t *testing.T) {
		pkts := testenv.Packets(t, "echo-lab.pcap")[:2]
		pkts[1].TCP.Flags = dissect.FlagRST | dissect.FlagACK // the SYN, ACK, now the refusal
		got := statesOf(t, pkts, 0)
		if got[1] != "SYN_SENT CLOSED" || got[2] != "CLOSED CLOSED" {
			t.Errorf("after the SYN %q, after the RST %q; want SYN_SENT CLOSED, CLOSED CLOSED", got[1], got[2])
		}
	})
	t.Run("unanswered", func(t *testing.T) {
		pkts := testenv.Packets(t, "echo-lab.pcap")[:1]
		if got := statesOf(t, pkts, 0); got[1] != "SYN_SENT LISTEN" {
			t.Errorf("after a SYN nothing answers: %q", got[1])
		}
	})
}

// TestStatesFINs: the frames an end's state comes from.
func TestStatesFINs(t *testing.T) {
	pkts := testenv.Packets(t, "analysis-swap.pcapng")
	c := stream.TCPConns(pkts)[0]
	steps := c.States(pkts)
	last := steps[len(steps)-1]
	num := func(i int) int {
		if i < 0 {
			return -1
		}
		return pkts[i].Number
	}
	got := fmt.Sprintf("client FIN %d acked %d got %d; server FIN %d acked %d got %d",
		num(last.Client.FIN), num(last.Client.FINAcked), num(last.Client.PeerFIN),
		num(last.Server.FIN), num(last.Server.FINAcked), num(last.Server.PeerFIN))
	if want := "client FIN 12 acked 13 got 14; server FIN 14 acked 15 got 12"; got != want {
		t.Errorf("%s\nwant %s", got, want)
	}
	if e := steps[0].End(true); e != &steps[0].Client || steps[0].End(false) != &steps[0].Server {
		t.Error("End picks the wrong end")
	}
}

func TestParseState(t *testing.T) {
	tests := []struct {
		in   string
		want stream.State
	}{
		{"TIME_WAIT", stream.TimeWait}, {"time_wait", stream.TimeWait}, {" time wait ", stream.TimeWait},
		{"Time-Wait", stream.TimeWait}, {"timewait", stream.TimeWait},
		{"FIN_WAIT1", stream.FinWait1}, {"fin-wait-1", stream.FinWait1}, {"FIN WAIT 1", stream.FinWait1},
		{"fin_wait_2", stream.FinWait2}, {"close_wait", stream.CloseWait}, {"LAST-ACK", stream.LastAck},
		{"SYN_RECV", stream.SynRecv}, {"SYN-RECEIVED", stream.SynRecv}, {"syn_rcvd", stream.SynRecv},
		{"closed", stream.Closed}, {"CLOSE", stream.Closed}, {"closing", stream.Closing},
		{"listen", stream.Listen}, {"established", stream.Established}, {"syn sent", stream.SynSent},
		{"", ""}, {"FIN", ""}, {"FIN_WAIT3", ""}, {"wait", ""}, {"TIME_WAIT!", ""},
	}
	for _, tt := range tests {
		got, ok := stream.ParseState(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("ParseState(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	for _, s := range stream.States {
		if got, ok := stream.ParseState(strings.ToLower(string(s))); !ok || got != s {
			t.Errorf("%s does not read back: %q", s, got)
		}
	}
}

// Each end's state after each packet of a close, as the socket table
// names them: the client closes first, so it is the one left in
// TIME_WAIT; the server's socket is gone once the last ACK arrives.
func ExampleConn_States() {
	c, err := capture.Open(testenv.Testdata("echo-lab.pcap"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	pkts, err := dissect.Collect(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	conn := stream.TCPConns(pkts)[0]
	for _, s := range conn.States(pkts) {
		if p := &pkts[s.Index]; p.Number >= 7 {
			fmt.Printf("frame %2d  %-9s  client %-11s  server %s\n", p.Number, p.TCP.Flags, s.Client.State, s.Server.State)
		}
	}
	// Output:
	// frame  7  ACK        client ESTABLISHED  server ESTABLISHED
	// frame  8  FIN, ACK   client FIN_WAIT1    server CLOSE_WAIT
	// frame  9  FIN, ACK   client TIME_WAIT    server LAST_ACK
	// frame 10  ACK        client TIME_WAIT    server CLOSED
}
