//go:build unix

package atomicfile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// The umask is the process's, so each case runs in a child: the test
// binary again, told by the environment to set its umask and write.
const (
	envDir   = "ATOMICFILE_TEST_DIR"
	envUmask = "ATOMICFILE_TEST_UMASK"
)

// TestUmaskChild is the child's side of TestUmask; run directly, it skips.
func TestUmaskChild(t *testing.T) {
	dir := os.Getenv(envDir)
	if dir == "" {
		t.Skip("run by TestUmask in a child process")
	}
	mask, err := strconv.ParseUint(os.Getenv(envUmask), 8, 32)
	if err != nil {
		t.Fatal(err)
	}
	syscall.Umask(int(mask))
	for name, write := range map[string]func(string) error{
		"ordinary": func(p string) error { return WriteFile(p, []byte("x"), 0o666) },
		"progress": func(p string) error { return WriteFile(p, []byte("x"), 0o600) },
		"private":  func(p string) error { return WritePrivate(p, []byte("token")) },
		"private-create": func(p string) error {
			f, err := CreatePrivate(p)
			if err != nil {
				return err
			}
			f.WriteString("token")
			return f.Commit()
		},
	} {
		if err := write(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	// Replacing a file gives the new one the mode of a new file too.
	p := filepath.Join(dir, "replaced")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(p, 0o666)
	if err := WriteFile(p, []byte("new"), 0o666); err != nil {
		t.Fatal(err)
	}
}

func TestUmask(t *testing.T) {
	tests := []struct {
		umask string
		want  map[string]os.FileMode
	}{
		{"022", map[string]os.FileMode{"ordinary": 0o644, "progress": 0o600, "private": 0o600, "private-create": 0o600, "replaced": 0o644}},
		{"077", map[string]os.FileMode{"ordinary": 0o600, "progress": 0o600, "private": 0o600, "private-create": 0o600, "replaced": 0o600}},
		{"002", map[string]os.FileMode{"ordinary": 0o664, "progress": 0o600, "private": 0o600, "private-create": 0o600, "replaced": 0o664}},
		{"000", map[string]os.FileMode{"ordinary": 0o666, "progress": 0o600, "private": 0o600, "private-create": 0o600, "replaced": 0o666}},
		// A umask that would take the owner's own write away still
		// leaves a private file readable and writable by its owner.
		{"277", map[string]os.FileMode{"ordinary": 0o400, "progress": 0o400, "private": 0o600, "private-create": 0o600, "replaced": 0o400}},
	}
	for _, tt := range tests {
		t.Run("umask "+tt.umask, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestUmaskChild$", "-test.v")
			cmd.Env = append(os.Environ(), envDir+"="+dir, envUmask+"="+tt.umask)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			ents, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(ents) != len(tt.want) {
				t.Errorf("%d files in the folder, want %d (no temporaries left)", len(ents), len(tt.want))
			}
			for name, want := range tt.want {
				fi, err := os.Stat(filepath.Join(dir, name))
				if err != nil {
					t.Error(err)
					continue
				}
				if got := fi.Mode().Perm(); got != want {
					t.Errorf("%s: mode %#o, want %#o", name, got, want)
				}
			}
		})
	}
}
