package files_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/testkit/testenv"
)

// TestPythonClient: the README's Python client, in the lab's style, gets
// a file from the server unchanged, and says what an ERR reply said.
func TestPythonClient(t *testing.T) {
	py := testenv.Python3(t)
	srv, _, _ := start(t, netenv.Kernel{}, nil)
	_, port, _ := strings.Cut(srv.Addr().String(), ":")
	script, _ := filepath.Abs(testenv.Testdata("files_get.py"))
	dir := t.TempDir()
	for _, tc := range []struct {
		name, out string
		ok        bool
	}{
		{"sub/deep.bin", "100000 bytes\n", true},
		{"missing", "the server says: not-found\n", false},
	} {
		cmd := exec.Command(py, script, tc.name, port)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if (err == nil) != tc.ok || string(out) != tc.out {
			t.Errorf("%s: %q %v", tc.name, out, err)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "deep.bin")); err != nil || st.Size() != 100000 {
		t.Errorf("saved: %v %v", st, err)
	}
}
