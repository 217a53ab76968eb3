package netenv

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// tuneControl sets t on a kernel socket before it connects.
func tuneControl(t Tuning) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			if t.MaxSeg > 0 {
				serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_MAXSEG, t.MaxSeg)
			}
			if t.RecvBuffer > 0 && serr == nil {
				serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, t.RecvBuffer)
			}
		})
		if err != nil {
			return err
		}
		return serr
	}
}
