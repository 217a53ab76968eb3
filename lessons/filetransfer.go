package lessons

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/servers/files"
)

// The file-transfer lesson's transfer: the file, the MSS the client
// announces (Ethernet's, as the labs' networks have), and the receive
// buffer of its slow reader, small so that its window closes.
const (
	transferName   = "lab-notes.txt"
	transferSize   = 1 << 20
	transferMSS    = 1460
	transferBuffer = 32768
	// transferStall is how long the reader waits before it reads at all:
	// long enough for the server to fill the window and for a probe.
	transferStall = 400 * time.Millisecond
	// transferChunk and transferPause are the slow reader's pace.
	transferChunk = 16 << 10
	transferPause = 2 * time.Millisecond
)

// transferFile is the file served: numbered lines of text, so that
// Follow TCP Stream reads it and any byte says where it is.
func transferFile() []byte {
	var b bytes.Buffer
	b.Grow(transferSize)
	for i := 1; b.Len() < transferSize; i++ {
		fmt.Fprintf(&b, "line %06d of the lab notes: every byte of this file crosses one TCP connection\n", i)
	}
	return b.Bytes()[:transferSize]
}

// fileTransfer serves a file of a megabyte and fetches it with a client
// that announces an Ethernet MSS and reads slowly through a small
// buffer: full segments, cumulative ACKs, a window that closes and
// opens again.
func fileTransfer() course.Script {
	return course.Script{
		Run:   fileTransferExchange,
		Done:  closedConn,
		Focus: firstHandshake,
		Facts: transferFacts,
	}
}

func fileTransferExchange(ctx context.Context, n netenv.Net, h course.Hooks) error {
	dir, err := os.MkdirTemp("", "wiretutor-files-")
	if err != nil {
		return fmt.Errorf("make the folder to serve: %w", err)
	}
	defer os.RemoveAll(dir)
	data := transferFile()
	if err := os.WriteFile(filepath.Join(dir, transferName), data, 0o600); err != nil {
		return fmt.Errorf("write the file to serve: %w", err)
	}
	srv := &files.Server{Net: n, Port: files.DefaultPort, Dir: dir, ReadOnly: true}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	defer srv.Close()
	if err := h.Ready(course.Ports{TCP: []int{files.DefaultPort}}); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, err := dialFiles(ctx, n, srv.Addr().String(), netenv.Tuning{MaxSeg: transferMSS, RecvBuffer: transferBuffer})
	if err != nil {
		return err
	}
	defer c.Close()
	size, body, err := files.Open(c, transferName)
	if err != nil {
		return fmt.Errorf("ask for %s: %w", transferName, err)
	}
	if size != int64(len(data)) {
		return fmt.Errorf("the server announced %d bytes of %s, not %d", size, transferName, len(data))
	}
	time.Sleep(transferStall) // the reader is busy: the window fills and closes
	got := make([]byte, 0, len(data))
	buf := make([]byte, transferChunk)
	for {
		k, err := body.Read(buf)
		got = append(got, buf[:k]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read %s after %d bytes: %w", transferName, len(got), err)
		}
		time.Sleep(transferPause)
	}
	if !bytes.Equal(got, data) {
		return fmt.Errorf("%s arrived changed: %s bytes differ", transferName, strconv.Itoa(len(got)))
	}
	return nil
}

// dialFiles connects a lesson's client to a file server, tuned as t
// says where the network can tune a client before its SYN (else its
// receive buffer is set after the connect), with ctx's deadline on
// every read and write.
func dialFiles(ctx context.Context, n netenv.Net, addr string, t netenv.Tuning) (net.Conn, error) {
	var c net.Conn
	var err error
	if td, ok := n.(netenv.TunedDialer); ok && t != (netenv.Tuning{}) {
		c, err = td.DialTuned(ctx, addr, t)
	} else {
		c, err = n.Dial(ctx, "tcp", addr)
		if tc, ok := c.(*net.TCPConn); ok && t.RecvBuffer > 0 {
			tc.SetReadBuffer(t.RecvBuffer)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("connect to the file server: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	return c, nil
}

// fullLen is the payload of a full segment of the server's: the
// longest that is no longer than the MSS.
func fullLen(c *quiz.Capture, t transferSegs) int {
	full := 0
	for _, i := range t.data {
		if l := c.Packets[i].TCP.Len; l <= transferMSS {
			full = max(full, l)
		}
	}
	return full
}

// transferSegs are the data segments of the server and the ACKs of the
// client, in the lesson's connection, as packet indexes.
type transferSegs struct {
	data, acks []int
}

func transferSides(c *quiz.Capture) (transferSegs, bool) {
	var t transferSegs
	if c.Conn == nil {
		return t, false
	}
	for _, i := range c.Conn.Frames {
		p := &c.Packets[i]
		switch {
		case !c.Conn.FromClient(p) && p.TCP.Len > 0:
			t.data = append(t.data, i)
		case c.Conn.FromClient(p) && p.TCP.Has(dissect.FlagACK) && p.TCP.Len == 0 && !p.TCP.Has(dissect.FlagSYN|dissect.FlagFIN):
			t.acks = append(t.acks, i)
		}
	}
	return t, len(t.data) > 0 && len(t.acks) > 0
}

// transferFacts are the live values the lesson's text shows: what was
// sent, the MSS, the size of a full segment and whether the capture's
// segments are longer than the MSS (the kernel's GSO). None is the
// answer to a question.
func transferFacts(c *quiz.Capture, tx quiz.Texts) map[string]any {
	f := map[string]any{"File": transferName, "Size": transferSize, "MSS": transferMSS, "Port": files.DefaultPort,
		"Seen": false, "GSO": false}
	t, ok := transferSides(c)
	if !ok {
		return f
	}
	longest, full := 0, fullLen(c, t)
	for _, i := range t.data {
		longest = max(longest, c.Packets[i].TCP.Len)
	}
	f["Seen"], f["Segments"], f["Acks"] = true, len(t.data), len(t.acks)
	f["Full"], f["Reserved"] = full, transferMSS-full
	if longest > transferMSS {
		f["GSO"], f["Longest"], f["Times"] = true, longest, fmt.Sprintf("%.1f", float64(longest)/float64(full))
	}
	return f
}

// transferCumulativeAck asks, before the capture is shown, for the Ack
// of the client's ACK that covers the most segments of the server at
// once: the sum the learner does is Seq + Len of the last of them.
func transferCumulativeAck(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	t, ok := transferSides(c)
	if !ok {
		return nil, false
	}
	best, bestN, prev := -1, 1, uint32(0)
	var from, to int
	for _, a := range t.acks {
		ack := c.Packets[a].TCP.Ack
		n, first, last := 0, -1, -1
		for _, d := range t.data {
			p := &c.Packets[d]
			if d < a && int32(p.TCP.Seq-prev) >= 0 && int32(p.TCP.NextSeq-ack) <= 0 && p.TCP.Analysis == 0 {
				n++
				if first < 0 {
					first = d
				}
				last = d
			}
		}
		if n > bestN && last >= 0 && c.Packets[last].TCP.NextSeq == ack {
			best, bestN, from, to = a, n, first, last
		}
		prev = ack
	}
	if best < 0 {
		return nil, false
	}
	p, f, l := &c.Packets[best], &c.Packets[from], &c.Packets[to]
	d := map[string]any{"Frame": p.Number, "Count": bestN, "First": f.Number, "FirstSeq": f.TCP.Seq, "Last": l.Number,
		"LastSeq": l.TCP.Seq, "LastLen": l.TCP.Len, "Ack": p.TCP.Ack}
	return quiz.FieldQuestion("transfer-cumulative-ack", p, "tcp.ack", quiz.KindNumber, tx, "transfer_cumulative_ack", d), true
}

// transferSegmentSeq asks, before the capture is shown, where the K-th
// segment of a burst of full ones starts: K−1 full segments after the
// first, at this MSS. The burst is the longest run of the server's
// segments that are all full (and none sent again); a capture with no
// run of four (the kernel's loopback, whose segments are many MSS long)
// gets no such question.
func transferSegmentSeq(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	t, ok := transferSides(c)
	if !ok {
		return nil, false
	}
	full := fullLen(c, t)
	best, bestN, start, n := -1, 0, -1, 0
	for k, i := range t.data {
		p := &c.Packets[i]
		if p.TCP.Len == full && p.TCP.Analysis&(dissect.AnalysisRetransmission|dissect.AnalysisFastRetransmission) == 0 &&
			(n == 0 || c.Packets[t.data[k-1]].TCP.NextSeq == p.TCP.Seq) {
			if n == 0 {
				start = k
			}
			n++
			if n > bestN {
				best, bestN = start, n
			}
			continue
		}
		n = 0
	}
	if bestN < 4 {
		return nil, false
	}
	k := min(bestN, 6)
	first, p := &c.Packets[t.data[best]], &c.Packets[t.data[best+k-1]]
	d := map[string]any{"Frame": p.Number, "First": first.Number, "FirstSeq": first.TCP.Seq, "Full": full, "K": k,
		"Before": k - 1, "Bytes": (k - 1) * full, "Seq": p.TCP.Seq, "MSS": transferMSS}
	return quiz.FieldQuestion("transfer-segment-seq", p, "tcp.seq", quiz.KindNumber, tx, "transfer_segment_seq", d), true
}

// transferInFlight asks for the bytes in flight after a data segment
// sent while earlier ones were still unacknowledged: Seq + Len of it
// less the client's latest Ack, which is what tshark counts
// (tcp.analysis.bytes_in_flight).
func transferInFlight(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	t, ok := transferSides(c)
	if !ok {
		return nil, false
	}
	for _, di := range t.data {
		p := &c.Packets[di]
		lastAck := -1
		for _, a := range t.acks {
			if a < di {
				lastAck = a
			}
		}
		if lastAck < 0 || p.TCP.Analysis != 0 {
			continue
		}
		ack := c.Packets[lastAck].TCP.Ack
		flight := p.TCP.NextSeq - ack
		if int(flight) <= p.TCP.Len || p.TCP.Track.InFlight != flight {
			continue
		}
		d := map[string]any{"Frame": p.Number, "Seq": p.TCP.Seq, "Len": p.TCP.Len, "AckFrame": c.Packets[lastAck].Number,
			"Ack": ack, "End": p.TCP.NextSeq, "Flight": flight}
		q := quiz.FieldQuestion("transfer-in-flight", p, "tcp.analysis.bytes_in_flight", quiz.KindNumber, tx, "transfer_in_flight", d)
		// The field is one the packet details show (tshark -V, -T fields
		// -e): the dissector's record of it is the answer.
		q.Expect = strconv.FormatUint(uint64(flight), 10)
		q.Shown = q.Expect
		return q, true
	}
	return nil, false
}

// firstZeroWindow is the index of the client's first ACK that offers
// no window, or -1.
func firstZeroWindow(c *quiz.Capture) int {
	if c.Conn == nil {
		return -1
	}
	for _, i := range c.Conn.Frames {
		if p := &c.Packets[i]; c.Conn.FromClient(p) && p.TCP.Analysis&dissect.AnalysisZeroWindow != 0 {
			return i
		}
	}
	return -1
}

// transferZeroWindow asks which frame first closes the window.
func transferZeroWindow(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i := firstZeroWindow(c)
	if i < 0 {
		return nil, false
	}
	p := &c.Packets[i]
	d := map[string]any{"Frame": p.Number, "Ack": p.TCP.Ack, "Port": p.SrcPort}
	q := quiz.FieldQuestion("transfer-zero-window", p, "frame.number", quiz.KindNumber, tx, "transfer_zero_window", d)
	q.Clue = tx.T("quiz.transfer_zero_window.clue", d)
	return q, true
}

// transferWindowUpdate asks for the window the client's first window
// update after its first zero window offers.
func transferWindowUpdate(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	z := firstZeroWindow(c)
	if z < 0 {
		return nil, false
	}
	for _, i := range c.Conn.Frames {
		p := &c.Packets[i]
		if i > z && c.Conn.FromClient(p) && p.TCP.Analysis&dissect.AnalysisWindowUpdate != 0 {
			d := map[string]any{"Frame": p.Number, "ZeroFrame": c.Packets[z].Number, "Window": p.TCP.Window,
				"Ack": p.TCP.Ack, "Edge": int(p.TCP.Ack) + p.TCP.Window}
			return quiz.FieldQuestion("transfer-window-update", p, "tcp.window_size", quiz.KindNumber, tx, "transfer_window_update", d), true
		}
	}
	return nil, false
}

// transferExtra is how many bytes longer the what-if's file is.
const transferExtra = 1000

// transferWhatIf: had the file been transferExtra bytes longer, the
// client's ACK of the server's FIN would acknowledge that many more.
func transferWhatIf(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	if c.Conn == nil {
		return nil, false
	}
	fin := -1
	for _, i := range c.Conn.Frames {
		if p := &c.Packets[i]; !c.Conn.FromClient(p) && p.TCP.Has(dissect.FlagFIN) {
			fin = i
			break
		}
	}
	if fin < 0 {
		return nil, false
	}
	f := &c.Packets[fin]
	for _, i := range c.Conn.Frames {
		p := &c.Packets[i]
		if i > fin && c.Conn.FromClient(p) && p.TCP.Has(dissect.FlagACK) && p.TCP.Ack == f.TCP.NextSeq {
			// The FIN's own number is the one after the segment's data: it
			// may ride with the file's last bytes (Seq+Len), or alone.
			fs := int64(f.TCP.NextSeq) - 1
			d := map[string]any{"Frame": p.Number, "FinFrame": f.Number, "FinSeq": fs, "Extra": transferExtra,
				"Size": transferSize, "NewFinSeq": fs + transferExtra, "Ack": int64(p.TCP.Ack) + transferExtra}
			q := quiz.FieldQuestion("transfer-what-if", p, "tcp.ack", quiz.KindNumber, tx, "transfer_what_if", d).WhatIf(transferExtra)
			q.Clue = tx.T("quiz.transfer_what_if.clue", d)
			return q, true
		}
	}
	return nil, false
}
