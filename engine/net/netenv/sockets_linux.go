//go:build linux

package netenv

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/prometheus/procfs"
	"golang.org/x/sys/unix"
)

// Sockets lists the host's TCP and UDP sockets, from sock_diag (with
// each socket's cookie as its ID) or, where netlink is closed, from
// /proc/net (with no ID). procfs deprecates its readers of
// /proc/net/tcp for netlink, which is what sock_diag speaks; the
// fallback reads the files itself.
func (Kernel) Sockets() ([]Socket, error) {
	fs, err := procfs.NewDefaultFS()
	if err != nil {
		return nil, fmt.Errorf("socket table: %w", err)
	}
	var out []Socket
	for _, src := range []struct {
		proto   string
		family  uint8
		ipproto uint8
	}{
		{"tcp", unix.AF_INET, unix.IPPROTO_TCP},
		{"tcp6", unix.AF_INET6, unix.IPPROTO_TCP},
		{"udp", unix.AF_INET, unix.IPPROTO_UDP},
		{"udp6", unix.AF_INET6, unix.IPPROTO_UDP},
	} {
		rows, err := diagSockets(src.proto, src.family, src.ipproto)
		if err != nil {
			if rows, err = procNetSockets(filepath.Join(procfs.DefaultMountPoint, "net", src.proto), src.proto); err != nil {
				continue // no IPv6 on this host, say
			}
		}
		out = append(out, rows...)
	}
	owners := socketOwners(fs)
	for i := range out {
		out[i].Process = owners[out[i].Inode]
	}
	sortSockets(out)
	return out, nil
}

// procNetSockets reads a socket table of /proc/net (tcp, tcp6, udp,
// udp6: one format) as rows of proto. A socket there has no cookie, so
// no ID.
func procNetSockets(path, proto string) ([]Socket, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Socket
	sc := bufio.NewScanner(f)
	sc.Scan() // the header
	for sc.Scan() {
		s, err := procNetLine(sc.Text(), proto)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// procNetLine reads one line of a /proc/net socket table: "sl: local
// remote st tx:rx tr:when retrnsmt uid timeout inode ...", addresses as
// hex words of the kernel's byte order and ports in hex.
func procNetLine(line, proto string) (Socket, error) {
	f := strings.Fields(line)
	if len(f) < 10 {
		return Socket{}, fmt.Errorf("%d columns, want at least 10: %q", len(f), line)
	}
	local, err := procNetAddr(f[1])
	if err != nil {
		return Socket{}, err
	}
	remote, err := procNetAddr(f[2])
	if err != nil {
		return Socket{}, err
	}
	st, err := strconv.ParseUint(f[3], 16, 8)
	if err != nil {
		return Socket{}, fmt.Errorf("state %q: %w", f[3], err)
	}
	inode, err := strconv.ParseUint(f[9], 10, 64)
	if err != nil {
		return Socket{}, fmt.Errorf("inode %q: %w", f[9], err)
	}
	s := Socket{Proto: proto, Local: local, Inode: inode}
	if remote.Port() != 0 {
		s.Remote = remote
	}
	if strings.HasPrefix(proto, "tcp") {
		s.State = linuxState(st)
	}
	return s, nil
}

// procNetAddr reads "0100007F:1F90": an IPv4 address as one 32-bit
// word, or IPv6 as four, each printed as the kernel holds it in memory,
// then the port.
func procNetAddr(s string) (netip.AddrPort, error) {
	hexAddr, hexPort, ok := strings.Cut(s, ":")
	if !ok {
		return netip.AddrPort{}, fmt.Errorf("address %q: no port", s)
	}
	port, err := strconv.ParseUint(hexPort, 16, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("address %q: %w", s, err)
	}
	raw, err := hex.DecodeString(hexAddr)
	if err != nil || len(raw) != 4 && len(raw) != 16 {
		return netip.AddrPort{}, fmt.Errorf("address %q: not 4 or 16 bytes of hex", s)
	}
	// raw holds each word as printed, most significant digit first: the
	// value of the word as this machine's memory holds the address.
	ip := make([]byte, len(raw))
	for i := 0; i < len(raw); i += 4 {
		binary.NativeEndian.PutUint32(ip[i:], binary.BigEndian.Uint32(raw[i:]))
	}
	a, _ := netip.AddrFromSlice(ip)
	return netip.AddrPortFrom(a.Unmap(), uint16(port)), nil
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
