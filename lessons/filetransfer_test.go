package lessons_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
	"wiretutor/lessons/lessontest"
)

// TestFileTransfer runs the file-transfer lesson on each network this
// machine has: the file crosses whole, the window closes and opens, the
// questions the capture allows are asked, and none gives away the
// answer of another: the zero window's frame is asked before any text
// or question names it.
func TestFileTransfer(t *testing.T) {
	for _, netName := range []string{course.NetSandbox, course.NetKernel} {
		t.Run(netName, func(t *testing.T) {
			if netName == course.NetKernel {
				testenv.NeedCapture(t)
			}
			tx, err := i18n.Load(content.FS, "en")
			if err != nil {
				t.Fatal(err)
			}
			nw, err := course.OpenNetwork(netName, course.Want{})
			if err != nil {
				t.Fatal(err)
			}
			defer nw.Close()
			dir := t.TempDir()
			pcap, qj := filepath.Join(dir, "ft.pcapng"), filepath.Join(dir, "ft.json")
			var out bytes.Buffer
			o := course.Options{Lang: "en", Content: content.FS, Net: nw.Net, Capture: nw.Capture, NoInput: true,
				Out: &out, Term: render.Term{Width: 80}, SaveCapture: pcap, QuizJSON: qj}
			l := lessontest.Lesson(t, "file-transfer")
			if _, err := course.RunLesson(context.Background(), l, o, tx); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			var export quiz.Export
			data, _ := os.ReadFile(qj)
			if err := json.Unmarshal(data, &export); err != nil {
				t.Fatal(err)
			}
			kinds := map[string]*quiz.Question{}
			for _, q := range export.Questions {
				kinds[q.Kind] = q
			}
			for _, k := range []string{"transfer-zero-window", "transfer-window-update", "transfer-what-if"} {
				if kinds[k] == nil {
					t.Errorf("no %s question:\n%s", k, data)
				}
			}
			if netName == course.NetSandbox {
				for _, k := range []string{"transfer-segment-seq", "transfer-cumulative-ack", "transfer-in-flight"} {
					if kinds[k] == nil {
						t.Errorf("no %s question in the sandbox:\n%s", k, data)
					}
				}
			}
			text := strings.Join(strings.Fields(out.String()), " ") // the lines unwrapped
			if z := kinds["transfer-zero-window"]; z != nil {
				ask := strings.Index(text, z.Prompt)
				frame := regexpFrame(z.Frame)
				if ask < 0 {
					t.Fatalf("the zero-window question is not in the output:\n%s", text)
				}
				if strings.Contains(text[:ask], frame) {
					t.Errorf("%q is shown before the question that asks for it:\n%s", frame, text[:ask])
				}
			}
			for _, w := range []string{"sequence numbers over", "throughput over time", "| data segment"} {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in the lesson:\n%s", w, text)
				}
			}
			pkts := testenv.PacketsAt(t, pcap)
			var got int
			for i := range pkts {
				again := dissect.AnalysisRetransmission | dissect.AnalysisFastRetransmission | dissect.AnalysisSpuriousRetransmission | dissect.AnalysisKeepAlive
				if pkts[i].SrcPort == 9000 && pkts[i].TCP.Analysis&again == 0 {
					got += pkts[i].TCP.Len
				}
			}
			if want := 1<<20 + len("OK 1048576\n"); got != want {
				t.Errorf("the server's new data is %d bytes, want %d", got, want)
			}
		})
	}
}

// regexpFrame is how the texts name a frame.
func regexpFrame(n int) string { return "frame " + strconv.Itoa(n) }
