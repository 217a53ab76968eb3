//go:build linux

package capture

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Live captures frames from a network interface through an AF_PACKET
// socket. Its filter is attached before the socket is bound, so not one
// frame escapes it. Close unblocks a pending read.
type Live struct {
	f      *os.File
	buf    []byte
	oob    []byte
	mu     sync.Mutex // held by ReadPacketData
	stop   sync.Once
	closed atomic.Bool
	// loopback: the interface is one, whose outgoing copies are dropped.
	loopback bool

	// statMu guards the kernel's counters, which PACKET_STATISTICS
	// resets on every read: received and dropped add them up since open.
	statMu   sync.Mutex
	received uint32
	dropped  uint32
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

// OpenLive starts capturing on the named interface. prog is the capture
// filter; nil keeps every frame. On a loopback interface, where every
// frame is both sent and received, the outgoing copies are dropped; on
// any other (an Ethernet card, a veth) what the host sends is half of
// the conversation, and kept.
func OpenLive(ifname string, prog []bpf.Instruction) (*Live, error) {
	ifi, err := net.InterfaceByName(ifname)
	if err != nil {
		return nil, fmt.Errorf("interface %q: %w", ifname, err)
	}
	if prog == nil {
		prog = Accept()
	}
	if ifi.Flags&net.FlagLoopback != 0 {
		prog = append(DropOutgoing(), prog...)
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, fmt.Errorf("assemble capture filter: %w", err)
	}
	// Protocol 0: the socket receives nothing until it is bound, so the
	// filter is in place before the first frame.
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
			return nil, fmt.Errorf("%w: %w", ErrPermission, err)
		}
		return nil, fmt.Errorf("packet socket: %w", err)
	}
	fail := func(what string, err error) (*Live, error) {
		unix.Close(fd)
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	filter := make([]unix.SockFilter, len(raw))
	for i, ins := range raw {
		filter[i] = unix.SockFilter{Code: ins.Op, Jt: ins.Jt, Jf: ins.Jf, K: ins.K}
	}
	if err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER,
		&unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}); err != nil {
		return fail("attach capture filter", err)
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
		return fail("nanosecond timestamps", err)
	}
	// A roomy receive buffer, so a burst is not dropped while we print.
	_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 8<<20)
	if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: ifi.Index}); err != nil {
		return fail("bind to "+ifname, err)
	}
	return &Live{
		loopback: ifi.Flags&net.FlagLoopback != 0,
		f:        os.NewFile(uintptr(fd), "packet:"+ifname),
		buf:      make([]byte, MaxFrame),
		oob:      make([]byte, unix.CmsgSpace(int(unsafe.Sizeof(unix.Timespec{})))),
	}, nil
}

// LinkType is Ethernet: Linux gives loopback frames a zeroed Ethernet header.
func (l *Live) LinkType() layers.LinkType { return layers.LinkTypeEthernet }

// ReadPacketData blocks for the next frame. The data is valid until the
// next call. After Close it returns os.ErrClosed.
func (l *Live) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	rc, err := l.f.SyscallConn()
	if err != nil {
		return nil, gopacket.CaptureInfo{}, err
	}
	for {
		var n, oobn int
		var from unix.Sockaddr
		var rerr error
		err = rc.Read(func(fd uintptr) bool {
			n, oobn, _, from, rerr = unix.Recvmsg(int(fd), l.buf, l.oob, unix.MSG_TRUNC)
			return rerr != unix.EAGAIN
		})
		if err != nil {
			if l.closed.Load() {
				return nil, gopacket.CaptureInfo{}, os.ErrClosed
			}
			return nil, gopacket.CaptureInfo{}, err
		}
		if rerr != nil {
			if rerr == unix.EINTR {
				continue
			}
			return nil, gopacket.CaptureInfo{}, fmt.Errorf("read packet: %w", rerr)
		}
		if sa, ok := from.(*unix.SockaddrLinklayer); ok && sa.Pkttype == PacketOutgoing && l.loopback {
			continue // the filter drops these; this is a second guard
		}
		ci := gopacket.CaptureInfo{Length: n, CaptureLength: min(n, len(l.buf)), Timestamp: timestamp(l.oob[:oobn])}
		return l.buf[:ci.CaptureLength], ci, nil
	}
}

func timestamp(oob []byte) time.Time {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err == nil {
		for _, m := range msgs {
			if m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SO_TIMESTAMPNS && len(m.Data) >= int(unsafe.Sizeof(unix.Timespec{})) {
				ts := (*unix.Timespec)(unsafe.Pointer(&m.Data[0]))
				return time.Unix(int64(ts.Sec), int64(ts.Nsec))
			}
		}
	}
	return time.Now()
}

// Stats returns how many frames the filter passed (received, which
// counts the dropped ones too, as libpcap's ps_recv does) and how many of
// them the kernel dropped because the socket's buffer was full, both
// since OpenLive. It may be called at any time, from any goroutine; after
// Close it returns the counts read as the socket closed.
func (l *Live) Stats() (received, dropped uint32, err error) {
	l.statMu.Lock()
	defer l.statMu.Unlock()
	if l.closed.Load() {
		return l.received, l.dropped, nil
	}
	err = l.pollStats()
	return l.received, l.dropped, err
}

// pollStats adds the kernel's counters since their last read to the
// totals. The caller holds statMu.
func (l *Live) pollStats() error {
	rc, err := l.f.SyscallConn()
	if err != nil {
		return err
	}
	var st *unix.TpacketStats
	var serr error
	if err := rc.Control(func(fd uintptr) {
		st, serr = unix.GetsockoptTpacketStats(int(fd), unix.SOL_PACKET, unix.PACKET_STATISTICS)
	}); err != nil {
		return err
	}
	if serr != nil {
		return fmt.Errorf("packet statistics: %w", serr)
	}
	l.received += st.Packets
	l.dropped += st.Drops
	return nil
}

// Pending reports whether the kernel holds at least one frame, passed by
// the filter, that ReadPacketData has not yet returned (the socket's
// SIOCINQ, the length of the frame at the head of its queue, is not 0).
//
// The contract: once a frame has passed the packet socket's tap (on the
// loopback, before the receiving socket sees the packet), Pending is true
// until ReadPacketData has returned that frame. So if every frame an
// exchange caused has reached its receiver, Pending false means the
// capture has read them all (or the kernel dropped some: see Stats).
// Pending is false after Close, whose queue is discarded.
func (l *Live) Pending() bool {
	if l.closed.Load() {
		return false
	}
	rc, err := l.f.SyscallConn()
	if err != nil {
		return false
	}
	n := 0
	if err := rc.Control(func(fd uintptr) {
		n, err = unix.IoctlGetInt(int(fd), unix.SIOCINQ)
	}); err != nil {
		return false
	}
	return err == nil && n > 0
}

// SetReadBuffer asks the kernel for a receive buffer of the given size in
// bytes (SO_RCVBUF, which Linux doubles and bounds). Frames that do not
// fit while the reader falls behind are dropped and counted by Stats.
func (l *Live) SetReadBuffer(bytes int) error {
	rc, err := l.f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, bytes)
	}); err != nil {
		return err
	}
	if serr != nil {
		return fmt.Errorf("receive buffer: %w", serr)
	}
	return nil
}

// Close reads the kernel's counters one last time (Stats keeps them),
// stops the capture and wakes a blocked ReadPacketData.
func (l *Live) Close() error {
	var err error
	l.stop.Do(func() {
		l.statMu.Lock()
		defer l.statMu.Unlock()
		_ = l.pollStats() // a socket that cannot say keeps the last counts
		l.closed.Store(true)
		err = l.f.Close()
	})
	return err
}

// CanCapture reports whether this process may open a live capture, and
// if not, the error that says why.
func CanCapture() error {
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
			return fmt.Errorf("%w: %w", ErrPermission, err)
		}
		return fmt.Errorf("packet socket: %w", err)
	}
	unix.Close(fd)
	return nil
}

// Loopback is the name of the loopback interface.
const Loopback = "lo"
