package doc_test

import (
	"errors"
	"io/fs"
	"path"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course/doc"
)

func TestCompile(t *testing.T) {
	data := map[string]any{"Port": 10000, "Name": "eth0", "On": true, "Off": false, "Net": "kernel", "Zero": 0, "Empty": ""}
	tests := []struct {
		name, src string
		g         doc.Grammar
		want      string // the output, when it compiles
		line      int    // the error's line, when it does not
		what      string // the refused construct
	}{
		{"text", "plain } text }}", doc.Fields, "plain } text }}", 0, ""},
		{"field", "port {{.Port}} on {{ .Name }}", doc.Fields, "port 10000 on eth0", 0, ""},
		{"trim markers", "a {{- .Name -}} b", doc.Fields, "aeth0b", 0, ""},
		{"quoted braces", `{{"{{"}}.Name}}`, doc.Fields, "{{.Name}}", 0, ""},
		{"if in a section", "{{if .On}}yes{{else}}no{{end}}", doc.Conditions, "yes", 0, ""},
		{"else if", "{{if .Off}}a{{else if eq .Net \"kernel\"}}b{{else}}c{{end}}", doc.Conditions, "b", 0, ""},
		{"ne and not", "{{if ne .Net \"sandbox\"}}k{{end}}{{if not .Empty}}e{{end}}{{if .Zero}}z{{end}}", doc.Conditions, "ke", 0, ""},
		{"eq number", "{{if eq .Port 10000}}p{{end}}", doc.Conditions, "p", 0, ""},
		{"constant first", "{{if eq \"kernel\" .Net}}k{{end}}", doc.Conditions, "k", 0, ""},

		{"if in a message", "a\n{{if .On}}x{{end}}", doc.Fields, "", 2, "{{if}}"},
		{"range", "{{range 100000}}{{range 100000}}x{{end}}{{end}}", doc.Conditions, "", 1, "{{range}}"},
		{"range inside if", "{{if .On}}\n\n{{range .Name}}x{{end}}{{end}}", doc.Conditions, "", 3, "{{range}}"},
		{"with", "{{with .Name}}{{.}}{{end}}", doc.Conditions, "", 1, "{{with}}"},
		{"template", "x\n{{template \"t\"}}", doc.Conditions, "", 2, "{{template}}"},
		{"define", "{{define \"t\"}}{{template \"t\"}}{{end}}", doc.Conditions, "", 1, "{{define}}"},
		{"define named like the main one", "{{define \"t\"}}x{{end}}", doc.Conditions, "", 1, "{{define}}"},
		{"block", "{{block \"b\" .}}x{{end}}", doc.Conditions, "", 1, "{{define}}"},
		{"call", "{{call .Name}}", doc.Fields, "", 1, "{{call}}"},
		{"printf", "{{printf \"%s\" .Name}}", doc.Fields, "", 1, "{{printf}}"},
		{"pipe", "{{.Name | len}}", doc.Fields, "", 1, "|"},
		{"variable", "{{$x := .Name}}{{$x}}", doc.Fields, "", 1, "$"},
		{"variable alone", "{{$}}", doc.Fields, "", 1, "$"},
		{"dot", "{{.}}", doc.Fields, "", 1, "{{.}}"},
		{"chain", "{{.Name.Len}}", doc.Fields, "", 1, "{{.Name.Len}}"},
		{"method call", "{{.Name 1}}", doc.Fields, "", 1, "{{.Name …}}"},
		{"comment", "a\nb {{/* hidden */}}", doc.Fields, "", 2, "{{/* */}}"},
		{"number", "{{42}}", doc.Fields, "", 1, "{{42}}"},
		{"parenthesised", "{{(.Name)}}", doc.Fields, "", 1, "( )"},
		{"and in a condition", "{{if and .On .Off}}x{{end}}", doc.Conditions, "", 1, "{{and}}"},
		{"eq of two fields", "{{if eq .On .Off}}x{{end}}", doc.Conditions, "", 1, "{{.Off}}"},

		{"syntax", "one\ntwo {{.Name", doc.Fields, "", 2, ""},
		{"unclosed if", "{{if .On}}\nx\n", doc.Conditions, "", 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, err := doc.Compile(tt.src, tt.g)
			if tt.line == 0 {
				if err != nil {
					t.Fatal(err)
				}
				got, err := tm.Execute(data)
				if err != nil || got != tt.want {
					t.Errorf("Execute = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			var te *doc.TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("Compile = %v, want a TemplateError", err)
			}
			if te.Line != tt.line || te.What != tt.what || (tt.what == "") != (te.Err != "") {
				t.Errorf("error %+v, want line %d, what %q", te, tt.line, tt.what)
			}
		})
	}
}

func TestExecuteMissing(t *testing.T) {
	tests := []struct {
		name, src string
		data      any
		line      int
	}{
		{"map without the key", "a\n{{.Nmae}}", map[string]any{"Name": 1}, 2},
		{"nil data", "{{.Name}}", nil, 1},
		{"condition", "{{if .X}}{{end}}", map[string]any{}, 1},
		{"struct without the field", "{{.Nope}}", struct{ Name string }{"x"}, 1},
		{"unexported field", "{{.name}}", struct{ name string }{"x"}, 1},
		{"not a map", "{{.Name}}", 3, 1},
		{"incomparable", "{{if eq .Name \"x\"}}{{end}}", map[string]any{"Name": 1}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, err := doc.Compile(tt.src, doc.Conditions)
			if err != nil {
				t.Fatal(err)
			}
			out, err := tm.Execute(tt.data)
			var te *doc.TemplateError
			if !errors.As(err, &te) || te.Line != tt.line {
				t.Errorf("Execute = %q, %v; want an error on line %d", out, err, tt.line)
			}
			if strings.Contains(out, "no value") {
				t.Errorf("output %q", out)
			}
		})
	}
	type S struct{ Name string }
	tm, _ := doc.Compile("{{.Name}}", doc.Fields)
	if got, err := tm.Execute(&S{"eth0"}); err != nil || got != "eth0" {
		t.Errorf("struct pointer: %q, %v", got, err)
	}
}

func TestSectionErrorLine(t *testing.T) {
	src := "+++\nid = \"x\"\n+++\n\n## A {#a}\n\nfirst line\n\nsecond {{.Prot\n\n## B {#b}\n\n{{range .X}}\n{{end}}\n\n## C {#c}\nok {{.Port}}\nand {{if .On}}{{.Other}}{{end}}\n"
	d, err := doc.Parse([]byte(src))
	if err != nil {
		t.Fatalf("a broken section must not make the document unreadable: %v", err)
	}
	for id, want := range map[string]int{"a": 9, "b": 13} {
		var te *doc.TemplateError
		if err := d.Section(id).Check(); !errors.As(err, &te) || te.Line != want {
			t.Errorf("section %s: Check = %v, want line %d", id, err, want)
		}
		if _, err := d.Section(id).Render(map[string]any{}); err == nil {
			t.Errorf("section %s renders", id)
		}
	}
	c := d.Section("c")
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	want := []doc.Field{{Name: "Port", Line: 17}, {Name: "On", Line: 18}, {Name: "Other", Line: 18}}
	if got := c.Fields(); len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("Fields = %v, want %v", got, want)
	}
	var te *doc.TemplateError
	if _, err := c.Render(map[string]any{"Port": 1, "On": true}); !errors.As(err, &te) || te.Line != 18 {
		t.Errorf("missing value: %v, want line 18", err)
	}
}

func TestFill(t *testing.T) {
	parse := func(body string) *doc.Section {
		d, err := doc.Parse([]byte("+++\n+++\n## A {#a}\n" + body))
		if err != nil {
			t.Fatal(err)
		}
		return d.Section("a")
	}
	en := parse("port {{.Port}}")
	data := map[string]any{"Port": 80}
	tests := []struct {
		name     string
		s, en    *doc.Section
		want     string
		how      doc.Filled
		wantsErr bool
	}{
		{"own", parse("порт {{.Port}}"), en, "порт 80", doc.Own, false},
		{"misspelt placeholder", parse("порт {{.Prot}}"), en, "port 80", doc.Fallback, true},
		{"refused construct", parse("{{range 100000}}x{{end}}"), en, "port 80", doc.Fallback, true},
		{"syntax", parse("порт {{.Port"), en, "port 80", doc.Fallback, true},
		{"English broken too", parse("порт {{.Prot}}"), parse("port {{.Prt}}"), "порт {{.Prot}}", doc.Raw, true},
		{"no English", parse("port {{.Prot}}"), nil, "port {{.Prot}}", doc.Raw, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, how, err := doc.Fill(tt.s, tt.en, data)
			if got != tt.want || how != tt.how || (err != nil) != tt.wantsErr {
				t.Errorf("Fill = %q, %v, %v; want %q, %v", got, how, err, tt.want, tt.how)
			}
		})
	}
}

// Every section the course ships passes the grammar.
func TestShippedSections(t *testing.T) {
	files, err := fs.Glob(content.FS, "*/*.md")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	for _, f := range files {
		data, _ := fs.ReadFile(content.FS, f)
		d, err := doc.Parse(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, s := range d.Sections {
			if err := s.Check(); err != nil {
				t.Errorf("%s {#%s}: %v", path.Base(f), s.ID, err)
			}
		}
	}
}

func FuzzCompile(f *testing.F) {
	files, _ := fs.Glob(content.FS, "en/*.md")
	for _, name := range files {
		data, _ := fs.ReadFile(content.FS, name)
		if d, err := doc.Parse(data); err == nil {
			for _, s := range d.Sections {
				f.Add(s.Body)
			}
		}
	}
	f.Add("{{range 100000}}{{range 100000}}x{{end}}{{end}}")
	f.Add(`{{define "t"}}{{template "t"}}{{end}}{{template "t"}}`)
	f.Add("{{if eq .Net \"kernel\"}}k{{else if .On}}o{{else}}{{.Port}}{{end}}")
	f.Fuzz(func(t *testing.T, src string) {
		for _, g := range []doc.Grammar{doc.Fields, doc.Conditions} {
			tm, err := doc.Compile(src, g)
			if err != nil {
				continue
			}
			out, err := tm.Execute(map[string]any{"Net": "kernel", "On": true, "Port": 10000})
			if err == nil && len(out) > len(src)*8+64 {
				t.Fatalf("%d bytes out of %d", len(out), len(src))
			}
		}
	})
}

// TestTemplateCodes: a template that does not parse, or cannot run,
// says why by a code of its own, with what it names, so that a
// translator reads the reason in their language; the parser's words
// are left only for what no code names.
func TestTemplateCodes(t *testing.T) {
	for _, tt := range []struct {
		src, code, arg, got string
	}{
		{"a {{.Port", doc.TemplateUnclosed, "", ""},
		{"a {{.Port} b", doc.TemplateBadChar, "}", ""},
		{"a {{.Port — b", doc.TemplateBadChar, "—", ""},
		{"{{if .X}} a", doc.TemplateEOF, "", ""},
		{"a {{end}}", doc.TemplateUnexpected, "{{end}}", ""},
		{"{{.X}} {{else}}", doc.TemplateUnexpected, "{{else}}", ""},
		{`{{"abc}}`, doc.TemplateUnterminated, "", ""},
		{"{{if}}x{{end}}", doc.TemplateEmpty, "{{if}}", ""},
		{"{{if .X}}a{{else}}b{{else}}c{{end}}", doc.TemplateExpected, "{{end}}", "{{else}}"},
		{"{{-.X}}", "parser", "", ""},
	} {
		_, err := doc.Compile(tt.src, doc.Conditions)
		var te *doc.TemplateError
		if !errors.As(err, &te) {
			t.Fatalf("%q: %v, want a TemplateError", tt.src, err)
		}
		r := te.Reason()
		if r.ID != "content_check.template."+tt.code || te.Arg != tt.arg || te.Got != tt.got {
			t.Errorf("%q: %s, Arg %q, Got %q; want %s, %q, %q (%s)", tt.src, r.ID, te.Arg, te.Got, tt.code, tt.arg, tt.got, te.Err)
		}
	}
	tm, err := doc.Compile("{{.A}}{{if eq .B 3}}x{{end}}", doc.Conditions)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		data      map[string]any
		code, arg string
	}{
		{map[string]any{}, doc.TemplateNoValue, "A"},
		{map[string]any{"A": 1, "B": []int{}}, doc.TemplateCompare, "B"},
	} {
		_, err := tm.Execute(tt.data)
		var te *doc.TemplateError
		if !errors.As(err, &te) || te.Code != tt.code || te.Arg != tt.arg {
			t.Errorf("%v: %v (%+v), want %s of %s", tt.data, err, te, tt.code, tt.arg)
		}
	}
}
