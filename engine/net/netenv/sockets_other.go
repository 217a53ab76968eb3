//go:build !linux

package netenv

import (
	"errors"
	"fmt"
)

// Sockets is available on Linux only; the sandbox has its own table on
// every system.
func (Kernel) Sockets() ([]Socket, error) {
	return nil, fmt.Errorf("socket table: %w", errors.ErrUnsupported)
}

func ephemeralRange() (lo, hi uint16, err error) {
	return 0, 0, fmt.Errorf("ephemeral port range: %w", errors.ErrUnsupported)
}
