//go:build !linux

package lessons

import "net"

// corkSends is a no-op where the kernel has no TCP_CORK: the half-close's
// echo may then come before the client's FIN, and the lesson says so.
func corkSends(net.Conn) {}
