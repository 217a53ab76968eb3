package course

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"wiretutor/engine/course/syllabus"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/packet/graph"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
)

// GraphView is what a graph step draws: one of Wireshark's TCP Stream
// Graphs of the stream of the first frame a display filter selects.
type GraphView struct {
	ID      string
	Filter  string
	Kind    graph.Kind
	Reverse bool
	match   *filter.Display
}

// buildGraphs reads an entry's graphs table, by id: each needs an id, a
// filter that compiles and a kind of graph.
func buildGraphs(s *syllabus.Syllabus, e *syllabus.Entry) (map[string]*GraphView, error) {
	views := map[string]*GraphView{}
	for _, g := range e.Graphs {
		line := s.LineAfter(e, "graphs", `"`+g.ID+`"`)
		switch {
		case g.ID == "" || g.Filter == "":
			return nil, &syllabus.Error{Line: line, Code: syllabus.CodeBadGraph, Arg: g.ID}
		case views[g.ID] != nil:
			return nil, &syllabus.Error{Line: line, Code: syllabus.CodeIDTwice, Arg: g.ID}
		case !slices.Contains(graph.Kinds(), graph.Kind(g.Kind)):
			return nil, &syllabus.Error{Line: line, Code: syllabus.CodeUnknownGraph, Arg: g.Kind}
		}
		d, err := filter.CompileDisplay(g.Filter)
		if err != nil {
			return nil, &syllabus.Error{Line: line, Code: syllabus.CodeBadFilter, Arg: g.Filter, Why: err}
		}
		views[g.ID] = &GraphView{ID: g.ID, Filter: g.Filter, Kind: graph.Kind(g.Kind), Reverse: g.Reverse, match: d}
	}
	return views, nil
}

// graph draws the step's graph of the capture. A capture without the
// frame the filter names is told so, and the lesson goes on.
func (run *runner) graph(v *GraphView) error {
	if run.cap == nil {
		return errNoCapture
	}
	pkts := run.cap.Packets
	i := slices.IndexFunc(pkts, func(p dissect.Packet) bool { return p.Transport == dissect.TransportTCP && v.match.Match(&p) })
	if i < 0 {
		run.say(run.tx.T("graph.missing", map[string]any{"Filter": v.Filter}))
		fmt.Fprintln(run.o.Out)
		return nil
	}
	c := graph.NewCollector(pkts[i].TCP.Stream)
	for j := range pkts {
		c.Add(&pkts[j])
	}
	s, _ := c.Series(v.Reverse)
	for _, line := range GraphLines(run.tx, s, v.Kind, run.o.Term.Width) {
		fmt.Fprintln(run.o.Out, line)
	}
	fmt.Fprintln(run.o.Out)
	return nil
}

// The plot heights of the graphs, in rows.
const (
	traceRows = 16
	plotRows  = 10
	// MinGraphWidth is the narrowest a graph is drawn.
	MinGraphWidth = 40
)

// GraphLines draws one graph of a stream's series in lines of at most
// width cells (MinGraphWidth at least), its words in tx's language:
// a title naming the stream and its direction, the plot, and a legend
// of the glyphs it uses. A series with nothing to draw is one line that
// says so.
func GraphLines(tx *i18n.Catalog, s *graph.Series, kind graph.Kind, width int) []string {
	width = max(width, MinGraphWidth)
	title := tx.T("graph.title."+string(kind), map[string]any{
		"Stream": s.Stream, "Sender": s.Sender.String(), "Receiver": s.Receiver.String()})
	out := strings.Split(render.Wrap(title, width), "\n")
	var ch *render.Chart
	switch kind {
	case graph.TCPTrace:
		ch = traceChart(tx, s)
	case graph.Throughput:
		ch = throughputChart(tx, s, width)
	case graph.RTT:
		ch = rttChart(tx, s)
	}
	if ch == nil {
		return append(out, strings.Split(render.Wrap(tx.T("graph.empty."+string(kind), nil), width), "\n")...)
	}
	rows := plotRows
	if kind == graph.TCPTrace {
		rows = traceRows
	}
	return append(out, ch.Draw(width, rows)...)
}

// timeAxis is the X axis of a graph over time: the stream's span, ticks
// in seconds with as many decimals as their spacing needs.
func timeAxis(tx *i18n.Catalog, s *graph.Series) render.Axis {
	lo, hi := s.Start.Seconds(), s.End.Seconds()
	digits := decimals((hi - lo) / 5)
	return render.Axis{Min: lo, Max: hi, Title: tx.T("graph.axis.time", nil),
		Tick: func(v float64) string { return tx.Decimal(v, digits) }}
}

// decimals is how many digits after the mark tell apart values step
// apart: 0 for 1 and more, 1 for 0.1, 2 for 0.05.
func decimals(step float64) int {
	if step <= 0 || math.IsNaN(step) {
		return 1
	}
	return min(max(int(math.Ceil(-math.Log10(step))), 0), 6)
}

// sizeTick writes a tick of bytes in the learner's units.
func sizeTick(tx *i18n.Catalog) func(float64) string {
	return func(v float64) string { return tx.Size(int64(math.Round(v))) }
}

// The glyphs of the graphs, and which shows where two meet (rank).
const (
	glyphData   = '|'
	glyphResent = 'R'
	glyphAck    = '-'
	glyphWindow = '~'
	glyphZero   = 'Z'
	glyphSACK   = 's'
	glyphGood   = '#'
	glyphExtra  = '+'
	glyphRTT    = '*'
	rankWindow  = 1
	rankAck     = 2
	rankSACK    = 3
	rankData    = 4
	rankResent  = 5
)

// traceChart is the time–sequence graph: each data segment a bar from
// its first sequence number to its last at its time, resent ones
// marked; the receiver's ACK line under them and its window's edge
// (ACK + window) above, meeting at a zero window, which a row under the
// plot marks in time; SACK blocks where they were reported.
func traceChart(tx *i18n.Catalog, s *graph.Series) *render.Chart {
	if len(s.Segments) == 0 {
		return nil
	}
	ch := &render.Chart{X: timeAxis(tx, s)}
	var marks []render.Mark
	bottom, top := math.Inf(1), 0.0 // of the data and the ACKs
	for _, g := range s.Segments {
		m := render.Mark{X0: g.At.Seconds(), X1: g.At.Seconds(), Y0: float64(g.Seq), Y1: float64(g.End), Glyph: glyphData, Rank: rankData}
		if g.Resent {
			m.Glyph, m.Rank = glyphResent, rankResent
		}
		marks = append(marks, m)
		bottom, top = min(bottom, m.Y0), max(top, m.Y1)
	}
	end := s.End.Seconds()
	edge := 0.0
	for i, a := range s.Acks {
		to := end
		if i+1 < len(s.Acks) {
			to = s.Acks[i+1].At.Seconds()
		}
		at, ack := a.At.Seconds(), float64(a.Ack)
		marks = append(marks, render.Mark{X0: at, X1: to, Y0: ack, Y1: ack, Glyph: glyphAck, Rank: rankAck})
		top = max(top, ack)
		w := ack + float64(a.Window)
		marks = append(marks, render.Mark{X0: at, X1: to, Y0: w, Y1: w, Glyph: glyphWindow, Rank: rankWindow})
		edge = max(edge, w)
		if a.Zero {
			ch.Events = append(ch.Events, render.Mark{X0: at, X1: at, Glyph: glyphZero})
		}
	}
	for _, b := range s.SACKs {
		marks = append(marks, render.Mark{X0: b.At.Seconds(), X1: b.At.Seconds(), Y0: float64(b.Le), Y1: float64(b.Re), Glyph: glyphSACK, Rank: rankSACK})
	}
	// The window's edge is shown up to a quarter above the data; a window
	// far larger than what was sent (half a megabyte for ten kilobytes)
	// would squash the data into a row, so it is left out, as a zoom in
	// Wireshark leaves it out of view.
	bottom = min(bottom, 0)
	top = max(top, min(edge, top+(top-bottom)/4))
	for _, m := range marks {
		if max(m.Y0, m.Y1) <= top {
			ch.Marks = append(ch.Marks, m)
		}
	}
	ch.Y = render.Axis{Min: bottom, Max: top, Tick: sizeTick(tx), Title: tx.T("graph.axis.seq", nil)}
	for _, g := range []rune{glyphData, glyphResent, glyphAck, glyphWindow, glyphZero, glyphSACK} {
		ch.Legend = append(ch.Legend, render.Entry{Glyph: g, Text: tx.T("graph.legend."+legendID(g), nil)})
	}
	return ch
}

// throughputChart is the sender's rate over time, one bin per column:
// the new data (goodput) at the bottom of each bar, the headers and
// resent data on top of it.
func throughputChart(tx *i18n.Catalog, s *graph.Series, width int) *render.Chart {
	if len(s.Segments) == 0 {
		return nil
	}
	ch := &render.Chart{X: timeAxis(tx, s), Y: render.Axis{Tick: func(v float64) string { return tx.Rate(v) }, Title: tx.T("graph.axis.rate", nil)}}
	var bins []graph.Bin
	for range 2 { // the ticks' width depends on the top rate, the bins' count on the ticks
		bins = s.Throughput(ch.Columns(width))
		ch.Y.Max = 0
		for _, b := range bins {
			all, _ := b.Rate()
			ch.Y.Max = max(ch.Y.Max, all)
		}
	}
	if ch.Y.Max == 0 {
		return nil
	}
	for _, b := range bins {
		all, good := b.Rate()
		mid := ((b.From + b.To) / 2).Seconds()
		if all > good {
			ch.Marks = append(ch.Marks, render.Mark{X0: mid, X1: mid, Y1: all, Glyph: glyphExtra, Rank: 1})
		}
		if good > 0 {
			ch.Marks = append(ch.Marks, render.Mark{X0: mid, X1: mid, Y1: good, Glyph: glyphGood, Rank: 2})
		}
	}
	ch.Legend = []render.Entry{{Glyph: glyphGood, Text: tx.T("graph.legend.goodput", nil)}, {Glyph: glyphExtra, Text: tx.T("graph.legend.overhead", nil)}}
	return ch
}

// rttChart is each timed segment's round trip against its sequence
// number.
func rttChart(tx *i18n.Catalog, s *graph.Series) *render.Chart {
	if len(s.RTTs) == 0 {
		return nil
	}
	ch := &render.Chart{}
	lo, hi, top := math.Inf(1), 0.0, 0.0
	for _, r := range s.RTTs {
		x, y := float64(r.Seq), r.RTT.Seconds()*1000
		lo, hi, top = min(lo, x), max(hi, x), max(top, y)
		ch.Marks = append(ch.Marks, render.Mark{X0: x, X1: x, Y0: y, Y1: y, Glyph: glyphRTT})
	}
	digits := decimals(top / 4)
	ch.X = render.Axis{Min: lo, Max: hi, Tick: sizeTick(tx), Title: tx.T("graph.axis.seq", nil)}
	ch.Y = render.Axis{Max: top, Title: tx.T("graph.axis.rtt", nil), Tick: func(v float64) string { return tx.Decimal(v, digits) }}
	ch.Legend = []render.Entry{{Glyph: glyphRTT, Text: tx.T("graph.legend.rtt", nil)}}
	return ch
}

// legendID names a glyph's entry in graph.legend.
func legendID(g rune) string {
	switch g {
	case glyphData:
		return "data"
	case glyphResent:
		return "resent"
	case glyphAck:
		return "ack"
	case glyphWindow:
		return "window"
	case glyphZero:
		return "zero_window"
	}
	return "sack"
}
