// Package dissect turns captured frames into Packets that carry what
// Wireshark shows: its field names, its relative sequence numbers, its
// stream indexes and its one-line summary.
//
// A Dissector keeps the state that needs the packets before a frame
// (the first timestamp, each TCP conversation's base sequence numbers and
// window scale), so frames must be given to it in capture order.
package dissect

import (
	"net/netip"
	"time"
)

// Transport names the protocol above IP that a Packet carries.
type Transport uint8

// The transports the dissector understands.
const (
	TransportNone Transport = iota
	TransportTCP
	TransportUDP
	TransportICMP
	TransportICMPv6
)

// TCP flag bits as they sit in the header (tcp.flags).
const (
	FlagFIN uint16 = 0x001
	FlagSYN uint16 = 0x002
	FlagRST uint16 = 0x004
	FlagPSH uint16 = 0x008
	FlagACK uint16 = 0x010
	FlagURG uint16 = 0x020
	FlagECE uint16 = 0x040
	FlagCWR uint16 = 0x080
	FlagNS  uint16 = 0x100
)

// Packet is one dissected frame. Its fields follow Wireshark's: the
// comment on each names the display-filter field it holds.
type Packet struct {
	Number int           // frame.number, from 1
	Time   time.Time     // frame.time
	Rel    time.Duration // frame.time_relative
	Len    int           // frame.len: bytes on the wire
	CapLen int           // frame.cap_len: bytes captured

	HasEth  bool
	EthSrc  [6]byte // eth.src
	EthDst  [6]byte // eth.dst
	EthType uint16  // eth.type

	IPVersion  int        // 4 or 6; 0 when the frame carries no IP
	Src, Dst   netip.Addr // ip.src, ip.dst (ipv6.src, ipv6.dst)
	TTL        uint8      // ip.ttl (ipv6.hlim)
	IPID       uint16     // ip.id
	IPLen      uint16     // ip.len (ipv6.plen)
	IPProto    uint8      // ip.proto (ipv6.nxt)
	IPFlags    uint8      // ip.flags
	IPChecksum uint16     // ip.checksum
	IPDSField  uint8      // ip.dsfield

	Transport Transport
	SrcPort   uint16 // tcp.srcport or udp.srcport
	DstPort   uint16 // tcp.dstport or udp.dstport

	TCP  TCP
	UDP  UDP
	ICMP ICMP
	HTTP *HTTP // an HTTP message this frame completes (or continues)

	// Inner is the IP packet an ICMP error quotes, dissected as far as
	// the quote goes; nil otherwise. Fields present in both print both,
	// outer first, as tshark does.
	Inner *Packet

	// Payload is the transport payload. It aliases the frame given to
	// Dissect: copy it to keep it past the frame's lifetime.
	Payload []byte

	// Malformed names the protocol whose header the frame cuts short
	// ("Ethernet", "IPv4", "IPv6", "TCP", "UDP"), as tshark's
	// "[Malformed Packet: TCP]" does (_ws.malformed); "" for a whole
	// frame. The cut layer sets none of the fields that follow streams:
	// a cut TCP header leaves Transport at TransportNone, so followers
	// and ladders never see half a header. The fields that fit in the
	// captured bytes are set, as tshark shows them.
	Malformed string
	// cut is how many bytes of the Malformed header were captured.
	cut int
}

// TCP holds the tcp.* fields of a Packet.
type TCP struct {
	Stream    int    // tcp.stream
	SeqRaw    uint32 // tcp.seq_raw
	AckRaw    uint32 // tcp.ack_raw
	Seq       uint32 // tcp.seq, relative to the sender's ISN
	Ack       uint32 // tcp.ack, relative to the receiver's ISN; 0 without ACK
	NextSeq   uint32 // tcp.nxtseq
	Len       int    // tcp.len
	HdrLen    int    // tcp.hdr_len
	Flags     uint16 // tcp.flags
	WindowRaw uint16 // tcp.window_size_value
	Window    int    // tcp.window_size, scaled when the handshake allows it
	Checksum  uint16 // tcp.checksum
	Urgent    uint16 // tcp.urgent_pointer

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
}

// What tcp.analysis concluded about a segment.
const (
	// AnalysisRetransmission: data (or a SYN or FIN) below the sender's
	// highest sequence number so far, not yet acknowledged.
	AnalysisRetransmission uint32 = 1 << iota
	// AnalysisSpuriousRetransmission: the same, but the data had already
	// been acknowledged.
	AnalysisSpuriousRetransmission
)

// Has reports whether every bit of flag is set.
func (t *TCP) Has(flag uint16) bool { return t.Flags&flag == flag }

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

// UDP holds the udp.* fields of a Packet.
type UDP struct {
	Stream   int    // udp.stream
	Length   uint16 // udp.length
	Checksum uint16 // udp.checksum
}

// ICMP holds the icmp.* fields of a Packet (icmpv6.* for ICMPv6).
type ICMP struct {
	Type     uint8  // icmp.type
	Code     uint8  // icmp.code
	Checksum uint16 // icmp.checksum
	Ident    uint16 // icmp.ident (echo only)
	Seq      uint16 // icmp.seq (echo only)
	IsEcho   bool   // an echo request or reply, so Ident and Seq mean something
	RespTo   int    // icmp.resp_to: for a reply, the request's frame, or 0
}
