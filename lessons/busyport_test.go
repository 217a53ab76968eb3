package lessons_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"syscall"
	"testing"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/lessons/lessontest"
	"wiretutor/servers/listen"
)

// errReady: the exchange got as far as capturing, so its server started.
var errReady = errors.New("the exchange started its server on a busy port")

// stopAtReady are hooks that end an exchange when it asks to capture.
type stopAtReady struct{}

func (stopAtReady) Ready(course.Ports) error         { return errReady }
func (stopAtReady) Snapshot(string)                  {}
func (stopAtReady) Ask(string) (string, bool, error) { return "", false, nil }
func (stopAtReady) Say(string)                       {}

func occupy(ctx context.Context, n netenv.Net, proto string, port int) (io.Closer, error) {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if proto == "udp" {
		return n.ListenPacket(ctx, "udp", addr)
	}
	return n.Listen(ctx, "tcp", addr)
}

// busyPorts are the lab ports each lesson's servers bind.
var busyPorts = []struct {
	lesson string
	proto  string
	port   int
}{
	{"tcp-handshake", "tcp", 10000},
	{"sockets", "tcp", 24000},
	{"tcp-teardown", "tcp", 10000},
	{"chat", "tcp", 55555},
	{"udp-echo", "udp", 10001},
	{"http-raw", "tcp", 8080},
	{"http-api-token", "tcp", 8080},
	{"filters", "tcp", 10000},
	{"filters", "udp", 10001},
}

// exchangeOnBusyPort occupies the port on n, runs the lesson's exchange
// and returns its error; occupied is false when the port could not be
// taken for another reason than being busy already.
func exchangeOnBusyPort(n netenv.Net, l *course.Lesson, proto string, port int) (occupied bool, err error) {
	ctx := context.Background()
	holder, err := occupy(ctx, n, proto, port)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		// Someone else holds it already: busy all the same.
	case err != nil:
		return false, err
	default:
		defer holder.Close()
	}
	return true, l.Exchange(ctx, n, stopAtReady{})
}

// runOnBusyPort is exchangeOnBusyPort for a test.
func runOnBusyPort(t *testing.T, n netenv.Net, name, proto string, port int) error {
	t.Helper()
	occupied, err := exchangeOnBusyPort(n, lessontest.Lesson(t, name), proto, port)
	if !occupied {
		t.Fatalf("occupy %s port %d: %v", proto, port, err)
	}
	return err
}

// checkBindError: the lesson refused to start, naming the busy port.
func checkBindError(t *testing.T, err error, proto string, port int) {
	t.Helper()
	var be *listen.BindError
	if !errors.As(err, &be) || !errors.Is(err, syscall.EADDRINUSE) || be.Port != port || be.Proto != proto {
		t.Errorf("got %v, want a BindError for %s port %d in use", err, proto, port)
	}
}

// TestBusyPortSandbox: with a lab port taken in the sandbox, every
// lesson that serves on it says so instead of moving elsewhere.
func TestBusyPortSandbox(t *testing.T) {
	for _, tt := range busyPorts {
		t.Run(tt.lesson+"/"+tt.proto, func(t *testing.T) {
			sb, err := netenv.NewSandbox(netenv.Impairment{})
			if err != nil {
				t.Fatal(err)
			}
			defer sb.Close()
			checkBindError(t, runOnBusyPort(t, sb, tt.lesson, tt.proto, tt.port), tt.proto, tt.port)
		})
	}
}
