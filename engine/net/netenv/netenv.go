// Package netenv is where a lesson's traffic flows: the operating
// system's own network (kernel) or, in issue 3's sandbox, an in-process
// stack. Servers and lesson clients listen and dial only through a Net,
// so the same code runs in either.
package netenv

import (
	"context"
	"net"

	"golang.org/x/net/icmp"
)

// Net is a network to listen and dial on.
type Net interface {
	// Name is "kernel" or "sandbox".
	Name() string
	Listen(ctx context.Context, network, address string) (net.Listener, error)
	ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error)
	Dial(ctx context.Context, network, address string) (net.Conn, error)
	// ListenICMP opens an ICMP echo ("ping") socket for IPv4, as Linux's
	// unprivileged ping sockets work: WriteTo sends an ICMP message (type,
	// code, checksum, identifier, sequence, data) to a *net.UDPAddr whose
	// IP is the target; the identifier is replaced by the socket's own;
	// ReadFrom returns the echo replies for this socket, header included.
	// The socket also has ReadTTL and SetTTL (see EchoConn).
	ListenICMP(ctx context.Context) (net.PacketConn, error)
}

// HalfCloser is a connection whose sending side can be shut alone (a
// FIN sent while reading goes on): the kernel's and the sandbox's TCP
// connections are.
type HalfCloser interface {
	CloseWrite() error
}

// SocketLister is a network that can show its socket table, as ss and
// netstat do: Kernel and the Sandbox are.
type SocketLister interface {
	Sockets() ([]Socket, error)
}

// Kernel is the operating system's network stack; lessons use its
// loopback.
type Kernel struct {
	// Namespace is set inside wiretutor's private network namespace,
	// whose loopback is the process's own, not the computer's.
	Namespace bool
}

// Private reports whether the loopback is the private namespace's.
func (k Kernel) Private() bool { return k.Namespace }

// Name returns "kernel".
func (Kernel) Name() string { return "kernel" }

// Listen listens on the host's stack.
func (Kernel) Listen(ctx context.Context, network, address string) (net.Listener, error) {
	var lc net.ListenConfig
	return lc.Listen(ctx, network, address)
}

// ListenPacket listens for datagrams on the host's stack.
func (Kernel) ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error) {
	var lc net.ListenConfig
	return lc.ListenPacket(ctx, network, address)
}

// ListenICMP opens an unprivileged ICMP datagram socket; Linux allows it
// to the groups in net.ipv4.ping_group_range. Where that is closed but
// a raw socket is allowed (root, CAP_NET_RAW: always so when kernel mode
// captures), it returns a raw socket dressed as a ping socket instead;
// that one keeps the identifier as written.
func (k Kernel) ListenICMP(ctx context.Context) (net.PacketConn, error) {
	c, err := icmp.ListenPacket("udp4", "0.0.0.0")
	if err == nil {
		return newKernelICMP(c), nil
	}
	raw, rawErr := icmp.ListenPacket("ip4:icmp", "0.0.0.0")
	if rawErr != nil {
		return nil, err // the ping socket's reason is the one to tell
	}
	return rawEcho{newKernelICMP(raw)}, nil
}

// ListenICMPRaw opens a raw ICMP socket, which needs CAP_NET_RAW (or
// Administrator): WriteTo sends to a *net.IPAddr and the identifier is
// kept as written; ReadFrom returns every ICMP message the host receives.
func (Kernel) ListenICMPRaw(ctx context.Context) (net.PacketConn, error) {
	c, err := icmp.ListenPacket("ip4:icmp", "0.0.0.0")
	if err != nil {
		return nil, err
	}
	return newKernelICMP(c), nil
}

// Dial connects through the host's stack.
func (Kernel) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, network, address)
}

// EphemeralRange returns the ports the kernel hands out to sockets that
// do not bind one (Linux's net.ipv4.ip_local_port_range).
func (Kernel) EphemeralRange() (lo, hi uint16, err error) { return ephemeralRange() }
