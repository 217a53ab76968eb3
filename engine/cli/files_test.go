package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wiretutor/engine/net/netenv"
	"wiretutor/servers/files"
)

// fileServer serves a folder holding a.txt and big.bin on a free port.
func fileServer(t *testing.T, readOnly bool) (addr, root string) {
	t.Helper()
	root = t.TempDir()
	os.WriteFile(filepath.Join(root, "a.txt"), []byte("hello\n"), 0o644)
	os.WriteFile(filepath.Join(root, "big.bin"), bytes.Repeat([]byte("x"), 3_000_000), 0o644)
	os.Mkdir(filepath.Join(root, "sub"), 0o755)
	srv := &files.Server{Net: netenv.Kernel{}, Port: 0, Dir: root, ReadOnly: readOnly}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv.Addr().String(), root
}

func TestGetAndSend(t *testing.T) {
	addr, root := fileServer(t, false)
	out := t.TempDir()
	dst := filepath.Join(out, "big.bin")
	code, stdout, stderr := run(t, nil, "get", addr+":big.bin", "-o", dst)
	if code != 0 {
		t.Fatalf("get: %d %q %q", code, stdout, stderr)
	}
	if st, err := os.Stat(dst); err != nil || st.Size() != 3_000_000 {
		t.Fatalf("saved: %v %v", st, err)
	}
	// Not a terminal: one line at the end, no bar.
	if !strings.HasPrefix(stderr, "Got big.bin: 3.0 MB in ") || strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "[") {
		t.Errorf("final line: %q", stderr)
	}
	// The file is there now: no overwrite without --force.
	code, _, stderr = run(t, nil, "get", addr+":big.bin", "-o", dst)
	if code != 1 || !strings.Contains(stderr, "--force") {
		t.Errorf("overwrite: %d %q", code, stderr)
	}
	if code, _, stderr = run(t, nil, "get", addr+":a.txt", "-o", dst, "--force"); code != 0 {
		t.Errorf("--force: %d %q", code, stderr)
	}
	if b, _ := os.ReadFile(dst); string(b) != "hello\n" {
		t.Errorf("after --force: %q", b)
	}
	code, stdout, _ = run(t, nil, "get", addr+":a.txt", "-o", "-")
	if code != 0 || stdout != "hello\n" {
		t.Errorf("-o -: %d %q", code, stdout)
	}
	code, stdout, _ = run(t, nil, "get", "--list", addr+":")
	if code != 0 || stdout != "6 B  a.txt\n3.0 MB  big.bin\n     -  sub/\n" && stdout != "   6 B  a.txt\n3.0 MB  big.bin\n     -  sub/\n" {
		t.Errorf("--list: %d %q", code, stdout)
	}
	code, _, stderr = run(t, nil, "send", dst, "--to", addr, "--as", "sub/up.txt")
	if code != 0 || !strings.HasPrefix(stderr, "Sent sub/up.txt to "+addr) {
		t.Errorf("send: %d %q", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "sub", "up.txt")); string(b) != "hello\n" {
		t.Errorf("stored: %q", b)
	}
	leftovers, _ := filepath.Glob(filepath.Join(out, ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// TestFilesErrors: every failure is one sentence in the user's language,
// and a failed get leaves no file behind.
func TestFilesErrors(t *testing.T) {
	addr, _ := fileServer(t, true)
	out := t.TempDir()
	for _, tc := range []struct {
		lang string
		args []string
		want string
	}{
		{"en", []string{"get", addr + ":nope"}, "The server refused nope: the server has nothing of that name."},
		{"ru", []string{"get", addr + ":nope"}, "Сервер отклонил запрос «nope»: на сервере нет ничего с таким именем."},
		{"zh", []string{"get", addr + ":sub"}, "服务器拒绝了 sub：这是文件夹，不是文件：用 --list 查看其中的内容。"},
		{"en", []string{"get", addr + ":../etc"}, "The server refused ../etc: that name is not allowed"},
		{"ru", []string{"send", filepath.Join(out, "..", filepath.Base(out)), "--to", addr}, "не файл"},
		{"en", []string{"send", "/etc/hostname", "--to", addr}, "the server takes no uploads"},
		{"en", []string{"get", "a:b:c:d"}, "is not [HOST:]NAME"},
		{"zh", []string{"get", "127.0.0.1:1:x"}, "上没有文件服务器应答"},
	} {
		code, _, stderr := run(t, map[string]string{"LANG": tc.lang}, append(tc.args, "-o", filepath.Join(out, "x"))[:len(tc.args)+boolInt(tc.args[0] == "get")*2]...)
		if code != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s %v: %d %q, want %q", tc.lang, tc.args, code, stderr, tc.want)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
			t.Errorf("%s %v: more than a sentence: %q", tc.lang, tc.args, stderr)
		}
	}
	if es, _ := os.ReadDir(out); len(es) != 0 {
		t.Errorf("failed transfers left %v", es)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
