package dissect_test

import (
	"testing"

	"wiretutor/engine/packet/dissect"
)

// TestTCPFlagsString: the wording of tshark's Info column, lowest bit
// first.
func TestTCPFlagsString(t *testing.T) {
	for _, tc := range []struct {
		flags dissect.TCPFlags
		want  string
	}{
		{0, "<None>"},
		{dissect.FlagSYN, "SYN"},
		{dissect.FlagSYN | dissect.FlagACK, "SYN, ACK"},
		{dissect.FlagACK | dissect.FlagFIN, "FIN, ACK"},
		{dissect.FlagPSH | dissect.FlagACK, "PSH, ACK"},
		{dissect.FlagRST | dissect.FlagACK, "RST, ACK"},
		{0x1ff, "FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, NS"},
		{dissect.FlagNS, "NS"},
	} {
		if got := tc.flags.String(); got != tc.want {
			t.Errorf("%#03x: %q, want %q", uint16(tc.flags), got, tc.want)
		}
		if got := string(dissect.AppendFlags([]byte("["), tc.flags)); got != "["+tc.want {
			t.Errorf("AppendFlags %#03x: %q, want %q", uint16(tc.flags), got, "["+tc.want)
		}
	}
}

// TestTCPFlagsHas: every bit asked for must be set.
func TestTCPFlagsHas(t *testing.T) {
	synAck := dissect.FlagSYN | dissect.FlagACK
	for _, tc := range []struct {
		flags, ask dissect.TCPFlags
		want       bool
	}{
		{synAck, dissect.FlagSYN, true},
		{synAck, synAck, true},
		{dissect.FlagSYN, synAck, false},
		{synAck, dissect.FlagFIN, false},
		{0, 0, true},
	} {
		if got := tc.flags.Has(tc.ask); got != tc.want {
			t.Errorf("%v has %v: %v, want %v", tc.flags, tc.ask, got, tc.want)
		}
		p := dissect.TCP{Flags: tc.flags}
		if got := p.Has(tc.ask); got != tc.want {
			t.Errorf("TCP{%v}.Has(%v): %v, want %v", tc.flags, tc.ask, got, tc.want)
		}
	}
}

// TestTransportString: Wireshark's names, which the Protocol column
// shows.
func TestTransportString(t *testing.T) {
	for tr, want := range map[dissect.Transport]string{
		dissect.TransportNone:   "none",
		dissect.TransportTCP:    "TCP",
		dissect.TransportUDP:    "UDP",
		dissect.TransportICMP:   "ICMP",
		dissect.TransportICMPv6: "ICMPv6",
		dissect.Transport(99):   "none",
	} {
		if got := tr.String(); got != want {
			t.Errorf("Transport(%d) = %q, want %q", uint8(tr), got, want)
		}
	}
}
