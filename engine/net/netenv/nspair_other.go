//go:build !linux

package netenv

import (
	"context"
	"errors"
	"net"
)

// The veth pair's interface names (Linux only).
const (
	NSClientLink = "wt0"
	NSServerLink = "wt1"
)

// ErrNoNamespaces: this system has no network namespaces to make two
// hosts of the real kernel; the sandbox's pair is the two hosts here.
var ErrNoNamespaces = errors.New("network namespaces need Linux")

// NSPair is two hosts of the real kernel, which only Linux makes.
type NSPair struct {
	Client, Server *NSHost
}

// NSHost is one host of an NSPair.
type NSHost struct{}

// NewNamespacePair returns ErrNoNamespaces.
func NewNamespacePair() (*NSPair, error) { return nil, ErrNoNamespaces }

// Close does nothing.
func (p *NSPair) Close() error { return nil }

// Do returns ErrNoNamespaces.
func (h *NSHost) Do(f func() error) error { return ErrNoNamespaces }

// Name returns "kernel".
func (h *NSHost) Name() string { return "kernel" }

// Listen returns ErrNoNamespaces.
func (h *NSHost) Listen(context.Context, string, string) (net.Listener, error) {
	return nil, ErrNoNamespaces
}

// ListenPacket returns ErrNoNamespaces.
func (h *NSHost) ListenPacket(context.Context, string, string) (net.PacketConn, error) {
	return nil, ErrNoNamespaces
}

// Dial returns ErrNoNamespaces.
func (h *NSHost) Dial(context.Context, string, string) (net.Conn, error) { return nil, ErrNoNamespaces }

// ListenICMP returns ErrNoNamespaces.
func (h *NSHost) ListenICMP(context.Context) (net.PacketConn, error) { return nil, ErrNoNamespaces }
