package echo_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/servers/echo"
	"wiretutor/servers/listen"
)

func TestUpper(t *testing.T) {
	tests := []struct {
		name   string
		chunks []string
		want   string
	}{
		{"ascii", []string{"hello server"}, "HELLO SERVER"},
		{"cyrillic whole", []string{"привет"}, "ПРИВЕТ"},
		{"cyrillic split inside a letter", []string{"при\xd0", "\xb2ет"}, "ПРИВЕТ"},
		{"chinese split", []string{"你\xe5", "\xa5\xbd"}, "你好"},
		{"binary passes", []string{"\xff\x00ab"}, "\xff\x00AB"},
		{"digits and punctuation", []string{"a1-b2!"}, "A1-B2!"},
		{"truncated at the end", []string{"ab\xd0"}, "AB\xd0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var u echo.Upper
			var got []byte
			for _, c := range tt.chunks {
				got = append(got, u.Chunk([]byte(c))...)
			}
			got = append(got, u.Flush()...)
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func start(t *testing.T) *echo.Server {
	t.Helper()
	s := &echo.Server{Net: netenv.Kernel{}}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestTCPEchoAndHalfClose(t *testing.T) {
	s := start(t)
	c, err := net.Dial("tcp", s.TCPAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("hello server")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, err := io.ReadAtLeast(c, buf, 12)
	if err != nil || string(buf[:n]) != "HELLO SERVER" {
		t.Fatalf("got %q, %v", buf[:n], err)
	}
	// Half-close: the server must still send the reply, then its FIN.
	c.Write([]byte("last words"))
	c.(*net.TCPConn).CloseWrite()
	rest, err := io.ReadAll(c)
	if err != nil || string(rest) != "LAST WORDS" {
		t.Fatalf("after half-close got %q, %v", rest, err)
	}
}

func TestManyClients(t *testing.T) {
	s := start(t)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", s.TCPAddr().String())
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			msg := fmt.Sprintf("client %d says hi", i)
			c.Write([]byte(msg))
			c.(*net.TCPConn).CloseWrite()
			got, err := io.ReadAll(c)
			if err != nil || string(got) != strings.ToUpper(msg) {
				errs <- fmt.Errorf("client %d got %q, %v", i, got, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestUDP(t *testing.T) {
	s := start(t)
	tests := []struct{ in, want string }{{"hello server", "HELLO SERVER"}, {"", ""}, {"ок", "ОК"}}
	for _, tt := range tests {
		c, err := net.Dial("udp", s.UDPAddr().String())
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		c.Write([]byte(tt.in))
		buf := make([]byte, 1500)
		n, err := c.Read(buf)
		c.Close()
		if err != nil || string(buf[:n]) != tt.want {
			t.Errorf("%q: got %q, %v", tt.in, buf[:n], err)
		}
	}
}

func TestPortInUse(t *testing.T) {
	s := start(t)
	port := s.TCPAddr().(*net.TCPAddr).Port
	s2 := &echo.Server{Net: netenv.Kernel{}, TCPPort: port, UDPPort: -1}
	err := s2.Start(context.Background())
	if err == nil {
		s2.Close()
		t.Fatal("second server bound a port in use")
	}
	var be *listen.BindError
	if !errors.As(err, &be) || be.Port != port || be.Proto != "tcp" || !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("error %v does not say tcp port %d is in use", err, port)
	}
}

// TestLabClient runs the sockets lab's own Python client, unchanged but
// for the ports.
func TestLabClient(t *testing.T) {
	py := testenv.Python3(t)
	s := start(t)
	tp, up := s.TCPAddr().(*net.TCPAddr).Port, s.UDPAddr().(*net.UDPAddr).Port
	script := `import socket
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM); c.connect(("127.0.0.1", ` + strconv.Itoa(tp) + `))
c.send("hello server".encode()); print(c.recv(1024).decode())
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b"hello server", ("127.0.0.1", ` + strconv.Itoa(up) + `))
print(u.recvfrom(1024)[0].decode())
`
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, "-c", script).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if string(out) != "HELLO SERVER\nHELLO SERVER\n" {
		t.Fatalf("lab client printed %q", out)
	}
}

func ExampleServer() {
	s := &echo.Server{Net: netenv.Kernel{}, UDPPort: -1} // TCP on a free port
	if err := s.Start(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	c, _ := net.Dial("tcp", s.TCPAddr().String())
	c.Write([]byte("hello server"))
	c.(*net.TCPConn).CloseWrite()
	reply, _ := io.ReadAll(c)
	c.Close()
	fmt.Println(string(reply))
	// Output: HELLO SERVER
}

// TestHostileClients: a client that never reads and one that vanishes
// with a reset do not keep anyone else from being served.
func TestHostileClients(t *testing.T) {
	s := &echo.Server{Net: netenv.Kernel{}, UDPPort: -1, WriteTimeout: time.Second}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	addr := s.TCPAddr().String()

	hog, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		junk := make([]byte, 64<<10)
		for i := 0; i < 200; i++ { // 12 MB it will never read back
			if _, err := hog.Write(junk); err != nil {
				return
			}
		}
	}()
	gone, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	gone.Write([]byte("half a li"))
	gone.(*net.TCPConn).SetLinger(0)
	gone.Close() // RST

	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(5 * time.Second))
	c.Write([]byte("still here?"))
	buf := make([]byte, 11)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "STILL HERE?" {
		t.Fatalf("a normal client got %q, %v", buf, err)
	}
	c.Close()
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return: a stuck client held it")
	}
	hog.Close()
}
