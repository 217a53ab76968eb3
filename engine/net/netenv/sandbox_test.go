package netenv_test

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/servers/echo"
)

// exchange runs the lab's echo exchange over a sandbox with the echo
// server and returns its dissected capture.
func exchange(t *testing.T, imp netenv.Impairment) []dissect.Packet {
	t.Helper()
	sb, err := netenv.NewSandbox(imp)
	if err != nil {
		t.Fatal(err)
	}
	return exchangeOn(t, sb)
}

// exchangeOn is exchange on the sandbox sb, which it closes.
func exchangeOn(t *testing.T, sb *netenv.Sandbox) []dissect.Packet {
	t.Helper()
	defer sb.Close()
	r := record(sb)
	srv := &echo.Server{Net: sb, TCPPort: 10000, UDPPort: 10001}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := sb.Dial(ctx, "tcp", "127.0.0.1:10000")
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	c.Write([]byte("hello server"))
	buf := make([]byte, 12)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "HELLO SERVER" {
		t.Fatalf("got %q, %v", buf, err)
	}
	c.(netenv.HalfCloser).CloseWrite()
	if rest, err := io.ReadAll(c); err != nil || len(rest) != 0 {
		t.Fatalf("after the close: %q %v", rest, err)
	}
	c.Close()
	srv.Close()
	rec := r.stop(t)
	d, _ := dissect.New(rec.Link)
	var pkts []dissect.Packet
	for _, f := range rec.Frames {
		var p dissect.Packet
		if err := d.Dissect(f.Data, f.Info, &p); err != nil {
			t.Fatal(err)
		}
		p.Payload = append([]byte(nil), p.Payload...)
		pkts = append(pkts, p)
		if !checksumsValid(f.Data) {
			t.Errorf("frame %d has a bad checksum", p.Number)
		}
	}
	return pkts
}

// checksumsValid verifies the IPv4 and TCP/UDP checksums of a frame.
func checksumsValid(frame []byte) bool {
	pk := gopacket.NewPacket(frame, layers.LinkTypeEthernet, gopacket.Default)
	ip, _ := pk.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	if ip == nil {
		return true
	}
	if fold(sum(frame[14:14+int(ip.IHL)*4])) != 0xffff {
		return false
	}
	seg := frame[14+int(ip.IHL)*4 : 14+int(ip.Length)]
	if ip.Protocol == layers.IPProtocolICMPv4 {
		return fold(sum(seg)) == 0xffff // ICMP sums no pseudo-header
	}
	var pseudo []byte
	pseudo = append(pseudo, ip.SrcIP.To4()...)
	pseudo = append(pseudo, ip.DstIP.To4()...)
	pseudo = append(pseudo, 0, byte(ip.Protocol), byte(len(seg)>>8), byte(len(seg)))
	return fold(sum(pseudo)+sum(seg)) == 0xffff
}

func sum(b []byte) uint32 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	return s
}

func fold(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

func dataFrames(pkts []dissect.Packet) (fromClient []dissect.Packet) {
	for _, p := range pkts {
		if p.Transport == dissect.TransportTCP && p.DstPort == 10000 && p.TCP.Len > 0 {
			fromClient = append(fromClient, p)
		}
	}
	return fromClient
}

func TestSandboxExchange(t *testing.T) {
	pkts := exchange(t, netenv.Impairment{})
	if len(pkts) < 9 || pkts[0].TCP.Flags != dissect.FlagSYN || pkts[1].TCP.Flags != dissect.FlagSYN|dissect.FlagACK {
		t.Fatalf("%d packets, not a handshake", len(pkts))
	}
	seen := map[[2]uint32]bool{}
	for _, p := range pkts {
		if p.TCP.Len == 0 {
			continue
		}
		k := [2]uint32{p.TCP.SeqRaw, uint32(p.SrcPort)}
		if seen[k] {
			t.Errorf("frame %d repeats a segment: the link must record each frame once", p.Number)
		}
		seen[k] = true
	}
	if n := len(dataFrames(pkts)); n != 1 {
		t.Errorf("%d data segments from the client, want 1", n)
	}
}

// TestDropRetransmits drops the client's data (frame 4): TCP sends it
// again, and the capture shows both copies.
func TestDropRetransmits(t *testing.T) {
	pkts := exchange(t, netenv.Impairment{Drop: map[int]bool{4: true}})
	data := dataFrames(pkts)
	if len(data) != 2 || data[0].Number != 4 || data[1].TCP.SeqRaw != data[0].TCP.SeqRaw || string(data[1].Payload) != "hello server" {
		t.Fatalf("want frame 4 and its retransmission, got %d data frames", len(data))
	}
	if gap := data[1].Time.Sub(data[0].Time); gap < 10*time.Millisecond {
		t.Errorf("retransmitted after %v: too soon for a timeout", gap)
	}
}

func TestReorderAndDelay(t *testing.T) {
	tests := []struct {
		name string
		imp  netenv.Impairment
	}{
		{"reorder the first data", netenv.Impairment{Reorder: map[int]bool{4: true}}},
		{"delay", netenv.Impairment{Delay: 20 * time.Millisecond}},
		{"loss with a seed", netenv.Impairment{Loss: 0.2, Seed: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkts := exchange(t, tt.imp) // completes in spite of it
			if tt.imp.Delay > 0 && pkts[1].Time.Sub(pkts[0].Time) < tt.imp.Delay {
				t.Errorf("the SYN-ACK came %v after the SYN, less than the delay", pkts[1].Time.Sub(pkts[0].Time))
			}
		})
	}
}

func TestSandboxErrors(t *testing.T) {
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	ctx := context.Background()
	ln, err := sb.Listen(ctx, "tcp", "127.0.0.1:10000")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, err := sb.Listen(ctx, "tcp", "127.0.0.1:10000"); !errors.Is(err, syscall.EADDRINUSE) {
		t.Errorf("second listen: %v, want EADDRINUSE", err)
	}
	if _, err := sb.Dial(ctx, "tcp", "127.0.0.1:10009"); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial a closed port: %v, want ECONNREFUSED", err)
	}
	if _, err := sb.Dial(ctx, "tcp", "example.com:80"); err == nil {
		t.Error("the sandbox has no names to resolve")
	}
}

func TestParseImpairments(t *testing.T) {
	tests := []struct {
		in   []string
		want netenv.Impairment
		code string
	}{
		{[]string{"drop=4"}, netenv.Impairment{Drop: map[int]bool{4: true}, Seed: 1}, ""},
		{[]string{"drop=4,9", "delay=30ms"}, netenv.Impairment{Drop: map[int]bool{4: true, 9: true}, Delay: 30 * time.Millisecond, Seed: 1}, ""},
		{[]string{"loss=10%", "seed=7"}, netenv.Impairment{Loss: 0.1, Seed: 7}, ""},
		{[]string{"reorder=5"}, netenv.Impairment{Reorder: map[int]bool{5: true}, Seed: 1}, ""},
		{[]string{"drop=0"}, netenv.Impairment{}, "frames"},
		{[]string{"delay=soon"}, netenv.Impairment{}, "delay"},
		{[]string{"loss=100%"}, netenv.Impairment{}, "loss"},
		{[]string{"jitter=5ms"}, netenv.Impairment{}, "unknown"},
		{[]string{"drop"}, netenv.Impairment{}, "unknown"},
	}
	for _, tt := range tests {
		got, err := netenv.ParseImpairments(tt.in)
		if tt.code != "" {
			var ie *netenv.ImpairError
			if !errors.As(err, &ie) || ie.Code != tt.code {
				t.Errorf("%v: %v, want code %s", tt.in, err, tt.code)
			}
			continue
		}
		if err != nil || !equal(got, tt.want) {
			t.Errorf("%v: %+v %v, want %+v", tt.in, got, err, tt.want)
		}
	}
}

func equal(a, b netenv.Impairment) bool {
	same := func(x, y map[int]bool) bool {
		if len(x) != len(y) {
			return false
		}
		for k := range x {
			if !y[k] {
				return false
			}
		}
		return true
	}
	return same(a.Drop, b.Drop) && same(a.Reorder, b.Reorder) && a.Delay == b.Delay && a.Loss == b.Loss && a.Seed == b.Seed
}

// TestSandboxPing: an echo request to 127.0.0.1 is answered, and the
// capture holds the request and the reply with valid checksums.
func TestSandboxPing(t *testing.T) {
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	var mu sync.Mutex
	var frames [][]byte
	defer sb.Tap(func(_ time.Time, f []byte) {
		mu.Lock()
		frames = append(frames, append([]byte(nil), f...))
		mu.Unlock()
	})()
	c, err := sb.ListenICMP(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req := []byte{8, 0, 0, 0, 0, 1, 0, 1, 'p', 'i', 'n', 'g'}
	cs := ^fold(sum(req))
	req[2], req[3] = byte(cs>>8), byte(cs)
	if _, err := c.WriteTo(req, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 1500)
	n, _, err := c.ReadFrom(buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(req) || buf[0] != 0 || string(buf[8:n]) != "ping" || buf[6] != 0 || buf[7] != 1 {
		t.Fatalf("reply % x", buf[:n])
	}
	mu.Lock()
	defer mu.Unlock()
	if len(frames) != 2 {
		t.Fatalf("%d frames captured, want the request and the reply", len(frames))
	}
	for i, f := range frames {
		if !checksumsValid(f) {
			t.Errorf("frame %d: bad checksum", i+1)
		}
	}
}
