// Package icmp is wiretutor's one vocabulary of ICMP (RFC 792): the
// message types and codes, with the names Wireshark gives them. The
// dissector, the pinger and the network environments all use it; it
// imports nothing of wiretutor, so any of them may.
package icmp

// Type is an ICMP message type, the first byte of the message
// (icmp.type).
type Type uint8

// The message types Wireshark names.
const (
	EchoReply           Type = 0
	DestUnreachable     Type = 3
	SourceQuench        Type = 4
	Redirect            Type = 5
	EchoRequest         Type = 8
	RouterAdvertisement Type = 9
	RouterSolicitation  Type = 10
	TimeExceeded        Type = 11
	ParameterProblem    Type = 12
	TimestampRequest    Type = 13
	TimestampReply      Type = 14
)

// unknown is what Wireshark's Info column says of a type it does not
// name.
const unknown = "Unknown ICMP (obsolete or malformed?)"

// String returns Wireshark's name of the type ("Echo (ping) request"),
// or its words for a type it does not know.
func (t Type) String() string {
	if s := t.name(); s != "" {
		return s
	}
	return unknown
}

// Known reports whether Wireshark names the type.
func (t Type) Known() bool { return t.name() != "" }

func (t Type) name() string {
	switch t {
	case EchoReply:
		return "Echo (ping) reply"
	case DestUnreachable:
		return "Destination unreachable"
	case SourceQuench:
		return "Source quench (flow control)"
	case Redirect:
		return "Redirect"
	case EchoRequest:
		return "Echo (ping) request"
	case RouterAdvertisement:
		return "Router advertisement"
	case RouterSolicitation:
		return "Router solicitation"
	case TimeExceeded:
		return "Time-to-live exceeded"
	case ParameterProblem:
		return "Parameter problem"
	case TimestampRequest:
		return "Timestamp request"
	case TimestampReply:
		return "Timestamp reply"
	}
	return ""
}

// IsEcho reports whether the type is an echo request or reply, whose
// header carries an identifier and a sequence number.
func (t Type) IsEcho() bool { return t == EchoRequest || t == EchoReply }

// IsError reports whether the type reports an error and so quotes the
// start of the datagram that caused it.
func (t Type) IsError() bool {
	switch t {
	case DestUnreachable, TimeExceeded, ParameterProblem, SourceQuench, Redirect:
		return true
	}
	return false
}

// CodeName returns Wireshark's name of a code for a type that names its
// codes ("Port unreachable"), or "".
func (t Type) CodeName(code uint8) string {
	var names []string
	switch t {
	case DestUnreachable:
		return unreachable(code)
	case Redirect:
		names = []string{"Redirect for network", "Redirect for host", "Redirect for TOS and network", "Redirect for TOS and host"}
	case ParameterProblem:
		names = []string{"Pointer indicates the error", "Required option missing", "Bad length"}
	case TimeExceeded:
		switch code {
		case 0:
			return "Time to live exceeded in transit"
		case 1:
			return "Fragment reassembly time exceeded"
		}
	}
	if int(code) < len(names) {
		return names[code]
	}
	return ""
}

func unreachable(code uint8) string {
	switch code {
	case 0:
		return "Network unreachable"
	case 1:
		return "Host unreachable"
	case 2:
		return "Protocol unreachable"
	case 3:
		return "Port unreachable"
	case 4:
		return "Fragmentation needed"
	case 5:
		return "Source route failed"
	case 6:
		return "Destination network unknown"
	case 7:
		return "Destination host unknown"
	case 8:
		return "Source host isolated"
	case 9:
		return "Network administratively prohibited"
	case 10:
		return "Host administratively prohibited"
	case 11:
		return "Network unreachable for TOS"
	case 12:
		return "Host unreachable for TOS"
	case 13:
		return "Communication administratively filtered"
	case 14:
		return "Host precedence violation"
	case 15:
		return "Precedence cutoff in effect"
	}
	return ""
}
