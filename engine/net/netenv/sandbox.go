package netenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv6"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/icmp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
	"gvisor.dev/gvisor/pkg/waiter"
)

const sandboxNIC tcpip.NICID = 1

// Sandbox is an in-process TCP/IP stack (gVisor's netstack) with one
// loopback interface holding 127.0.0.1 and ::1. A lesson's servers and
// clients talk through it with no privileges on any system; every frame
// crosses a link that records it once and can impair it.
type Sandbox struct {
	s    *stack.Stack
	link *link
	// clock and rand are a seeded sandbox's clock and its programs'
	// random stream; nil when its numbers are fresh.
	clock *eventClock
	rand  io.Reader
	// pair is the two-host network the sandbox is a host of, nil for a
	// lone sandbox; peerHost is the server's host, on the client's.
	pair     *Pair
	peerHost *Sandbox
}

// peer is the server's host of the client's host of a Pair.
func (sb *Sandbox) peer() Net {
	if sb.peerHost == nil {
		return nil
	}
	return sb.peerHost
}

// NewSandbox builds a sandbox network whose numbers are fresh on every
// run, as a real stack's are. Close it when done.
func NewSandbox(imp Impairment) (*Sandbox, error) { return newSandbox(imp, nil) }

// NewSeededSandbox builds a sandbox network that makes the same capture
// on every run for the same seed and the same programs: the same ports,
// initial sequence numbers, TCP timestamps and frame times (see
// seed.go for how). Close it when done.
func NewSeededSandbox(imp Impairment, seed uint64) (*Sandbox, error) { return newSandbox(imp, &seed) }

func newSandbox(imp Impairment, seed *uint64) (*Sandbox, error) {
	opts := stack.Options{
		NetworkProtocols:   []stack.NetworkProtocolFactory{ipv4.NewProtocol, ipv6.NewProtocol},
		TransportProtocols: []stack.TransportProtocolFactory{tcp.NewProtocol, udp.NewProtocol, icmp.NewProtocol4, icmp.NewProtocol6},
	}
	l := newLink(imp)
	sb := &Sandbox{link: l}
	if seed != nil {
		rng := newSeededRNG(*seed, "stack")
		sb.clock, sb.rand = newEventClock(), newSeededRNG(*seed, "programs")
		opts.SecureRNG, opts.RandSource, opts.Clock = rng, rng, sb.clock
		l.stamp = sb.clock.frameTime
	}
	s := stack.New(opts)
	sb.s = s
	if err := s.CreateNIC(sandboxNIC, l); err != nil {
		s.Destroy()
		return nil, fmt.Errorf("sandbox interface: %s", err)
	}
	for _, a := range []struct {
		proto tcpip.NetworkProtocolNumber
		addr  tcpip.AddressWithPrefix
	}{
		{ipv4.ProtocolNumber, tcpip.AddressWithPrefix{Address: tcpip.AddrFrom4([4]byte{127, 0, 0, 1}), PrefixLen: 8}},
		{ipv6.ProtocolNumber, tcpip.AddressWithPrefix{Address: tcpip.AddrFrom16([16]byte{15: 1}), PrefixLen: 128}},
	} {
		if err := s.AddProtocolAddress(sandboxNIC, tcpip.ProtocolAddress{Protocol: a.proto, AddressWithPrefix: a.addr}, stack.AddressProperties{}); err != nil {
			s.Destroy()
			return nil, fmt.Errorf("sandbox address: %s", err)
		}
	}
	s.SetRouteTable([]tcpip.Route{
		{Destination: header.IPv4EmptySubnet, NIC: sandboxNIC},
		{Destination: header.IPv6EmptySubnet, NIC: sandboxNIC},
	})
	// Offer selective acknowledgements, as Linux does.
	sack := tcpip.TCPSACKEnabled(true)
	s.SetTransportProtocolOption(tcp.ProtocolNumber, &sack)
	return sb, nil
}

// Name returns "sandbox".
func (*Sandbox) Name() string { return "sandbox" }

// Close tears the stack down: every endpoint is aborted and every
// goroutine ends. A host of a Pair closes the pair.
func (sb *Sandbox) Close() error {
	if sb.pair != nil {
		return sb.pair.Close()
	}
	sb.s.Destroy()
	sb.link.Close()
	sb.link.Wait()
	return nil
}

// Stack exposes the gVisor stack, for the socket table and tests.
func (sb *Sandbox) Stack() *stack.Stack { return sb.s }

// Tap calls fn with every frame the link carries from now on, until the
// returned function is called: an Ethernet frame with zeroed addresses,
// like Linux's loopback, and its time. fn runs on the sending goroutine:
// it must not block, and must copy the frame to keep it.
func (sb *Sandbox) Tap(fn func(t time.Time, frame []byte)) (untap func()) { return sb.link.tap(fn) }

// fullAddress turns "127.0.0.1:10000" into gVisor's address.
func fullAddress(network, address string) (tcpip.FullAddress, tcpip.NetworkProtocolNumber, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return tcpip.FullAddress{}, 0, err
	}
	p, err := net.LookupPort(strings.TrimRight(network, "46"), port)
	if err != nil {
		return tcpip.FullAddress{}, 0, err
	}
	fa := tcpip.FullAddress{NIC: sandboxNIC, Port: uint16(p)}
	proto := ipv4.ProtocolNumber
	switch host {
	case "", "0.0.0.0":
		if strings.HasSuffix(network, "6") {
			proto = ipv6.ProtocolNumber
		}
		return fa, proto, nil
	case "localhost":
		host = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return tcpip.FullAddress{}, 0, fmt.Errorf("the sandbox knows only IP addresses, not %q", host)
	}
	if ip.Is4() {
		fa.Addr = tcpip.AddrFrom4(ip.As4())
	} else {
		fa.Addr = tcpip.AddrFrom16(ip.As16())
		proto = ipv6.ProtocolNumber
	}
	return fa, proto, nil
}

// sysErr gives a netstack error the errno that net would have given, so
// errors.Is(err, syscall.EADDRINUSE) works in both modes.
func sysErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, m := range []struct {
		text  string
		errno syscall.Errno
	}{
		{"port is in use", syscall.EADDRINUSE},
		{"connection was refused", syscall.ECONNREFUSED},
		{"no route to host", syscall.EHOSTUNREACH},
		{"network is unreachable", syscall.ENETUNREACH},
		{"address not available", syscall.EADDRNOTAVAIL},
		{"connection reset by peer", syscall.ECONNRESET},
	} {
		if strings.Contains(msg, m.text) {
			return fmt.Errorf("%w: %w", err, m.errno)
		}
	}
	return err
}

// Listen listens for TCP connections on the sandbox.
func (sb *Sandbox) Listen(ctx context.Context, network, address string) (net.Listener, error) {
	if !strings.HasPrefix(network, "tcp") {
		return nil, fmt.Errorf("sandbox listen: %w: %s", errors.ErrUnsupported, network)
	}
	fa, proto, err := fullAddress(network, address)
	if err != nil {
		return nil, err
	}
	ln, err := listenTCP(sb.s, fa, proto)
	if err != nil {
		return nil, sysErr(err)
	}
	return ln, nil
}

// listenTCP is gonet.ListenTCP with SO_REUSEADDR set before the bind,
// as Go sets it on the kernel's listeners: a server started again within
// a minute binds its port while the earlier run's connections on it wait
// in TIME_WAIT.
func listenTCP(s *stack.Stack, addr tcpip.FullAddress, proto tcpip.NetworkProtocolNumber) (net.Listener, error) {
	var wq waiter.Queue
	ep, terr := s.NewEndpoint(tcp.ProtocolNumber, proto, &wq)
	if terr != nil {
		return nil, errors.New(terr.String())
	}
	ep.SocketOptions().SetReuseAddress(true)
	op := func(name string, terr tcpip.Error) error {
		ep.Close()
		a := &net.TCPAddr{IP: net.IP(addr.Addr.AsSlice()), Port: int(addr.Port)}
		return &net.OpError{Op: name, Net: "tcp", Addr: a, Err: errors.New(terr.String())}
	}
	if terr := ep.Bind(addr); terr != nil {
		return nil, op("bind", terr)
	}
	if terr := ep.Listen(listenBacklog); terr != nil {
		return nil, op("listen", terr)
	}
	return gonet.NewTCPListener(s, &wq, ep), nil
}

// listenBacklog is gonet's backlog for its listeners.
const listenBacklog = 1024

// ListenPacket opens a UDP socket on the sandbox.
func (sb *Sandbox) ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error) {
	if !strings.HasPrefix(network, "udp") {
		return nil, fmt.Errorf("sandbox listen: %w: %s", errors.ErrUnsupported, network)
	}
	fa, proto, err := fullAddress(network, address)
	if err != nil {
		return nil, err
	}
	c, err := gonet.DialUDP(sb.s, &fa, nil, proto)
	if err != nil {
		return nil, sysErr(err)
	}
	return c, nil
}

// ListenICMP opens an ICMP echo socket on the sandbox, which behaves as
// Linux's ping sockets do (see Net).
func (sb *Sandbox) ListenICMP(ctx context.Context) (net.PacketConn, error) {
	var wq waiter.Queue
	ep, err := sb.s.NewEndpoint(icmp.ProtocolNumber4, ipv4.ProtocolNumber, &wq)
	if err != nil {
		return nil, sysErr(errors.New(err.String()))
	}
	ep.SocketOptions().SetReceiveTTL(true)
	return &sandboxICMP{UDPConn: gonet.NewUDPConn(&wq, ep), ep: ep, wq: &wq}, nil
}

// Dial connects over the sandbox, TCP or UDP.
func (sb *Sandbox) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	fa, proto, err := fullAddress(network, address)
	if err != nil {
		return nil, err
	}
	switch {
	case strings.HasPrefix(network, "tcp"):
		c, err := gonet.DialContextTCP(ctx, sb.s, fa, proto)
		if err != nil {
			return nil, sysErr(err)
		}
		return c, nil
	case strings.HasPrefix(network, "udp"):
		c, err := gonet.DialUDP(sb.s, nil, &fa, proto)
		if err != nil {
			return nil, sysErr(err)
		}
		return c, nil
	}
	return nil, fmt.Errorf("sandbox dial: %w: %s", errors.ErrUnsupported, network)
}

// EphemeralRange returns the ports the sandbox hands out to sockets that
// do not bind one.
func (sb *Sandbox) EphemeralRange() (lo, hi uint16, err error) {
	lo, hi = sb.s.PortRange()
	return lo, hi, nil
}
