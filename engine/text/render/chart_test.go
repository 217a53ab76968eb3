package render_test

import (
	"fmt"
	"strings"
	"testing"

	"wiretutor/engine/text/render"
)

// plotRows returns the plot's rows of a drawn chart without a Y title:
// the cells right of the Y axis, top row first.
func plotRows(lines []string, rows int) []string {
	var out []string
	for _, l := range lines[:rows] {
		_, after, _ := strings.Cut(l, "│")
		if a, b, ok := strings.Cut(l, "┤"); ok && len(a) < len(l)-len(after) {
			after = b
		}
		out = append(out, after)
	}
	return out
}

// TestChartPlacesByValue is why the course draws its own charts: points
// at uneven times land at the columns their times give, not at their
// index, as a plotter of evenly spaced samples (asciigraph) would put
// them. Three points at 0, 0.1 and 1.0 s on a 10 s axis of 11 columns
// fall in columns 0, 0 and 1; at their index they would be 0, 1 and 2.
func TestChartPlacesByValue(t *testing.T) {
	c := render.Chart{
		X: render.Axis{Min: 0, Max: 10},
		Y: render.Axis{Min: 0, Max: 3},
		Marks: []render.Mark{
			{X0: 0, X1: 0, Y0: 1, Y1: 1, Glyph: 'a'},
			{X0: 0.1, X1: 0.1, Y0: 2, Y1: 2, Glyph: 'b'},
			{X0: 1, X1: 1, Y0: 3, Y1: 3, Glyph: 'c'},
		},
	}
	lines := c.Draw(13, 4) // a margin of 1 ("3"), the axis, 11 columns
	got := plotRows(lines, 4)
	want := []string{" c", "b", "a", ""}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("row %d is %q, want %q; the chart:\n%s", i, got[i], want[i], strings.Join(lines, "\n"))
		}
	}
}

func TestChartMarks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		marks []render.Mark
		want  []string // the plot's rows, top first
	}{
		{"a vertical bar covers its rows", []render.Mark{{X0: 2, X1: 2, Y0: 1, Y1: 2, Glyph: '|'}},
			[]string{"", "  |", "  |", ""}},
		{"a horizontal line covers its columns", []render.Mark{{X0: 1, X1: 4, Y0: 3, Y1: 3, Glyph: '-'}},
			[]string{" ----", "", "", ""}},
		{"the higher rank shows where marks meet",
			[]render.Mark{{X0: 0, X1: 4, Y0: 0, Y1: 0, Glyph: '-', Rank: 2}, {X0: 2, X1: 2, Y0: 0, Y1: 3, Glyph: '|', Rank: 1}},
			[]string{"  |", "  |", "  |", "-----"}},
		{"an equal rank: the later mark shows",
			[]render.Mark{{X0: 0, X1: 4, Y0: 0, Y1: 0, Glyph: '-'}, {X0: 2, X1: 2, Y0: 0, Y1: 0, Glyph: 'Z'}},
			[]string{"", "", "", "--Z--"}},
		{"values beyond the axes are kept at its edges", []render.Mark{{X0: -5, X1: -5, Y0: 9, Y1: 9, Glyph: '*'}},
			[]string{"*", "", "", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := render.Chart{X: render.Axis{Min: 0, Max: 9}, Y: render.Axis{Min: 0, Max: 3}, Marks: tc.marks}
			lines := c.Draw(12, 4) // 10 columns: one per unit of X from 0 to 9
			got := plotRows(lines, 4)
			for i := range tc.want {
				if got[i] != tc.want[i] {
					t.Fatalf("row %d is %q, want %q:\n%s", i, got[i], tc.want[i], strings.Join(lines, "\n"))
				}
			}
		})
	}
}

// TestChartFits checks every line fits the width, in any script, and
// that the legend lists only the glyphs the plot shows.
func TestChartFits(t *testing.T) {
	c := render.Chart{
		X: render.Axis{Min: 0, Max: 0.7, Title: "время (с)", Tick: func(v float64) string { return fmt.Sprintf("%.1f", v) }},
		Y: render.Axis{Min: 0, Max: 42000, Title: "序列号（字节，相对值）序列号（字节，相对值）", Tick: func(v float64) string { return fmt.Sprintf("%.0f КБ", v/1000) }},
		Marks: []render.Mark{
			{X0: 0, X1: 0, Y0: 0, Y1: 1448, Glyph: '|'},
			{X0: 0.65, X1: 0.65, Y0: 1448, Y1: 42000, Glyph: '|'},
			{X0: 0, X1: 0.7, Y0: 100, Y1: 100, Glyph: '-'},
		},
		Legend: []render.Entry{{'|', "сегмент данных, от первого байта до последнего"}, {'-', "подтверждено (Ack)"}, {'s', "блок SACK"}},
	}
	for _, width := range []int{20, 40, 80, 120} {
		lines := c.Draw(width, 8)
		for i, l := range lines {
			if w := render.Width(l); w > width {
				t.Errorf("width %d: line %d is %d cells: %q", width, i, w, l)
			}
		}
		all := strings.Join(lines, "\n")
		if strings.Contains(all, "SACK") {
			t.Errorf("width %d: the legend names s, which no cell shows:\n%s", width, all)
		}
		if !strings.Contains(all, "Ack") {
			t.Errorf("width %d: the legend lacks -:\n%s", width, all)
		}
	}
}

func TestChartTicksAreRound(t *testing.T) {
	c := render.Chart{X: render.Axis{Min: 0, Max: 0.73}, Y: render.Axis{Min: 0, Max: 41237}}
	lines := c.Draw(60, 9)
	all := strings.Join(lines, "\n")
	for _, want := range []string{"40000┤", "20000┤", "0┤", "0.2", "0.4", "0.6"} {
		if !strings.Contains(all, want) {
			t.Errorf("no tick %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "41237") || strings.Contains(all, "0.73") {
		t.Errorf("a tick at the data's end rather than a round value:\n%s", all)
	}
}

func ExampleChart() {
	c := render.Chart{
		X:      render.Axis{Min: 0, Max: 4, Title: "time (s)"},
		Y:      render.Axis{Min: 0, Max: 3000, Title: "sequence number"},
		Marks:  []render.Mark{{X0: 0, X1: 0, Y0: 0, Y1: 1000, Glyph: '|'}, {X0: 1, X1: 1, Y0: 1000, Y1: 2000, Glyph: '|'}, {X0: 4, X1: 4, Y0: 2000, Y1: 3000, Glyph: 'R'}},
		Legend: []render.Entry{{'|', "segment"}, {'R', "retransmission"}},
	}
	for _, l := range c.Draw(30, 7) {
		fmt.Println(l)
	}
	// Output:
	// sequence number
	// 3000┤                        R
	//     │                        R
	// 2000┤      |                 R
	//     │      |
	// 1000┤|     |
	//     │|
	//    0┤|
	//     └┬───────────┬───────────┬
	//      0           2           4
	//                       time (s)
	//
	// | segment   R retransmission
}

// TestChartEvents: events sit on their own row under the plot, at their
// time, and hide nothing of it.
func TestChartEvents(t *testing.T) {
	c := render.Chart{
		X:      render.Axis{Min: 0, Max: 9},
		Y:      render.Axis{Min: 0, Max: 3},
		Marks:  []render.Mark{{X0: 3, X1: 3, Y0: 0, Y1: 3, Glyph: '|'}},
		Events: []render.Mark{{X0: 3, Glyph: 'Z'}, {X0: 7, Glyph: 'Z'}},
		Legend: []render.Entry{{'Z', "zero window"}},
	}
	lines := c.Draw(12, 4)
	if got := plotRows(lines, 4); got[3] != "   |" {
		t.Errorf("the bottom row is %q: the event hid the bar", got[3])
	}
	if lines[4] != " │   Z   Z" || !strings.Contains(strings.Join(lines, "\n"), "Z zero") {
		t.Errorf("no event row under the plot, or no legend:\n%s", strings.Join(lines, "\n"))
	}
}
