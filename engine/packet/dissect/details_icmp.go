package dissect

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"time"

	"wiretutor/engine/packet/icmp"
)

// This file writes ICMP's and ICMPv6's packet details as tshark -V shows
// them: the header, the checksum verified, an echo's numbers and the
// request it answers, an error's quoted packet, and the data.

// icmpDetails writes ICMP.
func icmpDetails(t *tree, p *Packet, b []byte, d *Details) {
	ic := &p.ICMP
	if p.Transport != TransportICMP || len(b) < 8 {
		return
	}
	t.line("Internet Control Message Protocol")
	t.in()
	t.start().s("Type: ").u(uint64(ic.Type)).s(" (").s(ic.Type.String()).s(")").end()
	t.start().s("Code: ").u(uint64(ic.Code))
	if c := ic.Type.CodeName(ic.Code); c != "" {
		t.s(" (").s(c).s(")")
	}
	t.end()
	msg, whole := icmpMessage(p, b)
	checksumLines(t, ic.Checksum, whole, icmp.Sum(msg))
	switch {
	case ic.IsEcho:
		v := uint64(ic.Ident)
		t.start().s("Identifier (BE): ").u(v).s(" (").x(v, 4).s(")").end()
		v = uint64(ic.Ident>>8 | ic.Ident<<8)
		t.start().s("Identifier (LE): ").u(v).s(" (").x(v, 4).s(")").end()
		v = uint64(ic.Seq)
		t.start().s("Sequence Number (BE): ").u(v).s(" (").x(v, 4).s(")").end()
		v = uint64(ic.Seq>>8 | ic.Seq<<8)
		t.start().s("Sequence Number (LE): ").u(v).s(" (").x(v, 4).s(")").end()
		if ic.RespTo != 0 {
			t.start().s("[Request frame: ").i(ic.RespTo).s("]").end()
			t.start().s("[Response time: ")
			t.b = appendMillis(t.b, ic.RespTime)
			t.s(" ms]").end()
		}
		icmpEchoData(t, p, d)
	case ic.Type.IsError():
		switch {
		case ic.Type == icmp.DestUnreachable && ic.Code == 4:
			t.start().s("Unused: ")
			t.b = appendHex(t.b, uint64(binary.BigEndian.Uint16(b[4:])), 4)
			t.end()
			t.start().s("MTU of next hop: ").u(uint64(binary.BigEndian.Uint16(b[6:]))).end()
		case ic.Type == icmp.Redirect:
			t.start().s("Gateway Address: ")
			ipAddrText(t, netip.AddrFrom4([4]byte(b[4:8]))).end()
		case ic.Type == icmp.ParameterProblem:
			t.start().s("Pointer: ").u(uint64(b[4])).end()
			t.start().s("Unused: ")
			t.b = appendHex(t.b, uint64(binary.BigEndian.Uint32(b[4:]))&0xffffff, 6)
			t.end()
		default:
			t.start().s("Unused: ")
			t.b = appendHex(t.b, uint64(binary.BigEndian.Uint32(b[4:])), 8)
			t.end()
		}
		quoteDetails(t, p, d)
	}
	t.out()
	if p.Inner != nil {
		d.data(t, p.Inner) // the quote's payload, which tshark shows on its own
	}
}

// icmpv6Details writes ICMPv6.
func icmpv6Details(t *tree, p *Packet, b []byte, d *Details) {
	ic := &p.ICMP
	if p.Transport != TransportICMPv6 || len(b) < 4 {
		return
	}
	t.line("Internet Control Message Protocol v6")
	t.in()
	t.start().s("Type: ")
	if name := icmpv6TypeName(ic.Type); name != "" {
		t.s(name)
	} else {
		t.s("Unknown")
	}
	t.s(" (").u(uint64(ic.Type)).s(")").end()
	t.start().s("Code: ").u(uint64(ic.Code))
	if c := icmpv6CodeName(ic.Type, ic.Code); c != "" {
		t.s(" (").s(c).s(")")
	}
	t.end()
	msg, whole := icmpMessage(p, b)
	// The checksum covers a pseudo-header: the addresses, the length and
	// the next header.
	var sum uint32
	if p.Src.Is6() && p.Dst.Is6() {
		src, dst := p.Src.As16(), p.Dst.As16()
		sum = icmp.Sum(src[:]) + icmp.Sum(dst[:])
		sum += uint32(len(msg)>>16) + uint32(len(msg)&0xffff) + 58
	}
	checksumLines(t, ic.Checksum, whole, sum+icmp.Sum(msg))
	switch {
	case ic.IsEcho:
		t.start().s("Identifier: ").x(uint64(ic.Ident), 4).end()
		t.start().s("Sequence: ").u(uint64(ic.Seq)).end()
		if ic.RespTo != 0 {
			t.start().s("[Response To: ").i(ic.RespTo).s("]").end()
			t.start().s("[Response Time: ")
			t.b = appendMillis(t.b, ic.RespTime)
			t.s(" ms]").end()
		}
		if len(p.Payload) > 0 {
			d.data(t, p)
		}
	case icmpv6IsError(ic.Type) && len(b) >= 8:
		switch ic.Type {
		case icmpv6PacketTooBig:
			t.start().s("MTU: ").u(uint64(binary.BigEndian.Uint32(b[4:]))).end()
		case icmpv6ParamProblem:
			t.start().s("Pointer: ").u(uint64(binary.BigEndian.Uint32(b[4:]))).end()
		default:
			t.start().s("Reserved: ")
			t.b = appendHex(t.b, uint64(binary.BigEndian.Uint32(b[4:])), 8)
			t.end()
		}
		quoteDetails(t, p, d)
	}
	t.out()
	if p.Inner != nil {
		d.data(t, p.Inner)
	}
}

// icmpMessage returns the ICMP message's captured bytes, without the
// link layer's padding, and whether the frame holds all of it.
func icmpMessage(p *Packet, b []byte) ([]byte, bool) {
	n := int(p.IPLen) // IPv6's payload length
	if p.IPVersion == 4 {
		n -= p.IPHdrLen
	}
	if n < 0 || n > len(b) {
		return b, false
	}
	return b[:n], true
}

// checksumLines writes a checksum that tshark verifies: sum is the
// message's sum with the checksum in it, which folds to 0xffff when it
// is right. A message the frame cuts short cannot be verified.
func checksumLines(t *tree, checksum uint16, whole bool, sum uint32) {
	t.start().s("Checksum: ").x(uint64(checksum), 4)
	switch got := icmp.Fold(sum); {
	case !whole:
		t.s(" [unverified]").end()
		t.line("[Checksum Status: Unverified]")
	case got == 0xffff:
		t.s(" [correct]").end()
		t.line("[Checksum Status: Good]")
	default:
		// What the checksum should be: the sum without it, complemented.
		should := uint64(^icmp.Fold(uint32(got) + uint32(^checksum)))
		t.s(" incorrect, should be ").x(should, 4).end()
		t.in()
		t.expertf("Warning", "Checksum", func(t *tree) { t.s("Bad checksum [should be ").x(should, 4).s("]") })
		t.out()
		t.line("[Checksum Status: Bad]")
	}
}

// appendMillis writes a duration in milliseconds with three decimals.
func appendMillis(buf []byte, d time.Duration) []byte {
	return strconv.AppendFloat(buf, float64(d)/float64(time.Millisecond), 'f', 3, 64)
}

// icmpEchoData writes an echo's data: first the timestamp that ping
// puts at its start, when tshark takes it for one (seconds and
// microseconds, in either byte order, within a day of the frame).
func icmpEchoData(t *tree, p *Packet, d *Details) {
	data := p.Payload
	if len(data) >= 8 {
		if ts, ok := echoTimestamp(data, p.Time); ok {
			t.start().s("Timestamp from icmp data: ")
			t.b = ts.Local().AppendFormat(t.b, "Jan _2, 2006 15:04:05.000000000 MST")
			t.end()
			t.start().s("[Timestamp from icmp data (relative): ").secs(p.Time.Sub(ts)).s("]").end()
			data = data[8:]
		}
	}
	if len(data) == 0 {
		return
	}
	q := *p
	q.Payload = data
	d.data(t, &q)
}

// echoTimestamp reads the timestamp ping writes at the start of its
// data, as tshark guesses it: big-endian seconds and microseconds, else
// little-endian, taken when it is less than a day before the frame.
func echoTimestamp(b []byte, frame time.Time) (time.Time, bool) {
	for _, o := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
		sec, usec := o.Uint32(b), o.Uint32(b[4:])
		if uint32(frame.Unix())-sec < 24*3600 && usec < 1_000_000 {
			return time.Unix(int64(sec), int64(usec)*1000), true
		}
	}
	return time.Time{}, false
}

// quoteDetails writes the packet an ICMP error quotes: its IP header
// and its UDP header, one level down.
func quoteDetails(t *tree, p *Packet, d *Details) {
	in := p.Inner
	if in == nil {
		return
	}
	// The layers are the IP header, then UDP's when it is there.
	switch in.IPVersion {
	case 4:
		ipv4Details(t, in, in.Data, d)
	case 6:
		ipv6Details(t, in, in.Data, d)
	}
	if in.Transport == TransportUDP && in.nlayers > 1 {
		udpTree(t, in, in.Data[in.layers[1].off:], false)
	}
}
