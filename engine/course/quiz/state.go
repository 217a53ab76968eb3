package quiz

import (
	"runtime"
	"sync"
	"weak"

	"wiretutor/engine/packet/stream"
)

// KindState: the answer is the name of a TCP state (FIN_WAIT1,
// TIME_WAIT, ...), compared without case and whatever stands between
// its words: "fin wait 1", "FIN-WAIT-1" and "fin_wait1" are all
// FIN_WAIT1, and the RFC's SYN-RECEIVED is SYN_RECV.
//
// A state is no field of a packet, so a state question is the one kind
// tshark does not check: its Kind is "state-after", its Frame the frame
// after which the state is asked, its Field "" and its Expect the
// state's name as the socket table prints it. What checks it is the
// state machine of RFC 9293 run over the capture (stream.Conn.States),
// which the tests hold against the committed captures and against the
// socket table the lesson shows after its exchange (the end that closed
// first in TIME_WAIT, the other gone).
const KindState = "state"

// StateKind is the Kind of a state question.
const StateKind = "state-after"

// stateFacts are what a wrong answer's hint tells: the asked end's
// FINs by then.
type stateFacts struct {
	client bool
	end    stream.End
}

// stateHints holds the facts of each state question made, as long as
// the question lives: a Question has no room for them.
var stateHints sync.Map // weak.Pointer[Question] → stateFacts

// StateQuestion asks which state one end of conn (the client's when
// client is true) is in after the frame of packet index i, worded by
// quiz.ID.prompt, quiz.ID.why and, where it exists, quiz.ID.predict
// with the data d, to which it adds Frame, State, Side and Peer (the
// end asked about and the other, as word.client or word.server). It
// reports false when conn has no such frame.
func StateQuestion(c *Capture, conn *stream.Conn, i int, client bool, tx Texts, id string, d map[string]any) (*Question, bool) {
	if conn == nil || i < 0 || i >= len(c.Packets) {
		return nil, false
	}
	var step *stream.Step
	steps := conn.States(c.Packets)
	for k := range steps {
		if steps[k].Index == i {
			step = &steps[k]
		}
	}
	if step == nil {
		return nil, false
	}
	p := &c.Packets[i]
	end := *step.End(client)
	if d == nil {
		d = map[string]any{}
	}
	side, peer := tx.T("word.server", nil), tx.T("word.client", nil)
	if client {
		side, peer = peer, side
	}
	d = with(d, "Frame", p.Number, "State", string(end.State), "Side", side, "Peer", peer)
	q := &Question{Kind: StateKind, Frame: p.Number, Field: "", Expect: string(end.State), Answer: KindState,
		Shown: string(end.State), Prompt: tx.T("quiz."+id+".prompt", d), Explain: tx.T("quiz."+id+".why", d)}
	if l, ok := tx.(Lookup); ok && l.Has("quiz."+id+".predict") {
		q.Predicted = tx.T("quiz."+id+".predict", d)
	}
	key := weak.Make(q)
	stateHints.Store(key, stateFacts{client: client, end: end})
	runtime.AddCleanup(q, func(key weak.Pointer[Question]) { stateHints.Delete(key) }, key)
	return q, true
}

// checkState reports whether answer names the state q expects.
func (q *Question) checkState(answer string) bool {
	got, ok := stream.ParseState(answer)
	want, ok2 := stream.ParseState(q.Expect)
	return ok && ok2 && got == want
}

// stateHint says where to look for a state: up to the frame, who sent
// a FIN and whose was acknowledged.
func (q *Question) stateHint(tx Texts) string {
	return tx.T("quiz.state.hint", map[string]any{"Frame": q.Frame})
}

// stateRetry is what a wrong state answer is told, computed from the
// capture: that the answer is no state at all, or the asked end's FINs
// by then, which the state follows from.
func (q *Question) stateRetry(tx Texts, given string) string {
	if _, ok := stream.ParseState(given); !ok {
		return tx.T("quiz.state.not_state", map[string]any{"Given": given})
	}
	v, ok := stateHints.Load(weak.Make(q))
	if !ok {
		return ""
	}
	f := v.(stateFacts)
	side, peerOf := tx.T("word.server", nil), tx.T("word.client_of", nil)
	if f.client {
		side, peerOf = tx.T("word.client", nil), tx.T("word.server_of", nil)
	}
	d := map[string]any{"Side": side, "PeerOf": peerOf}
	if f.end.Reset >= 0 {
		return tx.T("quiz.state.reset", d)
	}
	own := "quiz.state.fin_none"
	switch {
	case f.end.FIN >= 0 && f.end.FINAcked >= 0:
		own = "quiz.state.fin_acked"
	case f.end.FIN >= 0:
		own = "quiz.state.fin_unacked"
	}
	got := "quiz.state.peer_none"
	if f.end.PeerFIN >= 0 {
		got = "quiz.state.peer_got"
	}
	return tx.T("quiz.state.facts", map[string]any{"Own": tx.T(own, d), "Peer": tx.T(got, d)})
}
