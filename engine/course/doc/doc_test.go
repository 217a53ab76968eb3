package doc_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"wiretutor/engine/course/doc"
)

func TestParse(t *testing.T) {
	src := "+++\nid = \"x\"\ntitle = \"T\"\n+++\n\nintro ignored\n\n## One {#one}\nHi {{.Port}}.\n\n```\n## not a heading\n```\n## Two {#two}\n{{.A}} and {{ .B }} and {{.A}}{{if .C}}x{{else if eq .D \"y\"}}z{{end}}\n"
	d, err := doc.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "x" || d.Title != "T" || !reflect.DeepEqual(d.IDs(), []string{"one", "two"}) {
		t.Fatalf("parsed %+v", d)
	}
	if got := doc.Placeholders(d.Section("two").Body); !reflect.DeepEqual(got, []string{"A", "B", "C", "D"}) {
		t.Errorf("placeholders %v", got)
	}
	out, err := d.Section("one").Render(map[string]any{"Port": 10000})
	if err != nil || out[:len("Hi 10000.")] != "Hi 10000." {
		t.Errorf("render %q %v", out, err)
	}
	if _, err := d.Section("one").Render(map[string]any{}); err == nil {
		t.Error("a missing value must be an error, not <no value>")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		code      string
	}{
		{"no front matter", "## A {#a}\n", 1, doc.CodeNoFront},
		{"unclosed front matter", "+++\nid = \"x\"\n", 1, doc.CodeFrontOpen},
		{"bad toml", "+++\nid = \n+++\n", 2, doc.CodeFrontTOML},
		{"heading without id", "+++\nid=\"x\"\n+++\n## Heading\n", 4, doc.CodeHeadingID},
		{"duplicate id", "+++\nid=\"x\"\n+++\n## A {#a}\n## B {#a}\n", 5, doc.CodeIDTwice},
		{"long line", "+++\nid=\"x\"\n+++\n## A {#a}\n" + strings.Repeat("x", 2<<20) + "\n", 5, doc.CodeLongLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := doc.Parse([]byte(tt.src))
			var de *doc.Error
			if !errors.As(err, &de) {
				t.Fatalf("got %v, want a doc.Error", err)
			}
			if de.Line != tt.line || de.Code != tt.code {
				t.Errorf("line %d, code %q; want %d, %q (%v)", de.Line, de.Code, tt.line, tt.code, err)
			}
			// The sentence is a message of its code, and the line is the
			// command line's to say.
			if r := de.Reason(); r.ID != "content_check.doc."+tt.code {
				t.Errorf("reason %q", r.ID)
			}
		})
	}
	var de *doc.Error
	_, err := doc.Parse([]byte("+++\nid=\"x\"\n+++\n## A {#a}\n## B {#a}\n"))
	if errors.As(err, &de); de.Arg != "a" || de.First != 4 {
		t.Errorf("a duplicate id: %+v", de)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("+++\nid = \"x\"\n+++\n## A {#a}\n{{.X}}\n"))
	f.Add([]byte("+++\n+++"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := doc.Parse(b)
		if err != nil {
			return
		}
		for _, s := range d.Sections {
			s.Render(map[string]any{})
		}
		d.Hash()
	})
}

func TestSetSourceHash(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"replace", "+++\nid = \"x\"\nsource_hash = \"old\"\ntitle = \"T\"\n+++\n## A {#a}\ntext\n",
			"+++\nid = \"x\"\nsource_hash = \"abc\"\ntitle = \"T\"\n+++\n## A {#a}\ntext\n"},
		{"add", "+++\nid = \"x\"\n+++\n## A {#a}\n", "+++\nid = \"x\"\nsource_hash = \"abc\"\n+++\n## A {#a}\n"},
		{"crlf kept", "+++\r\nid = \"x\"\r\nsource_hash = \"old\"\r\n+++\r\n## A {#a}\r\n", "+++\r\nid = \"x\"\r\nsource_hash = \"abc\"\r\n+++\r\n## A {#a}\r\n"},
		{"spaces around =", "+++\nsource_hash=\"old\"\n+++\n", "+++\nsource_hash = \"abc\"\n+++\n"},
		{"body mention untouched", "+++\nid = \"x\"\n+++\nsource_hash = \"in the body\"\n", "+++\nid = \"x\"\nsource_hash = \"abc\"\n+++\nsource_hash = \"in the body\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := doc.SetSourceHash([]byte(tt.src), "abc")
			if err != nil || string(got) != tt.want {
				t.Errorf("got %q, %v\nwant %q", got, err, tt.want)
			}
		})
	}
	if _, err := doc.SetSourceHash([]byte("no front matter"), "abc"); err == nil {
		t.Error("want an error for a file without front matter")
	}
}
