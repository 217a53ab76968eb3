package lessons

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/servers/files"
)

// The loss lesson's three file servers, one per loss: a connection to
// the first loses its SYN twice; one to the second loses its request and
// the last ACK of its close; the third sends a file in a window of
// segments, one of which is lost.
const (
	lossSYNPort   = 9001
	lossPort      = 9002
	lossBulkPort  = files.DefaultPort
	lossNote      = "note.txt"
	lossBulk      = "window.bin"
	lossBulkSize  = 40 * 1420
	lossSYNs      = 2 // SYNs lost before one gets through
	lossBulkIndex = 3 // the data segment of the window that is lost
)

// loss runs two file transfers through a sandbox link that loses
// chosen segments: see lossRules.
func loss() course.Script {
	return course.Script{
		Run:    lossExchange,
		Done:   lossDone,
		Focus:  firstHandshake,
		Facts:  lossFacts,
		Impair: lossRules,
	}
}

// lossRules are the segments the lesson loses, each once per connection
// (so that the exchange run again loses the same): on a connection to
// lossSYNPort, its first lossSYNs SYNs; to lossPort, its request and the
// server's ACK of the client's FIN; to lossBulkPort, the server's
// lossBulkIndex-th data segment (its reply line is the first).
func lossRules() []netenv.Rule {
	type conn = uint16 // the client's port
	syns, asked, acked := map[conn]int{}, map[conn]bool{}, map[conn]bool{}
	fin := map[conn]uint32{} // the client's FIN's sequence number + 1
	data := map[conn]int{}
	return []netenv.Rule{
		{Name: "syn", Drop: func(s netenv.Segment) bool {
			if s.Dst.Port() != lossSYNPort || s.Flags&(netenv.SegSYN|netenv.SegACK) != netenv.SegSYN {
				return false
			}
			syns[s.Src.Port()]++
			return syns[s.Src.Port()] <= lossSYNs
		}},
		{Name: "request", Drop: func(s netenv.Segment) bool {
			c := s.Src.Port()
			if s.Dst.Port() != lossPort || s.Len == 0 || asked[c] {
				return false
			}
			asked[c] = true
			return true
		}},
		{Name: "last-ack", Drop: func(s netenv.Segment) bool {
			switch {
			case s.Dst.Port() == lossPort && s.Flags&netenv.SegFIN != 0:
				fin[s.Src.Port()] = s.Seq + uint32(s.Len) + 1
			case s.Src.Port() == lossPort && s.Flags&(netenv.SegFIN|netenv.SegSYN) == 0 && s.Len == 0:
				c := s.Dst.Port()
				if f, ok := fin[c]; ok && s.Ack == f && !acked[c] {
					acked[c] = true
					return true
				}
			}
			return false
		}},
		{Name: "window", Drop: func(s netenv.Segment) bool {
			if s.Src.Port() != lossBulkPort || s.Len == 0 {
				return false
			}
			c := s.Dst.Port()
			data[c]++
			return data[c] == lossBulkIndex
		}},
	}
}

func lossExchange(ctx context.Context, n netenv.Net, h course.Hooks) error {
	dir, err := os.MkdirTemp("", "wiretutor-loss-")
	if err != nil {
		return fmt.Errorf("make the folder to serve: %w", err)
	}
	defer os.RemoveAll(dir)
	bulk := transferFile()[:lossBulkSize]
	note := []byte("Every lost segment is sent again.\n")
	for name, b := range map[string][]byte{lossNote: note, lossBulk: bulk} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return fmt.Errorf("write the file to serve: %w", err)
		}
	}
	var srvs []*files.Server
	defer func() {
		for _, s := range srvs {
			s.Close()
		}
	}()
	// What went wrong on the servers' side, should a transfer fail: the
	// client alone sees only that it did.
	var mu sync.Mutex
	var failed []error
	onEvent := func(e files.Event) {
		if e.Kind == files.Failed {
			mu.Lock()
			failed = append(failed, e.Err)
			mu.Unlock()
		}
	}
	serverSide := func(err error) error {
		if err == nil {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if len(failed) > 0 {
			return fmt.Errorf("%w (the server: %w)", err, errors.Join(failed...))
		}
		return err
	}
	for _, port := range []int{lossSYNPort, lossPort, lossBulkPort} {
		s := &files.Server{Net: n, Port: port, Dir: dir, ReadOnly: true, OnEvent: onEvent}
		if err := s.Start(ctx); err != nil {
			return err
		}
		srvs = append(srvs, s)
	}
	if err := h.Ready(course.Ports{TCP: []int{lossSYNPort, lossPort, lossBulkPort}}); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// 1. Lost SYNs.
	if err := lossFetch(ctx, n, srvs[0].Addr().String(), lossNote, note, netenv.Tuning{}); err != nil {
		return serverSide(err)
	}
	// 2. A lost request, and a lost last ACK.
	if err := lossFetch(ctx, n, srvs[1].Addr().String(), lossNote, note, netenv.Tuning{}); err != nil {
		return serverSide(err)
	}
	// 3. A segment lost in the middle of a window of them.
	return serverSide(lossFetch(ctx, n, srvs[2].Addr().String(), lossBulk, bulk, netenv.Tuning{MaxSeg: transferMSS, RecvBuffer: 1 << 20}))
}

// lossFetch gets name from the file server at addr and checks it is
// want; the server closes first, the client after it.
func lossFetch(ctx context.Context, n netenv.Net, addr, name string, want []byte, t netenv.Tuning) error {
	c, err := dialFiles(ctx, n, addr, t)
	if err != nil {
		return err
	}
	defer c.Close()
	size, body, err := files.Open(c, name)
	if err != nil {
		return fmt.Errorf("ask for %s: %w", name, err)
	}
	got, err := io.ReadAll(body)
	if err != nil || size != int64(len(want)) || string(got) != string(want) {
		return fmt.Errorf("%s arrived as %d of %d bytes: %v", name, len(got), len(want), err)
	}
	io.Copy(io.Discard, c) // the server's FIN
	return nil
}

// lossDone: the capture is over once the bulk connection has closed and
// the first connection's client has sent its FIN again (its last ACK
// lost) and had it acknowledged.
func lossDone(pkts []dissect.Packet) bool {
	note, bulk := false, false
	for _, c := range stream.TCPConns(pkts) {
		switch c.Server.Port() {
		case lossPort:
			note = finResentAcked(pkts, c) >= 0
		case lossBulkPort:
			bulk = connClosed(pkts, c)
		}
	}
	return note && bulk
}

// finResentAcked is the index of the server's ACK of the client's FIN
// sent again, or -1.
func finResentAcked(pkts []dissect.Packet, c *stream.Conn) int {
	fins := 0
	var fin *dissect.Packet
	for _, i := range c.Frames {
		p := &pkts[i]
		switch {
		case c.FromClient(p) && p.TCP.Has(dissect.FlagFIN):
			fins++
			fin = p
		case fins >= 2 && !c.FromClient(p) && p.TCP.Has(dissect.FlagACK) && p.TCP.Ack == fin.TCP.NextSeq:
			return i
		}
	}
	return -1
}

// lossFacts are the live values the lesson's text shows.
func lossFacts(c *quiz.Capture, tx quiz.Texts) map[string]any {
	return map[string]any{"SYNPort": lossSYNPort, "Port": lossPort, "BulkPort": lossBulkPort, "LostSYNs": lossSYNs}
}

// lossConn is the lesson's connection to port, or nil.
func lossConn(c *quiz.Capture, port uint16) *stream.Conn {
	for _, conn := range stream.TCPConns(c.Packets) {
		if conn.Server.Port() == port {
			return conn
		}
	}
	return nil
}

// resent lists the retransmissions the client (client true) or the
// server of conn sent, as packet indexes.
func resent(c *quiz.Capture, conn *stream.Conn, client bool) []int {
	var out []int
	for _, i := range conn.Frames {
		p := &c.Packets[i]
		if conn.FromClient(p) == client && p.TCP.Analysis&(dissect.AnalysisRetransmission|dissect.AnalysisFastRetransmission) != 0 {
			out = append(out, i)
		}
	}
	return out
}

// lossSYNBackoff asks, before the capture is shown, when the third SYN
// leaves: one second after the first, then twice that after the second,
// which tshark times from the first (tcp.analysis.rto).
func lossSYNBackoff(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	conn := lossConn(c, lossSYNPort)
	if conn == nil {
		return nil, false
	}
	var syns []int
	for _, i := range resent(c, conn, true) {
		if c.Packets[i].TCP.Has(dissect.FlagSYN) {
			syns = append(syns, i)
		}
	}
	if len(syns) < 2 || c.Packets[syns[1]].TCP.Track.RTOFrame == 0 {
		return nil, false
	}
	p := &c.Packets[syns[1]]
	first, second := c.Packets[syns[0]].TCP.Track.RTO, p.TCP.Track.RTO-c.Packets[syns[0]].TCP.Track.RTO
	d := map[string]any{"Frame": p.Number, "First": fmt.Sprintf("%.1f", first.Seconds()), "Second": fmt.Sprintf("%.1f", second.Seconds()),
		"Total": fmt.Sprintf("%.1f", p.TCP.Track.RTO.Seconds()), "Port": lossSYNPort}
	return quiz.FieldQuestion("loss-syn-backoff", p, "tcp.analysis.rto", quiz.KindSeconds, tx, "loss_syn_backoff", d), true
}

// lossRTO asks how long the client waited before it sent its lost
// request again: the retransmission timeout, which tshark shows on the
// copy (tcp.analysis.rto).
func lossRTO(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	conn := lossConn(c, lossPort)
	if conn == nil {
		return nil, false
	}
	for _, i := range resent(c, conn, true) {
		p := &c.Packets[i]
		if p.TCP.Len > 0 && p.TCP.Track.RTOFrame != 0 {
			d := map[string]any{"Frame": p.Number, "First": p.TCP.Track.RTOFrame, "Port": lossPort,
				"RTO": fmt.Sprintf("%.3f", p.TCP.Track.RTO.Seconds()), "IRTT": fmt.Sprintf("%.3f", p.TCP.Track.IRTT.Seconds()*1000)}
			return quiz.FieldQuestion("loss-rto", p, "tcp.analysis.rto", quiz.KindSeconds, tx, "loss_rto", d), true
		}
	}
	return nil, false
}

// fastResent is the index of the server's fast retransmission on the
// bulk connection, and the last duplicate ACK before it; -1 when none.
func fastResent(c *quiz.Capture) (fast, lastDup int, conn *stream.Conn) {
	conn = lossConn(c, lossBulkPort)
	if conn == nil {
		return -1, -1, nil
	}
	lastDup = -1
	for _, i := range conn.Frames {
		p := &c.Packets[i]
		switch {
		case conn.FromClient(p) && p.TCP.DupAckNum > 0:
			lastDup = i
		case !conn.FromClient(p) && p.TCP.Analysis&dissect.AnalysisFastRetransmission != 0 && lastDup >= 0:
			return i, lastDup, conn
		}
	}
	return -1, -1, conn
}

// lossDupAcks asks how many duplicate ACKs came before the fast
// retransmission.
func lossDupAcks(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	fast, dup, _ := fastResent(c)
	if fast < 0 {
		return nil, false
	}
	p, f := &c.Packets[dup], &c.Packets[fast]
	d := map[string]any{"Frame": p.Number, "FastFrame": f.Number, "Seq": f.TCP.Seq, "Count": p.TCP.DupAckNum, "First": p.TCP.DupAckFrame}
	return quiz.FieldQuestion("loss-dup-acks", p, "tcp.analysis.duplicate_ack_num", quiz.KindNumber, tx, "loss_dup_acks", d), true
}

// lossSACK asks, before the capture is shown, where the first SACK block
// after the lost segment starts: at the end of the lost segment, where
// the next one, which did arrive, begins.
func lossSACK(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	fast, _, conn := fastResent(c)
	if fast < 0 {
		return nil, false
	}
	lost := &c.Packets[fast]
	for _, i := range conn.Frames {
		p := &c.Packets[i]
		if i >= fast || !conn.FromClient(p) || p.TCP.Ack != lost.TCP.Seq {
			continue
		}
		for _, o := range p.TCP.Options {
			if o.Kind == dissect.OptSACK && len(o.Blocks) >= 2 && o.Blocks[0] == lost.TCP.NextSeq {
				d := map[string]any{"Frame": p.Number, "Seq": lost.TCP.Seq, "Len": lost.TCP.Len, "End": lost.TCP.NextSeq, "Re": o.Blocks[1]}
				return quiz.FieldQuestion("loss-sack", p, "tcp.options.sack_le", quiz.KindNumber, tx, "loss_sack", d), true
			}
		}
	}
	return nil, false
}

// lossLastACK asks, before the capture is shown, what the client sends
// again when the ACK of its FIN is lost: its FIN.
func lossLastACK(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	conn := lossConn(c, lossPort)
	if conn == nil {
		return nil, false
	}
	for _, i := range resent(c, conn, true) {
		if p := &c.Packets[i]; p.TCP.Has(dissect.FlagFIN) {
			d := map[string]any{"Frame": p.Number, "Port": lossPort, "Flags": quiz.FlagsText(p.TCP.Flags)}
			return quiz.FieldQuestion("loss-last-ack", p, "tcp.flags", quiz.KindFlags, tx, "loss_last_ack", d), true
		}
	}
	return nil, false
}
