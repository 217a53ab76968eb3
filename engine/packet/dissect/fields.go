package dissect

import (
	"encoding/hex"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kind is a field's type, which decides how display filters compare it.
type Kind uint8

// The kinds of field.
const (
	KindNone   Kind = iota // present or not: protocols, analysis flags
	KindUint               // numbers, flags
	KindBool               // single flag bits (tcp.flags.syn)
	KindAddr               // IPv4 and IPv6 addresses
	KindBytes              // payloads, MAC addresses
	KindString             // text (HTTP)
	KindTime               // relative and absolute times
)

// Value is one value of a field; which member is set depends on the
// field's Kind.
type Value struct {
	U uint64        // KindUint, KindBool
	T time.Duration // KindTime
	A netip.Addr    // KindAddr
	B []byte        // KindBytes
	S string        // KindString
}

// format says how -T fields prints a value.
type format uint8

const (
	fmtDec     format = iota // 42
	fmtHex                   // 0x002a, width digits
	fmtAddr                  // 127.0.0.1
	fmtMAC                   // 00:00:00:00:00:00
	fmtHexDump               // 68656c6c6f
	fmtText                  // as is
	fmtSeconds               // 0.000123000
	fmtOne                   // 1 where present
	fmtEscaped               // bytes as text, control characters escaped (\n)
)

// fieldDef describes one field: its kind, how it prints, and how to get
// its values from a packet (appended to out; none means absent).
type fieldDef struct {
	kind  Kind
	fmt   format
	width int
	get   func(p *Packet, out []Value) []Value
}

// FieldNames lists the Wireshark fields Field knows, sorted (protocol
// names, which filters also know, are not fields to print).
func FieldNames() []string {
	names := make([]string, 0, len(fieldTable))
	for n := range fieldTable {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// KnownField reports whether Field knows the named field.
func KnownField(name string) bool {
	_, ok := fieldTable[name]
	return ok
}

// FieldKind returns the kind of a field or protocol name, and whether
// the name is known at all.
func FieldKind(name string) (Kind, bool) {
	if d, ok := fieldTable[name]; ok {
		return d.kind, true
	}
	if _, ok := protocols[name]; ok {
		return KindNone, true
	}
	return 0, false
}

// Getter returns a function that appends the values of a field or
// protocol name in p to out (outer packet first, then the one an ICMP
// error quotes); nil for an unknown name. A protocol yields one empty
// value when present.
func Getter(name string) func(p *Packet, out []Value) []Value {
	if d, ok := fieldTable[name]; ok {
		get := d.get
		if strings.HasPrefix(name, "frame.") || strings.HasPrefix(name, "_ws.") {
			return get
		}
		return func(p *Packet, out []Value) []Value {
			out = get(p, out)
			if p.Inner != nil {
				out = get(p.Inner, out)
			}
			return out
		}
	}
	if has, ok := protocols[name]; ok {
		return func(p *Packet, out []Value) []Value {
			if has(p) || p.Inner != nil && has(p.Inner) {
				out = append(out, Value{})
			}
			return out
		}
	}
	return nil
}

// Field returns a field's value exactly as `tshark -T fields -e NAME`
// prints it, and whether the packet has it at all.
func Field(p *Packet, name string) (string, bool) {
	b, ok := AppendField(nil, p, name)
	return string(b), ok
}

// AppendField appends what Field returns to buf. For a field the packet
// lacks, or an unknown field, buf comes back unchanged and false.
func AppendField(buf []byte, p *Packet, name string) ([]byte, bool) {
	d, ok := fieldTable[name]
	if !ok {
		return buf, false
	}
	var scratch [4]Value
	vals := Getter(name)(p, scratch[:0])
	for i, v := range vals {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = d.appendValue(buf, v)
	}
	return buf, len(vals) > 0
}

func (d *fieldDef) appendValue(buf []byte, v Value) []byte {
	switch d.fmt {
	case fmtHex:
		buf = append(buf, "0x"...)
		return appendHex(buf, v.U, d.width)
	case fmtAddr:
		return v.A.AppendTo(buf)
	case fmtMAC:
		var m [6]byte
		copy(m[:], v.B)
		return appendMAC(buf, m)
	case fmtHexDump:
		return hex.AppendEncode(buf, v.B)
	case fmtText:
		return append(buf, v.S...)
	case fmtSeconds:
		return appendSeconds(buf, v.T, 9)
	case fmtOne:
		return append(buf, '1')
	case fmtEscaped:
		return appendEscaped(buf, v.B)
	}
	return strconv.AppendUint(buf, v.U, 10)
}

// Builders for the field table.

func uintField(f format, width int, has func(*Packet) bool, get func(*Packet) uint64) fieldDef {
	return fieldDef{kind: KindUint, fmt: f, width: width, get: func(p *Packet, out []Value) []Value {
		if !has(p) {
			return out
		}
		return append(out, Value{U: get(p)})
	}}
}

func dec(has func(*Packet) bool, get func(*Packet) uint64) fieldDef {
	return uintField(fmtDec, 0, has, get)
}

func hexf(width int, has func(*Packet) bool, get func(*Packet) uint64) fieldDef {
	return uintField(fmtHex, width, has, get)
}

func pairOf(has func(*Packet) bool, a, b func(*Packet) uint64) fieldDef {
	return fieldDef{kind: KindUint, fmt: fmtDec, get: func(p *Packet, out []Value) []Value {
		if !has(p) {
			return out
		}
		return append(out, Value{U: a(p)}, Value{U: b(p)})
	}}
}

func flagBit(bit uint16) fieldDef {
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

func addrs(has func(*Packet) bool, src, dst bool) fieldDef {
	return fieldDef{kind: KindAddr, fmt: fmtAddr, get: func(p *Packet, out []Value) []Value {
		if !has(p) {
			return out
		}
		// A cut header holds the source address without the
		// destination, or neither.
		if src && p.Src.IsValid() {
			out = append(out, Value{A: p.Src})
		}
		if dst && p.Dst.IsValid() {
			out = append(out, Value{A: p.Dst})
		}
		return out
	}}
}

func mac(get func(*Packet) *[6]byte) fieldDef {
	return fieldDef{kind: KindBytes, fmt: fmtMAC, get: func(p *Packet, out []Value) []Value {
		if !p.HasEth {
			return out
		}
		return append(out, Value{B: get(p)[:]})
	}}
}

func payload(has func(*Packet) bool) fieldDef {
	return fieldDef{kind: KindBytes, fmt: fmtHexDump, get: func(p *Packet, out []Value) []Value {
		if !has(p) || len(p.Payload) == 0 {
			return out
		}
		return append(out, Value{B: p.Payload})
	}}
}

func present(has func(*Packet) bool) fieldDef {
	return fieldDef{kind: KindNone, fmt: fmtOne, get: func(p *Packet, out []Value) []Value {
		if !has(p) {
			return out
		}
		return append(out, Value{})
	}}
}

func seconds(get func(*Packet) time.Duration) fieldDef {
	return fieldDef{kind: KindTime, fmt: fmtSeconds, get: func(p *Packet, out []Value) []Value {
		return append(out, Value{T: get(p)})
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

// ipHas reports whether the packet's IP header holds the bytes up to
// end: always for a whole header, and for one the frame cuts short,
// when the field's bytes were captured.
func ipHas(end int) func(*Packet) bool {
	return func(p *Packet) bool {
		if p.IPVersion == 0 {
			return false
		}
		return p.Malformed != "IPv4" && p.Malformed != "IPv6" || p.cut >= end
	}
}

// ip4Has is ipHas for IPv4 fields, ip6Has for IPv6 ones.
func ip4Has(end int) func(*Packet) bool {
	has := ipHas(end)
	return func(p *Packet) bool { return p.IPVersion == 4 && has(p) }
}

func ip6Has(end int) func(*Packet) bool {
	has := ipHas(end)
	return func(p *Packet) bool { return p.IPVersion == 6 && has(p) }
}

// hasPorts reports whether the packet carries transport ports for
// proto: a whole header, or a cut one whose ports were captured.
func hasPorts(t Transport, proto string) func(*Packet) bool {
	return func(p *Packet) bool {
		return p.Transport == t || p.Malformed == proto && p.cut >= 4
	}
}

func always(*Packet) bool   { return true }
func hasEth(p *Packet) bool { return p.HasEth }
func isIP(p *Packet) bool   { return p.IPVersion != 0 }
func isIPv4(p *Packet) bool { return p.IPVersion == 4 }
func isIPv6(p *Packet) bool { return p.IPVersion == 6 }
func isTCP(p *Packet) bool  { return p.Transport == TransportTCP }
func isUDP(p *Packet) bool  { return p.Transport == TransportUDP }
func isICMP(p *Packet) bool { return p.Transport == TransportICMP }
func isEcho(p *Packet) bool { return p.Transport == TransportICMP && p.ICMP.IsEcho }

// hasPayload reports whether tshark would show the payload as "data":
// TCP and UDP payloads and ICMP echo data, but not a retransmitted
// segment, which Wireshark keeps from the protocols above TCP.
func hasPayload(p *Packet) bool {
	if len(p.Payload) == 0 || p.HTTP != nil {
		return false
	}
	switch p.Transport {
	case TransportTCP:
		// Wireshark keeps retransmitted and out-of-order segments from
		// the dissectors above TCP; fast retransmissions it passes on.
		return p.TCP.Analysis&(AnalysisRetransmission|AnalysisSpuriousRetransmission|AnalysisOutOfOrder) == 0
	case TransportUDP:
		return true
	case TransportICMP:
		return p.ICMP.IsEcho
	}
	return false
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

// protocols are the protocol names a display filter may test alone. A
// header the frame cuts short is there for tshark once its dissector
// has read its first field: IP's version, TCP's and UDP's ports.
var protocols = map[string]func(*Packet) bool{
	"frame":  always,
	"eth":    hasEth,
	"ip":     ip4Has(1),
	"ipv6":   ip6Has(1),
	"tcp":    hasPorts(TransportTCP, "TCP"),
	"udp":    hasPorts(TransportUDP, "UDP"),
	"icmp":   isICMP,
	"icmpv6": func(p *Packet) bool { return p.Transport == TransportICMPv6 },
	"data":   hasPayload,
	"http":   isHTTP,
}

func isHTTP(p *Packet) bool { return p.HTTP != nil && !p.HTTP.Partial }

func isHTTPRequest(p *Packet) bool  { return isHTTP(p) && p.HTTP.Request }
func isHTTPResponse(p *Packet) bool { return isHTTP(p) && !p.HTTP.Request }

func text(has func(*Packet) bool, get func(*Packet) string) fieldDef {
	return fieldDef{kind: KindString, fmt: fmtText, get: func(p *Packet, out []Value) []Value {
		if !has(p) {
			return out
		}
		return append(out, Value{S: get(p)})
	}}
}

// header is an HTTP header as a field: present when the message has it.
func header(name string) fieldDef {
	return fieldDef{kind: KindString, fmt: fmtText, get: func(p *Packet, out []Value) []Value {
		if !isHTTP(p) {
			return out
		}
		if v, ok := p.HTTP.Get(name); ok {
			out = append(out, Value{S: v})
		}
		return out
	}}
}

var fieldTable = map[string]fieldDef{
	// tshark prints the protocol's text, then the expert item's name.
	"_ws.malformed": {kind: KindNone, fmt: fmtText, get: func(p *Packet, out []Value) []Value {
		if p.Malformed == "" {
			return out
		}
		if p.Malformed == "IPv6" {
			// tshark 4.0 adds the expert item once more for IPv6.
			out = append(out, Value{S: "_ws.malformed"})
		}
		return append(out, Value{S: "[Malformed Packet: " + p.Malformed + "]"}, Value{S: "_ws.malformed"})
	}},
	"_ws.col.Protocol": text(always, Protocol),
	"_ws.col.Info":     text(always, func(p *Packet) string { return string(AppendInfo(nil, p)) }),

	"frame.number":        dec(always, func(p *Packet) uint64 { return uint64(p.Number) }),
	"frame.len":           dec(always, func(p *Packet) uint64 { return uint64(p.Len) }),
	"frame.cap_len":       dec(always, func(p *Packet) uint64 { return uint64(p.CapLen) }),
	"frame.time_relative": seconds(func(p *Packet) time.Duration { return p.Rel }),
	"frame.time_epoch":    seconds(func(p *Packet) time.Duration { return time.Duration(p.Time.UnixNano()) }),

	"eth.src": mac(func(p *Packet) *[6]byte { return &p.EthSrc }),
	"eth.dst": mac(func(p *Packet) *[6]byte { return &p.EthDst }),
	"eth.addr": {kind: KindBytes, fmt: fmtMAC, get: func(p *Packet, out []Value) []Value {
		if !p.HasEth {
			return out
		}
		return append(out, Value{B: p.EthDst[:]}, Value{B: p.EthSrc[:]})
	}},
	"eth.type": hexf(4, hasEth, func(p *Packet) uint64 { return uint64(p.EthType) }),

	"ip.version":  dec(ipHas(1), func(p *Packet) uint64 { return uint64(p.IPVersion) }),
	"ip.src":      addrs(isIPv4, true, false),
	"ip.dst":      addrs(isIPv4, false, true),
	"ip.addr":     addrs(isIPv4, true, true),
	"ip.ttl":      dec(ip4Has(9), func(p *Packet) uint64 { return uint64(p.TTL) }),
	"ip.len":      dec(ip4Has(4), func(p *Packet) uint64 { return uint64(p.IPLen) }),
	"ip.proto":    dec(ip4Has(10), func(p *Packet) uint64 { return uint64(p.IPProto) }),
	"ip.id":       hexf(4, ip4Has(6), func(p *Packet) uint64 { return uint64(p.IPID) }),
	"ip.flags":    hexf(2, ip4Has(8), func(p *Packet) uint64 { return uint64(p.IPFlags) }),
	"ip.checksum": hexf(4, ip4Has(12), func(p *Packet) uint64 { return uint64(p.IPChecksum) }),
	"ip.dsfield":  hexf(2, ip4Has(2), func(p *Packet) uint64 { return uint64(p.IPDSField) }),
	"ip.flags.df": dec(ip4Has(8), func(p *Packet) uint64 { return uint64(p.IPFlags>>1) & 1 }),
	"ip.flags.mf": dec(ip4Has(8), func(p *Packet) uint64 { return uint64(p.IPFlags) & 1 }),

	"ipv6.src":  addrs(isIPv6, true, false),
	"ipv6.dst":  addrs(isIPv6, false, true),
	"ipv6.addr": addrs(isIPv6, true, true),
	"ipv6.hlim": dec(ip6Has(8), func(p *Packet) uint64 { return uint64(p.TTL) }),
	"ipv6.plen": dec(ip6Has(6), func(p *Packet) uint64 { return uint64(p.IPLen) }),
	"ipv6.nxt":  dec(ip6Has(7), func(p *Packet) uint64 { return uint64(p.IPProto) }),

	"tcp.srcport":           dec(hasPorts(TransportTCP, "TCP"), func(p *Packet) uint64 { return uint64(p.SrcPort) }),
	"tcp.dstport":           dec(hasPorts(TransportTCP, "TCP"), func(p *Packet) uint64 { return uint64(p.DstPort) }),
	"tcp.port":              pairOf(hasPorts(TransportTCP, "TCP"), func(p *Packet) uint64 { return uint64(p.SrcPort) }, func(p *Packet) uint64 { return uint64(p.DstPort) }),
	"tcp.stream":            dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Stream) }),
	"tcp.seq":               dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Seq) }),
	"tcp.seq_raw":           dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.SeqRaw) }),
	"tcp.ack":               dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Ack) }),
	"tcp.ack_raw":           dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.AckRaw) }),
	"tcp.nxtseq":            dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.NextSeq) }),
	"tcp.len":               dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Len) }),
	"tcp.hdr_len":           dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.HdrLen) }),
	"tcp.flags":             hexf(4, isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Flags) }),
	"tcp.flags.fin":         flagBit(FlagFIN),
	"tcp.flags.syn":         flagBit(FlagSYN),
	"tcp.flags.reset":       flagBit(FlagRST),
	"tcp.flags.push":        flagBit(FlagPSH),
	"tcp.flags.ack":         flagBit(FlagACK),
	"tcp.flags.urg":         flagBit(FlagURG),
	"tcp.flags.ece":         flagBit(FlagECE),
	"tcp.flags.cwr":         flagBit(FlagCWR),
	"tcp.window_size_value": dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.WindowRaw) }),
	"tcp.window_size":       dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Window) }),
	"tcp.window_size_scalefactor": {kind: KindUint, fmt: fmtText, get: func(p *Packet, out []Value) []Value {
		if !isTCP(p) || p.TCP.Has(FlagSYN) {
			return out
		}
		if s := p.TCP.ScaleShift; s < 0 {
			return append(out, Value{S: strconv.Itoa(s)})
		}
		m := WSMultiplier(uint32(p.TCP.ScaleShift))
		return append(out, Value{U: uint64(m), S: strconv.Itoa(int(m))})
	}},
	"tcp.checksum":                  hexf(4, isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Checksum) }),
	"tcp.urgent_pointer":            dec(isTCP, func(p *Packet) uint64 { return uint64(p.TCP.Urgent) }),
	"tcp.options.mss_val":           option(OptMSS, func(o *Option) uint64 { return uint64(o.A) }),
	"tcp.options.wscale.shift":      option(OptWS, func(o *Option) uint64 { return uint64(o.A) }),
	"tcp.options.wscale.multiplier": option(OptWS, func(o *Option) uint64 { return uint64(WSMultiplier(o.A)) }),
	"tcp.options.timestamp.tsval":   option(OptTimestamp, func(o *Option) uint64 { return uint64(o.A) }),
	"tcp.options.timestamp.tsecr":   option(OptTimestamp, func(o *Option) uint64 { return uint64(o.B) }),
	"tcp.payload":                   payload(isTCP),

	"tcp.analysis.flags":                   analysisFlag(^uint32(0)),
	"tcp.analysis.retransmission":          analysisFlag(AnalysisRetransmission | AnalysisSpuriousRetransmission | AnalysisFastRetransmission),
	"tcp.analysis.spurious_retransmission": analysisFlag(AnalysisSpuriousRetransmission),
	"tcp.analysis.fast_retransmission":     analysisFlag(AnalysisFastRetransmission),
	"tcp.analysis.out_of_order":            analysisFlag(AnalysisOutOfOrder),
	"tcp.analysis.lost_segment":            analysisFlag(AnalysisLostSegment),
	"tcp.analysis.ack_lost_segment":        analysisFlag(AnalysisAckedUnseen),
	"tcp.analysis.window_update":           analysisFlag(AnalysisWindowUpdate),
	"tcp.analysis.window_full":             analysisFlag(AnalysisWindowFull),
	"tcp.analysis.keep_alive":              analysisFlag(AnalysisKeepAlive),
	"tcp.analysis.keep_alive_ack":          analysisFlag(AnalysisKeepAliveAck),
	// tshark 4.0 lists a duplicate ACK twice: the field and its expert note.
	"tcp.analysis.duplicate_ack": {kind: KindNone, fmt: fmtOne, get: func(p *Packet, out []Value) []Value {
		if isTCP(p) && p.TCP.Analysis&AnalysisDupAck != 0 {
			out = append(out, Value{}, Value{})
		}
		return out
	}},
	"tcp.analysis.zero_window":           analysisFlag(AnalysisZeroWindow),
	"tcp.analysis.zero_window_probe":     analysisFlag(AnalysisZeroWindowProbe),
	"tcp.analysis.zero_window_probe_ack": analysisFlag(AnalysisZeroWindowProbeAck),
	"tcp.analysis.duplicate_ack_num": dec(func(p *Packet) bool { return isTCP(p) && p.TCP.DupAckNum > 0 },
		func(p *Packet) uint64 { return uint64(p.TCP.DupAckNum) }),
	"tcp.analysis.duplicate_ack_frame": dec(func(p *Packet) bool { return isTCP(p) && p.TCP.DupAckNum > 0 },
		func(p *Packet) uint64 { return uint64(p.TCP.DupAckFrame) }),

	"udp.srcport":  dec(hasPorts(TransportUDP, "UDP"), func(p *Packet) uint64 { return uint64(p.SrcPort) }),
	"udp.dstport":  dec(hasPorts(TransportUDP, "UDP"), func(p *Packet) uint64 { return uint64(p.DstPort) }),
	"udp.port":     pairOf(hasPorts(TransportUDP, "UDP"), func(p *Packet) uint64 { return uint64(p.SrcPort) }, func(p *Packet) uint64 { return uint64(p.DstPort) }),
	"udp.length":   dec(isUDP, func(p *Packet) uint64 { return uint64(p.UDP.Length) }),
	"udp.checksum": hexf(4, isUDP, func(p *Packet) uint64 { return uint64(p.UDP.Checksum) }),
	"udp.stream":   dec(isUDP, func(p *Packet) uint64 { return uint64(p.UDP.Stream) }),

	"data.data": payload(hasPayload),
	"data.len":  dec(hasPayload, func(p *Packet) uint64 { return uint64(len(p.Payload)) }),

	"http.request":          present(isHTTPRequest),
	"http.response":         present(isHTTPResponse),
	"http.request.method":   text(isHTTPRequest, func(p *Packet) string { return p.HTTP.Method }),
	"http.request.uri":      text(isHTTPRequest, func(p *Packet) string { return p.HTTP.URI }),
	"http.request.version":  text(isHTTPRequest, func(p *Packet) string { return p.HTTP.Version }),
	"http.response.version": text(isHTTPResponse, func(p *Packet) string { return p.HTTP.Version }),
	"http.response.code":    dec(isHTTPResponse, func(p *Packet) uint64 { return uint64(p.HTTP.Code) }),
	"http.response.phrase":  text(isHTTPResponse, func(p *Packet) string { return p.HTTP.Phrase }),
	"http.host":             header("Host"),
	"http.user_agent":       header("User-Agent"),
	"http.content_type":     header("Content-Type"),
	"http.content_length": {kind: KindUint, fmt: fmtDec, get: func(p *Packet, out []Value) []Value {
		if isHTTP(p) && p.HTTP.ContentLength >= 0 {
			out = append(out, Value{U: uint64(p.HTTP.ContentLength)})
		}
		return out
	}},
	"http.location":      header("Location"),
	"http.server":        header("Server"),
	"http.connection":    header("Connection"),
	"http.authorization": header("Authorization"),
	"http.file_data": {kind: KindBytes, fmt: fmtEscaped, get: func(p *Packet, out []Value) []Value {
		if isHTTP(p) && len(p.HTTP.Body) > 0 {
			out = append(out, Value{B: p.HTTP.Body})
		}
		return out
	}},

	"icmp.type":     dec(isICMP, func(p *Packet) uint64 { return uint64(p.ICMP.Type) }),
	"icmp.code":     dec(isICMP, func(p *Packet) uint64 { return uint64(p.ICMP.Code) }),
	"icmp.checksum": hexf(4, isICMP, func(p *Packet) uint64 { return uint64(p.ICMP.Checksum) }),
	"icmp.ident":    dec(isEcho, func(p *Packet) uint64 { return uint64(p.ICMP.Ident) }),
	"icmp.seq":      dec(isEcho, func(p *Packet) uint64 { return uint64(p.ICMP.Seq) }),
	"icmp.seq_le":   dec(isEcho, func(p *Packet) uint64 { return uint64(p.ICMP.Seq>>8 | p.ICMP.Seq<<8) }),
	"icmp.resp_to": dec(func(p *Packet) bool { return isEcho(p) && p.ICMP.RespTo != 0 },
		func(p *Packet) uint64 { return uint64(p.ICMP.RespTo) }),
}

// appendEscaped writes bytes as tshark prints a text field: printable
// characters as they are, \n \r \t and other control bytes escaped.
func appendEscaped(buf, b []byte) []byte {
	for _, c := range b {
		switch {
		case c == '\n':
			buf = append(buf, `\n`...)
		case c == '\r':
			buf = append(buf, `\r`...)
		case c == '\t':
			buf = append(buf, `\t`...)
		case c < 0x20 || c == 0x7f:
			buf = append(buf, `\x`...)
			buf = appendHex(buf, uint64(c), 2)
		default:
			buf = append(buf, c)
		}
	}
	return buf
}
