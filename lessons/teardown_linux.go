//go:build linux

package lessons

import (
	"net"
	"syscall"
)

// corkSends has the kernel hold back what is written on c (TCP_CORK)
// until it is shut: the half-close's data then leaves with its FIN, in
// one segment, and the echo of it always comes after that FIN. A
// connection of the sandbox is left as it is: its stack sends the FIN
// before the server has answered anyway.
func corkSends(c net.Conn) {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return
	}
	raw.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK, 1)
	})
}
