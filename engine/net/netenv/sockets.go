package netenv

import (
	"cmp"
	"net/netip"
	"reflect"
	"slices"
	"strings"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
)

// Socket is one row of a socket table, as netstat and ss show it.
type Socket struct {
	Proto  string // "tcp", "tcp6", "udp", "udp6"
	Local  netip.AddrPort
	Remote netip.AddrPort // zero for a listening or unconnected socket
	State  string         // LISTEN, ESTABLISHED, TIME_WAIT, ...; "" for UDP
	Inode  uint64         // the kernel's socket inode; 0 in the sandbox
	// Process is "name/pid" of the process holding the socket, where
	// known (the kernel's table, for processes this user may inspect).
	Process string
	// ID tells this socket apart from every other one, also from an
	// earlier socket on the same addresses in the same state: the
	// kernel's socket cookie (which a connection keeps in TIME_WAIT), or
	// the sandbox's endpoint. 0 when the table could not say.
	ID uint64
	// ep holds the sandbox's endpoint while a Socket names it, so that
	// its address, the ID, is not given to another endpoint meanwhile.
	ep any
}

// linuxStates names /proc/net/tcp's state numbers the way netstat does.
// 12 is a connection request not yet accepted (TCP_NEW_SYN_RECV), which
// sock_diag reports and /proc/net shows as SYN_RECV.
var linuxStates = [...]string{1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2",
	6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING", 12: "SYN_RECV"}

func linuxState(n uint64) string {
	if n < uint64(len(linuxStates)) && linuxStates[n] != "" {
		return linuxStates[n]
	}
	return "UNKNOWN"
}

// sortSockets orders a table by protocol, local port, then remote.
func sortSockets(s []Socket) {
	slices.SortFunc(s, func(a, b Socket) int {
		return cmp.Or(
			cmp.Compare(a.Proto, b.Proto),
			cmp.Compare(a.Local.Port(), b.Local.Port()),
			a.Local.Addr().Compare(b.Local.Addr()),
			cmp.Compare(a.Remote.Port(), b.Remote.Port()),
		)
	})
}

// Sockets lists the sandbox's TCP and UDP sockets with their states,
// the same way the kernel's table shows them.
func (sb *Sandbox) Sockets() ([]Socket, error) {
	var out []Socket
	for _, te := range sb.s.RegisteredEndpoints() {
		ep, ok := te.(tcpip.Endpoint)
		if !ok {
			continue
		}
		info, ok := ep.Info().(*stack.TransportEndpointInfo)
		if !ok {
			continue
		}
		id := info.ID
		sock := Socket{
			Local:  netip.AddrPortFrom(addrOf(id.LocalAddress), id.LocalPort),
			Remote: netip.AddrPortFrom(addrOf(id.RemoteAddress), id.RemotePort),
			// An endpoint is one object from its creation to its end,
			// TIME_WAIT included.
			ID: uint64(reflect.ValueOf(te).Pointer()), ep: te,
		}
		v6 := sock.Local.Addr().Is6() && !sock.Local.Addr().Is4In6()
		switch info.TransProto {
		case tcp.ProtocolNumber:
			sock.Proto = "tcp"
			sock.State = strings.NewReplacer("-", "_", "SYN_RCVD", "SYN_RECV", "CLOSED", "CLOSE").
				Replace(tcp.EndpointState(ep.State()).String())
		case udp.ProtocolNumber:
			sock.Proto = "udp"
		default:
			continue
		}
		if v6 {
			sock.Proto += "6"
		}
		if !sock.Remote.Addr().IsValid() || sock.Remote.Port() == 0 {
			sock.Remote = netip.AddrPort{}
		}
		out = append(out, sock)
	}
	sortSockets(out)
	return out, nil
}

func addrOf(a tcpip.Address) netip.Addr {
	switch a.Len() {
	case 4:
		return netip.AddrFrom4(a.As4())
	case 16:
		return netip.AddrFrom16(a.As16())
	}
	return netip.IPv4Unspecified()
}

// UnconnectedRemote is what ss and netstat print as the remote end of a
// socket: its address, or 0.0.0.0:* ([::]:* for IPv6) when it has none.
func UnconnectedRemote(s Socket) string {
	switch {
	case s.Remote.IsValid():
		return s.Remote.String()
	case s.Local.Addr().Is6():
		return "[::]:*"
	}
	return "0.0.0.0:*"
}
