// Package netenv is where a lesson's traffic flows: the operating
// system's own network (kernel) or, in issue 3's sandbox, an in-process
// stack. Servers and lesson clients listen and dial only through a Net,
// so the same code runs in either.
package netenv

import (
	"context"
	"net"
)

// Net is a network to listen and dial on.
type Net interface {
	// Name is "kernel" or "sandbox".
	Name() string
	Listen(ctx context.Context, network, address string) (net.Listener, error)
	ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error)
	Dial(ctx context.Context, network, address string) (net.Conn, error)
}

// Kernel is the operating system's network stack; lessons use its
// loopback.
type Kernel struct{}

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

// Dial connects through the host's stack.
func (Kernel) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, network, address)
}
