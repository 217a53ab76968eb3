package course_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/syllabus"
	"wiretutor/engine/packet/graph"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
	"wiretutor/lessons"
)

// graphEntry is goodEntry with a graph step and its table.
var graphEntry = strings.Replace(goodEntry, `"quiz", "tasks"`, `"graph:seq", "quiz", "tasks"`, 1) +
	`graphs = [
  { id = "seq", filter = "tcp.len > 0", kind = "tcptrace" },
]
`

// TestBuildGraphErrors: each fault of a graph step or table is told at
// its line.
func TestBuildGraphErrors(t *testing.T) {
	s, err := syllabus.ParseManifest([]byte(graphEntry))
	if err != nil {
		t.Fatal(err)
	}
	ls, err := course.Build(s, registry{})
	if err != nil {
		t.Fatal(err)
	}
	if st := ls[0].Steps[4]; st.Kind != course.Graph || st.Graph == nil || st.Graph.Kind != graph.TCPTrace || st.Graph.Filter != "tcp.len > 0" {
		t.Errorf("step %+v, view %+v", st, st.Graph)
	}
	tests := []struct {
		name, from, to string
		code           string
		line           int
	}{
		{"unknown graph", `"graph:seq"`, `"graph:sq"`, syllabus.CodeUnknownGraphStep, 4},
		{"no graph named", `"graph:seq"`, `"graph"`, syllabus.CodeStepArg, 4},
		{"unknown kind", `"tcptrace"`, `"stevens"`, syllabus.CodeUnknownGraph, 15},
		{"no kind", `, kind = "tcptrace"`, ``, syllabus.CodeUnknownGraph, 15},
		{"bad filter", `"tcp.len > 0", kind`, `"tcp.len >", kind`, syllabus.CodeBadFilter, 15},
		{"no filter", `id = "seq", filter = "tcp.len > 0", `, `id = "seq", `, syllabus.CodeBadGraph, 15},
		{"id twice", "kind = \"tcptrace\" },\n", "kind = \"tcptrace\" },\n  { id = \"seq\", filter = \"tcp\", kind = \"rtt\" },\n", syllabus.CodeIDTwice, 15},
		{"before run", `"run", "packets"`, `"graph:seq", "run", "packets"`, syllabus.CodeBeforeRun, 4},
		{"unknown key", `kind = "tcptrace"`, `kinds = "tcptrace"`, syllabus.CodeUnknownKey, 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(graphEntry, tt.from, tt.to, 1)
			if src == graphEntry {
				t.Fatalf("%q is not in the entry", tt.from)
			}
			s, err := syllabus.ParseManifest([]byte(src))
			if err == nil {
				_, err = course.Build(s, registry{})
			}
			var e *syllabus.Error
			if !errors.As(err, &e) || e.Code != tt.code || e.Line != tt.line {
				t.Errorf("error %v, want %s on line %d", err, tt.code, tt.line)
			}
		})
	}
}

func series(t *testing.T, name string, reverse bool) *graph.Series {
	c := graph.NewCollector(0)
	for _, p := range testenv.Packets(t, name) {
		c.Add(&p)
	}
	s, ok := c.Series(reverse)
	if !ok {
		t.Fatal("no stream 0")
	}
	return s
}

// TestGraphLines draws every kind of graph of the zero-window capture in
// each language at 40, 80 and 120 columns: every line fits, the words
// are the language's, and what the capture holds is on the plot (the
// zero window, the retransmission, the round trips).
func TestGraphLines(t *testing.T) {
	s := series(t, "bulk-zerowin.pcap", false)
	want := map[graph.Kind][]string{
		graph.TCPTrace:   {"|", "R", "Z", "~"},
		graph.Throughput: {"#"},
		graph.RTT:        {"*"},
	}
	words := map[string]map[graph.Kind]string{
		"en": {graph.TCPTrace: "time (s)", graph.Throughput: "sent per second", graph.RTT: "round-trip time (ms)"},
		"ru": {graph.TCPTrace: "время (с)", graph.Throughput: "отправлено за секунду", graph.RTT: "время кругового пути (мс)"},
		"zh": {graph.TCPTrace: "时间（秒）", graph.Throughput: "每秒发送量", graph.RTT: "往返时间（毫秒）"},
	}
	for lang, ws := range words {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range graph.Kinds() {
			for _, width := range []int{40, 80, 120} {
				lines := course.GraphLines(tx, s, kind, width)
				text := strings.Join(lines, "\n")
				for i, l := range lines {
					if w := render.Width(l); w > width {
						t.Errorf("%s %s %d: line %d is %d cells: %q", lang, kind, width, i, w, l)
					}
				}
				if !strings.Contains(strings.ReplaceAll(text, "\n", ""), ws[kind]) {
					t.Errorf("%s %s %d: no %q:\n%s", lang, kind, width, ws[kind], text)
				}
				for _, g := range want[kind] {
					// The glyph on the plot, and its legend entry below.
					plot, legend, _ := strings.Cut(text, "\n\n")
					if strings.Count(plot, g) < 1 || !strings.Contains(legend, g+" ") {
						t.Errorf("%s %s %d: %q is not both on the plot and in the legend:\n%s", lang, kind, width, g, text)
					}
				}
				if lang == "ru" && kind == graph.TCPTrace && !strings.Contains(text, "40,0 КБ") {
					t.Errorf("ru: no tick written with a decimal comma and Russian units:\n%s", text)
				}
			}
		}
	}
}

// TestGraphLinesEmpty: a direction with nothing to draw says so, and
// how to draw the other.
func TestGraphLinesEmpty(t *testing.T) {
	tx, err := i18n.Load(content.FS, "en")
	if err != nil {
		t.Fatal(err)
	}
	s := &graph.Series{}
	for _, kind := range graph.Kinds() {
		lines := course.GraphLines(tx, s, kind, 80)
		if text := strings.Join(lines, " "); len(lines) < 2 || !strings.Contains(text, "--reverse") {
			t.Errorf("%s: %q", kind, lines)
		}
	}
}

// TestGraphStep draws a graph in a lesson on the lab's capture, and tells
// a filter that picks no frame; the lesson goes on to its end.
func TestGraphStep(t *testing.T) {
	src := "[[lesson]]\nid = \"tcp-handshake\"\nexchange = \"echo-tcp\"\nsteps = [\"run\", \"graph:seq\", \"graph:none\", \"summary\"]\n" +
		"graphs = [{ id = \"seq\", filter = \"tcp.len > 0\", kind = \"tcptrace\" }, { id = \"none\", filter = \"tcp.port == 1\", kind = \"rtt\" }]\n"
	s, err := syllabus.ParseManifest([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ls, err := course.Build(s, lessons.Registry{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	o, tx := options(t, "en", content.FS, nil, &out)
	res, err := course.RunLesson(context.Background(), ls[0], o, tx)
	if err != nil || !res.Completed {
		t.Fatalf("%v, %+v\n%s", err, res, out.String())
	}
	for _, w := range []string{"sequence numbers over", "| data segment", "no TCP frame that tcp.port == 1 selects"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
}
