// Package contentcheck finds what a translator has to fix in a content
// tree: missing lesson files and messages, section ids missing or extra,
// placeholders that differ from English, plural forms a language needs
// but lacks, and translations that are stale because the English changed
// since their source_hash. Each finding names the file, the line and
// what to do, as a message id of ui.toml (check.*) with its data.
package contentcheck

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"wiretutor/engine/course/doc"
	"wiretutor/engine/text/i18n"
)

// Lesson is what the check needs of a lesson: its id, the sections its
// steps show, and the ui.toml messages it names (a requirement's
// require.<id>, a task's task.<id>).
type Lesson struct {
	ID       string
	Sections []string
	Messages []string
	// Manifest is the course file of the tree that defines the lesson,
	// and SectionLines the line there of the step that shows each
	// section: a step naming a section English lacks is told there. With
	// no Manifest it is told in the English text.
	Manifest     string
	SectionLines map[string]int
}

// Finding is one thing to fix.
type Finding struct {
	File string // slash-separated, inside the content tree: "ru/chat.md"
	Line int    // from 1; 0 when it concerns the whole file
	ID   string // the check.* message that says what and what to do
	// Data are its placeholders; a value that is a message.Msg (why a
	// template or a document does not parse) is a sentence of its own.
	Data map[string]any
}

// String is the finding for logs and tests: file:line: id data.
func (f Finding) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s %v", f.File, f.Line, f.ID, f.Data)
	}
	return fmt.Sprintf("%s: %s %v", f.File, f.ID, f.Data)
}

// checker gathers findings.
type checker struct {
	fsys fs.FS
	out  []Finding
}

func (c *checker) add(file string, line int, id string, data map[string]any) {
	c.out = append(c.out, Finding{File: file, Line: line, ID: id, Data: data})
}

// Check checks every language of fsys against English for the lessons.
func Check(fsys fs.FS, lessons []Lesson) []Finding {
	c := &checker{fsys: fsys}
	langs := i18n.Available(fsys)
	enUI := c.ui("en", nil)
	if enUI != nil {
		c.needed(enUI, lessons)
	}
	enDocs := map[string]*doc.Doc{}
	for _, l := range lessons {
		enDocs[l.ID] = c.lessonDoc("en", l, nil)
	}
	for _, lang := range langs[1:] {
		c.ui(lang, enUI)
		for _, l := range lessons {
			if en := enDocs[l.ID]; en != nil {
				c.lessonDoc(lang, l, en)
			}
		}
	}
	for _, lang := range langs {
		c.strays(lang, lessons)
	}
	misnamed := i18n.Misnamed(fsys)
	for _, name := range slices.Sorted(maps.Keys(misnamed)) {
		c.add(name, 0, "content_check.folder_name", map[string]any{"Folder": name, "Tag": misnamed[name]})
	}
	return c.out
}

// lessonDoc checks lang/<id>.md; en is the English document (nil when
// lang is English). It returns the parsed document, or nil.
func (c *checker) lessonDoc(lang string, l Lesson, en *doc.Doc) *doc.Doc {
	file := lang + "/" + l.ID + ".md"
	data, err := fs.ReadFile(c.fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		c.add(file, 0, "content_check.lesson_missing", map[string]any{"Lang": lang, "Lesson": l.ID})
		return nil
	}
	if err != nil {
		c.add(file, 0, "content_check.unreadable", map[string]any{"Err": err.Error()})
		return nil
	}
	d, err := doc.Parse(data)
	if err != nil {
		de := &doc.Error{Code: doc.CodeRead, Detail: err.Error()}
		errors.As(err, &de)
		c.add(file, de.Line, "content_check.doc_syntax", map[string]any{"Why": de.Reason()})
		return nil
	}
	front := frontLines(data)
	if d.ID != l.ID {
		c.add(file, front["id"], "content_check.wrong_id", map[string]any{"Got": d.ID, "Want": l.ID})
	}
	if strings.TrimSpace(d.Title) == "" {
		c.add(file, front["title"], "content_check.no_title", nil)
	}
	for i := range d.Sections {
		s := &d.Sections[i]
		if err := s.Check(); err != nil {
			c.templateError(file, err, map[string]any{"Section": s.ID}, "content_check.section_syntax", "content_check.section_refused")
		}
	}
	if en == nil {
		for _, id := range l.Sections {
			switch {
			case d.Section(id) != nil:
			case l.Manifest != "":
				c.add(l.Manifest, l.SectionLines[id], "content_check.step_section_unknown", map[string]any{"Section": id, "File": file})
			default:
				c.add(file, 0, "content_check.step_section_missing", map[string]any{"Section": id})
			}
		}
		return d
	}
	// Sections: the same ids as English.
	prev := 1
	for _, es := range en.Sections {
		s := d.Section(es.ID)
		if s == nil {
			c.add(file, prev, "content_check.section_missing", map[string]any{"Section": es.ID, "Heading": es.Heading, "EnLine": es.Line})
			continue
		}
		prev = s.Line
		c.placeholders(file, s, &es)
	}
	for _, s := range d.Sections {
		if en.Section(s.ID) == nil {
			c.add(file, s.Line, "content_check.section_extra", map[string]any{"Section": s.ID})
		}
	}
	if want := en.Hash(); d.SourceHash != want {
		line := front["source_hash"]
		if line == 0 {
			line = 1
		}
		id := "content_check.stale"
		if d.SourceHash == "" {
			id = "content_check.no_source_hash"
		}
		c.add(file, line, id, map[string]any{"Lang": lang, "Lesson": l.ID, "Have": d.SourceHash, "Want": want})
	}
	return d
}

// templateError adds the finding for a template that fails doc's
// grammar: syntaxID with Why (what is wrong, a message) for one that
// does not parse, refusedID with What for a construct it refuses, on
// the line of the error.
func (c *checker) templateError(file string, err error, data map[string]any, syntaxID, refusedID string) {
	var te *doc.TemplateError
	if !errors.As(err, &te) {
		data["Why"] = (&doc.TemplateError{Err: err.Error()}).Reason()
		c.add(file, 0, syntaxID, data)
		return
	}
	if te.What != "" {
		data["What"] = te.What
		c.add(file, te.Line, refusedID, data)
		return
	}
	data["Why"] = te.Reason()
	c.add(file, te.Line, syntaxID, data)
}

// placeholders compares a translated section's placeholders with the
// English one's, naming the line of each stray one. A section that
// fails the grammar (reported already) is not compared.
func (c *checker) placeholders(file string, s, en *doc.Section) {
	if s.Check() != nil || en.Check() != nil {
		return
	}
	got, want := fieldNames(s.Fields()), fieldNames(en.Fields())
	seen := map[string]bool{}
	for _, f := range s.Fields() {
		if !slices.Contains(want, f.Name) && !seen[f.Name] {
			seen[f.Name] = true
			c.add(file, f.Line, "content_check.placeholder_extra", map[string]any{"Name": "{{." + f.Name + "}}", "Section": s.ID, "Want": braces(want)})
		}
	}
	for _, p := range want {
		if !slices.Contains(got, p) {
			c.add(file, s.Line, "content_check.placeholder_missing", map[string]any{"Name": "{{." + p + "}}", "Section": s.ID})
		}
	}
}

// fieldNames are the sorted, unique names of fields.
func fieldNames(fields []doc.Field) []string {
	var names []string
	for _, f := range fields {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

func braces(names []string) string {
	if len(names) == 0 {
		return "—"
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "{{." + n + "}}"
	}
	return strings.Join(out, " ")
}

// ui checks lang/ui.toml against English (en is nil when lang is
// English) and returns its messages.
func (c *checker) ui(lang string, en map[string]map[string]string) map[string]map[string]string {
	file := lang + "/ui.toml"
	data, err := fs.ReadFile(c.fsys, file)
	if err != nil {
		c.add(file, 0, "content_check.ui_missing", map[string]any{"Lang": lang})
		return nil
	}
	msgs, err := Messages(data)
	if err != nil {
		line := 0
		var pe toml.ParseError
		if errors.As(err, &pe) {
			// The line of the offending byte: toml counts a newline that
			// ends a broken line as the start of the next one.
			line = pe.Position.Line
			if st := pe.Position.Start; st >= 0 && st <= len(data) {
				line = strings.Count(string(data[:st]), "\n") + 1
			}
		}
		c.add(file, line, "content_check.ui_syntax", map[string]any{"Err": errText(err)})
		return nil
	}
	lines := keyLines(data)
	forms := i18n.PluralForms(lang)
	ids := make([]string, 0, len(msgs))
	for id := range msgs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		m := msgs[id]
		for _, f := range sortedKeys(m) {
			if _, err := doc.Compile(m[f], doc.Fields); err != nil {
				c.templateError(file, err, map[string]any{"ID": id}, "content_check.message_syntax", "content_check.message_refused")
				last := &c.out[len(c.out)-1]
				last.Line = textLine(data, lineFor(lines, id, f), last.Line)
			}
		}
		if en == nil {
			if len(m) > 1 {
				c.pluralForms(file, lines, id, m, forms)
			}
			continue
		}
		em, ok := en[id]
		if !ok {
			c.add(file, lineFor(lines, id, ""), "content_check.message_extra", map[string]any{"ID": id})
			continue
		}
		if len(em) > 1 {
			c.pluralForms(file, lines, id, m, forms)
		}
		want := doc.Placeholders(em["other"])
		for _, f := range sortedKeys(m) {
			got := doc.Placeholders(m[f])
			for _, p := range got {
				if !slices.Contains(want, p) {
					c.add(file, lineFor(lines, id, f), "content_check.message_placeholder_extra", map[string]any{"ID": id, "Name": "{{." + p + "}}", "Want": braces(want)})
				}
			}
			// A plural form may leave the count out ("один пакет"), nothing else.
			for _, p := range want {
				if !slices.Contains(got, p) && !(len(em) > 1 && p == "Count") {
					c.add(file, lineFor(lines, id, f), "content_check.message_placeholder_missing", map[string]any{"ID": id, "Name": "{{." + p + "}}"})
				}
			}
		}
	}
	if en != nil {
		enIDs := make([]string, 0, len(en))
		for id := range en {
			enIDs = append(enIDs, id)
		}
		slices.Sort(enIDs)
		for _, id := range enIDs {
			if _, ok := msgs[id]; !ok {
				table, key := splitID(id)
				c.add(file, 0, "content_check.message_missing", map[string]any{"ID": id, "Table": table, "Key": key})
			}
		}
	}
	return msgs
}

func (c *checker) pluralForms(file string, lines map[string]int, id string, m map[string]string, forms []string) {
	var missing []string
	for _, f := range forms {
		if _, ok := m[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		c.add(file, lineFor(lines, id, ""), "content_check.plural_missing", map[string]any{"ID": id, "Forms": strings.Join(missing, ", "), "Need": strings.Join(forms, ", ")})
	}
}

// needed reports the messages a lesson names that English lacks: a
// requirement or task of course.toml whose text nobody wrote.
func (c *checker) needed(en map[string]map[string]string, lessons []Lesson) {
	for _, l := range lessons {
		for _, id := range l.Messages {
			if _, ok := en[id]; !ok {
				c.add("en/ui.toml", 0, "content_check.message_needed", map[string]any{"ID": id, "Lesson": l.ID})
			}
		}
	}
}

// strays finds files in a language folder that belong to no lesson (a
// misspelt name is never shown).
func (c *checker) strays(lang string, lessons []Lesson) {
	ents, err := fs.ReadDir(c.fsys, lang)
	if err != nil {
		return
	}
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".md" {
			continue
		}
		id := strings.TrimSuffix(name, ".md")
		if !slices.ContainsFunc(lessons, func(l Lesson) bool { return l.ID == id }) {
			c.add(lang+"/"+name, 0, "content_check.not_a_lesson", map[string]any{"Lesson": id})
		}
	}
}

// lineFor is the line of a message's form, else of the message.
func lineFor(lines map[string]int, id, form string) int {
	if form != "" {
		if n, ok := lines[id+"."+form]; ok {
			return n
		}
	}
	return lines[id]
}

// textLine is the line in the file of line n of a message whose key is
// on line key: the key's line for a one-line string, and counted from it
// for a multi-line one ("""…""", whose first newline TOML drops).
func textLine(data []byte, key, n int) int {
	if key <= 0 || n < 1 {
		return key
	}
	lines := strings.SplitN(string(data), "\n", key+1)
	if key > len(lines) {
		return key
	}
	l := lines[key-1]
	eq := strings.IndexByte(l, '=')
	if eq < 0 {
		return key
	}
	val := strings.TrimSpace(l[eq+1:])
	for _, q := range []string{`"""`, `'''`} {
		if strings.HasPrefix(val, q) {
			if strings.TrimSpace(val[len(q):]) == "" {
				return key + n
			}
			return key + n - 1
		}
	}
	return key
}

// splitID splits quiz.next_ack.prompt into the table [quiz.next_ack]
// and the key prompt.
func splitID(id string) (table, key string) {
	i := strings.LastIndexByte(id, '.')
	if i < 0 {
		return "", id
	}
	return id[:i], id[i+1:]
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// frontLines finds the lines of a document's front matter keys.
func frontLines(data []byte) map[string]int {
	lines := map[string]int{}
	for i, l := range strings.Split(string(data), "\n") {
		if i > 0 && strings.TrimSpace(l) == "+++" {
			break
		}
		if eq := strings.IndexByte(l, '='); eq > 0 {
			lines[strings.TrimSpace(l[:eq])] = i + 1
		}
	}
	return lines
}

// errText is an error's message without a position the finding already
// gives: the TOML parser's own words.
func errText(err error) string {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return pe.Message
	}
	return err.Error()
}
