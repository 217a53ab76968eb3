package ping

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"

	"wiretutor/engine/net/netenv"
)

// MaxData is the most data an IPv4 echo request can carry: 65535 less a
// 20-byte IP header and the echo header.
const MaxData = 65535 - 20 - HeaderLen

// Where Open may send from, as ping's --net names them.
const (
	Auto    = "auto"    // the kernel's sockets, else (for the loopback) the sandbox
	Kernel  = "kernel"  // a raw socket, else Linux's ping socket
	Sandbox = "sandbox" // the sandbox's stack, which holds only 127.0.0.1
)

// Socket is an open ICMP echo socket and the address to send to. Path
// says which kind it is: "raw", "dgram" (Linux's unprivileged ping
// socket), "sandbox", or "sandbox_auto" (the sandbox, auto's last
// resort). Close it after the session.
type Socket struct {
	Conn  netenv.EchoConn
	Dst   net.Addr
	Path  string
	close func()
}

// Close closes the socket and the sandbox it may be on.
func (s *Socket) Close() { s.close() }

// Open opens the first ICMP echo socket that works toward ip, in
// iputils' order: a raw socket, then Linux's ping socket, then (for
// Auto, and only for a loopback address) the sandbox.
func Open(ctx context.Context, ip net.IP, mode string) (*Socket, error) {
	var kernelErr error
	if mode != Sandbox {
		k := netenv.Kernel{}
		pc, err := k.ListenICMPRaw(ctx)
		if err == nil {
			return &Socket{Conn: pc.(netenv.EchoConn), Dst: &net.IPAddr{IP: ip}, Path: "raw", close: func() { pc.Close() }}, nil
		}
		kernelErr = err
		pc, err = k.ListenICMP(ctx)
		if err == nil {
			return &Socket{Conn: pc.(netenv.EchoConn), Dst: &net.UDPAddr{IP: ip}, Path: "dgram", close: func() { pc.Close() }}, nil
		}
		if mode == Kernel {
			return nil, &SocketError{Err: err}
		}
	}
	if !ip.IsLoopback() {
		if kernelErr != nil {
			return nil, &SocketError{Err: kernelErr}
		}
		return nil, &SandboxHostError{Host: ip.String()}
	}
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		return nil, fmt.Errorf("start sandbox: %w", err)
	}
	pc, err := sb.ListenICMP(ctx)
	if err != nil {
		sb.Close()
		return nil, fmt.Errorf("sandbox icmp socket: %w", err)
	}
	path := "sandbox"
	if mode == Auto {
		path = "sandbox_auto"
	}
	return &Socket{Conn: pc.(netenv.EchoConn), Dst: &net.UDPAddr{IP: ip}, Path: path, close: func() { pc.Close(); sb.Close() }}, nil
}

// Resolve4 finds host's first IPv4 address; an IPv6 address or a name
// without an IPv4 one is an *UnknownHostError.
func Resolve4(ctx context.Context, host string) (net.IP, error) {
	if ip := net.ParseIP(host); ip != nil {
		if ip4 := ip.To4(); ip4 != nil {
			return ip4, nil
		}
		return nil, &UnknownHostError{Host: host}
	}
	ips, err := net.DefaultResolver.LookupIP(ctx, "ip4", host)
	if err != nil || len(ips) == 0 {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &UnknownHostError{Host: host}
	}
	return ips[0].To4(), nil
}

// SocketError: no ICMP echo socket would open; Err says why.
type SocketError struct{ Err error }

// Error says so in English.
func (e *SocketError) Error() string { return "no icmp socket: " + e.Err.Error() }

// Unwrap returns why.
func (e *SocketError) Unwrap() error { return e.Err }

// Denied reports whether the socket was refused for want of a right or
// a sysctl, rather than for some other reason.
func (e *SocketError) Denied() bool { return errors.Is(e.Err, os.ErrPermission) }

// Message names the sentence that tells the learner: how to get the
// right when it was denied (the command line fills in Exe).
func (e *SocketError) Message() (string, map[string]any) {
	if e.Denied() {
		return "error.ping_denied", nil
	}
	return "error.ping_socket", map[string]any{"Err": e.Err.Error()}
}

// UnknownHostError: the name did not resolve to an IPv4 address.
type UnknownHostError struct{ Host string }

// Error says so in English.
func (e *UnknownHostError) Error() string { return "unknown host " + e.Host }

// Message names the sentence that tells the learner.
func (e *UnknownHostError) Message() (string, map[string]any) {
	return "error.unknown_host", map[string]any{"Host": e.Host}
}

// SandboxHostError: the sandbox has only the loopback, and Host is not on it.
type SandboxHostError struct{ Host string }

// Error says so in English.
func (e *SandboxHostError) Error() string { return "sandbox cannot reach " + e.Host }

// Message names the sentence that tells the learner (the command line
// fills in Exe).
func (e *SandboxHostError) Message() (string, map[string]any) {
	return "error.sandbox_host", map[string]any{"Host": e.Host}
}
