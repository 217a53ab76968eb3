// Package doc reads the lesson documents translators edit: TOML front
// matter between "+++" lines, then level-2 sections whose stable ids
// ("## The handshake {#handshake}") tie them to a lesson's steps, with
// placeholders ({{.ClientPort}}) for live values and conditions
// ({{if .Combined}}…{{end}}). The placeholders look like Go templates
// but are never run by text/template: see Compile.
package doc

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"text/template/parse"

	"github.com/BurntSushi/toml"

	"wiretutor/engine/text/message"
)

// Doc is one lesson document in one language.
type Doc struct {
	ID         string `toml:"id"`
	Title      string `toml:"title"`
	SourceHash string `toml:"source_hash"` // hash of the English body it was translated from

	Sections []Section
	body     []byte
}

// Section is one "## Heading {#id}" and the text under it.
type Section struct {
	ID      string
	Heading string
	Body    string // markdown, without the heading line
	Line    int    // line of the heading in the file, from 1
	// BodyLine is the line of Body's first line in the file.
	BodyLine int

	tmpl *Template
	err  *TemplateError // why Body cannot be used, with the file's line
}

// Error is a problem at a place in a document. Code says what it is,
// one of the Code constants; Arg, First and Detail fill it in. Its
// sentence for a person is Reason, in the reader's language.
type Error struct {
	Line int
	Code string
	Arg  string // the section id used twice
	// First is the line where that id was first used.
	First int
	// Detail is what the TOML parser or the reader said, in its own
	// (English) words, for CodeFrontTOML and CodeRead.
	Detail string
}

// The codes of Error: each is ui.toml's content_check.doc.<code>.
const (
	CodeNoFront   = "no_front"   // the file does not start with "+++"
	CodeFrontOpen = "front_open" // no "+++" line closes the front matter
	CodeFrontTOML = "front_toml" // the front matter is not TOML (Detail)
	CodeHeadingID = "heading_id" // a "## " heading without {#id}
	CodeIDTwice   = "id_twice"   // {#Arg} again; First is where it was first
	CodeLongLine  = "long_line"  // a line longer than the reader takes
	CodeRead      = "read"       // the text could not be read (Detail)
)

// Error says where the problem is and what it is, in English, for logs
// and tests.
func (e *Error) Error() string {
	s := fmt.Sprintf("line %d: %s", e.Line, e.Code)
	if e.Arg != "" {
		s += fmt.Sprintf(" {#%s} (first on line %d)", e.Arg, e.First)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Reason is the sentence that says what is wrong, as a message of
// ui.toml (content_check.doc.*) with its data.
func (e *Error) Reason() message.Msg {
	return message.Msg{ID: "content_check.doc." + e.Code, Data: map[string]any{
		"Section": e.Arg, "First": e.First, "Detail": e.Detail}}
}

// Message names the sentence that tells a person the course text is
// broken, at Line, for Reason (the command line adds the file).
func (e *Error) Message() (string, map[string]any) {
	return "error.content_doc", map[string]any{"Line": e.Line, "Why": e.Reason()}
}

var headingRE = regexp.MustCompile(`^##\s+(.*?)\s*\{#([A-Za-z0-9_-]+)\}\s*$`)

// Parse reads a document.
func Parse(src []byte) (*Doc, error) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(src, []byte("+++\n")) {
		return nil, &Error{Line: 1, Code: CodeNoFront}
	}
	// The closing "+++" line: right after the opening one (empty front
	// matter) or after a newline; it ends the file or its own line.
	rest := src[4:]
	end, closeLen := -1, 0
	for i := 0; i+3 <= len(rest); i++ {
		if (i == 0 || rest[i-1] == '\n') && bytes.HasPrefix(rest[i:], []byte("+++")) &&
			(i+3 == len(rest) || rest[i+3] == '\n') {
			end, closeLen = i, 3
			if i+3 < len(rest) {
				closeLen = 4
			}
			break
		}
	}
	if end < 0 {
		return nil, &Error{Line: 1, Code: CodeFrontOpen}
	}
	front := src[4 : 4+end]
	d := &Doc{}
	if _, err := toml.Decode(string(front), d); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{Line: pe.Position.Line + 1, Code: CodeFrontTOML, Detail: pe.Message}
		}
		return nil, &Error{Line: 1, Code: CodeFrontTOML, Detail: err.Error()}
	}
	bodyStart := 4 + end + closeLen
	d.body = src[bodyStart:]
	line := bytes.Count(src[:bodyStart], []byte("\n")) + 1

	sc := bufio.NewScanner(bytes.NewReader(d.body))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var cur *Section
	var text strings.Builder
	fence := ""
	seen := map[string]int{}
	flush := func() {
		if cur != nil {
			raw := text.String()
			lead := strings.TrimLeft(raw, " \t\r\n")
			cur.BodyLine = cur.Line + 1 + strings.Count(raw[:len(raw)-len(lead)], "\n")
			cur.Body = strings.TrimSpace(raw)
			d.Sections = append(d.Sections, *cur)
		}
		text.Reset()
	}
	for ; sc.Scan(); line++ {
		l := sc.Text()
		if t := strings.TrimLeft(l, " "); strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			switch {
			case fence == "":
				fence = t[:3]
			case strings.HasPrefix(t, fence):
				fence = ""
			}
		}
		if fence == "" && strings.HasPrefix(l, "## ") {
			m := headingRE.FindStringSubmatch(l)
			if m == nil {
				return nil, &Error{Line: line, Code: CodeHeadingID}
			}
			if prev, dup := seen[m[2]]; dup {
				return nil, &Error{Line: line, Code: CodeIDTwice, Arg: m[2], First: prev}
			}
			seen[m[2]] = line
			flush()
			cur = &Section{ID: m[2], Heading: m[1], Line: line}
			continue
		}
		if cur != nil {
			text.WriteString(l)
			text.WriteByte('\n')
		}
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, &Error{Line: line, Code: CodeLongLine}
	} else if err != nil {
		return nil, &Error{Line: line, Code: CodeRead, Detail: err.Error()}
	}
	flush()
	// A section whose placeholders are broken does not make the document
	// unreadable: it is shown in English at run time, and Check says why.
	for i := range d.Sections {
		s := &d.Sections[i]
		t, err := Compile(s.Body, Conditions)
		if err != nil {
			s.err = s.fileLine(err)
			continue
		}
		s.tmpl = t
	}
	return d, nil
}

// fileLine turns a template's error into one whose line is the file's.
func (s *Section) fileLine(err error) *TemplateError {
	var te *TemplateError
	if !errors.As(err, &te) {
		return &TemplateError{Line: s.BodyLine, Err: err.Error()}
	}
	c := *te
	c.Line = s.BodyLine + te.Line - 1
	return &c
}

// Check reports whether the section's text can be used: nil, or a
// *TemplateError whose Line is the line in the file.
func (s *Section) Check() error {
	if s.err != nil {
		return s.err
	}
	return nil
}

// Fields returns the section's placeholders in order, with their lines
// in the file; none when the section does not pass Check.
func (s *Section) Fields() []Field {
	if s.tmpl == nil {
		return nil
	}
	out := make([]Field, len(s.tmpl.fields))
	for i, f := range s.tmpl.fields {
		out[i] = Field{Name: f.Name, Line: s.BodyLine + f.Line - 1}
	}
	return out
}

// Section returns the section with the id, or nil.
func (d *Doc) Section(id string) *Section {
	for i := range d.Sections {
		if d.Sections[i].ID == id {
			return &d.Sections[i]
		}
	}
	return nil
}

// IDs returns the section ids in order.
func (d *Doc) IDs() []string {
	ids := make([]string, len(d.Sections))
	for i, s := range d.Sections {
		ids[i] = s.ID
	}
	return ids
}

// Hash is the hash of the document's body: what a translation records
// as source_hash when it is brought up to date with the English.
func (d *Doc) Hash() string {
	sum := sha256.Sum256(bytes.TrimSpace(d.body))
	return hex.EncodeToString(sum[:6])
}

// Placeholders returns the sorted, unique fields s uses anywhere in its
// template actions: {{.Port}}, {{if .Combined}}, {{if eq .Net "x"}}.
// A template that does not parse has none.
func Placeholders(s string) []string {
	trees, err := parse.Parse("p", s, "", "", map[string]any{"eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true, "and": true, "or": true, "not": true, "len": true, "index": true, "printf": true})
	if err != nil {
		return nil
	}
	var names []string
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					walk(c)
				}
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			names = append(names, n.Ident[0])
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		}
	}
	for _, t := range trees {
		walk(t.Root)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// Render fills a section's placeholders from data. A section that does
// not pass Check, or names a value data lacks, is an error (a
// *TemplateError with the file's line), never "<no value>".
func (s *Section) Render(data any) (string, error) {
	if s.err != nil {
		return "", fmt.Errorf("section {#%s}: %w", s.ID, s.err)
	}
	if s.tmpl == nil {
		// A Section not made by Parse.
		t, err := Compile(s.Body, Conditions)
		if err != nil {
			return "", fmt.Errorf("section {#%s}: %w", s.ID, s.fileLine(err))
		}
		s.tmpl = t
	}
	out, err := s.tmpl.Execute(data)
	if err != nil {
		return "", fmt.Errorf("section {#%s}: %w", s.ID, s.fileLine(err))
	}
	return out, nil
}

// Filled says what Fill could show.
type Filled int

const (
	// Own: the section itself, filled in.
	Own Filled = iota
	// Fallback: the section is broken; the fallback (English) is shown.
	Fallback
	// Raw: neither could be filled in; the section is shown as written,
	// placeholders and all.
	Raw
)

// Fill renders s from data; when s cannot be filled in, it renders
// fallback (the English section, or nil) instead, and when that fails
// too it returns s's text as written. It never fails: err is why s
// itself could not be used, for a notice.
func Fill(s, fallback *Section, data any) (text string, how Filled, err error) {
	text, err = s.Render(data)
	if err == nil {
		return text, Own, nil
	}
	if fallback != nil && fallback != s {
		if t, ferr := fallback.Render(data); ferr == nil {
			return t, Fallback, err
		}
	}
	return s.Body, Raw, err
}

// SetSourceHash returns src with its front matter's source_hash set to
// hash: the line is rewritten in place, or added before the closing
// "+++" when the front matter has none. Everything else stays byte for
// byte, line endings included.
func SetSourceHash(src []byte, hash string) ([]byte, error) {
	if _, err := Parse(src); err != nil {
		return nil, err
	}
	nl := "\n"
	if bytes.Contains(src, []byte("\r\n")) {
		nl = "\r\n"
	}
	lines := strings.SplitAfter(string(src), "\n")
	line := `source_hash = "` + hash + `"` + nl
	for i := 1; i < len(lines); i++ { // lines[0] opens the front matter
		t := strings.TrimSpace(lines[i])
		if t == "+++" {
			lines = slices.Insert(lines, i, line)
			return []byte(strings.Join(lines, "")), nil
		}
		if k, _, ok := strings.Cut(t, "="); ok && strings.TrimSpace(k) == "source_hash" {
			lines[i] = line
			return []byte(strings.Join(lines, "")), nil
		}
	}
	return nil, &Error{Line: 1, Code: CodeFrontOpen}
}
