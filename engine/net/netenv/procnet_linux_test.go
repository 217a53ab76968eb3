//go:build linux

package netenv

import (
	"context"
	"encoding/binary"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestProcNetLine reads lines of /proc/net/{tcp,tcp6,udp} as a
// little-endian kernel writes them.
func TestProcNetLine(t *testing.T) {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		t.Skip("the lines are a little-endian kernel's")
	}
	tests := []struct {
		proto, line string
		want        Socket
		bad         bool
	}{
		{"tcp", "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1603 1 00000000c4fbe317 100 0 0 10 0",
			Socket{Proto: "tcp", Local: netip.MustParseAddrPort("0.0.0.0:2024"), State: "LISTEN", Inode: 1603}, false},
		{"tcp", "   1: 0100007F:1F90 0100007F:EBC8 06 00000000:00000000 03:000010AC 00000000     0        0 0 3 0000000009a53559",
			Socket{Proto: "tcp", Local: netip.MustParseAddrPort("127.0.0.1:8080"), Remote: netip.MustParseAddrPort("127.0.0.1:60360"), State: "TIME_WAIT"}, false},
		{"tcp6", "   0: 00000000000000000000000001000000:2710 00000000000000000000000001000000:A3DE 01 00000000:00000000 00:00000000 00000000  1000        0 98765 1 0000000000000000 20 4 30 10 -1",
			Socket{Proto: "tcp6", Local: netip.MustParseAddrPort("[::1]:10000"), Remote: netip.MustParseAddrPort("[::1]:41950"), State: "ESTABLISHED", Inode: 98765}, false},
		{"tcp6", "   1: 0000000000000000FFFF00000100007F:2710 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0",
			Socket{Proto: "tcp6", Local: netip.MustParseAddrPort("127.0.0.1:10000"), State: "LISTEN", Inode: 4242}, false},
		{"udp", "  97: 0100007F:2711 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 5555 2 0000000000000000 0",
			Socket{Proto: "udp", Local: netip.MustParseAddrPort("127.0.0.1:10001"), Inode: 5555}, false},
		{"tcp", "   0: 0100007F:1F90 0100007F:EBC8 06", Socket{}, true},
		{"tcp", "   0: 0100007F 0100007F:EBC8 06 00000000:00000000 03:000010AC 00000000 0 0 0 3", Socket{}, true},
		{"tcp", "   0: 0100007:1F90 0100007F:EBC8 06 00000000:00000000 03:000010AC 00000000 0 0 0 3", Socket{}, true},
		{"tcp", "   0: 0100007F:1F90 0100007F:EBC8 XX 00000000:00000000 03:000010AC 00000000 0 0 0 3", Socket{}, true},
	}
	for _, tt := range tests {
		got, err := procNetLine(tt.line, tt.proto)
		if tt.bad {
			if err == nil {
				t.Errorf("%q: read as %+v, want an error", tt.line, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q:\n got %+v, %v\nwant %+v", tt.line, got, err, tt.want)
		}
	}
}

// TestProcNetMatchesDiag: the fallback reads the kernel's own table as
// sock_diag does: a listener is the same row in both, inode included.
func TestProcNetMatchesDiag(t *testing.T) {
	ln, err := Kernel{}.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	local := ln.Addr().(*net.TCPAddr).AddrPort()
	find := func(rows []Socket) (Socket, bool) {
		for _, r := range rows {
			if r.Local == local {
				return r, true
			}
		}
		return Socket{}, false
	}
	path := filepath.Join("/proc", "net", "tcp")
	if _, err := os.Stat(path); err != nil {
		t.Skip("no /proc/net/tcp here:", err)
	}
	proc, err := procNetSockets(path, "tcp")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := find(proc)
	if !ok || p.State != "LISTEN" || p.Inode == 0 {
		t.Fatalf("/proc/net/tcp lacks the listener on %s: %+v", local, p)
	}
	diag, err := diagSockets("tcp", unix.AF_INET, unix.IPPROTO_TCP)
	if err != nil {
		t.Skip("no sock_diag here:", err)
	}
	d, ok := find(diag)
	d.ID = 0 // /proc/net has none
	if !ok || d != p {
		t.Errorf("sock_diag has %+v, /proc/net/tcp %+v", d, p)
	}
}
