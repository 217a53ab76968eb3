package dissect

import (
	"strconv"
	"time"
)

// Summary appends tshark's default one-line summary of p to buf and
// returns the extended buffer: number, relative time with prec decimal
// digits (6 for pcap, 9 for nanosecond pcapng), source → destination,
// protocol, length and the Info column. The line has no newline.
func Summary(buf []byte, p *Packet, prec int) []byte {
	start := len(buf)
	buf = strconv.AppendInt(buf, int64(p.Number), 10)
	buf = padLeft(buf, start, 5)

	buf = append(buf, ' ')
	start = len(buf)
	buf = appendSeconds(buf, p.Rel, prec)
	buf = padLeft(buf, start, 10)

	buf = append(buf, ' ')
	start = len(buf)
	buf = appendSource(buf, p)
	buf = padLeft(buf, start, 12)
	buf = append(buf, " → "...)
	start = len(buf)
	buf = appendDestination(buf, p)
	for len(buf)-start < 12 {
		buf = append(buf, ' ')
	}

	buf = append(buf, ' ')
	buf = append(buf, Protocol(p)...)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, int64(p.Len), 10)
	buf = append(buf, ' ')
	return AppendInfo(buf, p)
}

// padLeft right-aligns buf[start:] in a field of width bytes, as tshark
// does for its number, time and source columns.
func padLeft(buf []byte, start, width int) []byte {
	n := len(buf) - start
	if n >= width {
		return buf
	}
	pad := width - n
	for i := 0; i < pad; i++ {
		buf = append(buf, ' ')
	}
	copy(buf[start+pad:], buf[start:start+n])
	for i := start; i < start+pad; i++ {
		buf[i] = ' '
	}
	return buf
}

// AppendSeconds appends d as seconds with prec decimals, truncated as
// Wireshark's time column shows them.
func AppendSeconds(buf []byte, d time.Duration, prec int) []byte { return appendSeconds(buf, d, prec) }

// appendSeconds writes d as seconds with prec decimals, truncating like
// Wireshark does.
func appendSeconds(buf []byte, d time.Duration, prec int) []byte {
	if d < 0 {
		buf = append(buf, '-')
		d = -d
	}
	ns := int64(d)
	buf = strconv.AppendInt(buf, ns/1e9, 10)
	if prec <= 0 {
		return buf
	}
	if prec > 9 {
		prec = 9
	}
	frac := ns % 1e9
	for i := prec; i < 9; i++ {
		frac /= 10
	}
	var digits [9]byte
	for i := prec - 1; i >= 0; i-- {
		digits[i] = '0' + byte(frac%10)
		frac /= 10
	}
	buf = append(buf, '.')
	return append(buf, digits[:prec]...)
}

// appendSource writes the Source column: the IP address, else the
// Ethernet address, each only when the frame holds it.
func appendSource(buf []byte, p *Packet) []byte {
	switch {
	case p.IPVersion != 0 && p.Src.IsValid():
		return p.Src.AppendTo(buf)
	case p.HasEth || p.Malformed == "Ethernet" && p.cut >= 12:
		return appendMACName(buf, p.EthSrc)
	}
	return buf
}

func appendDestination(buf []byte, p *Packet) []byte {
	switch {
	case p.IPVersion != 0 && p.Dst.IsValid():
		return p.Dst.AppendTo(buf)
	case p.HasEth || p.Malformed == "Ethernet" && p.cut >= 6:
		return appendMACName(buf, p.EthDst)
	}
	return buf
}

// appendMACName writes an Ethernet address as tshark's address columns
// show it, with its maker's name for the first three bytes: the
// all-zero prefix of loopback captures is "00:00:00" in Wireshark's
// table, and ff:ff:ff:ff:ff:ff is "Broadcast". wiretutor carries no
// other names, so other addresses print in full.
func appendMACName(buf []byte, m [6]byte) []byte {
	switch {
	case m == [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}:
		return append(buf, "Broadcast"...)
	case m[0] == 0 && m[1] == 0 && m[2] == 0:
		buf = append(buf, "00:00:00_"...)
		for i, b := range m[3:] {
			if i > 0 {
				buf = append(buf, ':')
			}
			buf = append(buf, hexDigits[b>>4], hexDigits[b&15])
		}
		return buf
	}
	return appendMAC(buf, m)
}

const hexDigits = "0123456789abcdef"

func appendMAC(buf []byte, m [6]byte) []byte {
	for i, b := range m {
		if i > 0 {
			buf = append(buf, ':')
		}
		buf = append(buf, hexDigits[b>>4], hexDigits[b&15])
	}
	return buf
}

// Protocol returns the Protocol column: the highest layer dissected.
func Protocol(p *Packet) string {
	if p.Malformed != "" {
		// A TCP or UDP header cut before its ports names no protocol:
		// the column keeps the IP layer's name.
		if p.Malformed != "TCP" && p.Malformed != "UDP" || p.cut >= 4 {
			return p.Malformed
		}
	} else if p.HTTP != nil && !p.HTTP.Partial {
		if p.HTTP.JSON() {
			return "HTTP/JSON"
		}
		return "HTTP"
	}
	switch p.Transport {
	case TransportTCP:
		return "TCP"
	case TransportUDP:
		return "UDP"
	case TransportICMP:
		return "ICMP"
	case TransportICMPv6:
		return "ICMPv6"
	}
	switch p.IPVersion {
	case 4:
		return "IPv4"
	case 6:
		return "IPv6"
	}
	return "Ethernet"
}

// AppendInfo appends the Info column of p.
func AppendInfo(buf []byte, p *Packet) []byte {
	if p.Malformed != "" {
		// tshark appends its mark to what the cut layer had written:
		// a TCP or UDP header's ports, when they were captured.
		switch {
		case (p.Malformed == "TCP" || p.Malformed == "UDP") && p.cut >= 4:
			buf = strconv.AppendUint(buf, uint64(p.SrcPort), 10)
			buf = append(buf, " → "...)
			buf = strconv.AppendUint(buf, uint64(p.DstPort), 10)
		case p.Malformed == "IPv6":
			buf = append(buf, "Invalid IPv6 header ("...)
			buf = strconv.AppendInt(buf, int64(p.cut), 10)
			buf = append(buf, " bytes, need exactly 40)"...)
		}
		return append(buf, "[Malformed Packet]"...)
	}
	if h := p.HTTP; h != nil {
		if !h.Partial {
			return appendHTTPInfo(buf, h)
		}
		if h.FirstLine != "" {
			buf = append(buf, h.FirstLine...)
			return append(buf, "  [TCP segment of a reassembled PDU]"...)
		}
		buf = appendTCPInfo(buf, p)
		return append(buf, " [TCP segment of a reassembled PDU]"...)
	}
	switch p.Transport {
	case TransportTCP:
		return appendTCPInfo(buf, p)
	case TransportUDP:
		buf = strconv.AppendUint(buf, uint64(p.SrcPort), 10)
		buf = append(buf, " → "...)
		buf = strconv.AppendUint(buf, uint64(p.DstPort), 10)
		buf = append(buf, " Len="...)
		return strconv.AppendInt(buf, int64(len(p.Payload)), 10)
	case TransportICMP:
		return appendICMPInfo(buf, p)
	}
	return buf
}

// flagNames are tshark's names for the TCP flag bits, lowest bit first,
// the order its Info column lists them in.
var flagNames = [...]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "NS"}

// AppendFlags appends the flags as tshark lists them in brackets
// ("SYN, ACK"), or "<None>".
func AppendFlags(buf []byte, flags uint16) []byte {
	n := 0
	for i, name := range flagNames {
		if flags&(1<<i) == 0 {
			continue
		}
		if n > 0 {
			buf = append(buf, ", "...)
		}
		buf = append(buf, name...)
		n++
	}
	if n == 0 {
		buf = append(buf, "<None>"...)
	}
	return buf
}

func appendTCPInfo(buf []byte, p *Packet) []byte {
	t := &p.TCP
	buf = analysisPrefix(buf, t)
	buf = strconv.AppendUint(buf, uint64(p.SrcPort), 10)
	buf = append(buf, " → "...)
	buf = strconv.AppendUint(buf, uint64(p.DstPort), 10)
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

// WSMultiplier is the window multiplier of a WS shift, which Wireshark
// caps at 14 as RFC 7323 does.
func WSMultiplier(shift uint32) uint32 {
	if shift > 14 {
		shift = 14
	}
	return 1 << shift
}

// ICMPTypeName returns tshark's name of an ICMP type, or "".
func ICMPTypeName(typ uint8) string {
	switch typ {
	case 0:
		return "Echo (ping) reply"
	case 3:
		return "Destination unreachable"
	case 4:
		return "Source quench (flow control)"
	case 5:
		return "Redirect"
	case 8:
		return "Echo (ping) request"
	case 9:
		return "Router advertisement"
	case 10:
		return "Router solicitation"
	case 11:
		return "Time-to-live exceeded"
	case 12:
		return "Parameter problem"
	case 13:
		return "Timestamp request"
	case 14:
		return "Timestamp reply"
	}
	return ""
}

var unreachCodes = [...]string{
	"Network unreachable", "Host unreachable", "Protocol unreachable",
	"Port unreachable", "Fragmentation needed", "Source route failed",
	"Destination network unknown", "Destination host unknown",
	"Source host isolated", "Network administratively prohibited",
	"Host administratively prohibited", "Network unreachable for TOS",
	"Host unreachable for TOS", "Communication administratively filtered",
	"Host precedence violation", "Precedence cutoff in effect",
}

// ICMPCodeName returns tshark's name of an ICMP code for types that
// name their codes, or "".
func ICMPCodeName(typ, code uint8) string {
	switch typ {
	case 3:
		if int(code) < len(unreachCodes) {
			return unreachCodes[code]
		}
	case 11:
		switch code {
		case 0:
			return "Time to live exceeded in transit"
		case 1:
			return "Fragment reassembly time exceeded"
		}
	}
	return ""
}

func appendICMPInfo(buf []byte, p *Packet) []byte {
	ic := &p.ICMP
	name := ICMPTypeName(ic.Type)
	if name == "" {
		buf = append(buf, "Unknown ICMP (obsolete or malformed?)"...)
		return buf
	}
	if !ic.IsEcho {
		buf = append(buf, name...)
		if c := ICMPCodeName(ic.Type, ic.Code); c != "" {
			buf = append(buf, " ("...)
			buf = append(buf, c...)
			buf = append(buf, ')')
		}
		return buf
	}
	start := len(buf)
	buf = append(buf, name...)
	for len(buf)-start < 20 {
		buf = append(buf, ' ')
	}
	buf = append(buf, " id=0x"...)
	buf = appendHex(buf, uint64(ic.Ident), 4)
	buf = append(buf, ", seq="...)
	buf = strconv.AppendUint(buf, uint64(ic.Seq), 10)
	buf = append(buf, '/')
	buf = strconv.AppendUint(buf, uint64(ic.Seq>>8|ic.Seq<<8), 10)
	buf = append(buf, ", ttl="...)
	buf = strconv.AppendUint(buf, uint64(p.TTL), 10)
	if ic.RespTo != 0 {
		buf = append(buf, " (request in "...)
		buf = strconv.AppendInt(buf, int64(ic.RespTo), 10)
		buf = append(buf, ')')
	}
	return buf
}

// appendHex appends v in lowercase hex, zero-padded to width digits.
func appendHex(buf []byte, v uint64, width int) []byte {
	var tmp [16]byte
	i := len(tmp)
	for v > 0 || len(tmp)-i < width {
		i--
		tmp[i] = hexDigits[v&15]
		v >>= 4
	}
	return append(buf, tmp[i:]...)
}

func appendUint(buf []byte, v uint64) []byte { return strconv.AppendUint(buf, v, 10) }
