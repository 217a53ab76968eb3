package quiz_test

import (
	"bytes"
	"strings"
	"testing"

	"wiretutor/engine/course/quiz"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/testkit/testenv"
)

// TestStateQuestion: a state question names its frame and no field, and
// expects the state the state machine gives that end after the frame.
func TestStateQuestion(t *testing.T) {
	c := labCapture(t)
	tests := []struct {
		frame  int
		client bool
		want   string
	}{
		{8, true, "FIN_WAIT1"}, {8, false, "CLOSE_WAIT"}, {9, false, "LAST_ACK"}, {10, true, "TIME_WAIT"}, {10, false, "CLOSED"},
	}
	for _, tt := range tests {
		q, ok := quiz.StateQuestion(c, c.Conn, tt.frame-1, tt.client, texts{}, "x", nil)
		if !ok {
			t.Fatalf("frame %d: no question", tt.frame)
		}
		if q.Kind != quiz.StateKind || q.Answer != quiz.KindState || q.Field != "" || q.Frame != tt.frame || q.Expect != tt.want || q.Shown != tt.want {
			t.Errorf("frame %d client %v: %+v, want %s", tt.frame, tt.client, q, tt.want)
		}
		if !strings.Contains(q.Prompt, `"State":"`+tt.want+`"`) || !strings.HasPrefix(q.Prompt, "quiz.x.prompt") {
			t.Errorf("the wording gets no State: %s", q.Prompt)
		}
	}
	if _, ok := quiz.StateQuestion(c, c.Conn, len(c.Packets), true, texts{}, "x", nil); ok {
		t.Error("a question about a frame the capture lacks")
	}
	udp := len(c.Packets) - 1 // a datagram: no frame of the connection
	if _, ok := quiz.StateQuestion(c, c.Conn, udp, true, texts{}, "x", nil); ok {
		t.Error("a question about a frame of another conversation")
	}
}

func TestCheckState(t *testing.T) {
	q := &quiz.Question{Answer: quiz.KindState, Expect: "FIN_WAIT1"}
	for _, a := range []string{"FIN_WAIT1", "fin_wait1", "fin wait 1", "FIN-WAIT-1", " Fin_Wait_1 "} {
		if !q.Check(a) {
			t.Errorf("%q is FIN_WAIT1", a)
		}
	}
	for _, a := range []string{"FIN_WAIT2", "FIN", "", "TIME_WAIT", "1"} {
		if q.Check(a) {
			t.Errorf("%q is not FIN_WAIT1", a)
		}
	}
	if q := (&quiz.Question{Answer: quiz.KindState, Expect: "SYN_RECV"}); !q.Check("syn-received") {
		t.Error("the RFC's SYN-RECEIVED is SYN_RECV")
	}
}

// TestStateRetry: a wrong state gets what the asked end had sent and
// received by then, or the list of states when it is none; the hint
// names the frame but no field.
func TestStateRetry(t *testing.T) {
	c := labCapture(t)
	tests := []struct {
		frame  int
		client bool
		given  string
		want   []string
	}{
		{8, true, "CLOSE_WAIT", []string{"quiz.state.fin_unacked", "quiz.state.peer_none", `word.client null`}},
		{8, false, "FIN_WAIT1", []string{"quiz.state.fin_none", "quiz.state.peer_got", `word.client_of`}},
		{10, true, "CLOSED", []string{"quiz.state.fin_acked", "quiz.state.peer_got"}},
		{8, true, "bye", []string{"quiz.state.not_state", `bye`}},
	}
	for _, tt := range tests {
		q, _ := quiz.StateQuestion(c, c.Conn, tt.frame-1, tt.client, texts{}, "x", nil)
		got := q.Retry(texts{}, tt.given)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("frame %d, %q: the hint %s lacks %s", tt.frame, tt.given, got, w)
			}
		}
		if !strings.Contains(got, "quiz.state.hint") || strings.Contains(got, "quiz.hint ") {
			t.Errorf("frame %d: where to look: %s", tt.frame, got)
		}
		q.Predict = true
		if got := q.Retry(texts{}, tt.given); strings.Contains(got, "quiz.state.hint") || !strings.Contains(got, "quiz.retry.rule") {
			t.Errorf("a prediction's hint points at the capture: %s", got)
		}
	}
}

// TestStateReset: after a RST the hint says so.
func TestStateReset(t *testing.T) {
	pkts := testenv.Packets(t, "echo-lab.pcap")[:8]
	pkts[7].TCP.Flags = 0x14 // RST, ACK
	c := &quiz.Capture{Packets: pkts, Conn: stream.TCPConns(pkts)[0]}
	q, ok := quiz.StateQuestion(c, c.Conn, 7, false, texts{}, "x", nil)
	if !ok || q.Expect != "CLOSED" {
		t.Fatalf("%v %+v", ok, q)
	}
	if got := q.Retry(texts{}, "TIME_WAIT"); !strings.Contains(got, "quiz.state.reset") {
		t.Errorf("the hint after a reset: %s", got)
	}
}

// TestRunState: asked and answered like any question, the second try
// right after a hint computed from the capture.
func TestRunState(t *testing.T) {
	c := labCapture(t)
	q, _ := quiz.StateQuestion(c, c.Conn, 7, false, texts{}, "x", nil)
	var out bytes.Buffer
	res, err := quiz.Run([]*quiz.Question{q}, &quiz.Script{Answers: []string{"fin_wait1", "close wait"}}, &out, wordTexts{}, quiz.Style{})
	if err != nil || res.Correct != 0 || res.Second != 1 || !strings.Contains(out.String(), "quiz.state.fin_none") {
		t.Errorf("%+v %v\n%s", res, err, out.String())
	}
}
