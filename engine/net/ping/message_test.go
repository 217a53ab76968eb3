package ping_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/net/ping"
	"wiretutor/engine/testkit/testenv"
)

func TestChecksum(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want uint16
	}{
		// RFC 1071 section 3's example: the sum is ddf2.
		{"rfc1071", []byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}, ^uint16(0xddf2)},
		{"empty", nil, 0xffff},
		{"odd length pads a zero", []byte{0x01}, ^uint16(0x0100)},
		{"carry folds in", []byte{0xff, 0xff, 0x00, 0x01}, ^uint16(0x0001)},
		{"echo header on paper", []byte{8, 0, 0, 0, 0, 1, 0, 1}, ^uint16(0x0802)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ping.Checksum(tt.in); got != tt.want {
				t.Errorf("Checksum(% x) = %#04x, want %#04x", tt.in, got, tt.want)
			}
		})
	}
}

// TestMarshalMatchesXNet checks our hand-built bytes against
// golang.org/x/net/icmp's, checksum included.
func TestMarshalMatchesXNet(t *testing.T) {
	for _, size := range []int{0, 1, 7, 56, 1472} {
		data := bytes.Repeat([]byte{0xa5, 0x17, 0x3c}, size)[:size]
		m := ping.Message{Type: ping.TypeEchoRequest, Ident: 0x1234, Seq: 7, Data: data}
		got := m.Marshal(nil)
		want, err := (&icmp.Message{Type: ipv4.ICMPTypeEcho, Body: &icmp.Echo{ID: 0x1234, Seq: 7, Data: data}}).Marshal(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("size %d:\n got % x\nwant % x", size, got, want)
		}
		if !ping.Valid(got) {
			t.Errorf("size %d: Valid says the checksum is wrong", size)
		}
		back, err := ping.Parse(got)
		if err != nil || back.Type != 8 || back.Ident != 0x1234 || back.Seq != 7 || back.Checksum != m.Checksum || !bytes.Equal(back.Data, data) {
			t.Errorf("size %d: Parse = %+v, %v", size, back, err)
		}
	}
}

func TestParseShort(t *testing.T) {
	for n := range ping.HeaderLen {
		if _, err := ping.Parse(make([]byte, n)); !errors.Is(err, ping.ErrShort) {
			t.Errorf("%d bytes: err = %v, want ErrShort", n, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte{0, 0, 0xff, 0xff, 0, 1, 0, 1})
	f.Add([]byte{3, 3, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ping.Parse(b)
		if err != nil {
			return
		}
		again := m.Marshal(nil)
		if len(again) != len(b) || !ping.Valid(again) {
			t.Fatalf("re-marshalled % x from % x", again, b)
		}
	})
}

func TestRunSandbox(t *testing.T) {
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	c, err := sb.ListenICMP(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	runThree(t, c.(netenv.EchoConn), &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
}

func TestRunKernelRaw(t *testing.T) {
	c, err := netenv.Kernel{}.ListenICMPRaw(context.Background())
	if err != nil {
		testenv.NeedCapture(t) // the same right (CAP_NET_RAW) opens raw sockets
		t.Skip(err)
	}
	defer c.Close()
	runThree(t, c.(netenv.EchoConn), &net.IPAddr{IP: net.IPv4(127, 0, 0, 1)})
}

func runThree(t *testing.T, c netenv.EchoConn, dst net.Addr) {
	t.Helper()
	var got []ping.Reply
	st, err := ping.Run(context.Background(), c, dst,
		ping.Options{Count: 3, Interval: 10 * time.Millisecond, Size: 56, Wait: 5 * time.Second, Ident: 0x4242},
		func(r ping.Reply) { got = append(got, r) })
	if err != nil {
		t.Fatal(err)
	}
	if st.Sent != 3 || st.Received != 3 || st.Loss() != 0 {
		t.Fatalf("stats %+v, want 3 sent, 3 received", st)
	}
	for i, r := range got {
		if r.Seq != uint16(i+1) || r.Bytes != 64 || r.TTL != 64 || r.RTT <= 0 || r.Dup {
			t.Errorf("reply %d = %+v, want seq %d, 64 bytes, ttl 64", i, r, i+1)
		}
	}
	if st.Min > st.Avg || st.Avg > st.Max {
		t.Errorf("rtt min/avg/max out of order: %+v", st)
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	sb, err := netenv.NewSandbox(netenv.Impairment{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	c, err := sb.ListenICMP(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	st, err := ping.Run(ctx, c.(netenv.EchoConn), &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)},
		ping.Options{Interval: time.Millisecond, Size: 56},
		func(ping.Reply) {
			if n++; n == 5 {
				cancel()
			}
		})
	if err != nil || st.Received < 5 || st.Sent < st.Received {
		t.Fatalf("after cancel: %+v, %v", st, err)
	}
}
