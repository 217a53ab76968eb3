//go:build !windows

package cli

import "os"

// openTTY opens the process's controlling terminal for writing.
func openTTY() (*os.File, error) { return os.OpenFile("/dev/tty", os.O_WRONLY, 0) }
