package files_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/servers/files"
)

// start serves a fresh folder holding a few files on n, and returns the
// server, its folder and a client of it.
func start(t *testing.T, n netenv.Net, mod func(*files.Server)) (*files.Server, string, *files.Client) {
	srv, root, cl, _ := startWatched(t, n, mod)
	return srv, root, cl
}

// startWatched is start that also gives the server's failures.
func startWatched(t *testing.T, n netenv.Net, mod func(*files.Server)) (*files.Server, string, *files.Client, <-chan files.Event) {
	failures := make(chan files.Event, 16)
	t.Helper()
	dir := t.TempDir()
	root := filepath.Join(dir, "served")
	must(t, os.MkdirAll(filepath.Join(root, "sub"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "hello.txt"), []byte("hello\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, "sub", "deep.bin"), bytes.Repeat([]byte{7}, 100000), 0o644))
	must(t, os.WriteFile(filepath.Join(root, ".hidden"), []byte("no"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "secret"), []byte("outside"), 0o644))
	srv := &files.Server{Net: n, Port: 0, Dir: root}
	srv.OnEvent = func(e files.Event) {
		if e.Kind == files.Failed {
			select {
			case failures <- e:
			default:
			}
		}
	}
	if mod != nil {
		mod(srv)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, root, &files.Client{Net: n, Addr: srv.Addr().String()}, failures
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// raw sends a request as bytes and returns the whole reply.
func raw(t *testing.T, addr, req string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	must(t, err)
	defer c.Close()
	io.WriteString(c, req)
	c.(*net.TCPConn).CloseWrite()
	b, _ := io.ReadAll(c)
	return string(b)
}

func TestGetAndList(t *testing.T) {
	_, _, cl := start(t, netenv.Kernel{}, nil)
	ctx := context.Background()
	var b bytes.Buffer
	var seen []int64
	n, err := cl.Get(ctx, "sub/deep.bin", &b, func(done, total int64) {
		if total != 100000 {
			t.Errorf("progress total %d, want 100000", total)
		}
		seen = append(seen, done)
	})
	must(t, err)
	if n != 100000 || b.Len() != 100000 || seen[len(seen)-1] != 100000 || seen[0] != 0 {
		t.Fatalf("got %d bytes (%d written), progress %v", n, b.Len(), seen)
	}
	es, err := cl.List(ctx, "")
	must(t, err)
	want := []files.Entry{{Name: "hello.txt", Size: 6}, {Name: "sub", Folder: true}}
	if len(es) != 2 || es[0] != want[0] || es[1] != want[1] {
		t.Fatalf("listing %v, want %v (no hidden file)", es, want)
	}
	es, err = cl.List(ctx, "sub")
	must(t, err)
	if len(es) != 1 || es[0] != (files.Entry{Name: "deep.bin", Size: 100000}) {
		t.Fatalf("listing of sub: %v", es)
	}
}

// TestRefusals: every name the server must not serve, and every request
// it cannot take, is answered with the right ERR word, on the wire.
func TestRefusals(t *testing.T) {
	srv, root, _ := start(t, netenv.Kernel{}, nil)
	must(t, os.Symlink(filepath.Join(root, "..", "secret"), filepath.Join(root, "escape")))
	must(t, os.Symlink("hello.txt", filepath.Join(root, "inside")))
	must(t, os.Symlink("../..", filepath.Join(root, "sub", "up")))
	addr := srv.Addr().String()
	for _, tc := range []struct{ req, want string }{
		{"GET hello.txt\n", "OK 6\nhello\n"},
		{"GET hello.txt\r\n", "OK 6\nhello\n"},
		{"GET inside\n", "OK 6\nhello\n"}, // a link that stays inside is followed
		{"GET sub/up/secret\n", "ERR bad-name\n"},
		{"GET missing\n", "ERR not-found\n"},
		{"GET ../secret\n", "ERR bad-name\n"},
		{"GET /etc/passwd\n", "ERR bad-name\n"},
		{"GET sub/../../secret\n", "ERR bad-name\n"},
		{"GET escape\n", "ERR bad-name\n"},
		{"GET .hidden\n", "ERR bad-name\n"},
		{"GET sub\n", "ERR not-a-file\n"},
		{"GET hello.txt/x\n", "ERR not-found\n"},
		{"GET \n", "ERR bad-name\n"},
		{"GET a\x00b\n", "ERR bad-name\n"},
		{"GET a\\..\\b\n", "ERR bad-name\n"},
		{"LIST escape\n", "ERR bad-name\n"},
		{"LIST hello.txt\n", "ERR not-found\n"},
		{"LIST missing\n", "ERR not-found\n"},
		{"FETCH x\n", "ERR bad-request\n"},
		{"get hello.txt\n", "ERR bad-request\n"},
		{"PUT x y\n", "ERR bad-request\n"},
		{"PUT -1 y\n", "ERR bad-request\n"},
		{"PUT +1 y\n", "ERR bad-request\n"},
		{"PUT 1 hello.txt\n", "ERR exists\n"},
		{"PUT 1 inside\n", "ERR exists\n"},
		{"PUT 1 hello.txt/x\n", "ERR exists\n"},
		{"PUT 1 new/deeper/x\n", "READY\n"},
		{"PUT 1 escape/x\n", "ERR bad-name\n"},
		{"PUT 1 sub/up/x\n", "ERR bad-name\n"},
		{"PUT 2000000000 big\n", "ERR too-big\n"},
		{"PUT 1 sub/\n", "ERR bad-name\n"},
		{"GET " + strings.Repeat("a", files.MaxLine) + "\n", "ERR bad-request\n"},
		{strings.Repeat("x", 3*files.MaxLine), "ERR bad-request\n"},
		{"GET hello.txt", ""}, // no end of line: nothing to answer
	} {
		if got := raw(t, addr, tc.req); got != tc.want {
			t.Errorf("%.40q: got %q, want %q", tc.req, got, tc.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(root, "..", "secret")); string(b) != "outside" {
		t.Errorf("the file outside the folder changed: %q", b)
	}
}

func TestPut(t *testing.T) {
	_, root, cl, failures := startWatched(t, netenv.Kernel{}, nil)
	ctx := context.Background()
	data := bytes.Repeat([]byte("0123456789"), 50000)
	must(t, cl.Put(ctx, "sub/new.bin", bytes.NewReader(data), int64(len(data)), nil))
	got, err := os.ReadFile(filepath.Join(root, "sub", "new.bin"))
	must(t, err)
	if !bytes.Equal(got, data) {
		t.Fatalf("stored %d bytes, want %d", len(got), len(data))
	}
	err = cl.Put(ctx, "sub/new.bin", bytes.NewReader(data), int64(len(data)), nil)
	var re *files.RemoteError
	if !errors.As(err, &re) || re.Reason != files.ErrExists {
		t.Fatalf("second put: %v, want ERR exists", err)
	}
	// A file shorter than it claimed: the server is left waiting, the
	// client stops, nothing is stored and no part is left behind.
	err = cl.Put(ctx, "short.bin", bytes.NewReader(data[:10]), 20, nil)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("short put: %v", err)
	}
	<-failures // the server saw the client go, and dropped the part
	if _, err := os.Stat(filepath.Join(root, "short.bin")); err == nil {
		t.Fatal("a short upload was stored")
	}
	assertNoParts(t, root)
}

func assertNoParts(t *testing.T, root string) {
	t.Helper()
	parts, _ := filepath.Glob(filepath.Join(root, ".*.part"))
	if len(parts) != 0 {
		t.Fatalf("parts left: %v", parts)
	}
}

func TestReadOnly(t *testing.T) {
	srv, _, _ := start(t, netenv.Kernel{}, func(s *files.Server) { s.ReadOnly = true })
	if got := raw(t, srv.Addr().String(), "PUT 1 x\n"); got != "ERR read-only\n" {
		t.Fatalf("got %q", got)
	}
}

// TestUploadCutMidway: a client that vanishes in the middle of a PUT
// leaves no file under the name and no part file.
func TestUploadCutMidway(t *testing.T) {
	srv, root, _, failures := startWatched(t, netenv.Kernel{}, nil)
	c, err := net.Dial("tcp", srv.Addr().String())
	must(t, err)
	io.WriteString(c, "PUT 1000 cut.bin\n")
	line, _ := bufio.NewReader(c).ReadString('\n')
	if line != "READY\n" {
		t.Fatalf("got %q", line)
	}
	c.Write(make([]byte, 500))
	c.Close()
	<-failures
	if _, err := os.Stat(filepath.Join(root, "cut.bin")); err == nil {
		t.Fatal("a cut upload was stored")
	}
	assertNoParts(t, root)
}

// TestSilentClient: a client that connects and says nothing is let go
// after the timeout, and others are served meanwhile.
func TestSilentClient(t *testing.T) {
	srv, _, cl := start(t, netenv.Kernel{}, func(s *files.Server) { s.Timeout = 50 * time.Millisecond })
	c, err := net.Dial("tcp", srv.Addr().String())
	must(t, err)
	defer c.Close()
	var b bytes.Buffer
	if _, err := cl.Get(context.Background(), "hello.txt", &b, nil); err != nil || b.String() != "hello\n" {
		t.Fatalf("get beside a silent client: %q %v", b.String(), err)
	}
	if n, _ := io.ReadAll(c); len(n) != 0 {
		t.Fatalf("silent client got %q", n)
	}
}

// TestBusy: the connection beyond MaxClients is answered ERR busy.
func TestBusy(t *testing.T) {
	srv, _, cl := start(t, netenv.Kernel{}, func(s *files.Server) { s.MaxClients = 1 })
	c, err := net.Dial("tcp", srv.Addr().String())
	must(t, err)
	defer c.Close()
	io.WriteString(c, "PUT 10 slow\n")
	if line, _ := bufio.NewReader(c).ReadString('\n'); line != "READY\n" {
		t.Fatalf("got %q", line)
	}
	_, err = cl.Get(context.Background(), "hello.txt", io.Discard, nil)
	var re *files.RemoteError
	if !errors.As(err, &re) || re.Reason != files.ErrBusy {
		t.Fatalf("got %v, want ERR busy", err)
	}
}

// TestCancel: a cancelled Get returns the context's error.
func TestCancel(t *testing.T) {
	_, _, cl := start(t, netenv.Kernel{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := cl.Get(ctx, "sub/deep.bin", writerFunc(func(b []byte) (int, error) {
		cancel()
		return len(b), nil
	}), nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

func TestSandbox(t *testing.T) {
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	must(t, err)
	defer sb.Close()
	_, root, cl := start(t, sb, nil)
	data := bytes.Repeat([]byte{1, 2, 3}, 300000)
	must(t, cl.Put(context.Background(), "up.bin", bytes.NewReader(data), int64(len(data)), nil))
	var b bytes.Buffer
	if _, err := cl.Get(context.Background(), "up.bin", &b, nil); err != nil || !bytes.Equal(b.Bytes(), data) {
		t.Fatalf("round trip in the sandbox: %d bytes, %v", b.Len(), err)
	}
	assertNoParts(t, root)
}
