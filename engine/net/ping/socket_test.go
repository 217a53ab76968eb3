package ping_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"testing"

	"wiretutor/engine/net/ping"
)

func TestResolve4(t *testing.T) {
	tests := []struct {
		host, want string
	}{
		{"127.0.0.1", "127.0.0.1"},
		{"::ffff:127.0.0.2", "127.0.0.2"},
		{"::1", ""},
		{"no-such-host.invalid", ""},
	}
	for _, tt := range tests {
		ip, err := ping.Resolve4(context.Background(), tt.host)
		var uh *ping.UnknownHostError
		switch {
		case tt.want == "" && (!errors.As(err, &uh) || uh.Host != tt.host):
			t.Errorf("%s: %v, %v; want an UnknownHostError", tt.host, ip, err)
		case tt.want != "" && (err != nil || ip.String() != tt.want):
			t.Errorf("%s: %v, %v; want %s", tt.host, ip, err, tt.want)
		}
	}
}

// TestOpenSandbox: the sandbox answers for the loopback only.
func TestOpenSandbox(t *testing.T) {
	s, err := ping.Open(context.Background(), net.IPv4(127, 0, 0, 1), ping.Sandbox)
	if err != nil {
		t.Fatal(err)
	}
	if s.Path != "sandbox" || s.Conn == nil || s.Dst.String() != "127.0.0.1:0" {
		t.Errorf("path %q, dst %v", s.Path, s.Dst)
	}
	s.Close()
	_, err = ping.Open(context.Background(), net.IPv4(192, 0, 2, 1), ping.Sandbox)
	var sh *ping.SandboxHostError
	if !errors.As(err, &sh) || sh.Host != "192.0.2.1" {
		t.Errorf("192.0.2.1 in the sandbox: %v", err)
	}
}

// TestSocketErrorMessage: a refusal for want of a right says how to get
// it; any other failure says what it was.
func TestSocketErrorMessage(t *testing.T) {
	tests := []struct {
		err    error
		id     string
		hasErr bool
	}{
		{fmt.Errorf("listen: %w", os.ErrPermission), "error.ping_denied", false},
		{errors.New("no protocol"), "error.ping_socket", true},
	}
	for _, tt := range tests {
		e := &ping.SocketError{Err: tt.err}
		id, data := e.Message()
		if _, ok := data["Err"]; id != tt.id || ok != tt.hasErr || e.Denied() != (tt.id == "error.ping_denied") {
			t.Errorf("%v: %s %v", tt.err, id, data)
		}
	}
}
