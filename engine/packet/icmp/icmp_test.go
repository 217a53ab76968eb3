package icmp_test

import (
	"testing"

	"wiretutor/engine/packet/icmp"
)

// TestTypes: Wireshark's names and the kinds of each type.
func TestTypes(t *testing.T) {
	for _, tc := range []struct {
		typ         icmp.Type
		name        string
		known, echo bool
		error       bool
	}{
		{icmp.EchoReply, "Echo (ping) reply", true, true, false},
		{icmp.DestUnreachable, "Destination unreachable", true, false, true},
		{icmp.SourceQuench, "Source quench (flow control)", true, false, true},
		{icmp.Redirect, "Redirect", true, false, true},
		{icmp.EchoRequest, "Echo (ping) request", true, true, false},
		{icmp.RouterAdvertisement, "Router advertisement", true, false, false},
		{icmp.RouterSolicitation, "Router solicitation", true, false, false},
		{icmp.TimeExceeded, "Time-to-live exceeded", true, false, true},
		{icmp.ParameterProblem, "Parameter problem", true, false, true},
		{icmp.TimestampRequest, "Timestamp request", true, false, false},
		{icmp.TimestampReply, "Timestamp reply", true, false, false},
		{42, "Unknown ICMP (obsolete or malformed?)", false, false, false},
		{128, "Unknown ICMP (obsolete or malformed?)", false, false, false},
	} {
		if got := tc.typ.String(); got != tc.name {
			t.Errorf("type %d: %q, want %q", uint8(tc.typ), got, tc.name)
		}
		if tc.typ.Known() != tc.known || tc.typ.IsEcho() != tc.echo || tc.typ.IsError() != tc.error {
			t.Errorf("type %d: known %v echo %v error %v, want %v %v %v", uint8(tc.typ),
				tc.typ.Known(), tc.typ.IsEcho(), tc.typ.IsError(), tc.known, tc.echo, tc.error)
		}
	}
}

// TestCodeNames: the codes of the types that name theirs.
func TestCodeNames(t *testing.T) {
	for _, tc := range []struct {
		typ  icmp.Type
		code uint8
		want string
	}{
		{icmp.DestUnreachable, 0, "Network unreachable"},
		{icmp.DestUnreachable, 3, "Port unreachable"},
		{icmp.DestUnreachable, 13, "Communication administratively filtered"},
		{icmp.DestUnreachable, 15, "Precedence cutoff in effect"},
		{icmp.DestUnreachable, 16, ""},
		{icmp.TimeExceeded, 0, "Time to live exceeded in transit"},
		{icmp.TimeExceeded, 1, "Fragment reassembly time exceeded"},
		{icmp.TimeExceeded, 2, ""},
		{icmp.EchoRequest, 0, ""},
		{icmp.Redirect, 1, "Redirect for host"},
		{icmp.Redirect, 4, ""},
		{icmp.ParameterProblem, 2, "Bad length"},
	} {
		if got := tc.typ.CodeName(tc.code); got != tc.want {
			t.Errorf("%v code %d: %q, want %q", tc.typ, tc.code, got, tc.want)
		}
	}
}
