package netenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// The veth pair's interface names, in the client's and the server's
// namespace.
const (
	NSClientLink = "wt0"
	NSServerLink = "wt1"
)

// NSPair is two hosts of the real kernel: two network namespaces of
// wiretutor's own joined by a veth pair, the client's end PairClientIP
// (PairClientMAC) on NSClientLink, the server's PairServerIP
// (PairServerMAC) on NSServerLink, as the sandbox pair has them. The
// namespaces have no name in the file system: when the pair is closed
// and the last socket in them with it, or when the process ends however
// it ends, the kernel removes them and the veth pair. Making them needs
// CAP_SYS_ADMIN: root, or the private namespace's user namespace.
type NSPair struct {
	Client, Server *NSHost
}

// NSHost is one host of an NSPair: the kernel's network as seen from
// its namespace. Sockets opened through it live there for good.
type NSHost struct {
	fd    int // the namespace
	other *NSHost
}

// NewNamespacePair makes the two namespaces and the veth pair between
// them, with their addresses set and every link up.
func NewNamespacePair() (*NSPair, error) {
	a, err := newNamespace()
	if err != nil {
		return nil, err
	}
	b, err := newNamespace()
	if err != nil {
		unix.Close(a)
		return nil, err
	}
	p := &NSPair{Client: &NSHost{fd: a}, Server: &NSHost{fd: b}}
	p.Client.other, p.Server.other = p.Server, p.Client
	if err := p.wire(); err != nil {
		p.Close()
		return nil, fmt.Errorf("join the two namespaces: %w", err)
	}
	return p, nil
}

// newNamespace makes a network namespace and returns a descriptor of
// it; the calling thread's namespace is left as it was.
func newNamespace() (int, error) {
	var fd int
	err := inThread(func() error {
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			return fmt.Errorf("make a network namespace: %w", err)
		}
		var err error
		fd, err = unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		return err
	})
	return fd, err
}

// inThread runs f on a thread of its own, locked to it, and puts the
// thread's network namespace back afterwards; a thread that cannot be
// put back is left locked, so Go retires it with the goroutine.
func inThread(f func() error) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			done <- err
			return
		}
		defer unix.Close(orig)
		err = f()
		if rerr := unix.Setns(orig, unix.CLONE_NEWNET); rerr != nil {
			done <- errors.Join(err, rerr) // the thread stays locked and dies with the goroutine
			return
		}
		runtime.UnlockOSThread()
		done <- err
	}()
	return <-done
}

// Do runs f with the calling goroutine's thread in h's namespace: a
// socket f opens (a capture's, say) lives there.
func (h *NSHost) Do(f func() error) error {
	return inThread(func() error {
		if err := unix.Setns(h.fd, unix.CLONE_NEWNET); err != nil {
			return fmt.Errorf("enter the namespace: %w", err)
		}
		return f()
	})
}

// wire adds the veth pair in the client's namespace with its other end
// in the server's, and sets each end's address.
func (p *NSPair) wire() error {
	cmac, _ := net.ParseMAC(PairClientMAC)
	smac, _ := net.ParseMAC(PairServerMAC)
	err := p.Client.Do(func() error {
		veth := &netlink.Veth{
			LinkAttrs:        netlink.LinkAttrs{Name: NSClientLink, HardwareAddr: cmac, MTU: PairMTU},
			PeerName:         NSServerLink,
			PeerHardwareAddr: smac,
			PeerNamespace:    netlink.NsFd(p.Server.fd),
		}
		if err := netlink.LinkAdd(veth); err != nil {
			return fmt.Errorf("add the veth pair: %w", err)
		}
		return up(NSClientLink, PairClientIP)
	})
	if err != nil {
		return err
	}
	return p.Server.Do(func() error { return up(NSServerLink, PairServerIP) })
}

// up gives the link its address in the pair's subnet, and brings it
// and the namespace's loopback up. IPv6 is switched off, so that the
// wire carries only what the lesson sends.
func up(name, ip string) error {
	os.WriteFile("/proc/sys/net/ipv6/conf/all/disable_ipv6", []byte("1"), 0o644)
	lo, err := netlink.LinkByName("lo")
	if err != nil {
		return fmt.Errorf("find lo: %w", err)
	}
	if err := netlink.LinkSetUp(lo); err != nil {
		return fmt.Errorf("bring lo up: %w", err)
	}
	l, err := netlink.LinkByName(name)
	if err != nil {
		return fmt.Errorf("find %s: %w", name, err)
	}
	addr, err := netlink.ParseAddr(fmt.Sprintf("%s/%d", ip, PairPrefixLen))
	if err != nil {
		return err
	}
	if err := netlink.AddrAdd(l, addr); err != nil {
		return fmt.Errorf("address %s on %s: %w", ip, name, err)
	}
	if err := netlink.LinkSetUp(l); err != nil {
		return fmt.Errorf("bring %s up: %w", name, err)
	}
	return nil
}

// Close lets the namespaces go: the kernel removes them, and the veth
// pair, once no socket is left in them.
func (p *NSPair) Close() error {
	for _, h := range []*NSHost{p.Client, p.Server} {
		if h.fd >= 0 {
			unix.Close(h.fd)
			h.fd = -1
		}
	}
	return nil
}

// peer is the other host, for Peer: the server's, from the client's.
func (h *NSHost) peer() Net {
	if h.other == nil {
		return nil
	}
	return h.other
}

// Name returns "kernel": it is the kernel's own TCP/IP.
func (h *NSHost) Name() string { return "kernel" }

// Listen listens in h's namespace.
func (h *NSHost) Listen(ctx context.Context, network, address string) (net.Listener, error) {
	var ln net.Listener
	err := h.Do(func() (err error) {
		var lc net.ListenConfig
		ln, err = lc.Listen(ctx, network, address)
		return err
	})
	return ln, err
}

// ListenPacket listens for datagrams in h's namespace.
func (h *NSHost) ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error) {
	var pc net.PacketConn
	err := h.Do(func() (err error) {
		var lc net.ListenConfig
		pc, err = lc.ListenPacket(ctx, network, address)
		return err
	})
	return pc, err
}

// Dial connects from h's namespace.
func (h *NSHost) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	var c net.Conn
	err := h.Do(func() (err error) {
		var d net.Dialer
		c, err = d.DialContext(ctx, network, address)
		return err
	})
	return c, err
}

// ListenICMP opens a ping socket in h's namespace, as Kernel does.
func (h *NSHost) ListenICMP(ctx context.Context) (net.PacketConn, error) {
	var pc net.PacketConn
	err := h.Do(func() (err error) {
		pc, err = Kernel{Namespace: true}.ListenICMP(ctx)
		return err
	})
	return pc, err
}
