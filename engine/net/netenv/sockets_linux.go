//go:build linux

package netenv

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/prometheus/procfs"
	"golang.org/x/sys/unix"
)

// Sockets lists the host's TCP and UDP sockets, from sock_diag (with
// each socket's cookie as its ID) or, where netlink is closed, from
// /proc/net (with no ID).
func (Kernel) Sockets() ([]Socket, error) {
	fs, err := procfs.NewDefaultFS()
	if err != nil {
		return nil, fmt.Errorf("socket table: %w", err)
	}
	udp := func(read func() (procfs.NetUDP, error)) func() (procfs.NetTCP, error) {
		return func() (procfs.NetTCP, error) { u, err := read(); return procfs.NetTCP(u), err }
	}
	var out []Socket
	for _, src := range []struct {
		proto   string
		family  uint8
		ipproto uint8
		read    func() (procfs.NetTCP, error)
	}{
		{"tcp", unix.AF_INET, unix.IPPROTO_TCP, fs.NetTCP},
		{"tcp6", unix.AF_INET6, unix.IPPROTO_TCP, fs.NetTCP6},
		{"udp", unix.AF_INET, unix.IPPROTO_UDP, udp(fs.NetUDP)},
		{"udp6", unix.AF_INET6, unix.IPPROTO_UDP, udp(fs.NetUDP6)},
	} {
		if rows, err := diagSockets(src.proto, src.family, src.ipproto); err == nil {
			out = append(out, rows...)
			continue
		}
		rows, err := src.read()
		if err != nil {
			continue // no IPv6 on this host, say
		}
		for _, r := range rows {
			s := Socket{Proto: src.proto, Local: addrPort(r.LocalAddr, r.LocalPort), Inode: r.Inode}
			if r.RemPort != 0 {
				s.Remote = addrPort(r.RemAddr, r.RemPort)
			}
			if src.proto[:3] == "tcp" {
				s.State = linuxState(r.St)
			}
			out = append(out, s)
		}
	}
	owners := socketOwners(fs)
	for i := range out {
		out[i].Process = owners[out[i].Inode]
	}
	sortSockets(out)
	return out, nil
}

// socketOwners maps socket inodes to "name/pid", from the file
// descriptors of every process this user may look into.
func socketOwners(fs procfs.FS) map[uint64]string {
	owners := map[uint64]string{}
	procs, err := fs.AllProcs()
	if err != nil {
		return owners
	}
	for _, p := range procs {
		targets, err := p.FileDescriptorTargets()
		if err != nil {
			continue
		}
		var comm string
		for _, t := range targets {
			ino, ok := strings.CutPrefix(t, "socket:[")
			if !ok {
				continue
			}
			n, err := strconv.ParseUint(strings.TrimSuffix(ino, "]"), 10, 64)
			if err != nil {
				continue
			}
			if comm == "" {
				if comm, err = p.Comm(); err != nil {
					comm = "?"
				}
			}
			owners[n] = comm + "/" + strconv.Itoa(p.PID)
		}
	}
	return owners
}

func addrPort(ip net.IP, port uint64) netip.AddrPort {
	a, _ := netip.AddrFromSlice(ip)
	return netip.AddrPortFrom(a.Unmap(), uint16(port))
}

func ephemeralRange() (lo, hi uint16, err error) {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0, 0, err
	}
	f := strings.Fields(string(data))
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("ip_local_port_range: %q", data)
	}
	a, err1 := strconv.ParseUint(f[0], 10, 16)
	b, err2 := strconv.ParseUint(f[1], 10, 16)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("ip_local_port_range: %q", data)
	}
	return uint16(a), uint16(b), nil
}
