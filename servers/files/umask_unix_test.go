//go:build unix

package files_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"wiretutor/engine/net/netenv"
)

// TestPutHonoursUmask: a stored file gets the mode any new file of the
// process gets.
func TestPutHonoursUmask(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	_, root, cl := start(t, netenv.Kernel{}, nil)
	must(t, cl.Put(context.Background(), "m.bin", bytes.NewReader([]byte("x")), 1, nil))
	st, err := os.Stat(filepath.Join(root, "m.bin"))
	must(t, err)
	if st.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v, want 0640 under umask 027", st.Mode().Perm())
	}
}
