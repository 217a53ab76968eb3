package dissect

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
	"strconv"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// tcpProtocol is TCP (tcp), with Wireshark's relative sequence numbers,
// stream indexes, window scaling and sequence analysis.
func tcpProtocol() protocol {
	return protocol{
		name: "tcp", has: hasPorts(TransportTCP, "TCP"),
		on:         []selector{{space: ipProto, num: uint16(layers.IPProtocolTCP)}},
		newDecoder: func(d *Dissector) decoder { t := newTCPDecoder(); t.dis = d; return t },
		details:    tcpDetails,
		column:     named(TransportTCP.String()),
		info:       tcpInfo,
		fields:     tcpFields(),
	}
}

// TCP holds the tcp.* fields of a Packet.
type TCP struct {
	Stream    int      // tcp.stream
	SeqRaw    uint32   // tcp.seq_raw
	AckRaw    uint32   // tcp.ack_raw
	Seq       uint32   // tcp.seq, relative to the sender's ISN
	Ack       uint32   // tcp.ack, relative to the receiver's ISN; 0 without ACK
	NextSeq   uint32   // tcp.nxtseq
	Len       int      // tcp.len
	HdrLen    int      // tcp.hdr_len
	Flags     TCPFlags // tcp.flags
	WindowRaw uint16   // tcp.window_size_value
	Window    int      // tcp.window_size, scaled when the handshake allows it
	Checksum  uint16   // tcp.checksum
	Urgent    uint16   // tcp.urgent_pointer

	// ScaleShift is tcp.window_size_scalefactor as a shift: -1 when the
	// handshake was not seen, -2 when scaling is off.
	ScaleShift int

	Options []Option // in the order the header carries them

	// Analysis holds what Wireshark's sequence analysis concluded
	// (tcp.analysis.*); see the Analysis* bits.
	Analysis uint32
	// DupAckNum and DupAckFrame number a duplicate ACK: the Nth repeat
	// of the ACK first sent in frame DupAckFrame.
	DupAckNum, DupAckFrame int

	// Track is what the packet details show of the stream so far.
	Track TCPTrack
	// Reassembling says the payload is a part of a message that the
	// layer above gathers from several segments ("TCP segment data").
	Reassembling bool
}

// TCPTrack holds the generated fields of a segment's packet details
// that need the segments before it, as Wireshark keeps them.
type TCPTrack struct {
	// Complete is tcp.completeness as it stood before this segment:
	// bits SYN 1, SYN-ACK 2, ACK 4, data 8, FIN 16, RST 32.
	Complete uint8
	// SinceFirst and SincePrev are tcp.time_relative and tcp.time_delta.
	SinceFirst, SincePrev time.Duration
	// AckedFrame is the segment this one acknowledges in full
	// (tcp.analysis.acks_frame), 0 for none; AckRTT the time since it.
	AckedFrame int
	AckRTT     time.Duration
	// IRTT is the handshake's round trip (tcp.analysis.initial_rtt),
	// 0 while unknown.
	IRTT time.Duration
	// InFlight is tcp.analysis.bytes_in_flight and PushBytes
	// tcp.analysis.push_bytes_sent; 0 when not shown.
	InFlight, PushBytes uint32
	// Shown says whether the details have a SEQ/ACK analysis tree.
	Shown bool
	// RTO and RTOFrame time a retransmission from the segment it
	// repeats (tcp.analysis.rto, tcp.analysis.rto_frame).
	RTO      time.Duration
	RTOFrame int
	// FinUndergoes says a FIN answers the other side's: it undergoes
	// the closing rather than initiates it.
	FinUndergoes bool
}

// Has reports whether every bit of flag is set.
func (t *TCP) Has(flag TCPFlags) bool { return t.Flags.Has(flag) }

// TCPFlags is the set of flag bits of a TCP header (tcp.flags).
type TCPFlags uint16

// TCP flag bits as they sit in the header.
const (
	FlagFIN TCPFlags = 0x001
	FlagSYN TCPFlags = 0x002
	FlagRST TCPFlags = 0x004
	FlagPSH TCPFlags = 0x008
	FlagACK TCPFlags = 0x010
	FlagURG TCPFlags = 0x020
	FlagECE TCPFlags = 0x040
	FlagCWR TCPFlags = 0x080
	FlagNS  TCPFlags = 0x100
)

// Has reports whether every bit of flag is set.
func (f TCPFlags) Has(flag TCPFlags) bool { return f&flag == flag }

// Count is how many flags are set.
func (f TCPFlags) Count() int { return bits.OnesCount16(uint16(f)) }

// String lists the flags as tshark's Info column does between its
// brackets ("SYN, ACK"), or "<None>".
func (f TCPFlags) String() string { return string(AppendFlags(nil, f)) }

// flagName is tshark's name of flag bit i, lowest bit first, the order
// its Info column lists them in.
func flagName(i int) string {
	const names = "FINSYNRSTPSHACKURGECECWRNS"
	return names[3*i : min(3*i+3, len(names))]
}

// AppendFlags appends the flags as TCPFlags.String writes them.
func AppendFlags(buf []byte, flags TCPFlags) []byte {
	n := 0
	for i := range 9 {
		if flags&(1<<i) == 0 {
			continue
		}
		if n > 0 {
			buf = append(buf, ", "...)
		}
		buf = append(buf, flagName(i)...)
		n++
	}
	if n == 0 {
		buf = append(buf, "<None>"...)
	}
	return buf
}

// OptionKind is a TCP option's kind byte.
type OptionKind uint8

// The TCP options the dissector names.
const (
	OptEOL       OptionKind = 0
	OptNOP       OptionKind = 1
	OptMSS       OptionKind = 2
	OptWS        OptionKind = 3
	OptSACKPerm  OptionKind = 4
	OptSACK      OptionKind = 5
	OptTimestamp OptionKind = 8
)

// Option is one TCP option with its decoded values.
type Option struct {
	Kind OptionKind
	// MSS: A is the size. WS: A is the shift count. Timestamps: A is
	// TSval and B is TSecr. SACK: Blocks holds the edges, raw.
	A, B   uint32
	Blocks []uint32
}

// WSMultiplier is the window multiplier of a WS shift, which Wireshark
// caps at 14 as RFC 7323 does.
func WSMultiplier(shift uint32) uint32 {
	if shift > 14 {
		shift = 14
	}
	return 1 << shift
}

// tcpDecoder keeps each TCP conversation of a capture: its stream
// index, each side's base sequence number and window scale, and the
// state of the sequence analysis.
type tcpDecoder struct {
	dis     *Dissector // whose details setting says whether to track
	tcp     layers.TCP
	opts    []Option // reused backing store for TCP options
	convs   map[convKey]*tcpConv
	streams int
}

func newTCPDecoder() *tcpDecoder {
	return &tcpDecoder{convs: make(map[convKey]*tcpConv)}
}

type tcpHalf struct {
	baseSet bool
	base    uint32
	synAck  bool // this side's SYN carried ACK: it is the server
	seq     seqState
	synSeen bool
	ws      int // the WS shift this side offered in its SYN, -1 for none
	fin     bool
	// unacked are this side's segments not yet acknowledged in full,
	// for the details' acked frame and bytes in flight.
	unacked []unacked
	// pushBytes counts bytes sent since the last PSH; pushLast says the
	// last data segment had PSH.
	pushBytes uint32
	pushLast  bool
	// noFlight stops the bytes in flight after a segment went missing;
	// sacked is what the SACK blocks of this side's last segment cover.
	noFlight bool
	sacked   uint32
}

// unacked is one segment waiting for its acknowledgement.
type unacked struct {
	frame        int
	seq, nextseq uint32
	at           time.Time
}

// maxUnacked bounds a side's list of unacknowledged segments, as
// Wireshark's TCP_MAX_UNACKED_SEGMENTS does.
const maxUnacked = 10000

type tcpConv struct {
	index    int
	start    time.Time     // the first packet's time
	firstRTT time.Duration // from the latest SYN to the first ACK after it
	mruSyn   time.Time     // the latest SYN's time (a SYN without ACK)
	half     [2]tcpHalf
	rst      bool
	last     time.Time // the previous segment's time
	complete uint8     // tcp.completeness so far
}

// decode reads a TCP segment. The layer above (HTTP) gets the payload of
// a segment that is neither retransmitted nor out of order, as
// Wireshark hands it on, and a FIN, which may end a message.
func (d *tcpDecoder) decode(b []byte, p *Packet) (selector, []byte, bool) {
	if d.tcp.DecodeFromBytes(b, gopacket.NilDecodeFeedback) != nil {
		return selector{}, nil, cutPorts(b, "TCP", p)
	}
	t := &d.tcp
	d.fill(p)
	if p.TCP.Analysis&(AnalysisRetransmission|AnalysisSpuriousRetransmission|AnalysisOutOfOrder) != 0 ||
		len(t.Payload) == 0 && !t.FIN {
		return selector{}, nil, true
	}
	return selector{space: tcpPort, num: p.SrcPort, alt: p.DstPort}, t.Payload, true
}

func (d *tcpDecoder) fill(p *Packet) {
	t := &d.tcp
	p.Transport = TransportTCP
	p.SrcPort, p.DstPort = uint16(t.SrcPort), uint16(t.DstPort)
	p.Payload = t.Payload

	var flags TCPFlags
	for _, f := range [...]struct {
		on  bool
		bit TCPFlags
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
	c := d.convs[k]
	syn := t.SYN && !t.ACK
	if c != nil && syn && c.half[dir].synSeen && c.half[dir].base != t.Seq {
		c = nil // the same ports again with a new ISN: a new connection
	}
	if c == nil {
		c = &tcpConv{index: d.streams}
		d.streams++
		c.half[0].ws, c.half[1].ws = -1, -1
		d.convs[k] = c
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
	// The initial RTT, as tshark takes it: from the most recent SYN to
	// the first segment after it with ACK and without SYN, whichever way
	// it goes (the handshake's last ACK, or the RST of a refused
	// connection).
	if syn {
		c.mruSyn = p.Time
	}
	if c.firstRTT == 0 && t.ACK && !t.SYN && !c.mruSyn.IsZero() {
		c.firstRTT = p.Time.Sub(c.mruSyn)
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
	rtoFrame, rtoAt := me.seq.nextseqFrame, me.seq.nextseqTime
	tc.Analysis, tc.DupAckNum, tc.DupAckFrame = analyzeSegment(&me.seq, &peer.seq, segInfo{
		frame: p.Number, at: p.Time, seq: t.Seq, ack: ack, seglen: uint32(tc.Len), window: uint32(t.Window),
		syn: t.SYN, fin: t.FIN, rst: t.RST, ackf: t.ACK,
	}, c.firstRTT, revShift)
	if d.dis != nil && d.dis.details {
		c.track(p, me, peer, t.Seq, ack, rtoFrame, rtoAt)
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

// track fills p.TCP.Track the way Wireshark's sequence analysis keeps
// its generated fields: the completeness before this segment, the
// times in the stream, the segment it acknowledges, the bytes in flight.
// rtoFrame and rtoAt are the sender's highest segment before this one,
// the RTO's reference when no segment of its is left unacknowledged.
func (c *tcpConv) track(p *Packet, me, peer *tcpHalf, seq, ack uint32, rtoFrame int, rtoAt time.Time) {
	tc := &p.TCP
	tr := &tc.Track
	tr.Complete = c.complete
	tr.SinceFirst = p.Time.Sub(c.start)
	if !c.last.IsZero() {
		tr.SincePrev = p.Time.Sub(c.last)
	}
	c.last = p.Time
	// The bits as tshark 4.0 sets them: an ACK counts when it carries
	// nothing else, data once an ACK has counted.
	switch {
	case tc.Has(FlagSYN | FlagACK):
		c.complete |= 2
	case tc.Has(FlagSYN):
		c.complete |= 1
	case tc.Has(FlagACK) && tc.Len == 0 && tc.Flags&(FlagFIN|FlagRST) == 0:
		c.complete |= 4
	}
	if tc.Len > 0 && c.complete&4 != 0 {
		c.complete |= 8
	}
	if tc.Has(FlagFIN) {
		c.complete |= 16
	}
	if tc.Has(FlagRST) {
		c.complete |= 32
	}
	tr.FinUndergoes = tc.Has(FlagFIN) && peer.fin
	if tc.Analysis&AnalysisRetransmission != 0 {
		// Wireshark times it from the eldest segment still unacknowledged,
		// the one most likely repeated; failing that, from the highest.
		switch {
		case len(me.unacked) > 0:
			tr.RTO, tr.RTOFrame = p.Time.Sub(me.unacked[0].at), me.unacked[0].frame
		case !rtoAt.IsZero():
			tr.RTO, tr.RTOFrame = p.Time.Sub(rtoAt), rtoFrame
		}
	}

	seglen := uint32(tc.Len)
	ctl := tc.Flags&(FlagSYN|FlagFIN) != 0
	if (seglen > 0 || ctl) && len(me.unacked) < maxUnacked {
		next := seq + seglen
		if ctl {
			next++
		}
		me.unacked = append(me.unacked, unacked{frame: p.Number, seq: seq, nextseq: next, at: p.Time})
	}
	if tc.Has(FlagACK) {
		// Wireshark walks its list newest first and keeps the last
		// exact match: the oldest, the first here.
		keep := peer.unacked[:0]
		for _, u := range peer.unacked {
			switch {
			case ack == u.nextseq:
				if tr.AckedFrame == 0 {
					tr.AckedFrame, tr.AckRTT = u.frame, p.Time.Sub(u.at)
				}
				continue
			case seqLT(u.seq, ack) && seqLE(ack, u.nextseq):
				u.seq = ack
			case seqLT(ack, u.nextseq):
			default:
				continue
			}
			keep = append(keep, u)
		}
		peer.unacked = keep
	}
	tr.IRTT = c.firstRTT
	if tc.Analysis&AnalysisLostSegment != 0 {
		me.noFlight = true // Wireshark stops counting after a gap
	}
	// The SACK blocks of this side's latest segment, which the other's
	// bytes in flight leave out.
	me.sacked = 0
	for _, o := range tc.Options {
		for j := 0; o.Kind == OptSACK && j+1 < len(o.Blocks); j += 2 {
			me.sacked += o.Blocks[j+1] - o.Blocks[j]
		}
	}
	if seglen > 0 && !me.noFlight {
		acked := peer.seq.lastack
		if acked == 0 && len(me.unacked) > 0 {
			acked = me.unacked[0].seq // the other side has acknowledged nothing yet
		}
		f := me.seq.maxSeqToAck - acked - peer.sacked
		if ctl {
			f-- // a FIN's (or SYN's) sequence number is no byte in flight
		}
		if f > 0 && f < 2000000000 {
			tr.InFlight = f
		}
		switch push := tc.Has(FlagPSH); {
		case push && !me.pushLast:
			me.pushBytes += seglen
		case push || me.pushLast:
			me.pushBytes = seglen
		default:
			me.pushBytes += seglen
		}
		me.pushLast = tc.Has(FlagPSH)
		tr.PushBytes = me.pushBytes
	}
	tr.Shown = tr.AckedFrame != 0 || tr.InFlight != 0 || tr.PushBytes != 0 || tc.Analysis != 0
}

// tcpInfo is TCP's Info column: the analysis marks, the ports, the
// flags, the numbers and the options; for a header the frame cuts
// short, the ports alone.
func tcpInfo(buf []byte, p *Packet) []byte {
	if p.Malformed == "TCP" {
		return appendPorts(buf, p)
	}
	t := &p.TCP
	buf = analysisPrefix(buf, t)
	buf = appendPorts(buf, p)
	buf = append(buf, " ["...)
	buf = AppendFlags(buf, t.Flags)
	buf = append(buf, "] Seq="...)
	buf = strconv.AppendUint(buf, uint64(t.Seq), 10)
	if t.Has(FlagACK) {
		buf = append(buf, " Ack="...)
		buf = strconv.AppendUint(buf, uint64(t.Ack), 10)
	}
	buf = append(buf, " Win="...)
	buf = strconv.AppendInt(buf, int64(t.Window), 10)
	if t.Has(FlagURG) {
		buf = append(buf, " Urg="...)
		buf = strconv.AppendUint(buf, uint64(t.Urgent), 10)
	}
	buf = append(buf, " Len="...)
	buf = strconv.AppendInt(buf, int64(t.Len), 10)
	for i := range t.Options {
		o := &t.Options[i]
		switch o.Kind {
		case OptMSS:
			buf = append(buf, " MSS="...)
			buf = strconv.AppendUint(buf, uint64(o.A), 10)
		case OptSACKPerm:
			buf = append(buf, " SACK_PERM"...)
		case OptTimestamp:
			buf = append(buf, " TSval="...)
			buf = strconv.AppendUint(buf, uint64(o.A), 10)
			buf = append(buf, " TSecr="...)
			buf = strconv.AppendUint(buf, uint64(o.B), 10)
		case OptWS:
			buf = append(buf, " WS="...)
			buf = strconv.AppendUint(buf, uint64(WSMultiplier(o.A)), 10)
		case OptSACK:
			for j := 0; j+1 < len(o.Blocks); j += 2 {
				buf = append(buf, " SLE="...)
				buf = strconv.AppendUint(buf, uint64(o.Blocks[j]), 10)
				buf = append(buf, " SRE="...)
				buf = strconv.AppendUint(buf, uint64(o.Blocks[j+1]), 10)
			}
		}
	}
	return buf
}

func isTCP(p *Packet) bool { return p.Transport == TransportTCP }

func tcpFields() []field {
	tcpPorts := hasPorts(TransportTCP, "TCP")
	dupAck := func(p *Packet) bool { return isTCP(p) && p.TCP.DupAckNum > 0 }
	acked := func(p *Packet) bool { return isTCP(p) && p.TCP.Track.AckedFrame != 0 }
	rto := func(p *Packet) bool { return isTCP(p) && p.TCP.Track.RTOFrame != 0 }
	return []field{
		{"tcp.srcport", dec(tcpPorts, func(p *Packet) uint64 { return uint64(p.SrcPort) })},
		{"tcp.dstport", dec(tcpPorts, func(p *Packet) uint64 { return uint64(p.DstPort) })},
		{"tcp.port", pairOf(tcpPorts, func(p *Packet) uint64 { return uint64(p.SrcPort) }, func(p *Packet) uint64 { return uint64(p.DstPort) })},
		{"tcp.stream", dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Stream) })},
		{"tcp.seq", dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Seq) })},
		{"tcp.seq_raw", dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.SeqRaw) })},
		{"tcp.ack", dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Ack) })},
		{"tcp.ack_raw", dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.AckRaw) })},
		{"tcp.nxtseq", dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.NextSeq) })},
		{"tcp.len", dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Len) })},
		{"tcp.hdr_len", dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.HdrLen) })},
		{"tcp.flags", hexf(4, isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Flags) })},
		{"tcp.flags.fin", flagBit(FlagFIN)},
		{"tcp.flags.syn", flagBit(FlagSYN)},
		{"tcp.flags.reset", flagBit(FlagRST)},
		{"tcp.flags.push", flagBit(FlagPSH)},
		{"tcp.flags.ack", flagBit(FlagACK)},
		{"tcp.flags.urg", flagBit(FlagURG)},
		{"tcp.flags.ece", flagBit(FlagECE)},
		{"tcp.flags.cwr", flagBit(FlagCWR)},
		{"tcp.flags.ae", flagBit(FlagNS)},
		{"tcp.window_size_value", dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.WindowRaw) })},
		{"tcp.window_size", dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Window) })},
		{"tcp.window_size_scalefactor", fieldDef{kind: KindUint, fmt: fmtText, get: func(p *Packet, out []Value) []Value {
			if !isTCP(p) || p.TCP.Has(FlagSYN) {
				return out
			}
			if s := p.TCP.ScaleShift; s < 0 {
				return append(out, Value{S: strconv.Itoa(s)})
			}
			m := WSMultiplier(uint32(p.TCP.ScaleShift))
			return append(out, Value{U: uint64(m), S: strconv.Itoa(int(m))})
		}}},
		{"tcp.checksum", hexf(4, isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Checksum) })},
		{"tcp.urgent_pointer", dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Urgent) })},
		{"tcp.options.mss_val", option(OptMSS, func(o *Option) uint64 { return uint64(o.A) })},
		{"tcp.options.wscale.shift", option(OptWS, func(o *Option) uint64 { return uint64(o.A) })},
		{"tcp.options.wscale.multiplier", option(OptWS, func(o *Option) uint64 { return uint64(WSMultiplier(o.A)) })},
		{"tcp.options.timestamp.tsval", option(OptTimestamp, func(o *Option) uint64 { return uint64(o.A) })},
		{"tcp.options.timestamp.tsecr", option(OptTimestamp, func(o *Option) uint64 { return uint64(o.B) })},
		{"tcp.options.sack_le", sackEdges(true)},
		{"tcp.options.sack_re", sackEdges(false)},
		{"tcp.payload", payload(isTCP)},

		{"tcp.analysis.flags", analysisFlag(^uint32(0))},
		{"tcp.analysis.retransmission", analysisFlag(AnalysisRetransmission | AnalysisSpuriousRetransmission | AnalysisFastRetransmission)},
		{"tcp.analysis.spurious_retransmission", analysisFlag(AnalysisSpuriousRetransmission)},
		{"tcp.analysis.fast_retransmission", analysisFlag(AnalysisFastRetransmission)},
		{"tcp.analysis.out_of_order", analysisFlag(AnalysisOutOfOrder)},
		{"tcp.analysis.lost_segment", analysisFlag(AnalysisLostSegment)},
		{"tcp.analysis.ack_lost_segment", analysisFlag(AnalysisAckedUnseen)},
		{"tcp.analysis.window_update", analysisFlag(AnalysisWindowUpdate)},
		{"tcp.analysis.window_full", analysisFlag(AnalysisWindowFull)},
		{"tcp.analysis.keep_alive", analysisFlag(AnalysisKeepAlive)},
		{"tcp.analysis.keep_alive_ack", analysisFlag(AnalysisKeepAliveAck)},
		// tshark 4.0 lists a duplicate ACK twice: the field and its expert note.
		{"tcp.analysis.duplicate_ack", fieldDef{kind: KindNone, fmt: fmtOne, get: func(p *Packet, out []Value) []Value {
			if isTCP(p) && p.TCP.Analysis&AnalysisDupAck != 0 {
				out = append(out, Value{}, Value{})
			}
			return out
		}}},
		{"tcp.analysis.zero_window", analysisFlag(AnalysisZeroWindow)},
		{"tcp.analysis.zero_window_probe", analysisFlag(AnalysisZeroWindowProbe)},
		{"tcp.analysis.zero_window_probe_ack", analysisFlag(AnalysisZeroWindowProbeAck)},
		// From the stream's history, kept when the packet details are
		// (ScanDetailed, KeepDetails): empty otherwise; see Tracked.
		{"tcp.analysis.bytes_in_flight", dec(func(p *Packet) bool { return isTCP(p) && p.TCP.Track.InFlight != 0 }, func(p *Packet) uint64 { return uint64(p.TCP.Track.InFlight) })},
		{"tcp.analysis.push_bytes_sent", dec(func(p *Packet) bool { return isTCP(p) && p.TCP.Track.PushBytes != 0 }, func(p *Packet) uint64 { return uint64(p.TCP.Track.PushBytes) })},
		{"tcp.analysis.acks_frame", dec(acked, func(p *Packet) uint64 { return uint64(p.TCP.Track.AckedFrame) })},
		{"tcp.analysis.ack_rtt", secondsIf(acked, func(p *Packet) time.Duration { return p.TCP.Track.AckRTT })},
		{"tcp.analysis.rto", secondsIf(rto, func(p *Packet) time.Duration { return p.TCP.Track.RTO })},
		{"tcp.analysis.rto_frame", dec(rto, func(p *Packet) uint64 { return uint64(p.TCP.Track.RTOFrame) })},
		{"tcp.analysis.duplicate_ack_num", dec(dupAck, func(p *Packet) uint64 { return uint64(p.TCP.DupAckNum) })},
		{"tcp.analysis.duplicate_ack_frame", dec(dupAck, func(p *Packet) uint64 { return uint64(p.TCP.DupAckFrame) })},
	}
}

func flagBit(bit TCPFlags) fieldDef {
	return fieldDef{kind: KindBool, fmt: fmtDec, get: func(p *Packet, out []Value) []Value {
		if !isTCP(p) {
			return out
		}
		var v uint64
		if p.TCP.Flags&bit != 0 {
			v = 1
		}
		return append(out, Value{U: v})
	}}
}

func option(kind OptionKind, get func(o *Option) uint64) fieldDef {
	return fieldDef{kind: KindUint, fmt: fmtDec, get: func(p *Packet, out []Value) []Value {
		if o := findOption(p, kind); o != nil {
			out = append(out, Value{U: get(o)})
		}
		return out
	}}
}

// sackEdges is tcp.options.sack_le (left true) or sack_re: one value per
// block of every SACK option, relative as Wireshark shows them.
func sackEdges(left bool) fieldDef {
	return fieldDef{kind: KindUint, fmt: fmtDec, get: func(p *Packet, out []Value) []Value {
		if !isTCP(p) {
			return out
		}
		for _, o := range p.TCP.Options {
			for j := 0; o.Kind == OptSACK && j+1 < len(o.Blocks); j += 2 {
				e := o.Blocks[j+1]
				if left {
					e = o.Blocks[j]
				}
				out = append(out, Value{U: uint64(e)})
			}
		}
		return out
	}}
}

// findOption returns the first option of the kind, or nil.
func findOption(p *Packet, kind OptionKind) *Option {
	if !isTCP(p) {
		return nil
	}
	for i := range p.TCP.Options {
		if p.TCP.Options[i].Kind == kind {
			return &p.TCP.Options[i]
		}
	}
	return nil
}

func analysisFlag(bits uint32) fieldDef {
	return present(func(p *Packet) bool { return isTCP(p) && p.TCP.Analysis&bits != 0 })
}

// Tracked reports whether the field name holds what only a dissector
// that keeps the packet details computes (TCP.Track): a reader asked
// for it dissects with ScanDetailed.
func Tracked(name string) bool {
	switch name {
	case "tcp.analysis.bytes_in_flight", "tcp.analysis.push_bytes_sent", "tcp.analysis.acks_frame",
		"tcp.analysis.ack_rtt", "tcp.analysis.rto", "tcp.analysis.rto_frame":
		return true
	}
	return false
}
