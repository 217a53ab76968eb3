//go:build linux

package netenv

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The kernel's socket table, read through netlink's sock_diag (what ss
// uses) rather than /proc/net: it gives each socket its cookie, an
// identity that a TCP socket keeps when it moves to TIME_WAIT and that a
// new socket on the same addresses never shares. /proc/net shows a
// TIME_WAIT socket with inode 0, so there two sockets on the same
// addresses, one left by an earlier run and one of this run, are the
// same row.

// Sizes of struct inet_diag_req_v2 and struct inet_diag_msg
// (linux/inet_diag.h).
const (
	diagReqLen = 56
	diagMsgLen = 72
)

// diagStates asks for sockets in every state.
const diagStates = 0xffffffff

// diagSockets lists the sockets of one family (AF_INET, AF_INET6) and
// protocol (IPPROTO_TCP, IPPROTO_UDP) as the kernel's sock_diag reports
// them.
func diagSockets(proto string, family uint8, ipproto uint8) ([]Socket, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	if err != nil {
		return nil, fmt.Errorf("sock_diag: %w", err)
	}
	defer unix.Close(fd)
	req := make([]byte, unix.SizeofNlMsghdr+diagReqLen)
	hdr := (*unix.NlMsghdr)(unsafe.Pointer(&req[0]))
	hdr.Len = uint32(len(req))
	hdr.Type = unix.SOCK_DIAG_BY_FAMILY
	hdr.Flags = unix.NLM_F_REQUEST | unix.NLM_F_DUMP
	hdr.Seq = 1
	body := req[unix.SizeofNlMsghdr:]
	body[0], body[1] = family, ipproto
	binary.NativeEndian.PutUint32(body[4:], diagStates)
	if err := unix.Sendto(fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, fmt.Errorf("sock_diag: %w", err)
	}
	var out []Socket
	buf := make([]byte, 64<<10)
	for {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return nil, fmt.Errorf("sock_diag: %w", err)
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return nil, fmt.Errorf("sock_diag: %w", err)
		}
		for _, m := range msgs {
			switch m.Header.Type {
			case unix.NLMSG_DONE:
				return out, nil
			case unix.NLMSG_ERROR:
				if len(m.Data) >= 4 {
					if errno := int32(binary.NativeEndian.Uint32(m.Data)); errno < 0 {
						return nil, fmt.Errorf("sock_diag: %w", syscall.Errno(-errno))
					}
				}
				return nil, errors.New("sock_diag: an error without a number")
			}
			if s, ok := diagSocket(proto, m.Data); ok {
				out = append(out, s)
			}
		}
	}
}

// diagSocket reads one struct inet_diag_msg.
func diagSocket(proto string, d []byte) (Socket, bool) {
	if len(d) < diagMsgLen {
		return Socket{}, false
	}
	family, state := d[0], d[1]
	id := d[4:52] // struct inet_diag_sockid
	addr := func(b []byte) netip.Addr {
		if family == unix.AF_INET {
			return netip.AddrFrom4([4]byte(b[:4]))
		}
		return netip.AddrFrom16([16]byte(b[:16])).Unmap()
	}
	s := Socket{
		Proto:  proto,
		Local:  netip.AddrPortFrom(addr(id[4:20]), binary.BigEndian.Uint16(id[0:2])),
		Remote: netip.AddrPortFrom(addr(id[20:36]), binary.BigEndian.Uint16(id[2:4])),
		ID:     uint64(binary.NativeEndian.Uint32(id[40:44])) | uint64(binary.NativeEndian.Uint32(id[44:48]))<<32,
		Inode:  uint64(binary.NativeEndian.Uint32(d[68:72])),
	}
	if s.Remote.Port() == 0 {
		s.Remote = netip.AddrPort{}
	}
	if proto[:3] == "tcp" {
		s.State = linuxState(uint64(state))
	}
	return s, true
}
