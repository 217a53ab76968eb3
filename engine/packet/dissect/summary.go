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
	r := table()
	start := len(buf)
	buf = strconv.AppendInt(buf, int64(p.Number), 10)
	buf = padLeft(buf, start, 5)

	buf = append(buf, ' ')
	start = len(buf)
	buf = appendSeconds(buf, p.Rel, prec)
	buf = padLeft(buf, start, 10)

	buf = append(buf, ' ')
	start = len(buf)
	buf = r.appendAddr(buf, p, true)
	buf = padLeft(buf, start, 12)
	buf = append(buf, " → "...)
	start = len(buf)
	buf = r.appendAddr(buf, p, false)
	for len(buf)-start < 12 {
		buf = append(buf, ' ')
	}

	top := r.top(p)
	buf = append(buf, ' ')
	buf = append(buf, top.column(p)...)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, int64(p.Len), 10)
	buf = append(buf, ' ')
	return appendInfo(buf, top, p)
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
// Wireshark's time column shows them: AppendSeconds(buf, p.Rel, prec)
// is the Time column of Summary (frame.time_relative), without its
// padding.
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

// appendAddr writes the Source (src) or Destination column: the address
// of the highest layer that has one for p.
func (r *registry) appendAddr(buf []byte, p *Packet, src bool) []byte {
	for _, pr := range r.addrs {
		if b, ok := pr.addr(buf, p, src); ok {
			return b
		}
	}
	return buf
}

// AppendAddress appends the Source column of p (src) or its
// Destination column; nothing for a frame with no address.
func AppendAddress(buf []byte, p *Packet, src bool) []byte {
	return table().appendAddr(buf, p, src)
}

// Protocol returns the Protocol column: the highest layer dissected.
func Protocol(p *Packet) string { return table().top(p).column(p) }

// AppendInfo appends the Info column of p.
func AppendInfo(buf []byte, p *Packet) []byte { return appendInfo(buf, table().top(p), p) }

// appendInfo writes the Info column of p, whose highest layer is top.
// tshark appends its mark for a frame that cuts a header short to what
// that layer had written.
func appendInfo(buf []byte, top *protocol, p *Packet) []byte {
	if top.info != nil {
		buf = top.info(buf, p)
	}
	if p.Malformed != "" {
		buf = append(buf, "[Malformed Packet]"...)
	}
	return buf
}
