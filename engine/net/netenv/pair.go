package netenv

import (
	"fmt"
	"net/netip"
	"sync"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	ethlink "gvisor.dev/gvisor/pkg/tcpip/link/ethernet"
	"gvisor.dev/gvisor/pkg/tcpip/network/arp"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
)

// The two hosts of a two-host network (the game lesson's), the same in
// the sandbox and in Linux namespaces: a client and a server on one
// Ethernet link, with addresses of a private network that exists only
// there, and locally administered Ethernet addresses.
const (
	PairClientIP  = "192.168.24.1"
	PairServerIP  = "192.168.24.2"
	PairPrefixLen = 24
	PairClientMAC = "02:00:00:00:00:01"
	PairServerMAC = "02:00:00:00:00:02"
	// PairMTU is the wire's, as an Ethernet's.
	PairMTU = 1500
)

// Peer is the server's host when n is the client's host of a two-host
// network, and false for any other network.
func Peer(n Net) (Net, bool) {
	if p, ok := n.(interface{ peer() Net }); ok {
		if q := p.peer(); q != nil {
			return q, true
		}
	}
	return nil, false
}

// Pair is two sandbox hosts joined by an Ethernet wire that records
// every frame once: Client (PairClientIP) and Server (PairServerIP),
// each a stack of its own with IPv4 and ARP. The first packet between
// them waits for ARP to find the other's Ethernet address, as between
// two computers on a switch. Close it when done.
type Pair struct {
	Client, Server *Sandbox
	link           *link
	once           sync.Once
}

// NewSandboxPair builds the two hosts. With a seed, both stacks take
// their numbers from it and share its clock (see NewSeededSandbox).
func NewSandboxPair(imp Impairment, seed *uint64) (*Pair, error) {
	l := newLink(imp)
	l.wire = true
	p := &Pair{link: l}
	var clock *eventClock
	if seed != nil {
		clock = newEventClock()
		l.stamp = clock.frameTime
	}
	mk := func(end int, ip, mac, stream string) (*Sandbox, error) {
		sb := &Sandbox{link: l, pair: p}
		opts := stack.Options{
			NetworkProtocols:   []stack.NetworkProtocolFactory{ipv4.NewProtocol, arp.NewProtocol},
			TransportProtocols: []stack.TransportProtocolFactory{tcp.NewProtocol, udp.NewProtocol},
		}
		if seed != nil {
			rng := newSeededRNG(*seed, stream)
			sb.clock, sb.rand = clock, newSeededRNG(*seed, "programs "+stream)
			opts.SecureRNG, opts.RandSource, opts.Clock = rng, rng, clock
		}
		sb.s = stack.New(opts)
		hw, err := tcpip.ParseMACAddress(mac)
		if err != nil {
			return nil, err
		}
		if err := sb.s.CreateNIC(sandboxNIC, ethlink.New(&wireEnd{l: l, end: end, mac: hw})); err != nil {
			sb.s.Destroy()
			return nil, fmt.Errorf("sandbox interface: %s", err)
		}
		a := netip.MustParseAddr(ip).As4()
		addr := tcpip.ProtocolAddress{Protocol: ipv4.ProtocolNumber, AddressWithPrefix: tcpip.AddressWithPrefix{Address: tcpip.AddrFrom4(a), PrefixLen: PairPrefixLen}}
		if err := sb.s.AddProtocolAddress(sandboxNIC, addr, stack.AddressProperties{}); err != nil {
			sb.s.Destroy()
			return nil, fmt.Errorf("sandbox address: %s", err)
		}
		sb.s.SetRouteTable([]tcpip.Route{{Destination: addr.AddressWithPrefix.Subnet(), NIC: sandboxNIC}})
		sack := tcpip.TCPSACKEnabled(true)
		sb.s.SetTransportProtocolOption(tcp.ProtocolNumber, &sack)
		return sb, nil
	}
	var err error
	if p.Client, err = mk(0, PairClientIP, PairClientMAC, "stack client"); err != nil {
		return nil, err
	}
	if p.Server, err = mk(1, PairServerIP, PairServerMAC, "stack server"); err != nil {
		p.Client.s.Destroy()
		return nil, err
	}
	if seed != nil {
		// One stream of the programs' for both hosts, so that what the
		// server draws does not depend on what the client drew.
		p.Server.rand = p.Client.rand
	}
	p.Client.peerHost = p.Server
	return p, nil
}

// Tap calls fn with every frame the wire carries, as Sandbox.Tap.
func (p *Pair) Tap(fn func(t time.Time, frame []byte)) (untap func()) { return p.link.tap(fn) }

// Close tears both hosts down.
func (p *Pair) Close() error {
	p.once.Do(func() {
		p.Client.s.Destroy()
		p.Server.s.Destroy()
		p.link.Close()
		p.link.Wait()
	})
	return nil
}

// wireEnd is one end of a wire (a link made with wire set): what one
// host's Ethernet interface sends goes to the other end's stack.
// gVisor's ethernet endpoint wraps it, writing and reading the header.
type wireEnd struct {
	l   *link
	end int
	mac tcpip.LinkAddress
}

func (w *wireEnd) Attach(d stack.NetworkDispatcher)             { w.l.attach(w.end, d) }
func (w *wireEnd) IsAttached() bool                             { return w.l.attached(w.end) }
func (w *wireEnd) MTU() uint32                                  { return PairMTU + header.EthernetMinimumSize }
func (w *wireEnd) SetMTU(uint32)                                {}
func (w *wireEnd) MaxHeaderLength() uint16                      { return 0 }
func (w *wireEnd) LinkAddress() tcpip.LinkAddress               { return w.mac }
func (w *wireEnd) SetLinkAddress(a tcpip.LinkAddress)           {}
func (w *wireEnd) Wait()                                        {}
func (w *wireEnd) ARPHardwareType() header.ARPHardwareType      { return header.ARPHardwareNone }
func (w *wireEnd) AddHeader(*stack.PacketBuffer)                {}
func (w *wireEnd) ParseHeader(*stack.PacketBuffer) bool         { return true }
func (w *wireEnd) SetOnCloseAction(func())                      {}
func (w *wireEnd) Capabilities() stack.LinkEndpointCapabilities { return 0 }
func (w *wireEnd) Close()                                       {}

// WritePackets sends each packet along the wire.
func (w *wireEnd) WritePackets(pkts stack.PacketBufferList) (int, tcpip.Error) {
	for _, pkt := range pkts.AsSlice() {
		w.l.write(w.end, pkt)
	}
	return pkts.Len(), nil
}
