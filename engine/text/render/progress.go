package render

import "strings"

// The widest and narrowest progress bars, in cells between the brackets.
const (
	maxBar = 30
	minBar = 8
)

// ProgressLine is a transfer's progress in one line of at most width
// cells: a bar filled to frac (0 to 1), then text. When both do not fit,
// the bar goes first, then text is cut to the width. The bar is ASCII,
// so it reads the same without colour and in any font:
//
//	[=========>          ] 4.2 MB of 10.0 MB, 1.3 MB/s, 0:05 left
func ProgressLine(width int, frac float64, text string) string {
	frac = min(max(frac, 0), 1)
	room := width - Width(text) - 3 // the brackets and a space
	if room < minBar {
		if Width(text) <= width {
			return text
		}
		n, _ := cutWidth(text, max(width-1, 1))
		return text[:n] + "…"
	}
	bar := min(room, maxBar)
	full := int(frac * float64(bar))
	var b strings.Builder
	b.WriteByte('[')
	b.WriteString(strings.Repeat("=", full))
	if full < bar {
		b.WriteByte('>')
		b.WriteString(strings.Repeat(" ", bar-full-1))
	}
	b.WriteString("] ")
	b.WriteString(text)
	return b.String()
}
