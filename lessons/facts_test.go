package lessons_test

import (
	"fmt"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/lessons"
	"wiretutor/lessons/lessontest"
)

// TestFactsComeFromTheCapture: the ports a lesson's text states are the
// capture's, not the lab's constants: a committed capture with its ports
// moved must move them in the facts too.
func TestFactsComeFromTheCapture(t *testing.T) {
	tests := []struct {
		capture, lesson string
		move            map[uint16]uint16
		want            map[string]any
	}{
		{"echo-lab.pcap", "udp-echo", map[uint16]uint16{10001: 20001}, map[string]any{"ServerPort": 20001, "Requests": 1}},
		{"echo-lab.pcap", "filters", map[uint16]uint16{10000: 20000, 10001: 20001}, map[string]any{"TCPPort": 20000, "UDPPort": 20001}},
		{"echo-lab.pcap", "sockets", map[uint16]uint16{10000: 20000}, map[string]any{"ReceiverPort": 20000, "Message": "hello server"}},
		{"echo-lab.pcap", "tcp-handshake", map[uint16]uint16{10000: 20000}, map[string]any{"ServerPort": 20000, "Message": "hello server"}},
		{"http-api.pcap", "http-api-token", map[uint16]uint16{8080: 18080}, map[string]any{"Port": 18080}},
		{"icmp-unreach.pcap", "ping", map[uint16]uint16{9: 33999}, map[string]any{"ClosedPort": 33999}},
	}
	for _, tt := range tests {
		t.Run(tt.lesson, func(t *testing.T) {
			pkts := testenv.Packets(t, tt.capture)
			for i := range pkts {
				p := &pkts[i]
				if to, ok := tt.move[p.SrcPort]; ok {
					p.SrcPort = to
				}
				if to, ok := tt.move[p.DstPort]; ok {
					p.DstPort = to
				}
			}
			l := lessontest.Lesson(t, tt.lesson)
			c := &quiz.Capture{Packets: pkts}
			if conns := stream.TCPConns(pkts); l.Focus != nil {
				c.Conn = l.Focus(conns)
			}
			tx, err := i18n.Load(content.FS, "en")
			if err != nil {
				t.Fatal(err)
			}
			f := l.Facts(c, tx)
			for k, want := range tt.want {
				if got := fmt.Sprint(f[k]); got != fmt.Sprint(want) {
					t.Errorf("%s = %s, want %v (from the capture)", k, got, want)
				}
			}
		})
	}
}

// TestPromptsDoNotAnswerThemselves: a question's wording, in every
// language, never holds its own answer as its format example: a flags
// question whose example is the flags it asks for answers itself.
func TestPromptsDoNotAnswerThemselves(t *testing.T) {
	reg := lessons.Registry{}
	for _, lang := range i18n.Available(content.FS) {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"echo-lab.pcap", "echo-ipv6.pcap", "analysis-kernel.pcap", "http-api.pcap", "icmp-unreach.pcap"} {
			pkts := testenv.Packets(t, name)
			c := &quiz.Capture{Packets: pkts}
			if conns := stream.TCPConns(pkts); len(conns) > 0 {
				c.Conn = conns[0]
			}
			for _, m := range reg.Makers() {
				mk, _ := reg.Maker(m)
				q, ok := mk(c, tx)
				if ok && q.Field == "frame.number" && strings.Contains(q.Hint(tx)+q.Retry(tx, "0"), q.Expect) {
					t.Errorf("%s on %s in %s: the hint names the frame it asks for: %q", m, name, lang, q.Hint(tx))
				}
				if ok && len(q.Expect) > 1 && strings.Contains(q.Rule, q.Expect) {
					t.Errorf("%s on %s in %s: the rule names its answer %s: %q", m, name, lang, q.Expect, q.Rule)
				}
				if ok && q.Clue != "" && strings.Contains(q.Clue, q.Expect) {
					t.Errorf("%s on %s in %s: the clue names its answer %s: %q", m, name, lang, q.Expect, q.Clue)
				}
				if ok && q.Answer == quiz.KindFlags && strings.Contains(q.Prompt+q.Predicted, q.Shown) {
					t.Errorf("%s on %s in %s: the prompt %q (or %q) holds its answer %q", m, name, lang, q.Prompt, q.Predicted, q.Shown)
				}
			}
		}
	}
}
