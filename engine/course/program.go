package course

import (
	"context"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
)

// The roles a learner's program plays in a lesson's exchange (wiretutor
// verify --role).
const (
	RoleClient = "client" // the lesson's server runs; the learner's program is its client
	RoleServer = "server" // the learner's program is the server; the lesson's clients run against it
)

// Roles lists the roles in the order verify offers them.
func Roles() []string { return []string{RoleClient, RoleServer} }

// Program is one role a learner's program can play in a lesson: what
// wiretutor verify runs beside it (the peer) and what it requires of the
// capture.
type Program struct {
	Role   string
	Peer   Peer
	Checks []Check
}

// Peer is the lesson's side of a verify run.
type Peer struct {
	// Ports are what the capture keeps.
	Ports Ports
	// Listen is what the learner's server must open before the peer
	// runs (the server role).
	Listen []Listen
	// Run is the peer itself. For the client role it starts the lesson's
	// server(s), calls ready once they listen, and serves until ctx is
	// done (the learner's program has ended); what it gives ready
	// ("NAME=value") is added to the program's environment, as the lab
	// keeps an API token in a variable. For the server role it drives
	// the lesson's clients against the learner's server (which listens
	// already) and returns when they are done. say shows a line of what
	// it does.
	Run func(ctx context.Context, n netenv.Net, ready func(env ...string), say func(string)) error
	// Hosts is how many hosts the run needs: 2 puts the peer on the
	// server's (netenv.Peer of n) and the learner's program on the
	// client's, two network namespaces of the kernel.
	Hosts int
}

// Listen is a socket the learner's server must open: a TCP listener or
// a bound UDP socket on the lab's port.
type Listen struct {
	Proto string // "tcp" or "udp"
	Port  int
}

// Check is one thing verify requires of a learner's program, found in
// the capture. Its description, for a person, is verify.check.<ID> in
// ui.toml.
type Check struct {
	ID  string
	Run func(e *Evidence) Finding
}

// Evidence is what a check reads: the capture of a verify run and how
// it went.
type Evidence struct {
	Packets []dissect.Packet
	Conns   []*stream.Conn // Packets' TCP connections
	Role    string
	Ports   Ports
	// Stopped is when verify stopped the learner's program (a time
	// limit, or the grade was done); zero when it ended by itself or the
	// moment is unknown. What its sockets sent after it, the kernel sent
	// as the program was killed.
	Stopped time.Time
}

// NewEvidence makes the evidence of a capture.
func NewEvidence(pkts []dissect.Packet, role string, ports Ports, stopped time.Time) *Evidence {
	return &Evidence{Packets: pkts, Conns: stream.TCPConns(pkts), Role: role, Ports: ports, Stopped: stopped}
}

// AfterStop reports whether frame i was captured after verify stopped
// the program.
func (e *Evidence) AfterStop(i int) bool {
	return !e.Stopped.IsZero() && e.Packets[i].Time.After(e.Stopped)
}

// Finding is a check's outcome. Key names the sentence that says it,
// verify.found.<Key> in ui.toml, filled with Data; Frame is the frame
// (from 1) that proves it or shows what is wrong, 0 for none.
type Finding struct {
	OK    bool
	Key   string
	Frame int
	Data  map[string]any
}
