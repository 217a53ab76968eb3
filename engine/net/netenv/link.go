package netenv

import (
	"math/rand"
	"sync"
	"time"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
)

// linkMTU is the loopback's MTU, as on Linux.
const linkMTU = 65536

// link is a loopback link endpoint that records every frame once and
// applies an Impairment before handing the frame back to the stack.
// It does not offload checksums, so every recorded frame carries valid
// IP, TCP and UDP checksums. The same medium also joins two hosts as an
// Ethernet wire (see pair.go): then its two ends are wireEnds, each
// hands its frames to the other's stack, and the frames carry their own
// Ethernet header.
type link struct {
	mu sync.Mutex
	// dispatchers are the stacks that receive: the loopback's own at 0,
	// or a wire's two ends.
	dispatchers [2]stack.NetworkDispatcher
	wire        bool
	frames      int
	imp         Impairment
	rng         *rand.Rand
	held        *stack.PacketBuffer // a frame held back for reordering
	heldProto   tcpip.NetworkProtocolNumber
	heldTo      int // the end it goes to
	taps        map[int]func(time.Time, []byte)
	nextTap     int
	pending     sync.WaitGroup // delayed deliveries
	closed      bool
	stamp       func(n int) time.Time // when frame n crossed the link
}

func newLink(imp Impairment) *link {
	return &link{imp: imp, rng: rand.New(rand.NewSource(imp.Seed)), taps: map[int]func(time.Time, []byte){}, stamp: func(int) time.Time { return time.Now() }}
}

// tap registers fn to receive every frame from now on, as a capture
// records it: an Ethernet frame with zeroed addresses, like Linux's
// loopback. The returned func unregisters it.
func (l *link) tap(fn func(time.Time, []byte)) func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := l.nextTap
	l.nextTap++
	l.taps[id] = fn
	return func() {
		l.mu.Lock()
		delete(l.taps, id)
		l.mu.Unlock()
	}
}

func (l *link) Attach(d stack.NetworkDispatcher) { l.attach(0, d) }

func (l *link) attach(end int, d stack.NetworkDispatcher) {
	l.mu.Lock()
	l.dispatchers[end] = d
	l.mu.Unlock()
}

func (l *link) IsAttached() bool { return l.attached(0) }

func (l *link) attached(end int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dispatchers[end] != nil
}

func (l *link) MTU() uint32                             { return linkMTU }
func (l *link) SetMTU(uint32)                           {}
func (l *link) MaxHeaderLength() uint16                 { return 0 }
func (l *link) LinkAddress() tcpip.LinkAddress          { return "" }
func (l *link) SetLinkAddress(tcpip.LinkAddress)        {}
func (l *link) Wait()                                   { l.pending.Wait() }
func (l *link) ARPHardwareType() header.ARPHardwareType { return header.ARPHardwareLoopback }
func (l *link) AddHeader(*stack.PacketBuffer)           {}
func (l *link) ParseHeader(*stack.PacketBuffer) bool    { return true }
func (l *link) SetOnCloseAction(func())                 {}

// Capabilities: a loopback, computing its own checksums.
func (l *link) Capabilities() stack.LinkEndpointCapabilities {
	return stack.CapabilityLoopback
}

func (l *link) Close() {
	l.mu.Lock()
	l.closed = true
	if l.held != nil {
		l.held.DecRef()
		l.held = nil
	}
	l.mu.Unlock()
}

// WritePackets records each packet, then drops, holds, delays or
// delivers it back to the stack.
func (l *link) WritePackets(pkts stack.PacketBufferList) (int, tcpip.Error) {
	for _, pkt := range pkts.AsSlice() {
		l.write(0, pkt)
	}
	return pkts.Len(), nil
}

// write carries a packet sent from end from: back to the same stack on
// the loopback, to the other end on a wire.
func (l *link) write(from int, pkt *stack.PacketBuffer) {
	buf := pkt.ToBuffer()
	defer buf.Release()
	var raw, frame []byte
	to := 0
	if l.wire {
		// The stack wrote the Ethernet header, and the checksums too, as
		// a NIC without offload would.
		frame, to = buf.Flatten(), 1-from
		raw = frame[min(len(frame), header.EthernetMinimumSize):]
	} else {
		raw = buf.Flatten()
		fixChecksums(raw)
		frame = ethernet(pkt.NetworkProtocolNumber, raw)
	}

	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.frames++
	n := l.frames
	now := l.stamp(n)
	for _, tap := range l.taps {
		tap(now, frame)
	}
	drop := l.imp.Drop[n] || (l.imp.Loss > 0 && l.rng.Float64() < l.imp.Loss) || dropByRule(l.imp.Rules, raw)
	if drop {
		l.mu.Unlock()
		return
	}
	delivered := raw
	if l.wire {
		delivered = frame // the other end reads the Ethernet header
	}
	in := stack.NewPacketBuffer(stack.PacketBufferOptions{Payload: buffer.MakeWithData(delivered)})
	proto := pkt.NetworkProtocolNumber
	if l.imp.Reorder[n] && l.held == nil {
		l.held, l.heldProto, l.heldTo = in, proto, to
		l.mu.Unlock()
		// Should no frame follow, let it go after a while anyway.
		l.pending.Add(1)
		time.AfterFunc(200*time.Millisecond, func() {
			defer l.pending.Done()
			l.releaseHeld()
		})
		return
	}
	held, heldProto, heldTo := l.held, l.heldProto, l.heldTo
	l.held = nil
	d, hd := l.dispatchers[to], l.dispatchers[heldTo]
	l.mu.Unlock()

	l.deliver(d, proto, in)
	if held != nil {
		l.deliver(hd, heldProto, held)
	}
}

func (l *link) releaseHeld() {
	l.mu.Lock()
	held, proto, d := l.held, l.heldProto, l.dispatchers[l.heldTo]
	l.held = nil
	l.mu.Unlock()
	if held != nil {
		l.deliver(d, proto, held)
	}
}

// deliver hands a packet to the stack as received, after the delay.
func (l *link) deliver(d stack.NetworkDispatcher, proto tcpip.NetworkProtocolNumber, pkt *stack.PacketBuffer) {
	if d == nil {
		pkt.DecRef()
		return
	}
	if l.imp.Delay <= 0 {
		d.DeliverNetworkPacket(proto, pkt)
		pkt.DecRef()
		return
	}
	l.pending.Add(1)
	time.AfterFunc(l.imp.Delay, func() {
		defer l.pending.Done()
		l.mu.Lock()
		closed := l.closed
		l.mu.Unlock()
		if !closed {
			d.DeliverNetworkPacket(proto, pkt)
		}
		pkt.DecRef()
	})
}

// ethernet frames an IP packet the way Linux's loopback does: zero MAC
// addresses and the EtherType.
func ethernet(proto tcpip.NetworkProtocolNumber, ip []byte) []byte {
	f := make([]byte, header.EthernetMinimumSize+len(ip))
	f[12], f[13] = byte(proto>>8), byte(proto)
	copy(f[header.EthernetMinimumSize:], ip)
	return f
}

// fixChecksums fills in the transport checksum of an IP packet. The
// stack leaves it out for traffic to its own address (a real loopback
// would not look), but a capture shows it and the receiving side checks
// it, so the link writes what a NIC without offload would.
func fixChecksums(raw []byte) {
	var (
		proto    uint8
		src, dst tcpip.Address
		payload  []byte
	)
	switch {
	case len(raw) >= header.IPv4MinimumSize && raw[0]>>4 == 4:
		ip := header.IPv4(raw)
		hl, total := int(ip.HeaderLength()), int(ip.TotalLength())
		if hl < header.IPv4MinimumSize || total > len(raw) || hl > total || ip.FragmentOffset() != 0 || ip.More() {
			return
		}
		proto, src, dst, payload = ip.Protocol(), ip.SourceAddress(), ip.DestinationAddress(), raw[hl:total]
	case len(raw) >= header.IPv6MinimumSize && raw[0]>>4 == 6:
		ip := header.IPv6(raw)
		end := header.IPv6MinimumSize + int(ip.PayloadLength())
		if end > len(raw) {
			return
		}
		proto, src, dst, payload = ip.NextHeader(), ip.SourceAddress(), ip.DestinationAddress(), raw[header.IPv6MinimumSize:end]
	default:
		return
	}
	sum := func(p tcpip.TransportProtocolNumber) uint16 {
		return ^checksum.Checksum(payload, header.PseudoHeaderChecksum(p, src, dst, uint16(len(payload))))
	}
	switch tcpip.TransportProtocolNumber(proto) {
	case header.TCPProtocolNumber:
		if len(payload) >= header.TCPMinimumSize {
			t := header.TCP(payload)
			t.SetChecksum(0)
			t.SetChecksum(sum(header.TCPProtocolNumber))
		}
	case header.UDPProtocolNumber:
		if len(payload) >= header.UDPMinimumSize {
			u := header.UDP(payload)
			u.SetChecksum(0)
			x := sum(header.UDPProtocolNumber)
			if x == 0 {
				x = 0xffff // 0 means "no checksum" in UDP
			}
			u.SetChecksum(x)
		}
	case header.ICMPv6ProtocolNumber:
		if len(payload) >= header.ICMPv6MinimumSize {
			ic := header.ICMPv6(payload)
			ic.SetChecksum(0)
			ic.SetChecksum(sum(header.ICMPv6ProtocolNumber))
		}
	}
}
