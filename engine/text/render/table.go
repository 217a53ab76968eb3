package render

import (
	"strings"

	"github.com/rivo/uniseg"
)

// tableGap is the room between two columns.
const tableGap = 2

// Table lays rows out in columns two spaces apart, padding by display
// width so Chinese headings line up; the first row is the header. It
// fits width: when the columns are too wide, the widest wrap their
// cells between words, down to their longest word; when even that is
// too wide, the columns that do not fit move to a second line of each
// row (a band), under the second column, and rows are set apart by a
// blank line.
func Table(rows [][]string, width int) []string {
	var out []string
	for _, r := range TableRows(rows, width) {
		out = append(out, r...)
	}
	return out
}

// TableRows is Table with each row's lines apart (a blank line setting
// rows apart belongs to the row after it).
func TableRows(rows [][]string, width int) [][]string {
	n := 0
	for _, r := range rows {
		n = max(n, len(r))
	}
	if n == 0 {
		return nil
	}
	nat, least := make([]int, n), make([]int, n)
	for _, r := range rows {
		for i, c := range r {
			nat[i] = max(nat[i], Width(c))
			least[i] = max(least[i], longestWord(c))
		}
	}
	if width <= 0 || sum(nat)+tableGap*(n-1) <= width {
		return layRows(rows, [][]int{span(0, n)}, nat, 0)
	}
	if sum(least)+tableGap*(n-1) <= width {
		w := shrink(nat, least, sum(nat)+tableGap*(n-1)-width)
		return layRows(rows, [][]int{span(0, n)}, w, 0)
	}
	// Bands: column 0 starts every row; the rest flow after it, a new
	// band under column 1 when the next column does not fit.
	indent := nat[0] + tableGap
	if indent > width/2 {
		indent = 0
	}
	w := make([]int, n)
	bands := [][]int{{0}}
	x := nat[0]
	w[0] = min(nat[0], width)
	for i := 1; i < n; i++ {
		w[i] = min(nat[i], width-indent)
		if x+tableGap+w[i] > width {
			bands = append(bands, nil)
			x = indent - tableGap
		}
		bands[len(bands)-1] = append(bands[len(bands)-1], i)
		x += tableGap + w[i]
	}
	return layRows(rows, bands, w, indent)
}

// layRows draws each row band by band, wrapping each cell to its
// column's width; bands after the first start at indent.
func layRows(rows [][]string, bands [][]int, w []int, indent int) [][]string {
	var all [][]string
	for ri, r := range rows {
		var out []string
		if len(bands) > 1 && ri > 0 {
			out = append(out, "")
		}
		for bi, cols := range bands {
			var cells [][]string
			height := 0
			for _, c := range cols {
				text := ""
				if c < len(r) {
					text = r[c]
				}
				lines := strings.Split(Wrap(text, w[c]), "\n")
				cells = append(cells, lines)
				height = max(height, len(lines))
			}
			for h := range height {
				var b strings.Builder
				if bi > 0 {
					b.WriteString(strings.Repeat(" ", indent))
				}
				for k, c := range cols {
					cell := ""
					if h < len(cells[k]) {
						cell = cells[k][h]
					}
					b.WriteString(cell)
					if k < len(cols)-1 {
						b.WriteString(strings.Repeat(" ", max(w[c]-Width(cell), 0)+tableGap))
					}
				}
				if line := strings.TrimRight(b.String(), " "); line != "" || h == 0 {
					out = append(out, line)
				}
			}
		}
		all = append(all, out)
	}
	return all
}

// shrink narrows the widest columns, one cell at a time and never below
// least, until they are by excess narrower.
func shrink(nat, least []int, excess int) []int {
	w := append([]int(nil), nat...)
	for ; excess > 0; excess-- {
		k := -1
		for i := range w {
			if w[i] > least[i] && (k < 0 || w[i] > w[k]) {
				k = i
			}
		}
		if k < 0 {
			break
		}
		w[k]--
	}
	return w
}

// longestWord is the width of s's widest piece that Wrap never breaks.
func longestWord(s string) int {
	plain := StripANSI(s)
	best, word, state := 0, "", -1
	for len(plain) > 0 {
		var seg string
		seg, plain, _, state = uniseg.FirstLineSegmentInString(plain, state)
		word += seg
		if strings.HasSuffix(seg, "-") || strings.HasSuffix(seg, "/") {
			continue // Wrap keeps "tcp-handshake" and "HTTP/1.1" whole
		}
		best = max(best, uniseg.StringWidth(strings.TrimRight(word, " ")))
		word = ""
	}
	best = max(best, uniseg.StringWidth(word))
	for _, sp := range codeSpans(StripANSI(s), nil) {
		best = max(best, uniseg.StringWidth(StripANSI(s)[sp[0]:sp[1]])) // Wrap keeps code whole
	}
	return best
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

func span(from, to int) []int {
	s := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}
