package netenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/waiter"
)

// Tuning is what a lesson's client sets on its socket before it
// connects, so that the handshake already carries it: the MSS it
// announces (TCP_MAXSEG) and the size of its receive buffer (SO_RCVBUF),
// which bounds the window it offers. Zero leaves the stack's own.
type Tuning struct {
	MaxSeg     int
	RecvBuffer int
}

// TunedDialer is a network whose TCP clients can be tuned before they
// connect; Kernel and Sandbox are.
type TunedDialer interface {
	DialTuned(ctx context.Context, address string, t Tuning) (net.Conn, error)
}

// DialTuned connects over TCP with t set on the socket before the SYN
// leaves. Where the system cannot set the MSS (not Linux), the stack's
// is kept.
func (Kernel) DialTuned(ctx context.Context, address string, t Tuning) (net.Conn, error) {
	d := net.Dialer{Control: tuneControl(t)}
	return d.DialContext(ctx, "tcp", address)
}

// DialTuned connects over the sandbox with t set on the endpoint before
// it connects, as gonet.DialContextTCP connects.
func (sb *Sandbox) DialTuned(ctx context.Context, address string, t Tuning) (net.Conn, error) {
	network := "tcp4"
	if strings.HasPrefix(address, "[") {
		network = "tcp6"
	}
	fa, proto, err := fullAddress(network, address)
	if err != nil {
		return nil, err
	}
	var wq waiter.Queue
	ep, terr := sb.s.NewEndpoint(tcp.ProtocolNumber, proto, &wq)
	if terr != nil {
		return nil, errors.New(terr.String())
	}
	if t.MaxSeg > 0 {
		if terr := ep.SetSockOptInt(tcpip.MaxSegOption, t.MaxSeg); terr != nil {
			ep.Close()
			return nil, fmt.Errorf("set the mss to %d: %s", t.MaxSeg, terr)
		}
	}
	if t.RecvBuffer > 0 {
		ep.SocketOptions().SetReceiveBufferSize(int64(t.RecvBuffer), true)
	}
	entry, ready := waiter.NewChannelEntry(waiter.WritableEvents)
	wq.EventRegister(&entry)
	defer wq.EventUnregister(&entry)
	terr = ep.Connect(fa)
	if _, ok := terr.(*tcpip.ErrConnectStarted); ok {
		select {
		case <-ctx.Done():
			ep.Close()
			return nil, ctx.Err()
		case <-ready:
		}
		terr = ep.LastError()
	}
	if terr != nil {
		ep.Close()
		a := &net.TCPAddr{IP: net.IP(fa.Addr.AsSlice()), Port: int(fa.Port)}
		return nil, sysErr(&net.OpError{Op: "connect", Net: "tcp", Addr: a, Err: errors.New(terr.String())})
	}
	return gonet.NewTCPConn(&wq, ep), nil
}
