package dissect

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// ErrLinkType is returned by New for a link type the dissector cannot read.
var ErrLinkType = errors.New("unsupported link type")

// Dissector decodes frames of one capture, in order, keeping the state
// that Wireshark's fields need across frames. It is not safe for
// concurrent use.
type Dissector struct {
	link    layers.LinkType
	first   time.Time
	started bool
	frames  int

	eth  layers.Ethernet
	sll  layers.LinuxSLL
	sll2 layers.LinuxSLL2
	ip4  layers.IPv4
	ip6  layers.IPv6
	tcp  layers.TCP
	udp  layers.UDP
	icmp layers.ICMPv4
	ic6  layers.ICMPv6
	in4  layers.IPv4 // the packet an ICMP error quotes

	tcpConvs   map[convKey]*tcpConv
	tcpStreams int
	udpConvs   map[convKey]int
	echoes     map[echoKey]int // outstanding ICMP echo requests -> frame
	opts       []Option        // reused backing store for TCP options
}

// New returns a Dissector for frames of the given link type.
func New(link layers.LinkType) (*Dissector, error) {
	switch link {
	case layers.LinkTypeEthernet, layers.LinkTypeRaw, layers.LinkTypeIPv4,
		layers.LinkTypeIPv6, layers.LinkTypeNull, layers.LinkTypeLoop,
		layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2:
	default:
		return nil, fmt.Errorf("%w: %d", ErrLinkType, link)
	}
	return &Dissector{
		link:     link,
		tcpConvs: make(map[convKey]*tcpConv),
		udpConvs: make(map[convKey]int),
		echoes:   make(map[echoKey]int),
	}, nil
}

type convKey struct {
	a, b netip.AddrPort
}

type echoKey struct {
	src, dst netip.Addr
	id, seq  uint16
}

// key orders the two endpoints so both directions find one conversation;
// dir is 0 when src is the first endpoint.
func key(src, dst netip.AddrPort) (k convKey, dir int) {
	if c := src.Addr().Compare(dst.Addr()); c < 0 || (c == 0 && src.Port() <= dst.Port()) {
		return convKey{src, dst}, 0
	}
	return convKey{dst, src}, 1
}

type tcpHalf struct {
	baseSet bool
	base    uint32
	synAck  bool // this side's SYN carried ACK: it is the server
	seq     seqState
	http    httpState
	synSeen bool
	ws      int // the WS shift this side offered in its SYN, -1 for none
	fin     bool
}

type tcpConv struct {
	index    int
	start    time.Time     // the first packet's time
	firstRTT time.Duration // from the first packet to the handshake's last ACK
	half     [2]tcpHalf
	rst      bool
}

// Dissect decodes one frame into p, overwriting it. ci gives the
// frame's timestamp and lengths. p.Payload and p.TCP.Options alias
// memory that the next call reuses or that belongs to data.
//
// Every frame becomes a packet, as in tshark: a frame that ends inside
// a header (a runt shorter than its link header, a cut IPv4, IPv6, TCP
// or UDP header) keeps the layers below it and the fields of the cut
// header that were captured, and names that header in p.Malformed.
// The error result is always nil; it remains so that callers need not
// change.
func (d *Dissector) Dissect(data []byte, ci gopacket.CaptureInfo, p *Packet) error {
	d.frames++
	// Wall-clock time only: a timestamp straight from time.Now carries a
	// monotonic reading, which Sub would prefer, and a file keeps none.
	ci.Timestamp = ci.Timestamp.Round(0)
	if !d.started {
		d.first, d.started = ci.Timestamp, true
	}
	*p = Packet{
		Number: d.frames,
		Time:   ci.Timestamp,
		Rel:    ci.Timestamp.Sub(d.first),
		Len:    ci.Length,
		CapLen: ci.CaptureLength,
	}
	if p.Len == 0 {
		p.Len = len(data)
	}
	if p.CapLen == 0 {
		p.CapLen = len(data)
	}

	next, rest := d.link2(data, p)
	switch next {
	case layers.EthernetTypeIPv4:
		d.ipv4(rest, p)
	case layers.EthernetTypeIPv6:
		d.ipv6(rest, p)
	}
	return nil
}

// Link-layer header sizes.
const (
	ethHeader  = 14
	sllHeader  = 16
	sll2Header = 20
	nullHeader = 4
)

// link2 decodes the link layer and says what it carries; a frame too
// short for its link header is marked malformed and carries nothing.
func (d *Dissector) link2(data []byte, p *Packet) (layers.EthernetType, []byte) {
	df := gopacket.NilDecodeFeedback
	switch d.link {
	case layers.LinkTypeEthernet:
		if len(data) < ethHeader || d.eth.DecodeFromBytes(data, df) != nil {
			// tshark shows the addresses that were captured, in its
			// columns only.
			p.Malformed, p.cut = "Ethernet", len(data)
			copy(p.EthDst[:], data)
			if len(data) > 6 {
				copy(p.EthSrc[:], data[6:])
			}
			return 0, nil
		}
		p.HasEth = true
		copy(p.EthSrc[:], d.eth.SrcMAC)
		copy(p.EthDst[:], d.eth.DstMAC)
		p.EthType = uint16(d.eth.EthernetType)
		return d.eth.EthernetType, d.eth.Payload
	case layers.LinkTypeLinuxSLL:
		if len(data) < sllHeader || d.sll.DecodeFromBytes(data, df) != nil {
			p.Malformed, p.cut = "SLL", len(data)
			return 0, nil
		}
		return d.sll.EthernetType, d.sll.Payload
	case layers.LinkTypeLinuxSLL2:
		if len(data) < sll2Header || d.sll2.DecodeFromBytes(data, df) != nil {
			p.Malformed, p.cut = "SLL", len(data)
			return 0, nil
		}
		return d.sll2.ProtocolType, d.sll2.Payload
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		if len(data) < nullHeader {
			p.Malformed, p.cut = "Null", len(data)
			return 0, nil
		}
		return byVersion(data[nullHeader:]), data[nullHeader:]
	default: // raw IP
		return byVersion(data), data
	}
}

func byVersion(b []byte) layers.EthernetType {
	if len(b) == 0 {
		return 0
	}
	switch b[0] >> 4 {
	case 4:
		return layers.EthernetTypeIPv4
	case 6:
		return layers.EthernetTypeIPv6
	}
	return 0
}

// IP header sizes without options.
const (
	ipv4Header = 20
	ipv6Header = 40
)

func (d *Dissector) ipv4(b []byte, p *Packet) {
	if len(b) < ipv4Header || int(b[0]&0x0f)*4 > len(b) {
		cutIPv4(b, p)
		return
	}
	if err := d.ip4.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
		return
	}
	ip := &d.ip4
	p.IPVersion = 4
	p.Src, _ = netip.AddrFromSlice(ip.SrcIP.To4())
	p.Dst, _ = netip.AddrFromSlice(ip.DstIP.To4())
	p.TTL, p.IPID, p.IPLen = ip.TTL, ip.Id, ip.Length
	p.IPProto, p.IPFlags, p.IPChecksum, p.IPDSField = uint8(ip.Protocol), uint8(ip.Flags), ip.Checksum, ip.TOS
	if ip.FragOffset != 0 || ip.Flags&layers.IPv4MoreFragments != 0 {
		return // a fragment: Wireshark reassembles, we show the IP layer
	}
	d.transport(ip.Protocol, ip.Payload, p)
}

// cutIPv4 keeps the fields of an IPv4 header that the frame cuts
// short, each only when all its bytes were captured, as tshark adds
// them one by one until the first that does not fit.
func cutIPv4(b []byte, p *Packet) {
	p.IPVersion, p.Malformed, p.cut = 4, "IPv4", len(b)
	n := len(b)
	if n >= 2 {
		p.IPDSField = b[1]
	}
	if n >= 4 {
		p.IPLen = binary.BigEndian.Uint16(b[2:])
	}
	if n >= 6 {
		p.IPID = binary.BigEndian.Uint16(b[4:])
	}
	if n >= 8 {
		p.IPFlags = uint8(binary.BigEndian.Uint16(b[6:]) >> 13)
	}
	if n >= 9 {
		p.TTL = b[8]
	}
	if n >= 10 {
		p.IPProto = b[9]
	}
	if n >= 12 {
		p.IPChecksum = binary.BigEndian.Uint16(b[10:])
	}
	if n >= 16 {
		p.Src = netip.AddrFrom4([4]byte(b[12:16]))
	}
	if n >= 20 {
		p.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	}
}

// cutIPv6 is cutIPv4 for an IPv6 header.
func cutIPv6(b []byte, p *Packet) {
	p.IPVersion, p.Malformed, p.cut = 6, "IPv6", len(b)
	n := len(b)
	if n >= 6 {
		p.IPLen = binary.BigEndian.Uint16(b[4:])
	}
	if n >= 7 {
		p.IPProto = b[6]
	}
	if n >= 8 {
		p.TTL = b[7]
	}
	if n >= 24 {
		p.Src = netip.AddrFrom16([16]byte(b[8:24]))
	}
}

func (d *Dissector) ipv6(b []byte, p *Packet) {
	if len(b) < ipv6Header {
		cutIPv6(b, p)
		return
	}
	if err := d.ip6.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
		return
	}
	ip := &d.ip6
	p.IPVersion = 6
	p.Src, _ = netip.AddrFromSlice(ip.SrcIP)
	p.Dst, _ = netip.AddrFromSlice(ip.DstIP)
	p.TTL, p.IPLen, p.IPProto = ip.HopLimit, ip.Length, uint8(ip.NextHeader)
	d.transport(ip.NextHeader, ip.Payload, p)
}

func (d *Dissector) transport(proto layers.IPProtocol, b []byte, p *Packet) {
	df := gopacket.NilDecodeFeedback
	switch proto {
	case layers.IPProtocolTCP:
		if d.tcp.DecodeFromBytes(b, df) == nil {
			d.fillTCP(p)
		} else {
			cutPorts(b, "TCP", p)
		}
	case layers.IPProtocolUDP:
		if d.udp.DecodeFromBytes(b, df) == nil {
			d.fillUDP(p)
		} else {
			cutPorts(b, "UDP", p)
		}
	case layers.IPProtocolICMPv4:
		if d.icmp.DecodeFromBytes(b, df) == nil {
			d.fillICMP(p)
		}
	case layers.IPProtocolICMPv6:
		if d.ic6.DecodeFromBytes(b, df) == nil {
			p.Transport = TransportICMPv6
			p.ICMP = ICMP{Type: d.ic6.TypeCode.Type(), Code: d.ic6.TypeCode.Code(), Checksum: d.ic6.Checksum}
			p.Payload = d.ic6.Payload
			if t := p.ICMP.Type; (t == 128 || t == 129) && len(p.Payload) >= 4 {
				p.ICMP.IsEcho = true
				p.ICMP.Ident = binary.BigEndian.Uint16(p.Payload)
				p.ICMP.Seq = binary.BigEndian.Uint16(p.Payload[2:])
				p.Payload = p.Payload[4:]
			}
		}
	}
}

// cutPorts marks a TCP or UDP header the frame cuts short. tshark reads
// its ports when they were captured, and nothing more: the segment
// joins no conversation and no stream.
func cutPorts(b []byte, proto string, p *Packet) {
	p.Malformed, p.cut = proto, len(b)
	if len(b) >= 4 {
		p.SrcPort, p.DstPort = binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:])
	}
}

func (d *Dissector) fillUDP(p *Packet) {
	u := &d.udp
	p.Transport = TransportUDP
	p.SrcPort, p.DstPort = uint16(u.SrcPort), uint16(u.DstPort)
	p.UDP = UDP{Length: u.Length, Checksum: u.Checksum}
	p.Payload = u.Payload
	k, _ := key(netip.AddrPortFrom(p.Src, p.SrcPort), netip.AddrPortFrom(p.Dst, p.DstPort))
	idx, ok := d.udpConvs[k]
	if !ok {
		idx = len(d.udpConvs)
		d.udpConvs[k] = idx
	}
	p.UDP.Stream = idx
}

func (d *Dissector) fillICMP(p *Packet) {
	ic := &d.icmp
	p.Transport = TransportICMP
	p.ICMP = ICMP{Type: ic.TypeCode.Type(), Code: ic.TypeCode.Code(), Checksum: ic.Checksum}
	p.Payload = ic.Payload
	switch p.ICMP.Type {
	case layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4TypeTimeExceeded,
		layers.ICMPv4TypeParameterProblem, layers.ICMPv4TypeSourceQuench, layers.ICMPv4TypeRedirect:
		d.quoted(ic.Payload, p)
	case layers.ICMPv4TypeEchoRequest, layers.ICMPv4TypeEchoReply:
		p.ICMP.IsEcho, p.ICMP.Ident, p.ICMP.Seq = true, ic.Id, ic.Seq
		if p.ICMP.Type == layers.ICMPv4TypeEchoRequest {
			d.echoes[echoKey{src: p.Src, dst: p.Dst, id: ic.Id, seq: ic.Seq}] = p.Number
		} else {
			p.ICMP.RespTo = d.echoes[echoKey{src: p.Dst, dst: p.Src, id: ic.Id, seq: ic.Seq}]
		}
	}
}

// quoted dissects the IPv4 header and the first bytes of transport that
// an ICMP error carries back to the sender.
func (d *Dissector) quoted(b []byte, p *Packet) {
	if d.in4.DecodeFromBytes(b, gopacket.NilDecodeFeedback) != nil {
		return
	}
	ip := &d.in4
	in := &Packet{Number: p.Number, Time: p.Time, Rel: p.Rel, Len: p.Len, CapLen: p.CapLen, IPVersion: 4}
	in.Src, _ = netip.AddrFromSlice(ip.SrcIP.To4())
	in.Dst, _ = netip.AddrFromSlice(ip.DstIP.To4())
	in.TTL, in.IPID, in.IPLen = ip.TTL, ip.Id, ip.Length
	in.IPProto, in.IPFlags, in.IPChecksum, in.IPDSField = uint8(ip.Protocol), uint8(ip.Flags), ip.Checksum, ip.TOS
	p.Inner = in
	if ip.Protocol == layers.IPProtocolUDP && len(ip.Payload) >= 8 {
		t := ip.Payload
		in.Transport = TransportUDP
		in.SrcPort, in.DstPort = binary.BigEndian.Uint16(t), binary.BigEndian.Uint16(t[2:])
		in.UDP = UDP{Length: binary.BigEndian.Uint16(t[4:]), Checksum: binary.BigEndian.Uint16(t[6:])}
		k, _ := key(netip.AddrPortFrom(in.Src, in.SrcPort), netip.AddrPortFrom(in.Dst, in.DstPort))
		idx, ok := d.udpConvs[k]
		if !ok {
			idx = len(d.udpConvs)
			d.udpConvs[k] = idx
		}
		in.UDP.Stream = idx
		in.Payload = t[8:]
	}
}

func (d *Dissector) fillTCP(p *Packet) {
	t := &d.tcp
	p.Transport = TransportTCP
	p.SrcPort, p.DstPort = uint16(t.SrcPort), uint16(t.DstPort)
	p.Payload = t.Payload

	var flags uint16
	for _, f := range [...]struct {
		on  bool
		bit uint16
	}{{t.FIN, FlagFIN}, {t.SYN, FlagSYN}, {t.RST, FlagRST}, {t.PSH, FlagPSH}, {t.ACK, FlagACK}, {t.URG, FlagURG}, {t.ECE, FlagECE}, {t.CWR, FlagCWR}, {t.NS, FlagNS}} {
		if f.on {
			flags |= f.bit
		}
	}
	tc := &p.TCP
	*tc = TCP{
		SeqRaw: t.Seq, AckRaw: t.Ack, Len: len(t.Payload), HdrLen: int(t.DataOffset) * 4,
		Flags: flags, WindowRaw: t.Window, Checksum: t.Checksum, Urgent: t.Urgent,
	}
	if !t.ACK {
		tc.AckRaw = 0 // tshark shows tcp.ack_raw 0 when the ACK bit is clear
	}
	d.opts = d.opts[:0]
	ws := -1
	for _, o := range t.Options {
		opt := Option{Kind: OptionKind(o.OptionType)}
		switch opt.Kind {
		case OptEOL, OptNOP:
			continue
		case OptMSS:
			if len(o.OptionData) == 2 {
				opt.A = uint32(binary.BigEndian.Uint16(o.OptionData))
			}
		case OptWS:
			if len(o.OptionData) == 1 {
				opt.A = uint32(o.OptionData[0])
				ws = int(o.OptionData[0])
			}
		case OptTimestamp:
			if len(o.OptionData) == 8 {
				opt.A = binary.BigEndian.Uint32(o.OptionData)
				opt.B = binary.BigEndian.Uint32(o.OptionData[4:])
			}
		case OptSACK:
			for b := o.OptionData; len(b) >= 4; b = b[4:] {
				opt.Blocks = append(opt.Blocks, binary.BigEndian.Uint32(b))
			}
		}
		d.opts = append(d.opts, opt)
	}
	tc.Options = d.opts

	src, dst := netip.AddrPortFrom(p.Src, p.SrcPort), netip.AddrPortFrom(p.Dst, p.DstPort)
	k, dir := key(src, dst)
	c := d.tcpConvs[k]
	syn := t.SYN && !t.ACK
	if c != nil && syn && c.half[dir].synSeen && c.half[dir].base != t.Seq {
		c = nil // the same ports again with a new ISN: a new connection
	}
	if c == nil {
		c = &tcpConv{index: d.tcpStreams}
		d.tcpStreams++
		c.half[0].ws, c.half[1].ws = -1, -1
		d.tcpConvs[k] = c
	}
	me, peer := &c.half[dir], &c.half[1-dir]
	if t.SYN {
		me.synSeen, me.ws, me.synAck = true, ws, t.ACK
		if !me.baseSet {
			me.base, me.baseSet = t.Seq, true
		}
	}
	if !me.baseSet {
		// Mid-stream: Wireshark counts the first byte seen as 1.
		me.base, me.baseSet = t.Seq-1, true
	}
	if t.ACK && !peer.baseSet {
		peer.base, peer.baseSet = t.Ack-1, true
	}
	if t.FIN {
		me.fin = true
	}
	if t.RST {
		c.rst = true
	}

	if c.start.IsZero() {
		c.start = p.Time
	}
	if c.firstRTT == 0 && t.ACK && !t.SYN && me.synSeen && !me.synAck && peer.synSeen {
		c.firstRTT = p.Time.Sub(c.start)
	}
	revShift := -1
	if me.synSeen && peer.synSeen {
		revShift = -2
		if me.ws >= 0 && peer.ws >= 0 {
			revShift = peer.ws
		}
	}
	ack := t.Ack
	if !t.ACK {
		ack = 0
	}
	tc.Analysis, tc.DupAckNum, tc.DupAckFrame = analyzeSegment(&me.seq, &peer.seq, segInfo{
		frame: p.Number, at: p.Time, seq: t.Seq, ack: ack, seglen: uint32(tc.Len), window: uint32(t.Window),
		syn: t.SYN, fin: t.FIN, rst: t.RST, ackf: t.ACK,
	}, c.firstRTT, revShift)

	if (httpPorts[p.SrcPort] || httpPorts[p.DstPort]) &&
		tc.Analysis&(AnalysisRetransmission|AnalysisSpuriousRetransmission|AnalysisOutOfOrder) == 0 {
		if len(t.Payload) > 0 {
			p.HTTP = me.http.feed(t.Payload)
		}
		if t.FIN {
			if m := me.http.fin(); m != nil {
				p.HTTP = m
			}
		}
	}

	tc.Stream = c.index
	tc.Seq = t.Seq - me.base
	if t.ACK {
		tc.Ack = t.Ack - peer.base
	}
	for i := range tc.Options {
		for j := range tc.Options[i].Blocks {
			tc.Options[i].Blocks[j] -= peer.base // Wireshark shows SACK edges relative
		}
	}
	tc.NextSeq = tc.Seq + uint32(tc.Len)
	if t.SYN {
		tc.NextSeq++
	}
	if t.FIN {
		tc.NextSeq++
	}

	tc.ScaleShift = -1
	switch {
	case me.synSeen && peer.synSeen && me.ws >= 0 && peer.ws >= 0:
		tc.ScaleShift = me.ws
	case me.synSeen && peer.synSeen:
		tc.ScaleShift = -2
	case me.synSeen && me.ws >= 0 && !peer.synSeen:
		tc.ScaleShift = me.ws
	}
	tc.Window = int(t.Window)
	if !t.SYN && tc.ScaleShift > 0 {
		tc.Window <<= tc.ScaleShift
	}
}
