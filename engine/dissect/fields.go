package dissect

import (
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
)

// fieldFunc appends a field's value to buf and reports whether the
// packet has the field.
type fieldFunc func(buf []byte, p *Packet) ([]byte, bool)

// FieldNames lists the Wireshark fields that Field knows, sorted.
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

// Field returns a field's value exactly as `tshark -T fields -e NAME`
// prints it, and whether the packet has it at all.
func Field(p *Packet, name string) (string, bool) {
	b, ok := AppendField(nil, p, name)
	return string(b), ok
}

// AppendField appends what Field returns to buf. For a field the packet
// lacks, or an unknown field, buf comes back unchanged and false.
func AppendField(buf []byte, p *Packet, name string) ([]byte, bool) {
	f, ok := fieldTable[name]
	if !ok {
		return buf, false
	}
	buf, ok = f(buf, p)
	if p.Inner != nil && !strings.HasPrefix(name, "frame.") {
		start := len(buf)
		if ok {
			buf = append(buf, ',')
		}
		var inner bool
		if buf, inner = f(buf, p.Inner); inner {
			ok = true
		} else {
			buf = buf[:start]
		}
	}
	return buf, ok
}

func num(get func(p *Packet) uint64, has func(p *Packet) bool) fieldFunc {
	return func(buf []byte, p *Packet) ([]byte, bool) {
		if !has(p) {
			return buf, false
		}
		return strconv.AppendUint(buf, get(p), 10), true
	}
}

func hexField(width int, get func(p *Packet) uint64, has func(p *Packet) bool) fieldFunc {
	return func(buf []byte, p *Packet) ([]byte, bool) {
		if !has(p) {
			return buf, false
		}
		buf = append(buf, "0x"...)
		return appendHex(buf, get(p), width), true
	}
}

func flagBit(bit uint16) fieldFunc {
	return func(buf []byte, p *Packet) ([]byte, bool) {
		if !isTCP(p) {
			return buf, false
		}
		if p.TCP.Flags&bit != 0 {
			return append(buf, '1'), true
		}
		return append(buf, '0'), true
	}
}

func analysisFlag(bits uint32) fieldFunc {
	return func(buf []byte, p *Packet) ([]byte, bool) {
		if !isTCP(p) || p.TCP.Analysis&bits == 0 {
			return buf, false
		}
		return append(buf, '1'), true
	}
}

func always(*Packet) bool   { return true }
func hasEth(p *Packet) bool { return p.HasEth }
func isIPv4(p *Packet) bool { return p.IPVersion == 4 }
func isIPv6(p *Packet) bool { return p.IPVersion == 6 }
func isTCP(p *Packet) bool  { return p.Transport == TransportTCP }
func isUDP(p *Packet) bool  { return p.Transport == TransportUDP }
func isICMP(p *Packet) bool { return p.Transport == TransportICMP }
func isEcho(p *Packet) bool { return p.Transport == TransportICMP && p.ICMP.IsEcho }

// timeSinceEpoch is frame.time_epoch as a duration.
func timeSinceEpoch(p *Packet) time.Duration { return time.Duration(p.Time.UnixNano()) }

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

func optField(kind OptionKind, get func(o *Option) uint64) fieldFunc {
	return func(buf []byte, p *Packet) ([]byte, bool) {
		o := findOption(p, kind)
		if o == nil {
			return buf, false
		}
		return strconv.AppendUint(buf, get(o), 10), true
	}
}

func pair(get func(p *Packet) (uint64, uint64), has func(p *Packet) bool) fieldFunc {
	return func(buf []byte, p *Packet) ([]byte, bool) {
		if !has(p) {
			return buf, false
		}
		a, b := get(p)
		buf = strconv.AppendUint(buf, a, 10)
		buf = append(buf, ',')
		return strconv.AppendUint(buf, b, 10), true
	}
}

func addrField(src bool, has func(p *Packet) bool) fieldFunc {
	return func(buf []byte, p *Packet) ([]byte, bool) {
		if !has(p) {
			return buf, false
		}
		if src {
			return p.Src.AppendTo(buf), true
		}
		return p.Dst.AppendTo(buf), true
	}
}

func addrPair(has func(p *Packet) bool) fieldFunc {
	return func(buf []byte, p *Packet) ([]byte, bool) {
		if !has(p) {
			return buf, false
		}
		buf = p.Src.AppendTo(buf)
		buf = append(buf, ',')
		return p.Dst.AppendTo(buf), true
	}
}

func payloadHex(has func(p *Packet) bool) fieldFunc {
	return func(buf []byte, p *Packet) ([]byte, bool) {
		if !has(p) || len(p.Payload) == 0 {
			return buf, false
		}
		return hex.AppendEncode(buf, p.Payload), true
	}
}

func hasPayload(p *Packet) bool {
	return (p.Transport == TransportTCP || p.Transport == TransportUDP) && len(p.Payload) > 0
}

var fieldTable = map[string]fieldFunc{
	"frame.number":  num(func(p *Packet) uint64 { return uint64(p.Number) }, always),
	"frame.len":     num(func(p *Packet) uint64 { return uint64(p.Len) }, always),
	"frame.cap_len": num(func(p *Packet) uint64 { return uint64(p.CapLen) }, always),
	"frame.time_relative": func(buf []byte, p *Packet) ([]byte, bool) {
		return appendSeconds(buf, p.Rel, 9), true
	},
	"frame.time_epoch": func(buf []byte, p *Packet) ([]byte, bool) {
		return appendSeconds(buf, timeSinceEpoch(p), 9), true
	},

	"eth.src": func(buf []byte, p *Packet) ([]byte, bool) {
		if !p.HasEth {
			return buf, false
		}
		return appendMAC(buf, p.EthSrc), true
	},
	"eth.dst": func(buf []byte, p *Packet) ([]byte, bool) {
		if !p.HasEth {
			return buf, false
		}
		return appendMAC(buf, p.EthDst), true
	},
	"eth.type": hexField(4, func(p *Packet) uint64 { return uint64(p.EthType) }, hasEth),

	"ip.version":  num(func(p *Packet) uint64 { return uint64(p.IPVersion) }, func(p *Packet) bool { return p.IPVersion != 0 }),
	"ip.src":      addrField(true, isIPv4),
	"ip.dst":      addrField(false, isIPv4),
	"ip.addr":     addrPair(isIPv4),
	"ip.ttl":      num(func(p *Packet) uint64 { return uint64(p.TTL) }, isIPv4),
	"ip.len":      num(func(p *Packet) uint64 { return uint64(p.IPLen) }, isIPv4),
	"ip.proto":    num(func(p *Packet) uint64 { return uint64(p.IPProto) }, isIPv4),
	"ip.id":       hexField(4, func(p *Packet) uint64 { return uint64(p.IPID) }, isIPv4),
	"ip.flags":    hexField(2, func(p *Packet) uint64 { return uint64(p.IPFlags) }, isIPv4),
	"ip.checksum": hexField(4, func(p *Packet) uint64 { return uint64(p.IPChecksum) }, isIPv4),
	"ip.dsfield":  hexField(2, func(p *Packet) uint64 { return uint64(p.IPDSField) }, isIPv4),
	"ip.flags.df": num(func(p *Packet) uint64 { return uint64(p.IPFlags>>1) & 1 }, isIPv4),
	"ip.flags.mf": num(func(p *Packet) uint64 { return uint64(p.IPFlags) & 1 }, isIPv4),

	"ipv6.src":  addrField(true, isIPv6),
	"ipv6.dst":  addrField(false, isIPv6),
	"ipv6.addr": addrPair(isIPv6),
	"ipv6.hlim": num(func(p *Packet) uint64 { return uint64(p.TTL) }, isIPv6),
	"ipv6.plen": num(func(p *Packet) uint64 { return uint64(p.IPLen) }, isIPv6),
	"ipv6.nxt":  num(func(p *Packet) uint64 { return uint64(p.IPProto) }, isIPv6),

	"tcp.srcport":           num(func(p *Packet) uint64 { return uint64(p.SrcPort) }, isTCP),
	"tcp.dstport":           num(func(p *Packet) uint64 { return uint64(p.DstPort) }, isTCP),
	"tcp.port":              pair(func(p *Packet) (uint64, uint64) { return uint64(p.SrcPort), uint64(p.DstPort) }, isTCP),
	"tcp.stream":            num(func(p *Packet) uint64 { return uint64(p.TCP.Stream) }, isTCP),
	"tcp.seq":               num(func(p *Packet) uint64 { return uint64(p.TCP.Seq) }, isTCP),
	"tcp.seq_raw":           num(func(p *Packet) uint64 { return uint64(p.TCP.SeqRaw) }, isTCP),
	"tcp.ack":               num(func(p *Packet) uint64 { return uint64(p.TCP.Ack) }, isTCP),
	"tcp.ack_raw":           num(func(p *Packet) uint64 { return uint64(p.TCP.AckRaw) }, isTCP),
	"tcp.nxtseq":            num(func(p *Packet) uint64 { return uint64(p.TCP.NextSeq) }, isTCP),
	"tcp.len":               num(func(p *Packet) uint64 { return uint64(p.TCP.Len) }, isTCP),
	"tcp.hdr_len":           num(func(p *Packet) uint64 { return uint64(p.TCP.HdrLen) }, isTCP),
	"tcp.flags":             hexField(4, func(p *Packet) uint64 { return uint64(p.TCP.Flags) }, isTCP),
	"tcp.flags.fin":         flagBit(FlagFIN),
	"tcp.flags.syn":         flagBit(FlagSYN),
	"tcp.flags.reset":       flagBit(FlagRST),
	"tcp.flags.push":        flagBit(FlagPSH),
	"tcp.flags.ack":         flagBit(FlagACK),
	"tcp.flags.urg":         flagBit(FlagURG),
	"tcp.flags.ece":         flagBit(FlagECE),
	"tcp.flags.cwr":         flagBit(FlagCWR),
	"tcp.window_size_value": num(func(p *Packet) uint64 { return uint64(p.TCP.WindowRaw) }, isTCP),
	"tcp.window_size":       num(func(p *Packet) uint64 { return uint64(p.TCP.Window) }, isTCP),
	"tcp.window_size_scalefactor": func(buf []byte, p *Packet) ([]byte, bool) {
		if !isTCP(p) || p.TCP.Has(FlagSYN) {
			return buf, false
		}
		if s := p.TCP.ScaleShift; s < 0 {
			return strconv.AppendInt(buf, int64(s), 10), true
		}
		return strconv.AppendUint(buf, uint64(WSMultiplier(uint32(p.TCP.ScaleShift))), 10), true
	},
	"tcp.checksum":             hexField(4, func(p *Packet) uint64 { return uint64(p.TCP.Checksum) }, isTCP),
	"tcp.urgent_pointer":       num(func(p *Packet) uint64 { return uint64(p.TCP.Urgent) }, isTCP),
	"tcp.options.mss_val":      optField(OptMSS, func(o *Option) uint64 { return uint64(o.A) }),
	"tcp.options.wscale.shift": optField(OptWS, func(o *Option) uint64 { return uint64(o.A) }),
	"tcp.options.wscale.multiplier": optField(OptWS, func(o *Option) uint64 {
		return uint64(WSMultiplier(o.A))
	}),
	"tcp.options.timestamp.tsval": optField(OptTimestamp, func(o *Option) uint64 { return uint64(o.A) }),
	"tcp.options.timestamp.tsecr": optField(OptTimestamp, func(o *Option) uint64 { return uint64(o.B) }),
	"tcp.payload":                 payloadHex(isTCP),
	// Present-only fields: tshark prints 1 where they are set.
	"tcp.analysis.retransmission":          analysisFlag(AnalysisRetransmission | AnalysisSpuriousRetransmission),
	"tcp.analysis.spurious_retransmission": analysisFlag(AnalysisSpuriousRetransmission),

	"udp.srcport":  num(func(p *Packet) uint64 { return uint64(p.SrcPort) }, isUDP),
	"udp.dstport":  num(func(p *Packet) uint64 { return uint64(p.DstPort) }, isUDP),
	"udp.port":     pair(func(p *Packet) (uint64, uint64) { return uint64(p.SrcPort), uint64(p.DstPort) }, isUDP),
	"udp.length":   num(func(p *Packet) uint64 { return uint64(p.UDP.Length) }, isUDP),
	"udp.checksum": hexField(4, func(p *Packet) uint64 { return uint64(p.UDP.Checksum) }, isUDP),
	"udp.stream":   num(func(p *Packet) uint64 { return uint64(p.UDP.Stream) }, isUDP),

	"data.data": payloadHex(hasPayload),
	"data.len": func(buf []byte, p *Packet) ([]byte, bool) {
		if !hasPayload(p) {
			return buf, false
		}
		return strconv.AppendInt(buf, int64(len(p.Payload)), 10), true
	},

	"icmp.type":     num(func(p *Packet) uint64 { return uint64(p.ICMP.Type) }, isICMP),
	"icmp.code":     num(func(p *Packet) uint64 { return uint64(p.ICMP.Code) }, isICMP),
	"icmp.checksum": hexField(4, func(p *Packet) uint64 { return uint64(p.ICMP.Checksum) }, isICMP),
	"icmp.ident":    num(func(p *Packet) uint64 { return uint64(p.ICMP.Ident) }, isEcho),
	"icmp.seq":      num(func(p *Packet) uint64 { return uint64(p.ICMP.Seq) }, isEcho),
	"icmp.seq_le":   num(func(p *Packet) uint64 { return uint64(p.ICMP.Seq>>8 | p.ICMP.Seq<<8) }, isEcho),
	"icmp.resp_to": num(func(p *Packet) uint64 { return uint64(p.ICMP.RespTo) }, func(p *Packet) bool {
		return isEcho(p) && p.ICMP.RespTo != 0
	}),
}
