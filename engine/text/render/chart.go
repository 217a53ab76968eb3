package render

import (
	"math"
	"strconv"
	"strings"
)

// Chart is a plot drawn in character cells, readable without colour:
// each series has its own glyph, a legend names them, and the axes carry
// ticks at round values. It draws what Wireshark's TCP Stream Graphs
// draw: bars at uneven times (each segment where its time falls, not at
// its index), lines and points, several series in one frame.
//
// A plotting library that takes one list of values per series and puts
// them at evenly spaced columns (asciigraph does) cannot place a segment
// by its time, so Chart maps both axes itself.
type Chart struct {
	X, Y  Axis
	Marks []Mark
	// Events are moments marked on a row of their own under the plot,
	// at their X: what happens at a time rather than at a value (a
	// window that closes), so that it hides nothing of the plot.
	Events []Mark
	// Legend names what each glyph stands for; an entry whose glyph
	// no cell shows is left out.
	Legend []Entry
}

// Entry is one line of a Chart's legend: a glyph and what it stands for.
type Entry struct {
	Glyph rune
	Text  string
}

// Axis is one axis of a Chart: its range, how a tick reads, and its
// title. Min equal to Max draws everything in the middle.
type Axis struct {
	Min, Max float64
	// Tick writes a tick's value; nil writes it with %g.
	Tick  func(v float64) string
	Title string
}

// Mark is one thing on a Chart, in the axes' units: a point when X0
// equals X1 and Y0 equals Y1, a vertical bar from Y0 to Y1, a horizontal
// line from X0 to X1, else a filled box. Where marks share a cell, the
// higher Rank shows.
type Mark struct {
	X0, X1, Y0, Y1 float64
	Glyph          rune
	Rank           int
}

// The smallest plot Chart draws, in cells.
const (
	minChartCols = 10
	minChartRows = 4
)

// Columns is how many cells wide the plot itself is when the chart
// takes width cells with its axis labels: what a caller binning data
// one bin per column asks first.
func (c *Chart) Columns(width int) int {
	return max(width-c.margin(max(minChartRows, 4))-1, minChartCols)
}

// margin is the width of the widest Y tick label of a plot rows high.
func (c *Chart) margin(rows int) int {
	m := 0
	for _, t := range ticks(c.Y, rows/3+1) {
		m = max(m, Width(c.Y.tick(t)))
	}
	return m
}

func (a Axis) tick(v float64) string {
	if a.Tick != nil {
		return a.Tick(v)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Draw lays the chart out in at most width cells per line, the plot
// height rows high: the Y title, the plot with its Y ticks, the X axis
// and its ticks, the X title, then the legend.
func (c *Chart) Draw(width, height int) []string {
	rows := max(height, minChartRows)
	margin := c.margin(rows)
	cols := max(width-margin-1, minChartCols)
	grid := make([][]rune, rows)
	rank := make([][]int, rows)
	for r := range grid {
		grid[r] = []rune(strings.Repeat(" ", cols))
		rank[r] = make([]int, cols)
	}
	for _, m := range c.Marks {
		c0, c1 := scale(c.X, m.X0, cols), scale(c.X, m.X1, cols)
		r0, r1 := rows-1-scale(c.Y, m.Y0, rows), rows-1-scale(c.Y, m.Y1, rows)
		for x := min(c0, c1); x <= max(c0, c1); x++ {
			for y := min(r0, r1); y <= max(r0, r1); y++ {
				if grid[y][x] == ' ' || m.Rank >= rank[y][x] {
					grid[y][x], rank[y][x] = m.Glyph, m.Rank
				}
			}
		}
	}
	shown := map[rune]bool{}
	for _, row := range grid {
		for _, g := range row {
			shown[g] = true
		}
	}
	yt := map[int]string{}
	for _, t := range ticks(c.Y, rows/3+1) {
		yt[rows-1-scale(c.Y, t, rows)] = c.Y.tick(t)
	}
	var out []string
	if c.Y.Title != "" {
		out = append(out, strings.Split(Wrap(c.Y.Title, width), "\n")...)
	}
	for r := range grid {
		label, edge := yt[r], "│"
		if label != "" {
			edge = "┤"
		}
		out = append(out, strings.Repeat(" ", margin-Width(label))+label+edge+strings.TrimRight(string(grid[r]), " "))
	}
	if len(c.Events) > 0 {
		row := []rune(strings.Repeat(" ", cols))
		for _, e := range c.Events {
			row[scale(c.X, e.X0, cols)] = e.Glyph
			shown[e.Glyph] = true
		}
		out = append(out, strings.Repeat(" ", margin)+"│"+strings.TrimRight(string(row), " "))
	}
	axis := []rune(strings.Repeat("─", cols))
	labels := []rune(strings.Repeat(" ", margin+1+cols))
	next := 0 // the first cell a tick label may use
	for _, t := range ticks(c.X, max(cols/12, 2)) {
		x := scale(c.X, t, cols)
		s := []rune(c.X.tick(t))
		at := min(max(margin+1+x-Width(string(s))/2, 0), len(labels)-len(s))
		if at < next || Width(string(s)) != len(s) {
			continue
		}
		axis[x] = '┬'
		copy(labels[at:], s)
		next = at + len(s) + 2
	}
	out = append(out, strings.Repeat(" ", margin)+"└"+string(axis))
	out = append(out, strings.TrimRight(string(labels), " "))
	if c.X.Title != "" {
		for _, t := range strings.Split(Wrap(c.X.Title, width), "\n") {
			out = append(out, strings.Repeat(" ", max(width-Width(t), 0))+t)
		}
	}
	var items []string
	for _, e := range c.Legend {
		if shown[e.Glyph] {
			items = append(items, string(e.Glyph)+" "+e.Text)
		}
	}
	if len(items) > 0 {
		out = append(out, "")
		out = append(out, legend(items, width)...)
	}
	return out
}

// scale maps v on the axis to one of n cells, 0 at Min.
func scale(a Axis, v float64, n int) int {
	if a.Max <= a.Min {
		return n / 2
	}
	i := int(math.Round((v - a.Min) / (a.Max - a.Min) * float64(n-1)))
	return min(max(i, 0), n-1)
}

// ticks are round values on the axis, about want of them: multiples of
// 1, 2 or 5 times a power of ten.
func ticks(a Axis, want int) []float64 {
	span := a.Max - a.Min
	if span <= 0 || math.IsNaN(span) || math.IsInf(span, 0) {
		return []float64{a.Min}
	}
	raw := span / float64(max(want, 1))
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	step := p * 10
	for _, m := range []float64{1, 2, 5} {
		if m*p >= raw {
			step = m * p
			break
		}
	}
	var ts []float64
	for v := math.Ceil(a.Min/step) * step; v <= a.Max+step*1e-9; v += step {
		ts = append(ts, math.Round(v/step)*step)
	}
	return ts
}

// fit cuts s to width cells, with an ellipsis when it is cut.
func fit(s string, width int) string {
	if Width(s) <= width {
		return s
	}
	n, _ := cutWidth(s, max(width-1, 1))
	return s[:n] + "…"
}

// legend lays items out in as few lines as fit width, three blanks
// apart; an item wider than a line is wrapped on its own lines.
func legend(items []string, width int) []string {
	var out []string
	line := ""
	for _, it := range items {
		switch {
		case line == "":
		case Width(line)+3+Width(it) <= width:
			line += "   " + it
			continue
		default:
			out = append(out, line)
		}
		line = ""
		if Width(it) > width {
			out = append(out, strings.Split(Wrap(it, width), "\n")...)
			continue
		}
		line = it
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
