package lessons_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
	"wiretutor/lessons/lessontest"
)

// TestLossLesson runs the loss lesson twice on one sandbox, as a learner
// who repeats the exchange does: each run loses the same segments again
// (the rules count per connection), and each capture holds the two SYNs
// sent again, the request and the FIN sent again by the timer, and the
// fast retransmission after duplicate ACKs with SACK; all five
// questions are asked.
func TestLossLesson(t *testing.T) {
	tx, err := i18n.Load(content.FS, "en")
	if err != nil {
		t.Fatal(err)
	}
	l := lessontest.Lesson(t, "loss")
	if l.Impair == nil {
		t.Fatal("the loss lesson loses nothing")
	}
	nw, err := course.OpenNetwork(course.NetAuto, course.Want{Imp: netenv.Impairment{Rules: l.Impair()}})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	if nw.Reason != course.NetAutoLesson {
		t.Fatalf("auto took %v, want the sandbox for the lesson's losses", nw.Reason)
	}
	for run := 1; run <= 2; run++ {
		dir := t.TempDir()
		pcap, qj := filepath.Join(dir, "loss.pcapng"), filepath.Join(dir, "loss.json")
		var out bytes.Buffer
		o := course.Options{Lang: "en", Content: content.FS, Net: nw.Net, Capture: nw.Capture, NoInput: true,
			Out: &out, Term: render.Term{Width: 80}, SaveCapture: pcap, QuizJSON: qj}
		if _, err := course.RunLesson(context.Background(), l, o, tx); err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, out.String())
		}
		pkts := testenv.PacketsAt(t, pcap)
		var syn, fast, finAgain, dataAgain, sack int
		for i := range pkts {
			p := &pkts[i].TCP
			switch again := p.Analysis&dissect.AnalysisRetransmission != 0; {
			case again && p.Has(dissect.FlagSYN):
				syn++
			case again && p.Has(dissect.FlagFIN):
				finAgain++
			case again && p.Len > 0:
				dataAgain++
			case p.Analysis&dissect.AnalysisFastRetransmission != 0:
				fast++
			}
			for _, op := range p.Options {
				if op.Kind == dissect.OptSACK {
					sack++
				}
			}
		}
		// A timer that fires late on a busy machine may send a copy once
		// more; what was lost is sent again at least once.
		if syn < 2 || finAgain < 1 || dataAgain < 1 || fast != 1 || sack < 3 {
			t.Errorf("run %d: %d SYNs, %d FINs and %d requests sent again, %d fast retransmissions, %d ACKs with SACK; want at least 2, 1 and 1, then 1, and 3 or more",
				run, syn, finAgain, dataAgain, fast, sack)
		}
		var export quiz.Export
		data, _ := os.ReadFile(qj)
		if err := json.Unmarshal(data, &export); err != nil {
			t.Fatal(err)
		}
		kinds := map[string]bool{}
		for _, q := range export.Questions {
			kinds[q.Kind] = true
		}
		for _, k := range []string{"loss-syn-backoff", "loss-rto", "loss-dup-acks", "loss-sack", "loss-last-ack"} {
			if !kinds[k] {
				t.Errorf("run %d: no %s question:\n%s", run, k, data)
			}
		}
	}
}
