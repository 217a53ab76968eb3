//go:build linux

package capture_test

import (
	"context"
	"io"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gopacket/gopacket"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/servers/echo"
)

// TestLiveEcho captures a real echo exchange on lo: every packet exactly
// once (the outgoing copies dropped), the handshake and the close there.
func TestLiveEcho(t *testing.T) {
	testenv.NeedCapture(t)
	srv := &echo.Server{Net: netenv.Kernel{}, TCPPort: 0, UDPPort: -1}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	port := srv.TCPAddr().(*net.TCPAddr).Port
	prog, err := filter.CompileCapture("tcp port "+strconv.Itoa(port), capture.MaxFrame)
	if err != nil {
		t.Fatal(err)
	}
	live, err := capture.OpenLive(capture.Loopback, prog)
	if err != nil {
		t.Fatal(err)
	}
	frames := make(chan []byte, 100)
	infos := make(chan int, 100)
	go func() {
		defer close(frames)
		for {
			data, ci, err := live.ReadPacketData()
			if err != nil {
				return
			}
			frames <- append([]byte(nil), data...)
			infos <- ci.Length
		}
	}()

	c, err := net.Dial("tcp", srv.TCPAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("hello server"))
	buf := make([]byte, 12)
	io.ReadFull(c, buf)
	c.Close()

	d, _ := dissect.New(live.LinkType())
	var flags []uint16
	timeout := time.After(5 * time.Second)
	for len(flags) < 10 {
		select {
		case f := <-frames:
			<-infos
			var p dissect.Packet
			if err := d.Dissect(f, gopacketInfo(len(f)), &p); err != nil {
				t.Fatal(err)
			}
			flags = append(flags, uint16(p.TCP.Flags))
		case <-timeout:
			t.Fatalf("captured %d packets in 5 s, want 10: %x", len(flags), flags)
		}
	}
	// Nothing more should arrive: a duplicate would show up here.
	select {
	case f := <-frames:
		t.Errorf("an 11th frame arrived (%d bytes): outgoing copies are not dropped", len(f))
	case <-time.After(200 * time.Millisecond):
	}
	live.Close()
	want := []uint16{0x002, 0x012, 0x010, 0x018, 0x010, 0x018, 0x010, 0x011, 0x011, 0x010}
	for i := range want {
		if flags[i] != want[i] {
			t.Fatalf("flags %x, want the echo exchange %x", flags, want)
		}
	}
	if _, _, err := live.ReadPacketData(); err != os.ErrClosed {
		t.Errorf("read after Close: %v, want os.ErrClosed", err)
	}
}

func gopacketInfo(n int) gopacket.CaptureInfo {
	return gopacket.CaptureInfo{Timestamp: time.Now(), Length: n, CaptureLength: n}
}

// TestLiveLargeFrames: loopback frames of 64 KiB arrive whole, not cut at
// some smaller snap length.
func TestLiveLargeFrames(t *testing.T) {
	testenv.NeedCapture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	prog, _ := filter.CompileCapture("tcp dst port "+strconv.Itoa(port), capture.MaxFrame)
	live, err := capture.OpenLive(capture.Loopback, prog)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			io.Copy(io.Discard, c)
			c.Close()
		}
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Write(make([]byte, 300_000))
	c.Close()
	largest := 0
	stop := time.AfterFunc(5*time.Second, func() { live.Close() }) // never hang
	defer stop.Stop()
	for largest < 30_000 {
		data, ci, err := live.ReadPacketData()
		if err != nil {
			break
		}
		if len(data) != ci.Length || ci.CaptureLength != ci.Length {
			t.Fatalf("frame of %d bytes captured as %d", ci.Length, len(data))
		}
		largest = max(largest, len(data))
	}
	if largest < 30_000 {
		t.Errorf("largest frame %d bytes: loopback frames should reach ~64 KiB", largest)
	}
}

// udpBurst sends n datagrams of size bytes to a fresh UDP receiver on
// 127.0.0.1 and returns once the receiver has them all: by then each
// one has passed the packet sockets' tap. open is called with the
// receiver's port before anything is sent.
func udpBurst(t *testing.T, n, size int, open func(port int)) {
	t.Helper()
	rx, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer rx.Close()
	rx.SetReadBuffer(4 << 20)
	open(rx.LocalAddr().(*net.UDPAddr).Port)
	tx, err := net.DialUDP("udp4", nil, rx.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	msg := make([]byte, size)
	for i := 0; i < n; i++ {
		if _, err := tx.Write(msg); err != nil {
			t.Fatal(err)
		}
	}
	// A guard against hanging should a datagram be lost, not a timed
	// assertion: every datagram arrives on the loopback.
	rx.SetReadDeadline(time.Now().Add(time.Minute))
	buf := make([]byte, size+1)
	for i := 0; i < n; i++ {
		if _, err := rx.Read(buf); err != nil {
			t.Fatalf("datagram %d of %d: %v", i+1, n, err)
		}
	}
}

func openUDP(t *testing.T, port int) *capture.Live {
	t.Helper()
	return openFilter(t, "udp dst port "+strconv.Itoa(port))
}

func openFilter(t *testing.T, expr string) *capture.Live {
	t.Helper()
	prog, err := filter.CompileCapture(expr, capture.MaxFrame)
	if err != nil {
		t.Fatal(err)
	}
	live, err := capture.OpenLive(capture.Loopback, prog)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { live.Close() })
	return live
}

// TestLivePending: Pending is false before anything is sent, true while
// captured frames wait, and false once ReadPacketData has returned them
// all; after Close it is false.
func TestLivePending(t *testing.T) {
	testenv.NeedCapture(t)
	const n = 20
	var live *capture.Live
	udpBurst(t, n, 100, func(port int) {
		live = openUDP(t, port)
		if live.Pending() {
			t.Error("Pending before anything was sent")
		}
	})
	for i := 0; i < n; i++ {
		if !live.Pending() {
			t.Fatalf("Pending false with %d of %d frames unread", n-i, n)
		}
		if _, _, err := live.ReadPacketData(); err != nil {
			t.Fatal(err)
		}
	}
	if live.Pending() {
		t.Errorf("Pending true after reading all %d frames", n)
	}
	received, dropped, err := live.Stats()
	if err != nil || received != n || dropped != 0 {
		t.Errorf("Stats = %d, %d, %v; want %d, 0", received, dropped, err, n)
	}
	live.Close()
	if live.Pending() {
		t.Error("Pending after Close")
	}
}

// TestLiveDropsCounted: a burst that overflows a small receive buffer is
// counted as dropped before any frame is read, the count adds up over
// reads (the kernel resets its counter on each), and Close keeps it.
func TestLiveDropsCounted(t *testing.T) {
	testenv.NeedCapture(t)
	const n = 50
	var live *capture.Live
	udpBurst(t, n, 1400, func(port int) {
		live = openUDP(t, port)
		if err := live.SetReadBuffer(1); err != nil { // the kernel's minimum
			t.Fatal(err)
		}
	})
	received, dropped, err := live.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if received != n || dropped == 0 || dropped >= n {
		t.Fatalf("Stats = %d received, %d dropped; want %d received, some dropped", received, dropped, n)
	}
	for i := uint32(0); i < received-dropped; i++ {
		if _, _, err := live.ReadPacketData(); err != nil {
			t.Fatal(err)
		}
	}
	if live.Pending() {
		t.Errorf("Pending after reading the %d frames the buffer held", received-dropped)
	}
	if r, d, err := live.Stats(); r != received || d != dropped || err != nil {
		t.Errorf("second Stats = %d, %d, %v; want the same %d, %d", r, d, err, received, dropped)
	}
	live.Close()
	if r, d, err := live.Stats(); r != received || d != dropped || err != nil {
		t.Errorf("Stats after Close = %d, %d, %v; want %d, %d", r, d, err, received, dropped)
	}
}

// TestLiveLongFilter: the kernel accepts a filter of 300 terms, whose
// program needs long jumps, and it keeps what it should.
func TestLiveLongFilter(t *testing.T) {
	testenv.NeedCapture(t)
	var live *capture.Live
	udpBurst(t, 1, 100, func(port int) {
		expr := "udp dst port " + strconv.Itoa(port)
		for i := 1; i < 300; i++ {
			expr = "tcp port " + strconv.Itoa(i) + " or " + expr
		}
		live = openFilter(t, expr)
	})
	if !live.Pending() {
		t.Fatal("the datagram was not captured")
	}
	if _, _, err := live.ReadPacketData(); err != nil {
		t.Fatal(err)
	}
}
