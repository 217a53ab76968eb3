package netenv

import (
	"errors"
	"net"
	"os"
	"sync"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/waiter"

	icmptype "wiretutor/engine/packet/icmp"
)

// EchoConn is the socket ListenICMP returns: a PacketConn that can also
// tell the TTL of what it reads and set the TTL of what it sends.
type EchoConn interface {
	net.PacketConn
	// ReadTTL is ReadFrom that also returns the TTL of the IP packet
	// (-1 when unknown).
	ReadTTL(b []byte) (n int, from net.Addr, ttl int, err error)
	// SetTTL sets the TTL of the packets the socket sends.
	SetTTL(ttl int) error
}

// kernelICMP is a host ICMP socket with IP_RECVTTL on.
type kernelICMP struct {
	*icmp.PacketConn
	p4 *ipv4.PacketConn
}

func newKernelICMP(c *icmp.PacketConn) *kernelICMP {
	p4 := c.IPv4PacketConn()
	_ = p4.SetControlMessage(ipv4.FlagTTL, true) // without it ReadTTL says -1
	return &kernelICMP{PacketConn: c, p4: p4}
}

func (k *kernelICMP) ReadTTL(b []byte) (int, net.Addr, int, error) {
	n, cm, from, err := k.p4.ReadFrom(b)
	ttl := -1
	if cm != nil {
		ttl = cm.TTL
	}
	return n, from, ttl, err
}

func (k *kernelICMP) SetTTL(ttl int) error { return k.p4.SetTTL(ttl) }

// rawEcho makes a raw ICMP socket behave as a ping socket: it sends to
// a *net.UDPAddr and reads echo replies only (on the loopback a raw
// socket also sees the requests it sent).
type rawEcho struct{ *kernelICMP }

func (r rawEcho) WriteTo(b []byte, addr net.Addr) (int, error) {
	if u, ok := addr.(*net.UDPAddr); ok {
		addr = &net.IPAddr{IP: u.IP, Zone: u.Zone}
	}
	return r.kernelICMP.WriteTo(b, addr)
}

func (r rawEcho) ReadFrom(b []byte) (int, net.Addr, error) {
	n, from, _, err := r.ReadTTL(b)
	return n, from, err
}

func (r rawEcho) ReadTTL(b []byte) (int, net.Addr, int, error) {
	for {
		n, from, ttl, err := r.kernelICMP.ReadTTL(b)
		if err != nil || (n > 0 && icmptype.Type(b[0]) == icmptype.EchoReply) {
			if ip, ok := from.(*net.IPAddr); ok {
				from = &net.UDPAddr{IP: ip.IP, Zone: ip.Zone}
			}
			return n, from, ttl, err
		}
	}
}

// sandboxICMP is a sandbox ICMP endpoint read directly, so that the TTL
// control message gonet drops reaches the caller.
type sandboxICMP struct {
	*gonet.UDPConn
	ep tcpip.Endpoint
	wq *waiter.Queue

	mu       sync.Mutex
	deadline time.Time
}

func (c *sandboxICMP) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return c.UDPConn.SetReadDeadline(t)
}

func (c *sandboxICMP) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.UDPConn.SetWriteDeadline(t)
}

func (c *sandboxICMP) ReadTTL(b []byte) (int, net.Addr, int, error) {
	c.mu.Lock()
	dl := c.deadline
	c.mu.Unlock()
	var expired <-chan time.Time
	if !dl.IsZero() {
		t := time.NewTimer(time.Until(dl))
		defer t.Stop()
		expired = t.C
	}
	entry, notify := waiter.NewChannelEntry(waiter.ReadableEvents)
	c.wq.EventRegister(&entry)
	defer c.wq.EventUnregister(&entry)
	for {
		w := tcpip.SliceWriter(b)
		res, err := c.ep.Read(&w, tcpip.ReadOptions{NeedRemoteAddr: true})
		switch err.(type) {
		case nil:
			ttl := -1
			if res.ControlMessages.HasTTL {
				ttl = int(res.ControlMessages.TTL)
			}
			from := &net.UDPAddr{IP: net.IP(res.RemoteAddr.Addr.AsSlice())}
			return res.Count, from, ttl, nil
		case *tcpip.ErrWouldBlock:
			select {
			case <-expired:
				return 0, nil, -1, &net.OpError{Op: "read", Net: "icmp", Err: os.ErrDeadlineExceeded}
			case <-notify:
			}
		case *tcpip.ErrClosedForReceive:
			return 0, nil, -1, net.ErrClosed
		default:
			return 0, nil, -1, sysErr(errors.New(err.String()))
		}
	}
}

func (c *sandboxICMP) SetTTL(ttl int) error {
	if err := c.ep.SetSockOptInt(tcpip.IPv4TTLOption, ttl); err != nil {
		return sysErr(errors.New(err.String()))
	}
	return nil
}
