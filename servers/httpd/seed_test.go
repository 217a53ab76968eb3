package httpd_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/servers/httpd"
)

// clockedNet is the kernel's network with a clock of its own, as a
// seeded sandbox has.
type clockedNet struct{ netenv.Kernel }

var fixed = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

func (clockedNet) Now() time.Time { return fixed }

// TestDateFromTheNetworkClock: on a network with its own clock, the
// server's Date header is that clock's, so a seeded capture repeats.
func TestDateFromTheNetworkClock(t *testing.T) {
	s := &httpd.Server{Net: clockedNet{}, Token: "t"}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	resp, err := http.Get("http://" + s.Addr().(*net.TCPAddr).String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if got, want := resp.Header.Get("Date"), fixed.Format(http.TimeFormat); got != want {
		t.Errorf("Date: %q, want %q", got, want)
	}
}

// TestNewTokenFrom: a token comes from the bytes it is given, so the
// same stream gives the same token; a short stream is an error.
func TestNewTokenFrom(t *testing.T) {
	a, err1 := httpd.NewTokenFrom(strings.NewReader(strings.Repeat("x", 20)))
	b, err2 := httpd.NewTokenFrom(strings.NewReader(strings.Repeat("x", 20)))
	if err1 != nil || err2 != nil || a != b || len(a) != 40 {
		t.Errorf("tokens %q %q (%v, %v); want one 40-digit token twice", a, b, err1, err2)
	}
	if _, err := httpd.NewTokenFrom(strings.NewReader("short")); err == nil {
		t.Error("a token from 5 bytes was made")
	}
}
