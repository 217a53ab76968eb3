package stream_test

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
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

// echoLadder is the ladder of the echo lab's one connection (its first
// ten frames).
func echoLadder(t *testing.T) *stream.Ladder {
	pkts, prec := load(t, "echo-lab.pcap")
	var ptrs []*dissect.Packet
	for i := range pkts[:10] {
		ptrs = append(ptrs, &pkts[i])
	}
	return stream.NewLadder(ptrs, prec)
}

func TestLadder(t *testing.T) {
	l := echoLadder(t)
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

// captures lists the committed captures that have tshark's lines.
func captures(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, pat := range []string{"*.pcap", "*.pcapng"} {
		files, err := filepath.Glob(testenv.Testdata(pat))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			base := filepath.Base(f)
			if _, err := os.Stat(testenv.Testdata(strings.TrimSuffix(base, filepath.Ext(base)) + ".txt")); err == nil {
				names = append(names, base)
			}
		}
	}
	if len(names) == 0 {
		t.Fatal("no committed captures")
	}
	return names
}

// TestLadderTimes: an arrow's time is frame.time_relative as tshark's
// packet list prints it, with the file's precision.
func TestLadderTimes(t *testing.T) {
	for _, name := range captures(t) {
		t.Run(name, func(t *testing.T) {
			txt, err := os.ReadFile(testenv.Testdata(strings.TrimSuffix(name, filepath.Ext(name)) + ".txt"))
			if err != nil {
				t.Fatal(err)
			}
			tshark := map[int]string{} // frame number: its time column
			for _, line := range strings.Split(strings.TrimRight(string(txt), "\n"), "\n") {
				f := strings.Fields(line)
				if n, err := strconv.Atoi(f[0]); err == nil && len(f) > 1 {
					tshark[n] = f[1]
				}
			}
			pkts, prec := load(t, name)
			var ptrs []*dissect.Packet
			for i := range pkts {
				ptrs = append(ptrs, &pkts[i])
			}
			rows := stream.NewLadder(ptrs, prec).Rows
			if (len(rows) == 0) != (transported(pkts) == 0) {
				t.Fatalf("%d arrows for %d TCP or UDP packets", len(rows), transported(pkts))
			}
			for _, r := range rows {
				if want, ok := tshark[r.Frame]; !ok || r.Rel != want {
					t.Errorf("frame %d at %q; tshark prints %q", r.Frame, r.Rel, want)
				}
			}
		})
	}
}

// TestFlowIsLadder: the flow of a capture draws each conversation as
// the ladder of that conversation's packets does, line for line.
func TestFlowIsLadder(t *testing.T) {
	for _, name := range captures(t) {
		t.Run(name, func(t *testing.T) {
			pkts, prec := load(t, name)
			flow := stream.NewFlow(prec)
			byConv := map[stream.Conversation][]*dissect.Packet{}
			for i := range pkts {
				flow.Add(&pkts[i])
				k := stream.ConversationOf(&pkts[i])
				byConv[k] = append(byConv[k], &pkts[i])
			}
			convs := flow.Conversations()
			if (len(convs) == 0) != (transported(pkts) == 0) {
				t.Fatalf("%d conversations for %d TCP or UDP packets", len(convs), transported(pkts))
			}
			for i, k := range convs {
				for _, width := range []int{60, 120} {
					var got []string
					if err := flow.Render(i, width, nil, func(line string) error {
						got = append(got, line)
						return nil
					}); err != nil {
						t.Fatal(err)
					}
					want := stream.NewLadder(byConv[k], prec).Render(width, nil)
					if !slices.Equal(got, want) {
						t.Errorf("%+v at width %d: the flow draws\n%s\nthe ladder\n%s", k, width, strings.Join(got, "\n"), strings.Join(want, "\n"))
					}
				}
			}
		})
	}
}

// TestLadderNarrow: a ladder too wide for the terminal drops the time
// column first, then Len=, and keeps every flag, Seq and Ack whole.
func TestLadderNarrow(t *testing.T) {
	l := echoLadder(t)
	for _, tc := range []struct {
		width       int
		time, lens  bool
		wantInRow2  string
		wantNotCuts bool
	}{
		{80, true, true, "SYN, ACK Seq=0 Ack=1 Len=0", true},
		{40, false, true, "SYN, ACK Seq=0 Ack=1 Len=0", true},
		{34, false, false, "SYN, ACK Seq=0 Ack=1", true},
		{20, false, false, "SYN", false}, // too narrow even for the short labels: cut, marked
	} {
		lines := l.Render(tc.width, nil)
		text := strings.Join(lines, "\n")
		if w := maxWidth(lines); w > tc.width && tc.wantNotCuts {
			t.Errorf("width %d: a line is %d wide:\n%s", tc.width, w, text)
		}
		if got := strings.Contains(text, "0.000017"); got != tc.time {
			t.Errorf("width %d: time column shown %v, want %v:\n%s", tc.width, got, tc.time, text)
		}
		if got := strings.Contains(text, "Len="); got != tc.lens {
			t.Errorf("width %d: Len= shown %v, want %v:\n%s", tc.width, got, tc.lens, text)
		}
		if !strings.Contains(lines[3], " "+tc.wantInRow2) {
			t.Errorf("width %d: row 2 %q lacks %q", tc.width, lines[3], tc.wantInRow2)
		}
		if got := strings.Contains(text, "…"); got == tc.wantNotCuts {
			t.Errorf("width %d: labels cut %v:\n%s", tc.width, got, text)
		}
	}
}

func maxWidth(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, render.Width(l))
	}
	return w
}

// transported counts the packets with a TCP or UDP header, which a
// ladder draws (an ARP-only capture has none).
func transported(pkts []dissect.Packet) int {
	n := 0
	for i := range pkts {
		if t := pkts[i].Transport; t == dissect.TransportTCP || t == dissect.TransportUDP {
			n++
		}
	}
	return n
}
