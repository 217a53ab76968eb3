// Package listen is what the course's servers share when they open a
// port: loopback by default, one error that names the port it could not
// bind, and the loop that accepts and serves connections.
package listen

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
)

// DefaultHost is where servers listen unless told otherwise: only this
// machine can reach them.
const DefaultHost = "127.0.0.1"

// BindError is returned when a port cannot be bound; Proto and Port say
// which, and errors.Is(err, syscall.EADDRINUSE) tells a port in use.
type BindError struct {
	Proto string
	Port  int
	Err   error
}

// Error names the protocol, the port and the cause.
func (e *BindError) Error() string {
	return fmt.Sprintf("listen %s port %d: %v", e.Proto, e.Port, e.Err)
}

// Unwrap returns the cause, such as syscall.EADDRINUSE.
func (e *BindError) Unwrap() error { return e.Err }

// Message names the sentence that tells a person about a port in use or
// one only root may open; none (an empty id) for another cause.
func (e *BindError) Message() (string, map[string]any) {
	data := map[string]any{"Port": e.Port, "Proto": strings.ToUpper(e.Proto)}
	switch {
	case errors.Is(e.Err, syscall.EADDRINUSE):
		return "error.port_in_use_lesson", data
	case errors.Is(e.Err, syscall.EACCES):
		return "error.port_denied", data
	}
	return "", nil
}

// Listener is the part of a network that listens for TCP.
type Listener interface {
	Listen(ctx context.Context, network, address string) (net.Listener, error)
}

// Addr joins host (DefaultHost when empty) and port.
func Addr(host string, port int) string {
	if host == "" {
		host = DefaultHost
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// TCP listens on host:port, failing with a *BindError.
func TCP(ctx context.Context, n Listener, host string, port int) (net.Listener, error) {
	ln, err := n.Listen(ctx, "tcp", Addr(host, port))
	if err != nil {
		return nil, &BindError{Proto: "tcp", Port: port, Err: err}
	}
	return ln, nil
}

// PacketListener is the part of a network that opens UDP sockets.
type PacketListener interface {
	ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error)
}

// UDP opens a UDP socket on host:port, failing with a *BindError.
func UDP(ctx context.Context, n PacketListener, host string, port int) (net.PacketConn, error) {
	pc, err := n.ListenPacket(ctx, "udp", Addr(host, port))
	if err != nil {
		return nil, &BindError{Proto: "udp", Port: port, Err: err}
	}
	return pc, nil
}
