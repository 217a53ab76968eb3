//go:build !linux

package netenv

import "syscall"

// tuneControl keeps the stack's MSS and buffer where the system's
// options differ; the lesson's client then sets its buffer after the
// connect (net.TCPConn.SetReadBuffer).
func tuneControl(Tuning) func(network, address string, c syscall.RawConn) error { return nil }
