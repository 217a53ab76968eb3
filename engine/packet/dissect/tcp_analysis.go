package dissect

import (
	"strconv"
	"time"
)

// What tcp.analysis concluded about a segment (TCP.Analysis).
const (
	// AnalysisRetransmission: data (or a SYN or FIN) below the sender's
	// highest sequence number so far, not yet acknowledged.
	AnalysisRetransmission uint32 = 1 << iota
	// AnalysisSpuriousRetransmission: the same, but the data had already
	// been acknowledged.
	AnalysisSpuriousRetransmission
	AnalysisFastRetransmission
	AnalysisOutOfOrder
	AnalysisLostSegment // "Previous segment not captured"
	AnalysisAckedUnseen // "ACKed unseen segment"
	AnalysisWindowUpdate
	AnalysisWindowFull
	AnalysisKeepAlive
	AnalysisKeepAliveAck
	AnalysisDupAck
	AnalysisZeroWindow
	AnalysisZeroWindowProbe
	AnalysisZeroWindowProbeAck
)

// seqState is one direction's state for the sequence analysis, kept the
// way Wireshark keeps it (raw numbers; zero means "not seen yet").
type seqState struct {
	nextseq       uint32
	nextseqFrame  int
	nextseqTime   time.Time
	maxSeqToAck   uint32
	lastack       uint32
	lastackTime   time.Time
	window        uint32 // the last raw window
	dupacks       int
	lastNonDupAck int
	lastFlags     uint32
	sawFirstAck   bool
}

// seqLT and friends compare sequence numbers modulo 2^32.
func seqLT(a, b uint32) bool { return int32(a-b) < 0 }
func seqLE(a, b uint32) bool { return int32(a-b) <= 0 }

// analysis follows Wireshark's tcp_analyze_sequence_number: it classifies
// one segment from its sender's state (fwd) and the other side's (rev),
// then updates fwd. firstRTT is the handshake's round trip, zero when
// unknown. revShift is the other side's window scale shift (<0: none).
type segInfo struct {
	frame               int
	at                  time.Time
	seq, ack, seglen    uint32
	window              uint32 // raw
	syn, fin, rst, ackf bool
}

func analyzeSegment(fwd, rev *seqState, s segInfo, firstRTT time.Duration, revShift int) (flags uint32, dupNum, dupFrame int) {
	skipToFinished := false
	switch {
	case s.seglen == 1 && s.seq == fwd.nextseq && rev.window == 0:
		flags |= AnalysisZeroWindowProbe
		skipToFinished = true
	}
	if !skipToFinished {
		ctl := s.syn || s.fin || s.rst
		if s.window == 0 && !ctl {
			flags |= AnalysisZeroWindow
		}
		if fwd.nextseq != 0 && seqLT(fwd.nextseq, s.seq) && !s.rst {
			flags |= AnalysisLostSegment
		}
		if (s.seglen == 0 || s.seglen == 1) && s.seq == fwd.nextseq-1 && !(s.syn || s.fin || s.rst) {
			flags |= AnalysisKeepAlive
		}
		if s.seglen == 0 && s.window != 0 && s.window != fwd.window && s.seq == fwd.nextseq && s.ack == fwd.lastack && !ctl {
			flags |= AnalysisWindowUpdate
		}
		if s.seglen > 0 && revShift != -1 && !ctl {
			shift := 0
			if rev.sawFirstAck && revShift > 0 {
				shift = revShift
			}
			if s.seq+s.seglen == rev.lastack+rev.window<<shift {
				flags |= AnalysisWindowFull
			}
		}
		same := s.seglen == 0 && s.window == fwd.window && s.seq == fwd.nextseq && s.ack == fwd.lastack && !ctl
		switch {
		case same && s.window != 0 && rev.lastFlags&AnalysisKeepAlive != 0:
			flags |= AnalysisKeepAliveAck
		case same && s.window == 0 && rev.lastFlags&AnalysisZeroWindowProbe != 0:
			flags |= AnalysisZeroWindowProbeAck
		case same && s.window != 0:
			if fwd.dupacks == -1 {
				fwd.dupacks = 1
			} else {
				fwd.dupacks++
			}
			flags |= AnalysisDupAck
			dupNum, dupFrame = fwd.dupacks, fwd.lastNonDupAck
		}
	}

	// finished_fwd:
	if s.ack != fwd.lastack {
		fwd.lastNonDupAck = s.frame
		fwd.dupacks = 0
	}
	if rev.maxSeqToAck != 0 && seqLT(rev.maxSeqToAck, s.ack) && s.ackf {
		if seqLT(rev.nextseq, rev.maxSeqToAck) {
			rev.maxSeqToAck = rev.nextseq
			flags |= AnalysisAckedUnseen
		} else {
			if rev.dupacks == 0 {
				flags |= AnalysisAckedUnseen
			}
			rev.dupacks = -1
		}
	}

	if (s.seglen > 0 || s.syn || s.fin) && flags&AnalysisKeepAlive == 0 {
		notAdvanced := fwd.nextseq != 0 && seqLT(s.seq, fwd.nextseq)
		if s.seglen > 1 && fwd.nextseq-1 == s.seq {
			notAdvanced = false
		}
		ctlLen := uint32(0)
		if s.syn || s.fin {
			ctlLen = 1
		}
		switch {
		case s.seglen > 0 && rev.lastack != 0 && seqLE(s.seq+s.seglen, rev.lastack):
			flags |= AnalysisSpuriousRetransmission
		case notAdvanced && rev.dupacks >= 2 && rev.lastack == s.seq && s.at.Sub(rev.lastackTime) < 20*time.Millisecond:
			flags |= AnalysisFastRetransmission
		case notAdvanced && s.at.Sub(fwd.nextseqTime) < oooThreshold(firstRTT) && fwd.nextseq != s.seq+s.seglen+ctlLen:
			flags |= AnalysisOutOfOrder
		case notAdvanced:
			flags |= AnalysisRetransmission
		}
	}

	// finished_checking_retransmission_type:
	nextseq := s.seq + s.seglen
	if s.syn || s.fin {
		nextseq++
	}
	probe := flags&AnalysisZeroWindowProbe != 0
	if (seqLT(fwd.nextseq, nextseq) || fwd.nextseq == 0) && !probe {
		fwd.nextseq, fwd.nextseqFrame, fwd.nextseqTime = nextseq, s.frame, s.at
	}
	if (s.seq == fwd.maxSeqToAck || fwd.maxSeqToAck == 0) && !probe {
		fwd.maxSeqToAck = fwd.nextseq
	}
	fwd.window = s.window
	fwd.lastack = s.ack
	fwd.lastackTime = s.at
	fwd.lastFlags = flags
	if s.ackf && !s.syn {
		fwd.sawFirstAck = true
	}
	return flags, dupNum, dupFrame
}

// oooThreshold is how soon after the highest segment an older one counts
// as out of order rather than retransmitted: the handshake's round trip,
// or 3 ms when it is unknown.
func oooThreshold(firstRTT time.Duration) time.Duration {
	if firstRTT == 0 {
		return 3 * time.Millisecond
	}
	return firstRTT
}

// analysisPrefix appends the Info column's "[TCP ...]" marks in the order
// tshark shows them.
func analysisPrefix(buf []byte, t *TCP) []byte {
	f := t.Analysis
	if f == 0 {
		return buf
	}
	mark := func(bit uint32, text string) {
		if f&bit != 0 {
			buf = append(buf, text...)
		}
	}
	// tshark prepends each mark, group by group, so the last group
	// written comes first.
	mark(AnalysisZeroWindowProbeAck, "[TCP ZeroWindowProbeAck] ")
	mark(AnalysisZeroWindow, "[TCP ZeroWindow] ")
	mark(AnalysisZeroWindowProbe, "[TCP ZeroWindowProbe] ")
	if f&AnalysisDupAck != 0 {
		buf = append(buf, "[TCP Dup ACK "...)
		buf = strconv.AppendInt(buf, int64(t.DupAckFrame), 10)
		buf = append(buf, '#')
		buf = strconv.AppendInt(buf, int64(t.DupAckNum), 10)
		buf = append(buf, "] "...)
	}
	mark(AnalysisKeepAliveAck, "[TCP Keep-Alive ACK] ")
	mark(AnalysisKeepAlive, "[TCP Keep-Alive] ")
	mark(AnalysisWindowFull, "[TCP Window Full] ")
	mark(AnalysisWindowUpdate, "[TCP Window Update] ")
	mark(AnalysisAckedUnseen, "[TCP ACKed unseen segment] ")
	mark(AnalysisLostSegment, "[TCP Previous segment not captured] ")
	mark(AnalysisOutOfOrder, "[TCP Out-Of-Order] ")
	mark(AnalysisSpuriousRetransmission, "[TCP Spurious Retransmission] ")
	mark(AnalysisFastRetransmission, "[TCP Fast Retransmission] ")
	mark(AnalysisRetransmission, "[TCP Retransmission] ")
	return buf
}
