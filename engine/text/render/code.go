package render

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Inline code is marked for the wrapper by two private-use characters
// around its text, which glamour passes through as text: the wrapper
// keeps what lies between them on one line, and takes no room for them.
const (
	codeOpen  = "\ue000"
	codeClose = "\ue001"
)

// markCode puts the code marks around the text of every inline code
// span of the markdown md.
func markCode(md string) string {
	src := []byte(md)
	root := goldmark.DefaultParser().Parse(text.NewReader(src))
	var spans [][2]int
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		cs, ok := n.(*ast.CodeSpan)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		start, stop := -1, -1
		for c := cs.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				if start < 0 {
					start = t.Segment.Start
				}
				stop = t.Segment.Stop
			}
		}
		if start >= 0 && stop > start {
			spans = append(spans, [2]int{start, stop})
		}
		return ast.WalkSkipChildren, nil
	})
	if len(spans) == 0 {
		return md
	}
	var b strings.Builder
	b.Grow(len(md) + len(spans)*2*len(codeOpen))
	at := 0
	for _, sp := range spans {
		b.WriteString(md[at:sp[0]])
		b.WriteString(codeOpen)
		b.WriteString(md[sp[0]:sp[1]])
		b.WriteString(codeClose)
		at = sp[1]
	}
	b.WriteString(md[at:])
	return b.String()
}

// unmark removes the code marks.
func unmark(s string) string {
	if !strings.Contains(s, codeOpen) && !strings.Contains(s, codeClose) {
		return s
	}
	return strings.NewReplacer(codeOpen, "", codeClose, "").Replace(s)
}
