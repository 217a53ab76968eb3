package render

import (
	"regexp"
	"strings"

	"github.com/rivo/uniseg"
)

// bullet matches a line's indentation and list marker, which continuation
// lines hang under.
var bullet = regexp.MustCompile(`^(\s*)([•*\-+] |\d+\. |\| )?`)

// Wrap breaks every line of s that is wider than width at the places
// Unicode's line-breaking rules (UAX #14) allow: between words, and
// between Chinese characters but never before "，" or "。" nor after
// "（"; never inside inline code (backticks, or the marks Markdown puts
// around it), which, wider than a line, stands on a line of its own. Continuation lines keep the line's indentation and hang under a
// list item's text. ANSI colour sequences pass through and take no room.
func Wrap(s string, width int) string { return WrapIndent(s, width, -1) }

// WrapIndent is Wrap with continuation lines indented by indent cells
// (a negative indent: the line's own indentation, as Wrap does).
func WrapIndent(s string, width, indent int) string {
	lines := strings.Split(s, "\n")
	var out []string
	for _, l := range lines {
		out = append(out, wrapLine(l, width, indent)...)
	}
	return strings.Join(out, "\n")
}

// escape is an ANSI sequence found at a byte offset of the plain text.
type escape struct {
	at  int
	seq string
}

// splitANSI takes the ANSI sequences (and the code marks) out of s.
func splitANSI(s string) (plain string, escs []escape) {
	if !strings.Contains(s, "\x1b") && !strings.Contains(s, codeOpen) && !strings.Contains(s, codeClose) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if m := s[i:min(i+len(codeOpen), len(s))]; m == codeOpen || m == codeClose {
			escs = append(escs, escape{at: b.Len(), seq: m})
			i += len(m) - 1
			continue
		}
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			end := min(j+1, len(s))
			escs = append(escs, escape{at: b.Len(), seq: s[i:end]})
			i = end - 1
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), escs
}

func wrapLine(line string, width, hang int) []string {
	plain, escs := splitANSI(line)
	if uniseg.StringWidth(plain) <= width {
		return []string{line}
	}
	m := bullet.FindStringSubmatch(plain)
	indent := strings.Repeat(" ", uniseg.StringWidth(m[0]))
	if hang >= 0 {
		indent = strings.Repeat(" ", hang)
	}
	if uniseg.StringWidth(indent) > width/2 {
		indent = ""
	}
	// Break opportunities: end offsets of line segments.
	type seg struct {
		start, end, w, trail int
		code                 bool // holds inline code
	}
	var segs []seg
	rest, state, off := plain[len(m[0]):], -1, len(m[0])
	code := codeSpans(plain, escs)
	for len(rest) > 0 {
		var s string
		s, rest, _, state = uniseg.FirstLineSegmentInString(rest, state)
		trimmed := strings.TrimRight(s, " ")
		sg := seg{start: off, end: off + len(s), w: uniseg.StringWidth(trimmed), trail: len(s) - len(trimmed)}
		off += len(s)
		n := len(segs)
		if n == 0 {
			segs = append(segs, sg)
			continue
		}
		// Never break after a hyphen or a slash inside a word: "--impair",
		// "/done" and "HTTP/1.1" are commands and names a learner will
		// type; nor inside inline code.
		prev := &segs[n-1]
		word := prev.trail == 0 && (strings.HasSuffix(plain[prev.start:prev.end], "-") || strings.HasSuffix(plain[prev.start:prev.end], "/"))
		// A dash opening a clause stays on the line before it, as Russian
		// sets it (a no-break space before "—").
		dash := strings.HasPrefix(plain[sg.start:], "—") && prev.trail > 0
		if in := inside(code, sg.start); word || in || dash {
			prev.end, prev.trail, prev.code = sg.end, sg.trail, prev.code || in
			prev.w = uniseg.StringWidth(plain[prev.start : prev.end-prev.trail])
			continue
		}
		segs = append(segs, sg)
	}

	type span struct{ start, end int }
	var spans []span
	lineStart, used := 0, uniseg.StringWidth(m[0])
	lineEnd := len(m[0])
	first := true
	for _, sg := range segs {
		if used+sg.w > width && lineEnd > lineStart && !(first && lineEnd == len(m[0])) {
			spans = append(spans, span{lineStart, lineEnd})
			first = false
			lineStart = sg.start
			used = uniseg.StringWidth(indent)
		}
		// A segment wider than a whole line: cut it by characters.
		// ...but inline code, a command to copy, goes on a line of its
		// own whole: the terminal wraps it, and copies it as one line.
		for used+sg.w > width && sg.w > 0 && !sg.code {
			cut, cw := cutWidth(plain[sg.start:sg.end-sg.trail], width-used)
			if cut == 0 {
				break
			}
			spans = append(spans, span{lineStart, sg.start + cut})
			first = false
			sg.start += cut
			sg.w -= cw
			lineStart = sg.start
			used = uniseg.StringWidth(indent)
		}
		used += sg.w + sg.trail
		lineEnd = sg.end - sg.trail
	}
	spans = append(spans, span{lineStart, len(plain)})

	out := make([]string, 0, len(spans))
	e := 0
	for i, sp := range spans {
		var b strings.Builder
		if i > 0 {
			b.WriteString(indent)
		}
		for p := sp.start; p <= sp.end; p++ {
			for e < len(escs) && escs[e].at == p && (p < sp.end || i == len(spans)-1) {
				b.WriteString(escs[e].seq)
				e++
			}
			if p < sp.end {
				b.WriteByte(plain[p])
			}
		}
		// Escapes that sit in the dropped blanks between two lines.
		if i < len(spans)-1 {
			for e < len(escs) && escs[e].at < spans[i+1].start {
				b.WriteString(escs[e].seq)
				e++
			}
		}
		out = append(out, strings.TrimRight(b.String(), " "))
	}
	return out
}

// codeSpans returns the byte ranges of plain that are inline code: between
// the code marks, or between two backticks.
func codeSpans(plain string, escs []escape) [][2]int {
	var spans [][2]int
	open := -1
	for _, e := range escs {
		switch {
		case e.seq == codeOpen:
			open = e.at
		case e.seq == codeClose && open >= 0:
			spans = append(spans, [2]int{open, e.at})
			open = -1
		}
	}
	for i := 0; ; {
		a := strings.IndexByte(plain[i:], '`')
		if a < 0 {
			break
		}
		b := strings.IndexByte(plain[i+a+1:], '`')
		if b < 0 {
			break
		}
		spans = append(spans, [2]int{i + a, i + a + 1 + b + 1})
		i += a + 1 + b + 1
	}
	return spans
}

// inside reports whether the byte offset at lies within one of spans,
// past its first byte: a break there would split the span.
func inside(spans [][2]int, at int) bool {
	for _, s := range spans {
		if at > s[0] && at < s[1] {
			return true
		}
	}
	return false
}

// cutWidth returns how many bytes of s fit in w cells (at least one
// character) and their width.
func cutWidth(s string, w int) (int, int) {
	n, used := 0, 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		cw := g.Width()
		if used+cw > w && n > 0 {
			break
		}
		n += len(g.Str())
		used += cw
	}
	return n, used
}

// FoldMark ends a row Fold cut: the line goes on in the next row.
const FoldMark = "↩"

// Fold breaks every line of s wider than width into rows of width-1
// cells, each ended by mark: for data, which must be shown as it is (no
// re-wrapping between words, which would change where its lines end),
// yet fit the terminal. The rows joined without their marks give s back.
func Fold(s string, width int, mark string) string {
	if width < 2 {
		return s
	}
	lines := strings.Split(s, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		for uniseg.StringWidth(l) > width {
			n, _ := cutWidth(l, width-1)
			b.WriteString(l[:n])
			b.WriteString(mark)
			b.WriteByte('\n')
			l = l[n:]
		}
		b.WriteString(l)
	}
	return b.String()
}

// WrapItems wraps s, a list of items joined by sep (" · " in a key
// help line), to width, breaking only between items: an item is broken
// only when it is wider than a whole line.
func WrapItems(s, sep string, width int) string {
	items := strings.Split(s, sep)
	if len(items) == 1 {
		return Wrap(s, width)
	}
	for i, it := range items {
		if Width(it)+Width(sep) <= width {
			items[i] = codeOpen + it + codeClose
		}
	}
	return unmark(Wrap(strings.Join(items, sep), width))
}
