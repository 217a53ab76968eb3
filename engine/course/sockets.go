package course

import (
	"net/netip"
	"slices"
	"strings"

	"wiretutor/engine/net/netenv"
)

// The socket tables a lesson shows hold this run's sockets only. A run
// made within a minute of another (a rerun, or "r" at a pause) finds the
// earlier run's connections still in TIME_WAIT on the same ports, and a
// table that showed them would contradict the text ("one socket", "three
// rows").
//
// The rule: a socket is this run's when it did not exist before the
// exchange began. The runner lists every socket (any port: the lesson's
// are not known yet) before it starts the exchange, and leaves those out
// of every snapshot. Sockets are told apart by their ID, which a
// connection keeps through TIME_WAIT and no later socket shares, not by
// their addresses and state: a new connection may reuse the 4-tuple of
// one in TIME_WAIT (Linux does on the loopback), and after its own close
// it is again that 4-tuple in TIME_WAIT; keyed by addresses it would be
// hidden, keyed by addresses and state it would be hidden after the
// close, and an earlier socket still closing (FIN_WAIT2, then TIME_WAIT)
// would show once its state moved. Nor is the capture the judge: a
// table taken before the capture holds a reused 4-tuple would show the
// earlier socket, and a table taken before its connection's packets are
// read could not be judged at all. Only where the table has no IDs (the
// kernel's /proc/net fallback) are sockets keyed by addresses and state.

// socketKey identifies a socket within a table and across tables.
type socketKey struct {
	proto         string
	id            uint64
	local, remote netip.AddrPort
	state         string
}

func keyOf(s netenv.Socket) socketKey {
	if s.ID != 0 {
		return socketKey{proto: s.Proto, id: s.ID}
	}
	return socketKey{proto: s.Proto, local: s.Local, remote: s.Remote, state: s.State}
}

// baseline notes the sockets that exist before the exchange begins, and
// forgets the tables of an earlier run of the exchange.
func (h *hooks) baseline() {
	h.run.snap = nil
	h.before = map[socketKey]netenv.Socket{}
	sl, ok := h.run.o.Net.(netenv.SocketLister)
	if !ok {
		return
	}
	all, err := sl.Sockets()
	if err != nil {
		return
	}
	for _, s := range all {
		h.before[keyOf(s)] = s // the value keeps a sandbox endpoint, and so its ID, alive
	}
}

// Snapshot records this run's sockets on the lesson's ports.
func (h *hooks) Snapshot(label string) {
	sl, ok := h.run.o.Net.(netenv.SocketLister)
	if !ok {
		return
	}
	all, err := sl.Sockets()
	if err != nil {
		return // a lesson without its table is still a lesson
	}
	var mine []netenv.Socket
	for _, s := range all {
		if _, old := h.before[keyOf(s)]; !old && h.run.port.owns(s) {
			mine = append(mine, s)
		}
	}
	if h.run.snap == nil {
		h.run.snap = map[string][]netenv.Socket{}
	}
	h.run.snap[label] = mine
}

// owns reports whether a socket is on one of the lesson's ports.
func (p Ports) owns(s netenv.Socket) bool {
	ports := p.UDP
	if strings.HasPrefix(s.Proto, "tcp") {
		ports = p.TCP
	}
	return slices.Contains(ports, int(s.Local.Port())) || slices.Contains(ports, int(s.Remote.Port()))
}
