package dissect

import (
	"encoding/binary"
)

// This file writes TCP's packet details as tshark -V shows them: the
// header field by field, the flags bit by bit, the options, and the
// generated trees (timestamps and the SEQ/ACK analysis) that need the
// segments before.

// tcpFlagBits names the flag bits from the highest down, as tshark
// lists them under Flags.
var tcpFlagBits = [...]struct {
	mask uint64
	name string
}{
	{0x080, "Congestion Window Reduced"},
	{0x040, "ECN-Echo"},
	{0x020, "Urgent"},
	{0x010, "Acknowledgment"},
	{0x008, "Push"},
	{0x004, "Reset"},
	{0x002, "Syn"},
	{0x001, "Fin"},
}

// tcpDetails writes TCP.
func tcpDetails(t *tree, p *Packet, b []byte, _ *Details) {
	n := len(b)
	if n < 4 && p.Malformed == "TCP" {
		return
	}
	sport, dport := binary.BigEndian.Uint16(b[0:]), binary.BigEndian.Uint16(b[2:])
	tc := &p.TCP
	cut := p.Malformed == "TCP"
	t.start().s("Transmission Control Protocol, Src Port: ").u(uint64(sport)).s(", Dst Port: ").u(uint64(dport))
	if !cut {
		t.s(", Seq: ").u(uint64(tc.Seq))
		if tc.Has(FlagACK) {
			t.s(", Ack: ").u(uint64(tc.Ack))
		}
		t.s(", Len: ").i(tc.Len)
	}
	t.end()
	t.in()
	defer t.out()
	t.start().s("Source Port: ").u(uint64(sport)).end()
	t.start().s("Destination Port: ").u(uint64(dport)).end()
	if cut {
		return
	}
	tr := &tc.Track
	t.start().s("[Stream index: ").i(tc.Stream).s("]").end()
	t.start().s("[Conversation completeness: ").s(completenessName(tr.Complete)).s(" (").u(uint64(tr.Complete)).s(")]").end()
	t.start().s("[TCP Segment Len: ").i(tc.Len).s("]").end()
	t.start().s("Sequence Number: ").u(uint64(tc.Seq)).s("    (relative sequence number)").end()
	t.start().s("Sequence Number (raw): ").u(uint64(tc.SeqRaw)).end()
	t.start().s("[Next Sequence Number: ").u(uint64(tc.NextSeq)).s("    (relative sequence number)]").end()
	if tc.Has(FlagACK) {
		t.start().s("Acknowledgment Number: ").u(uint64(tc.Ack)).s("    (relative ack number)").end()
	} else {
		t.line("Acknowledgment Number: 0")
	}
	t.start().s("Acknowledgment number (raw): ").u(uint64(tc.AckRaw)).end()
	t.start().bits(uint64(b[12]), 0xf0, 8).s("Header Length: ").i(tc.HdrLen).s(" bytes (").i(tc.HdrLen / 4).s(")").end()

	word := uint64(binary.BigEndian.Uint16(b[12:])) & 0xfff
	t.start().s("Flags: ").x(word, 3).s(" (")
	t.b = AppendFlags(t.b, tc.Flags&^FlagNS)
	if tc.Flags == FlagNS {
		t.b = t.b[:len(t.b)-len("<None>")]
		t.s("AE")
	} else if tc.Flags&FlagNS != 0 {
		t.s(", AE")
	}
	t.s(")").end()
	t.in()
	t.start().bits(word, 0xe00, 12).s("Reserved: ")
	if word&0xe00 != 0 {
		t.s("Set").end()
	} else {
		t.s("Not set").end()
	}
	t.flag(word, 0x100, 12, "Accurate ECN")
	for _, f := range tcpFlagBits {
		t.flag(word, f.mask, 12, f.name)
		if word&f.mask == 0 {
			continue
		}
		t.in()
		switch f.mask {
		case 0x002:
			if tc.Has(FlagACK) {
				t.expertf("Chat", "Sequence", func(t *tree) {
					t.s("Connection establish acknowledge (SYN+ACK): server port ").u(uint64(sport))
				})
			} else {
				t.expertf("Chat", "Sequence", func(t *tree) {
					t.s("Connection establish request (SYN): server port ").u(uint64(dport))
				})
			}
		case 0x001:
			t.expert("Chat", "Sequence", "Connection finish (FIN)")
		case 0x004:
			t.expert("Warning", "Sequence", "Connection reset (RST)")
		}
		t.out()
	}
	t.start().s("[TCP Flags: ")
	const letters = "RRRACEUAPRSF"
	for i := 11; i >= 0; i-- {
		if word>>i&1 == 1 {
			t.b = append(t.b, letters[11-i])
		} else {
			t.s("·")
		}
	}
	t.s("]").end()
	if tc.Has(FlagFIN) {
		t.in()
		if tr.FinUndergoes {
			t.expert("Note", "Sequence", "This frame undergoes the connection closing")
		} else {
			t.expert("Note", "Sequence", "This frame initiates the connection closing")
		}
		t.out()
	}
	t.out()

	t.start().s("Window: ").u(uint64(tc.WindowRaw)).end()
	t.start().s("[Calculated window size: ").i(tc.Window).s("]").end()
	if !tc.Has(FlagSYN) {
		switch tc.ScaleShift {
		case -1:
			t.line("[Window size scaling factor: -1 (unknown)]")
		case -2:
			t.line("[Window size scaling factor: -2 (no window scaling used)]")
		default:
			t.start().s("[Window size scaling factor: ").u(uint64(WSMultiplier(uint32(tc.ScaleShift)))).s("]").end()
		}
	}
	t.start().s("Checksum: ").x(uint64(tc.Checksum), 4).s(" [unverified]").end()
	t.line("[Checksum Status: Unverified]")
	t.start().s("Urgent Pointer: ").u(uint64(tc.Urgent)).end()
	if tc.HdrLen > 20 && len(b) >= tc.HdrLen {
		tcpOptionsDetails(t, p, b[20:tc.HdrLen])
	}
	t.line("[Timestamps]")
	t.in()
	t.start().s("[Time since first frame in this TCP stream: ").secs(tr.SinceFirst).s("]").end()
	t.start().s("[Time since previous frame in this TCP stream: ").secs(tr.SincePrev).s("]").end()
	t.out()
	if tr.Shown {
		tcpAnalysisDetails(t, p)
	}
	if tc.Len > 0 {
		t.start().s("TCP payload (").i(tc.Len).s(plural(tc.Len, " byte)", " bytes)")).end()
		for _, r := range ndmpRecords(p) {
			t.start().s("[PDU Size: ").i(len(r.data) + 4).s("]").end()
		}
		if tc.Reassembling {
			// A part of a message the layer above reassembles: tshark
			// names it under the payload.
			t.start().s("TCP segment data (").i(tc.Len).s(plural(tc.Len, " byte)", " bytes)")).end()
			return
		}
		if tc.Analysis&(AnalysisRetransmission|AnalysisSpuriousRetransmission) != 0 {
			t.start().s("Retransmitted TCP segment data (").i(tc.Len).s(plural(tc.Len, " byte)", " bytes)")).end()
		}
	}
}

// plural picks tshark's "byte" or "bytes".
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// completenessName is tshark's words for tcp.completeness.
func completenessName(c uint8) string {
	switch c {
	case 1:
		return "Incomplete, SYN_SENT"
	case 3:
		return "Incomplete, CLIENT_ESTABLISHED"
	case 7:
		return "Incomplete, ESTABLISHED"
	case 15:
		return "Incomplete, DATA"
	case 31, 47, 63:
		return "Complete, WITH_DATA"
	case 23, 39, 55:
		return "Complete, NO_DATA"
	}
	return "Incomplete"
}

// tcpOptionName is the option's name in the Options line and its Kind.
func tcpOptionName(kind byte) (short, long string) {
	switch kind {
	case 0:
		return "End of Option List (EOL)", "End of Option List"
	case 1:
		return "No-Operation (NOP)", "No-Operation"
	case 2:
		return "Maximum segment size", "Maximum Segment Size"
	case 3:
		return "Window scale", "Window Scale"
	case 4:
		return "SACK permitted", "SACK Permitted"
	case 5:
		return "SACK", "SACK"
	case 8:
		return "Timestamps", "Time Stamp Option"
	}
	return "Unknown", "Unknown"
}

// tcpOptionsDetails writes the options: their summary line, then each.
func tcpOptionsDetails(t *tree, p *Packet, o []byte) {
	t.start().s("Options: (").i(len(o)).s(" bytes)")
	for i := 0; i < len(o); {
		short, _ := tcpOptionName(o[i])
		t.s(", ").s(short)
		if o[i] <= 1 {
			if o[i] == 0 {
				break
			}
			i++
			continue
		}
		if i+1 >= len(o) || o[i+1] < 2 {
			break
		}
		i += int(o[i+1])
	}
	t.end()
	t.in()
	defer t.out()
	peerBase := p.TCP.AckRaw - p.TCP.Ack // the receiver's base, for SACK edges
	for i := 0; i < len(o); {
		kind := o[i]
		short, long := tcpOptionName(kind)
		if kind <= 1 {
			t.start().s("TCP Option - ").s(short).end()
			t.in()
			t.start().s("Kind: ").s(long).s(" (").u(uint64(kind)).s(")").end()
			t.out()
			if kind == 0 {
				return
			}
			i++
			continue
		}
		if i+1 >= len(o) || o[i+1] < 2 || i+int(o[i+1]) > len(o) {
			return
		}
		n := int(o[i+1])
		v := o[i+2 : i+n]
		t.start().s("TCP Option - ").s(short)
		switch {
		case kind == 2 && n == 4:
			t.s(": ").u(uint64(binary.BigEndian.Uint16(v))).s(" bytes")
		case kind == 3 && n == 3:
			t.s(": ").u(uint64(v[0])).s(" (multiply by ").u(uint64(WSMultiplier(uint32(v[0])))).s(")")
		case kind == 8 && n == 10:
			t.s(": TSval ").u(uint64(binary.BigEndian.Uint32(v))).s(", TSecr ").u(uint64(binary.BigEndian.Uint32(v[4:])))
		case kind == 5:
			for j := 0; j+8 <= len(v); j += 8 {
				t.s(" ").u(uint64(binary.BigEndian.Uint32(v[j:]) - peerBase)).s("-").u(uint64(binary.BigEndian.Uint32(v[j+4:]) - peerBase))
			}
		}
		t.end()
		t.in()
		t.start().s("Kind: ").s(long).s(" (").u(uint64(kind)).s(")").end()
		t.start().s("Length: ").i(n).end()
		switch {
		case kind == 2 && n == 4:
			t.start().s("MSS Value: ").u(uint64(binary.BigEndian.Uint16(v))).end()
		case kind == 3 && n == 3:
			t.start().s("Shift count: ").u(uint64(v[0])).end()
			t.start().s("[Multiplier: ").u(uint64(WSMultiplier(uint32(v[0])))).s("]").end()
		case kind == 8 && n == 10:
			t.start().s("Timestamp value: ").u(uint64(binary.BigEndian.Uint32(v))).end()
			t.start().s("Timestamp echo reply: ").u(uint64(binary.BigEndian.Uint32(v[4:]))).end()
		case kind == 5:
			count := 0
			for j := 0; j+8 <= len(v); j += 8 {
				t.start().s("left edge = ").u(uint64(binary.BigEndian.Uint32(v[j:]) - peerBase)).s(" (relative)").end()
				t.start().s("right edge = ").u(uint64(binary.BigEndian.Uint32(v[j+4:]) - peerBase)).s(" (relative)").end()
				count++
			}
			t.start().s("[TCP SACK Count: ").i(count).s("]").end()
			if len(v) >= 8 {
				le, re := binary.BigEndian.Uint32(v)-peerBase, binary.BigEndian.Uint32(v[4:])-peerBase
				dsack := seqLE(re, p.TCP.Ack)
				if !dsack && len(v) >= 16 {
					le2, re2 := binary.BigEndian.Uint32(v[8:])-peerBase, binary.BigEndian.Uint32(v[12:])-peerBase
					dsack = seqLE(le2, le) && seqLE(re, re2)
				}
				if dsack && p.TCP.Has(FlagACK) {
					t.start().s("[D-SACK Left Edge = ").u(uint64(le)).s(" (relative)]").end()
					t.start().s("[D-SACK Right Edge = ").u(uint64(re)).s(" (relative)]").end()
					t.line("D-SACK Sequence")
					t.in()
					t.expert("Warning", "Sequence", "D-SACK Sequence")
					t.out()
				}
			}
		}
		t.out()
		i += n
	}
}

// tcpAnalysisDetails writes the SEQ/ACK analysis tree.
func tcpAnalysisDetails(t *tree, p *Packet) {
	tc := &p.TCP
	tr := &tc.Track
	t.line("[SEQ/ACK analysis]")
	t.in()
	defer t.out()
	if tr.AckedFrame != 0 {
		t.start().s("[This is an ACK to the segment in frame: ").i(tr.AckedFrame).s("]").end()
		if tr.AckRTT != 0 {
			t.start().s("[The RTT to ACK the segment was: ").secs(tr.AckRTT).s("]").end()
		}
	}
	if tr.IRTT != 0 {
		t.start().s("[iRTT: ").secs(tr.IRTT).s("]").end()
	}
	if tr.InFlight != 0 {
		t.start().s("[Bytes in flight: ").u(uint64(tr.InFlight)).s("]").end()
	}
	if tr.PushBytes != 0 {
		t.start().s("[Bytes sent since last PSH flag: ").u(uint64(tr.PushBytes)).s("]").end()
	}
	f := tc.Analysis
	if f == 0 {
		return
	}
	t.line("[TCP Analysis Flags]")
	t.in()
	note := func(bit uint32, severity, text string) {
		if f&bit != 0 {
			t.expert(severity, "Sequence", text)
		}
	}
	// The order of tshark's print functions: retransmissions, lost
	// segments, window, keep-alives, duplicate ACKs, zero window.
	if f&AnalysisFastRetransmission != 0 {
		t.expert("Note", "Sequence", "This frame is a (suspected) fast retransmission")
		t.expert("Note", "Sequence", "This frame is a (suspected) retransmission")
	}
	if f&AnalysisRetransmission != 0 {
		t.expert("Note", "Sequence", "This frame is a (suspected) retransmission")
		if tr.RTO != 0 {
			t.start().s("[The RTO for this segment was: ").secs(tr.RTO).s("]").end()
			t.start().s("[RTO based on delta from frame: ").i(tr.RTOFrame).s("]").end()
		}
	}
	note(AnalysisSpuriousRetransmission, "Note", "This frame is a (suspected) spurious retransmission")
	note(AnalysisOutOfOrder, "Warning", "This frame is a (suspected) out-of-order segment")
	note(AnalysisLostSegment, "Warning", "Previous segment(s) not captured (common at capture start)")
	note(AnalysisAckedUnseen, "Warning", "ACKed segment that wasn't captured (common at capture start)")
	note(AnalysisWindowUpdate, "Chat", "TCP window update")
	note(AnalysisWindowFull, "Warning", "TCP window specified by the receiver is now completely full")
	note(AnalysisKeepAlive, "Note", "TCP keep-alive segment")
	note(AnalysisKeepAliveAck, "Note", "ACK to a TCP keep-alive segment")
	if f&AnalysisDupAck != 0 {
		t.line("[This is a TCP duplicate ack]")
	}
	note(AnalysisZeroWindowProbe, "Note", "TCP Zero Window Probe")
	note(AnalysisZeroWindow, "Warning", "TCP Zero Window segment")
	note(AnalysisZeroWindowProbeAck, "Note", "ACK to a TCP Zero Window Probe")
	t.out()
	if f&AnalysisDupAck != 0 {
		t.start().s("[Duplicate ACK #: ").i(tc.DupAckNum).s("]").end()
		t.start().s("[Duplicate to the ACK in frame: ").i(tc.DupAckFrame).s("]").end()
		t.in()
		t.expertf("Note", "Sequence", func(t *tree) { t.s("Duplicate ACK (#").i(tc.DupAckNum).s(")") })
		t.out()
	}
}
