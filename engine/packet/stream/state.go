package stream

import (
	"strings"

	"wiretutor/engine/packet/dissect"
)

// State is the state of one end of a TCP connection, in the state
// machine of RFC 9293 §3.3.2, named as the socket table names it
// (netstat, ss, and `wiretutor sockets`, which print the kernel's and
// the sandbox's states alike): FIN_WAIT1 where the RFC writes
// FIN-WAIT-1, SYN_RECV for SYN-RECEIVED. A closed end is CLOSED, as in
// the RFC: the table shows no row for it (netstat writes CLOSE on the
// rare row it shows).
type State string

// The states.
const (
	Closed      State = "CLOSED"
	Listen      State = "LISTEN"
	SynSent     State = "SYN_SENT"
	SynRecv     State = "SYN_RECV"
	Established State = "ESTABLISHED"
	FinWait1    State = "FIN_WAIT1"
	FinWait2    State = "FIN_WAIT2"
	CloseWait   State = "CLOSE_WAIT"
	Closing     State = "CLOSING"
	LastAck     State = "LAST_ACK"
	TimeWait    State = "TIME_WAIT"
)

// States lists every state, in the order a connection meets them.
var States = []State{Listen, SynSent, SynRecv, Established, FinWait1, FinWait2, CloseWait, Closing, LastAck, TimeWait, Closed}

// stateWords are the other spellings of a state, written without
// separators and in capitals: the RFC's, and netstat's CLOSE.
var stateWords = map[string]State{
	"SYNRECEIVED": SynRecv, "SYNRCVD": SynRecv, "CLOSE": Closed,
}

// ParseState reads a state's name however it is written: in any case,
// with "_", "-", blanks or nothing between its words ("fin_wait1",
// "FIN-WAIT-1", "fin wait 1", "FINWAIT1"), in the RFC's words
// (SYN-RECEIVED) or netstat's (SYN_RECV, CLOSE).
func ParseState(s string) (State, bool) {
	key := strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', ' ', '\t', '　':
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
	if st, ok := stateWords[key]; ok {
		return st, true
	}
	for _, st := range States {
		if strings.ReplaceAll(string(st), "_", "") == key {
			return st, true
		}
	}
	return "", false
}

// End is one end of a connection after a frame: its state, and the
// frames that brought it there.
type End struct {
	State State
	// FIN is the index (into the packet slice) of the first FIN this end
	// sent, -1 while it has sent none; FINAcked the frame that
	// acknowledged it, -1 while none has.
	FIN, FINAcked int
	// PeerFIN is the index of the other end's FIN once this end has
	// taken it in, -1 before.
	PeerFIN int
	// Reset is the index of the RST that closed the connection, -1
	// when none has.
	Reset int
}

// Step is both ends of a connection after one of its frames.
type Step struct {
	Index          int // the frame's index in the packet slice
	Client, Server End
}

// End returns the client's end (client true) or the server's.
func (s *Step) End(client bool) *End {
	if client {
		return &s.Client
	}
	return &s.Server
}

// States runs the state machine of RFC 9293 over the connection's
// frames: for each frame, in order, the state of the client and of the
// server once that frame has been seen. Both ends are taken to see a
// loopback packet at once, as the kernel's loopback delivers it: a FIN
// moves its sender to FIN_WAIT1 (or from CLOSE_WAIT to LAST_ACK) and its
// receiver to CLOSE_WAIT (or on towards TIME_WAIT) in the same frame. An
// end's own Ack corrects that where it shows the end had not taken a FIN
// in yet (the FINs crossed, or the FIN came after a lost segment): the
// end takes the FIN after its last packet that did not acknowledge it.
// A RST closes both ends. A connection captured after its handshake
// starts ESTABLISHED at both ends; the server's end of a SYN that a RST
// answers is CLOSED (nothing listens), of one that nothing answers
// LISTEN.
func (c *Conn) States(pkts []dissect.Packet) []Step {
	ends := [2]End{{State: Established, FIN: -1, FINAcked: -1, PeerFIN: -1, Reset: -1}}
	ends[1] = ends[0]
	if len(c.Frames) > 0 {
		if t := &pkts[c.Frames[0]].TCP; t.Has(dissect.FlagSYN) {
			ends[0].State, ends[1].State = SynSent, Listen
		}
	}
	fins := c.finTakes(pkts)
	steps := make([]Step, 0, len(c.Frames))
	for k, i := range c.Frames {
		p := &pkts[i]
		t := &p.TCP
		a := 1 // the sender
		if c.FromClient(p) {
			a = 0
		}
		snd, rcv := &ends[a], &ends[1-a]
		// A FIN an end took in late: before this frame.
		for e := range ends {
			if f := fins[1-e]; f.at == k && f.late && ends[e].PeerFIN < 0 {
				ends[e].takeFIN(f.index)
			}
		}
		switch {
		case t.Has(dissect.FlagRST):
			for e := range ends {
				ends[e].State, ends[e].Reset = Closed, i
			}
		case t.Has(dissect.FlagSYN) && !t.Has(dissect.FlagACK):
			snd.State = SynSent
			switch {
			case c.SYNACK >= 0:
				rcv.State = SynRecv
			case c.RST >= 0:
				rcv.State = Closed // refused: nothing listens
			default:
				rcv.State = Listen
			}
		case t.Has(dissect.FlagSYN):
			snd.State = SynRecv
			if rcv.State == SynSent {
				rcv.State = Established // and it sends the ACK
			}
		default:
			if t.Has(dissect.FlagFIN) && snd.FIN < 0 {
				snd.FIN = i
				switch snd.State {
				case Established, SynRecv:
					snd.State = FinWait1
				case CloseWait:
					snd.State = LastAck
				}
			}
			if t.Has(dissect.FlagACK) {
				if rcv.State == SynRecv {
					rcv.State = Established
				}
				if rcv.FIN >= 0 && rcv.FINAcked < 0 && acks(t, &pkts[rcv.FIN].TCP) {
					rcv.FINAcked = i
					switch rcv.State {
					case FinWait1:
						rcv.State = FinWait2
					case Closing:
						rcv.State = TimeWait
					case LastAck:
						rcv.State = Closed
					}
				}
			}
			if f := fins[a]; f.index == i && !f.late && rcv.PeerFIN < 0 {
				rcv.takeFIN(i)
			}
		}
		steps = append(steps, Step{Index: i, Client: ends[0], Server: ends[1]})
	}
	return steps
}

// takeFIN is an end taking in the other end's FIN (frame i).
func (e *End) takeFIN(i int) {
	e.PeerFIN = i
	switch e.State {
	case Established, SynRecv:
		e.State = CloseWait
	case FinWait1:
		e.State = Closing
	case FinWait2:
		e.State = TimeWait
	}
}

// acks reports whether t acknowledges the FIN that fin carries.
func acks(t, fin *dissect.TCP) bool {
	end := fin.Seq + uint32(fin.Len) + 1
	return t.Has(dissect.FlagACK) && int32(t.Ack-end) >= 0
}

// finTake is when the other end took in one end's first FIN: at the
// FIN itself (late false), or, late, before frame at (a position in
// Frames) of the connection; late with at -1 when it never did.
type finTake struct {
	index int // the FIN's packet index, -1 when this end sent none
	at    int
	late  bool
}

// finTakes finds, for the client's first FIN and the server's, when the
// other end took it in: at once, unless that end's next packet after it
// does not acknowledge it; then after the last one of its packets that
// does not, if a later one does.
func (c *Conn) finTakes(pkts []dissect.Packet) [2]finTake {
	takes := [2]finTake{{index: -1, at: -1}, {index: -1, at: -1}}
	for k, i := range c.Frames {
		p := &pkts[i]
		e := 1
		if c.FromClient(p) {
			e = 0
		}
		if !p.TCP.Has(dissect.FlagFIN) || p.TCP.Has(dissect.FlagRST) || takes[e].index >= 0 {
			continue
		}
		takes[e] = finTake{index: i, at: k}
		last := -1 // the receiver's last packet that does not acknowledge the FIN
		for kk := k + 1; kk < len(c.Frames); kk++ {
			q := &pkts[c.Frames[kk]]
			if c.FromClient(q) == (e == 0) || !q.TCP.Has(dissect.FlagACK) {
				continue
			}
			if acks(&q.TCP, &p.TCP) {
				if last >= 0 {
					takes[e] = finTake{index: i, at: last + 1, late: true}
				}
				break
			}
			last = kk
		}
		if last >= 0 && !takes[e].late {
			takes[e] = finTake{index: i, at: -1, late: true} // acknowledged by no packet of the capture
		}
	}
	return takes
}
