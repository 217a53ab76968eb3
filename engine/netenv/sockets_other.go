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
