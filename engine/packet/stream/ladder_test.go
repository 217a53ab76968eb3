package stream_test

import (
	"strings"
	"testing"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/render"
)

func load(t *testing.T, name string) ([]dissect.Packet, int) {
	return testenv.Packets(t, name), testenv.Recording(t, name).Precision
}

func TestLadder(t *testing.T) {
	pkts, prec := load(t, "echo-lab.pcap")
	var ptrs []*dissect.Packet
	for i := range pkts[:10] {
		ptrs = append(ptrs, &pkts[i])
	}
	l := stream.NewLadder(ptrs, prec)
	for _, width := range []int{60, 80, 100} {
		lines := l.Render(width, nil)
		t.Logf("\n%s", strings.Join(lines, "\n"))
		if len(lines) != 12 {
			t.Fatalf("width %d: %d lines, want 2 titles and 10 arrows", width, len(lines))
		}
		for i, line := range lines {
			if w := render.Width(line); w > width {
				t.Errorf("width %d: line %d is %d wide: %q", width, i, w, line)
			}
		}
		want := []struct {
			right bool
			label string
		}{
			{true, "SYN Seq=0 Len=0"}, {false, "SYN, ACK Seq=0 Ack=1 Len=0"}, {true, "ACK Seq=1 Ack=1 Len=0"},
			{true, "PSH, ACK Seq=1 Ack=1 Len=12"}, {false, "ACK Seq=1 Ack=13 Len=0"},
		}
		for i, w := range want {
			line := lines[2+i]
			if !strings.Contains(line, " "+w.label+" ") {
				t.Errorf("row %d %q lacks %q", i+1, line, w.label)
			}
			if w.right != strings.Contains(line, "▶") || w.right == strings.Contains(line, "◀") {
				t.Errorf("row %d %q points the wrong way", i+1, line)
			}
		}
		if !strings.Contains(lines[0], "127.0.0.1:41950") || strings.Index(lines[0], "41950") > strings.Index(lines[0], "10000") {
			t.Errorf("client must be the left column: %q", lines[0])
		}
	}
}
