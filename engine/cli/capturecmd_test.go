//go:build linux

package cli

import (
	"bytes"
	"context"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"wiretutor/content"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
)

// TestCaptureReportsDrops: a capture stopped as Ctrl-C (or -a duration:)
// stops it, by closing the socket, still reports what the kernel dropped
// from a burst that overflowed its buffer. It used to say 0: the counter
// was read after the socket was closed.
func TestCaptureReportsDrops(t *testing.T) {
	testenv.NeedCapture(t)
	rx, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer rx.Close()
	rx.SetReadBuffer(4 << 20)
	port := rx.LocalAddr().(*net.UDPAddr).Port
	prog, err := filter.CompileCapture("udp dst port "+strconv.Itoa(port), capture.MaxFrame)
	if err != nil {
		t.Fatal(err)
	}
	live, err := capture.OpenLive(capture.Loopback, prog)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	if err := live.SetReadBuffer(1); err != nil { // the kernel's minimum
		t.Fatal(err)
	}
	tx, err := net.DialUDP("udp4", nil, rx.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	const n = 50
	msg := make([]byte, 1400)
	for i := 0; i < n; i++ {
		if _, err := tx.Write(msg); err != nil {
			t.Fatal(err)
		}
	}
	// Once the receiver has every datagram, each has passed the capture's
	// tap. The deadline only guards against a hang.
	rx.SetReadDeadline(time.Now().Add(time.Minute))
	for i := 0; i < n; i++ {
		if _, err := rx.Read(msg); err != nil {
			t.Fatal(err)
		}
	}

	tx2, err := i18n.Load(content.FS, "en")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Ctrl-C, before the first frame is read
	var out, errb bytes.Buffer
	a := &app{env: Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}, ctx: ctx, tx: tx2}
	df, _ := filter.CompileDisplay("")
	if err := a.captureFrom(live, capture.Loopback, df, "", 0, 0); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\((\d+) dropped by the kernel\)`).FindStringSubmatch(errb.String())
	if m == nil {
		t.Fatalf("no final line in %q", errb.String())
	}
	if d, _ := strconv.Atoi(m[1]); d == 0 || d >= n {
		t.Errorf("final line %q: want some of the %d packets dropped", errb.String(), n)
	}
}

// TestCaptureFilterTooLong: a filter whose program the kernel would
// refuse is explained in one line, in each language.
func TestCaptureFilterTooLong(t *testing.T) {
	expr := "host ::1"
	for i := 2; i <= 300; i++ {
		expr += " or host ::" + strconv.FormatInt(int64(i), 16)
	}
	for lang, want := range map[string]string{"en": "4096 instructions", "ru": "4096 инструкций", "zh": "4096 条指令"} {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		a := &app{tx: tx, ctx: context.Background()}
		err = a.capture(capture.Loopback, expr, "", "", 0, "", false)
		if got := a.explain(err); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want it to contain %q", lang, got, want)
		}
	}
}
