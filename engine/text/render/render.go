// Package render draws the course in the terminal: markdown through
// glamour, wrapped at the terminal's width (Chinese included, where no
// spaces mark the breaks), with colour only on a terminal and never under
// NO_COLOR.
package render

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
	"github.com/clipperhouse/displaywidth"
	"golang.org/x/term"
)

// Term describes where output goes.
type Term struct {
	Width int  // columns to wrap at
	Color bool // emit ANSI colour
	TTY   bool // stdout is a terminal
}

// DefaultWidth is the width used when the terminal's is unknown.
const DefaultWidth = 80

// Measure caps the width prose is wrapped at: longer lines are hard to
// read. Packet lists, ladders and tables use the terminal's whole width.
const Measure = 100

// Prose is the width to wrap prose at: the terminal's, up to Measure.
func (t Term) Prose() int { return min(t.Width, Measure) }

// Detect inspects f (normally os.Stdout) and the environment: the
// width is the terminal's, else COLUMNS, else DefaultWidth.
func Detect(f *os.File, getenv func(string) string) Term {
	t := Term{Width: DefaultWidth}
	fd := int(f.Fd())
	t.TTY = term.IsTerminal(fd)
	if t.TTY {
		if w, _, err := term.GetSize(fd); err == nil && w > 0 {
			t.Width = w
		}
	}
	if c, err := strconv.Atoi(getenv("COLUMNS")); err == nil && c > 0 && !t.TTY {
		t.Width = c
	}
	t.Color = t.TTY && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
	return t
}

// Renderer turns markdown into terminal text.
type Renderer struct {
	t  Term
	md *glamour.TermRenderer
}

// New returns a Renderer for t.
func New(t Term) (*Renderer, error) {
	if t.Width <= 0 {
		t.Width = DefaultWidth
	}
	style := plainStyle()
	if t.Color {
		style = styles.DarkStyleConfig
		// Headings stand out by colour; the "## " glamour keeps before
		// them is markdown showing through.
		style.H1.Prefix, style.H2.Prefix, style.H3.Prefix = "", "", ""
		// Code stands out by colour; the no-break blanks glamour pads it
		// with would start a wrapped line with a blank.
		style.Code.Prefix, style.Code.Suffix = "", ""
	}
	md, err := glamour.NewTermRenderer(
		glamour.WithStyles(style),
		glamour.WithWordWrap(0), // Wrap does it, knowing Chinese
	)
	if err != nil {
		return nil, err
	}
	return &Renderer{t: t, md: md}, nil
}

// plainStyle is glamour's ASCII style without the markdown markers it
// leaves around bold, italic and headings: text for a pipe or a file
// should read as prose, with code marked.
func plainStyle() ansi.StyleConfig {
	s := styles.ASCIIStyleConfig
	s.Strong.BlockPrefix, s.Strong.BlockSuffix = "", ""
	s.Emph.BlockPrefix, s.Emph.BlockSuffix = "", ""
	s.H1.Prefix, s.H2.Prefix, s.H3.Prefix = "", "", ""
	// Inline code keeps its backticks: without colour nothing else tells
	// `hello server` from the prose around it. (glamour's ASCII style
	// puts them in BlockPrefix, which inline code does not use.)
	s.Code.BlockPrefix, s.Code.BlockSuffix = "", ""
	s.Code.Prefix, s.Code.Suffix = "`", "`"
	return s
}

// Text wraps a plain message (not markdown) to the prose width.
func (r *Renderer) Text(s string) string { return Wrap(s, r.t.Prose()) }

// Term returns the terminal the renderer draws for.
func (r *Renderer) Term() Term { return r.t }

// Markdown renders markdown text, wrapped at the prose width; inline
// code is never broken across lines unless it is wider than a line.
func (r *Renderer) Markdown(s string) (string, error) {
	var b strings.Builder
	for i, part := range splitTables(s) {
		if i%2 == 1 { // a table
			b.WriteString(r.table(part) + "\n")
			continue
		}
		if strings.TrimSpace(part) == "" {
			continue
		}
		out, err := r.md.Render(markCode(unwrapLists(part)))
		if err != nil {
			return "", err
		}
		// glamour pads every line to the wrap width; the padding only
		// gets in the way of copying text and of narrower windows.
		lines := strings.Split(out, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
		text := unmark(Wrap(strings.Join(lines, "\n"), r.t.Prose()))
		if b.Len() > 0 {
			text = strings.TrimPrefix(text, "\n")
		}
		b.WriteString(text)
	}
	return b.String(), nil
}

// splitTables cuts markdown into pieces: text, a pipe table, text, a
// table, and so on (the first and last may be empty). Fenced code is
// never a table.
func splitTables(md string) []string {
	parts := []string{""}
	fence, inTable := false, false
	for _, l := range strings.SplitAfter(md, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = !fence
		}
		row := !fence && strings.HasPrefix(t, "|")
		if row != inTable {
			parts = append(parts, "")
			inTable = row
		}
		parts[len(parts)-1] += l
	}
	return parts
}

// table draws a markdown pipe table with Table, which fits the width as
// glamour's (lipgloss's) table does not: it keeps words whole (see
// TestWhyOwnTable). Inline markup is taken out of the cells; code keeps
// its backticks when there is no colour to mark it.
func (r *Renderer) table(md string) string {
	var rows [][]string
	for _, l := range strings.Split(strings.TrimSpace(md), "\n") {
		l = strings.TrimSpace(l)
		l = strings.TrimSuffix(strings.TrimPrefix(l, "|"), "|")
		cells := strings.Split(strings.ReplaceAll(l, `\|`, "\x00"), "|")
		sep := true
		for i, c := range cells {
			c = strings.TrimSpace(c)
			if strings.Trim(c, ":-") != "" || c == "" {
				sep = false
			}
			c = strings.NewReplacer("**", "", "__", "", "\x00", "|").Replace(c)
			if r.t.Color {
				c = r.Paint(Plain, strings.ReplaceAll(c, "`", ""))
			}
			cells[i] = c
		}
		if sep {
			continue // the |---|---| line
		}
		rows = append(rows, append([]string{""}, cells...))
	}
	laid := TableRows(rows, r.t.Prose())
	var lines []string
	for i, row := range laid {
		lines = append(lines, row...)
		if i == 0 && len(laid) > 1 { // the rule under the header
			lines = append(lines, "")
		}
	}
	if len(laid) > 1 {
		rule := "  " + strings.Repeat("─", min(maxWidth(lines), r.t.Prose())-2)
		if r.t.Color {
			rule = r.Paint(Dim, rule)
		}
		lines[len(laid[0])] = rule
	}
	return strings.Join(lines, "\n") + "\n"
}

func maxWidth(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, Width(l))
	}
	return w
}

var listItem = regexp.MustCompile(`^\s*([-*+]|\d+[.)])\s`)

// unwrapLists joins the indented continuation lines of a list item onto
// the item's line. glamour keeps a list item's source line breaks, so a
// translator's hand-wrapped item would come out ragged; joined, glamour
// wraps it to the terminal. Chinese lines join without a space.
func unwrapLists(md string) string {
	lines := strings.Split(md, "\n")
	out := lines[:0]
	inItem, fence := false, false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = !fence
			inItem = false
			out = append(out, l)
			continue
		}
		switch {
		case fence || t == "":
			inItem = false
		case listItem.MatchString(l):
			inItem = true
		case inItem && l != t && len(out) > 0:
			prev := out[len(out)-1]
			sep := " "
			if r, _ := utf8.DecodeLastRuneInString(prev); r >= 0x2E80 {
				if r2, _ := utf8.DecodeRuneInString(t); r2 >= 0x2E80 {
					sep = ""
				}
			}
			out[len(out)-1] = prev + sep + t
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// Width returns the display width of s in terminal cells, ignoring ANSI
// escape sequences: a Chinese character takes two.
func Width(s string) int {
	return displaywidth.String(StripANSI(s))
}

// StripANSI removes CSI escape sequences (colours, styles).
func StripANSI(s string) string {
	plain, _ := splitANSI(s)
	return plain
}

// Style names a colour role.
type Style int

// The colour roles.
const (
	Plain   Style = iota
	Client        // what the client sent
	Server        // what the server sent
	Dim           // secondary text
	Good          // a right answer
	Bad           // a wrong answer
	Heading       // a title
)

var sgr = map[Style]string{
	Client:  "\x1b[36m",
	Server:  "\x1b[33m",
	Dim:     "\x1b[2m",
	Good:    "\x1b[32m",
	Bad:     "\x1b[31m",
	Heading: "\x1b[1m",
}

// Paint wraps s in the style's colour when the terminal has colour.
func (r *Renderer) Paint(st Style, s string) string {
	code, ok := sgr[st]
	if !ok || !r.t.Color || s == "" {
		return s
	}
	return code + s + "\x1b[0m"
}
