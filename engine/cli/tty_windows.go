//go:build windows

package cli

import "os"

// openTTY opens the console's screen buffer for writing.
func openTTY() (*os.File, error) { return os.OpenFile("CONOUT$", os.O_RDWR, 0) }
