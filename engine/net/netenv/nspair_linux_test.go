package netenv_test

import (
	"context"
	"io"
	"net"
	"testing"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/testkit/testenv"
)

// TestNamespacePair: two namespaces of the real kernel joined by a veth
// pair: a capture on the client's end sees the ARP request for the
// server, its reply, then the TCP exchange both ways, each frame once,
// with the pair's addresses; the host's own network never sees them.
func TestNamespacePair(t *testing.T) {
	p, err := netenv.NewNamespacePair()
	if err != nil {
		testenv.Missing(t, "network namespaces: "+err.Error())
	}
	defer p.Close()
	ctx := context.Background()
	addr := net.JoinHostPort(netenv.PairServerIP, "24001")
	ln, err := p.Server.Listen(ctx, "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	// The host's own network has none of the pair's addresses.
	if as, err := net.InterfaceAddrs(); err == nil {
		for _, a := range as {
			if ip, _, _ := net.ParseCIDR(a.String()); ip.String() == netenv.PairClientIP || ip.String() == netenv.PairServerIP {
				t.Errorf("the host has %v", a)
			}
		}
	}
	var live *capture.Live
	if err := p.Client.Do(func() (err error) { live, err = capture.OpenLive(netenv.NSClientLink, nil); return err }); err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		io.Copy(c, c)
		c.Close()
	}()
	c, err := p.Client.Dial(ctx, "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if c.LocalAddr().(*net.TCPAddr).IP.String() != netenv.PairClientIP {
		t.Errorf("the client dials from %v", c.LocalAddr())
	}
	c.Write([]byte("hi"))
	buf := make([]byte, 2)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "hi" {
		t.Fatalf("echo %q, %v", buf, err)
	}
	c.Close()
	d, err := dissect.New(live.LinkType())
	if err != nil {
		t.Fatal(err)
	}
	var pkts []dissect.Packet
	fins := 0
	for fins < 2 {
		data, ci, err := live.ReadPacketData()
		if err != nil {
			t.Fatal(err)
		}
		var pk dissect.Packet
		d.Dissect(data, ci, &pk)
		pk.Data = nil // the frame's buffer is the capture's own
		if pk.Transport == dissect.TransportTCP && pk.TCP.Has(dissect.FlagFIN) {
			fins++
		}
		pkts = append(pkts, pk)
	}
	if len(pkts) < 8 || !pkts[0].HasARP || pkts[0].ARP.Opcode != 1 || !pkts[1].HasARP || pkts[1].ARP.Opcode != 2 {
		for i := range pkts {
			t.Log(string(dissect.Summary(nil, &pkts[i], 6)))
		}
		t.Fatal("the capture does not start with ARP's request and reply, then TCP")
	}
	for i := range pkts[2:] {
		pk := &pkts[2+i]
		if pk.IPVersion != 4 || (pk.Src.String() != netenv.PairClientIP && pk.Src.String() != netenv.PairServerIP) {
			t.Errorf("frame %d: %s", pk.Number, dissect.Summary(nil, pk, 6))
		}
	}
}
