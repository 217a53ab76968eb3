package contentcheck

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/BurntSushi/toml"

	"wiretutor/content"
	"wiretutor/engine/text/i18n"
)

const enUI = `welcome = "Hello"
[pkts]
one = "{{.Count}} packet"
other = "{{.Count}} packets"
[run]
saved = "Saved to {{.Path}}."
starting.kernel = "Starting"
`

const ruUI = `welcome = "Привет"
[pkts]
one = "{{.Count}} пакет"
few = "{{.Count}} пакета"
many = "{{.Count}} пакетов"
other = "{{.Count}} пакета"
[run]
saved = "Сохранено в {{.Path}}."
starting.kernel = "Запуск"
`

const enDoc = `+++
id = "hs"
title = "Handshake"
+++

## Intro {#intro}

Your port is {{.ClientPort}}.

## Close {#close}

Bye.
`

// ruDoc is the translation, up to date with enDoc.
func ruDoc(t *testing.T) string {
	t.Helper()
	return "+++\nid = \"hs\"\ntitle = \"Рукопожатие\"\nsource_hash = \"" + hashOf(t, enDoc) + "\"\n+++\n\n## Начало {#intro}\n\nВаш порт — {{.ClientPort}}.\n\n## Конец {#close}\n\nПока.\n"
}

func hashOf(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "en"), 0o755)
	os.MkdirAll(filepath.Join(dir, "xx"), 0o755)
	os.WriteFile(filepath.Join(dir, "en", "hs.md"), []byte(src), 0o644)
	os.WriteFile(filepath.Join(dir, "xx", "hs.md"), []byte("+++\n+++\n"), 0o644)
	h, err := MarkCurrent(dir, "xx", "hs")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

var lessons = []Lesson{{ID: "hs", Sections: []string{"intro", "close"}}}

func tree(t *testing.T, edit func(m fstest.MapFS)) fstest.MapFS {
	m := fstest.MapFS{
		"en/ui.toml": {Data: []byte(enUI)},
		"ru/ui.toml": {Data: []byte(ruUI)},
		"en/hs.md":   {Data: []byte(enDoc)},
		"ru/hs.md":   {Data: []byte(ruDoc(t))},
	}
	if edit != nil {
		edit(m)
	}
	return m
}

func replace(m fstest.MapFS, name, old, new string) {
	m[name] = &fstest.MapFile{Data: []byte(strings.Replace(string(m[name].Data), old, new, 1))}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		edit func(m fstest.MapFS)
		want []string // findings as file:line: id
	}{
		{"clean", nil, nil},
		{"missing translation", func(m fstest.MapFS) { delete(m, "ru/hs.md") }, []string{"ru/hs.md: content_check.lesson_missing"}},
		{"missing section", func(m fstest.MapFS) { replace(m, "ru/hs.md", "## Конец {#close}\n\nПока.\n", "") },
			[]string{"ru/hs.md:7: content_check.section_missing"}},
		{"extra section", func(m fstest.MapFS) { replace(m, "ru/hs.md", "{#close}", "{#closing}") },
			[]string{"ru/hs.md:7: content_check.section_missing", "ru/hs.md:11: content_check.section_extra"}},
		{"placeholder typo", func(m fstest.MapFS) { replace(m, "ru/hs.md", "{{.ClientPort}}", "{{.ClientPrt}}") },
			[]string{"ru/hs.md:9: content_check.placeholder_extra", "ru/hs.md:7: content_check.placeholder_missing"}},
		{"stale", func(m fstest.MapFS) { replace(m, "en/hs.md", "Bye.", "Goodbye.") }, []string{"ru/hs.md:4: content_check.stale"}},
		{"no source_hash", func(m fstest.MapFS) { replace(m, "ru/hs.md", "source_hash", "#source_hash") }, []string{"ru/hs.md:1: content_check.no_source_hash"}},
		{"broken heading", func(m fstest.MapFS) { replace(m, "ru/hs.md", "## Конец {#close}", "## Конец") }, []string{"ru/hs.md:11: content_check.doc_syntax"}},
		{"wrong id", func(m fstest.MapFS) { replace(m, "ru/hs.md", `id = "hs"`, `id = "hx"`) }, []string{"ru/hs.md:2: content_check.wrong_id"}},
		{"English lacks a step's section", func(m fstest.MapFS) {
			replace(m, "en/hs.md", "{#close}", "{#end}")
			replace(m, "ru/hs.md", "{#close}", "{#end}")
		}, []string{"en/hs.md: content_check.step_section_missing", "ru/hs.md:4: content_check.stale"}},
		{"stray file", func(m fstest.MapFS) { m["ru/hss.md"] = &fstest.MapFile{Data: []byte(ruDoc(t))} }, []string{"ru/hss.md: content_check.not_a_lesson"}},
		{"message missing", func(m fstest.MapFS) { replace(m, "ru/ui.toml", "saved = \"Сохранено в {{.Path}}.\"\n", "") }, []string{"ru/ui.toml: content_check.message_missing"}},
		{"message extra", func(m fstest.MapFS) { replace(m, "ru/ui.toml", "[run]\n", "[run]\nsaved2 = \"x\"\n") }, []string{"ru/ui.toml:8: content_check.message_extra"}},
		{"message placeholder typo", func(m fstest.MapFS) { replace(m, "ru/ui.toml", "{{.Path}}", "{{.Pth}}") },
			[]string{"ru/ui.toml:8: content_check.message_placeholder_extra", "ru/ui.toml:8: content_check.message_placeholder_missing"}},
		{"plural form missing", func(m fstest.MapFS) { replace(m, "ru/ui.toml", "few = \"{{.Count}} пакета\"\n", "") }, []string{"ru/ui.toml:2: content_check.plural_missing"}},
		{"message does not parse", func(m fstest.MapFS) { replace(m, "ru/ui.toml", "{{.Path}}", "{{.Path}") },
			[]string{"ru/ui.toml:8: content_check.message_syntax", "ru/ui.toml:8: content_check.message_placeholder_missing"}},
		{"toml syntax", func(m fstest.MapFS) { replace(m, "ru/ui.toml", "[run]", "[run") }, []string{"ru/ui.toml:7: content_check.ui_syntax"}},
		// Content that can hurt: only placeholders, refused with the line of the construct.
		{"section: nested range", func(m fstest.MapFS) {
			replace(m, "ru/hs.md", "Пока.", "Пока.\n{{range 100000}}{{range 100000}}x{{end}}{{end}}")
		}, []string{"ru/hs.md:14: content_check.section_refused"}},
		{"section: template", func(m fstest.MapFS) { replace(m, "ru/hs.md", "Пока.", "Пока.\n\n{{template \"x\"}}") },
			[]string{"ru/hs.md:15: content_check.section_refused"}},
		{"section: recursive define", func(m fstest.MapFS) {
			replace(m, "ru/hs.md", "Пока.", `{{define "x"}}{{template "x"}}{{end}}{{template "x"}}`)
		}, []string{"ru/hs.md:13: content_check.section_refused"}},
		{"section: call", func(m fstest.MapFS) { replace(m, "ru/hs.md", "{{.ClientPort}}", "{{call .ClientPort}}") },
			[]string{"ru/hs.md:9: content_check.section_refused"}},
		{"section: syntax error on its line, not the heading's", func(m fstest.MapFS) {
			replace(m, "ru/hs.md", "Ваш порт — {{.ClientPort}}.", "Ваш порт —\n\n{{.ClientPort}.")
		}, []string{"ru/hs.md:11: content_check.section_syntax"}},
		{"section: English broken too", func(m fstest.MapFS) {
			replace(m, "en/hs.md", "Bye.", "Bye {{.X | printf}}.")
			replace(m, "ru/hs.md", "Пока.", "Пока {{.X | printf}}.")
			replace(m, "ru/hs.md", "source_hash", "#source_hash")
		}, []string{"en/hs.md:12: content_check.section_refused", "ru/hs.md:13: content_check.section_refused", "ru/hs.md:1: content_check.no_source_hash"}},
		{"message: nested range", func(m fstest.MapFS) {
			replace(m, "ru/ui.toml", "{{.Path}}", "{{range 100000}}{{range 100000}}x{{end}}{{end}}")
		}, []string{"ru/ui.toml:8: content_check.message_refused", "ru/ui.toml:8: content_check.message_placeholder_missing"}},
		{"message: if", func(m fstest.MapFS) { replace(m, "ru/ui.toml", "{{.Path}}", "{{if .Path}}{{.Path}}{{end}}") },
			[]string{"ru/ui.toml:8: content_check.message_refused"}},
		{"message: template and define", func(m fstest.MapFS) {
			replace(m, "ru/ui.toml", `welcome = "Привет"`, `welcome = "{{define \"x\"}}{{template \"x\"}}{{end}}{{template \"x\"}}"`)
		}, []string{"ru/ui.toml:1: content_check.message_refused"}},
		{"message: call in English", func(m fstest.MapFS) { replace(m, "en/ui.toml", `welcome = "Hello"`, `welcome = "{{call .F}}"`) },
			[]string{"en/ui.toml:1: content_check.message_refused"}},
		{"message: comment", func(m fstest.MapFS) {
			replace(m, "ru/ui.toml", `welcome = "Привет"`, `welcome = "Привет{{/* x */}}"`)
		},
			[]string{"ru/ui.toml:1: content_check.message_refused"}},
		{"message: multi-line, error on its line", func(m fstest.MapFS) {
			replace(m, "ru/ui.toml", `welcome = "Привет"`, "welcome = \"\"\"\nПривет,\n{{.X | len}}\"\"\"")
		}, []string{"ru/ui.toml:3: content_check.message_refused", "ru/ui.toml:1: content_check.message_placeholder_extra"}},
		{"a language folder named not as its tag", func(m fstest.MapFS) { m["pt_BR/ui.toml"] = &fstest.MapFile{Data: []byte("welcome = \"Olá\"\n")} },
			[]string{"pt_BR: content_check.folder_name"}},
		{"new language without anything", func(m fstest.MapFS) { m["de/ui.toml"] = &fstest.MapFile{Data: []byte("welcome = \"Hallo\"\n")} },
			[]string{"de/ui.toml: content_check.message_missing", "de/ui.toml: content_check.message_missing", "de/ui.toml: content_check.message_missing", "de/hs.md: content_check.lesson_missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(tree(t, tt.edit), lessons)
			var short []string
			for _, f := range got {
				s := f.File + ": " + f.ID
				if f.Line > 0 {
					s = f.File + ":" + strconv.Itoa(f.Line) + ": " + f.ID
				}
				short = append(short, s)
			}
			if strings.Join(short, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(short, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestMarkCurrent(t *testing.T) {
	dir := t.TempDir()
	m := tree(t, func(m fstest.MapFS) { replace(m, "en/hs.md", "Bye.", "Goodbye.") })
	for name, f := range m {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, f.Data, 0o644)
	}
	if got := Check(os.DirFS(dir), lessons); len(got) != 1 || got[0].ID != "content_check.stale" {
		t.Fatalf("before: %v", got)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "ru", "hs.md"))
	if _, err := MarkCurrent(dir, "ru", "hs"); err != nil {
		t.Fatal(err)
	}
	if got := Check(os.DirFS(dir), lessons); len(got) != 0 {
		t.Errorf("after marking current: %v", got)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "ru", "hs.md"))
	if strings.Count(string(before), "\n") != strings.Count(string(after), "\n") {
		t.Errorf("marking changed more than the source_hash line:\n%s", after)
	}
	if _, err := MarkCurrent(dir, "ru", "nosuch"); err == nil {
		t.Error("want an error for a lesson that does not exist")
	}
	if _, err := MarkCurrent(dir, "de", "hs"); err == nil {
		t.Error("want an error for a missing translation")
	}
}

func FuzzMessages(f *testing.F) {
	f.Add([]byte(enUI))
	f.Add([]byte(ruUI))
	f.Add([]byte("[a]\nb = 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Messages(data)
		keyLines(data)
	})
}

var _ fs.FS = fstest.MapFS{}

// FuzzMessageTemplate sends arbitrary message text through the check and
// through the catalog that shows it, as a translation and as English: no
// panic, no hang, and the output is never longer than the text or the
// English it falls back to.
func FuzzMessageTemplate(f *testing.F) {
	seen := map[string]bool{}
	for _, lang := range i18n.Available(content.FS) {
		data, err := fs.ReadFile(content.FS, lang+"/ui.toml")
		if err != nil {
			f.Fatal(err)
		}
		msgs, err := Messages(data)
		if err != nil {
			f.Fatal(err)
		}
		for _, forms := range msgs {
			for _, text := range forms {
				// Those with placeholders: the rest are plain text.
				if strings.Contains(text, "{{") && !seen[text] {
					seen[text] = true
					f.Add(text)
				}
			}
		}
	}
	f.Add("{{range 100000}}{{range 100000}}x{{end}}{{end}}")
	f.Add(`{{define "x"}}{{template "x"}}{{end}}{{template "x"}}`)
	f.Add("{{call .Name}}{{.Name | printf \"%s\"}}{{$x := 1}}{{/* c */}}")
	const en = "msg = \"{{.Name}} and {{.Count}}\"\n"
	data := map[string]any{"Name": "N", "Count": 7}
	f.Fuzz(func(t *testing.T, text string) {
		var b strings.Builder
		if err := toml.NewEncoder(&b).Encode(map[string]string{"msg": text}); err != nil {
			return
		}
		for _, tr := range []fstest.MapFS{
			{"en/ui.toml": {Data: []byte(en)}, "ru/ui.toml": {Data: []byte(b.String())}},
			{"en/ui.toml": {Data: []byte(b.String())}, "ru/ui.toml": {Data: []byte(b.String())}},
		} {
			Check(tr, nil)
			c, err := i18n.Load(tr, "ru")
			if err != nil {
				continue
			}
			out := c.T("msg", data)
			if len(out) > max(len(text), len("N and 7")) {
				t.Fatalf("%d bytes out of a %d-byte message: %q", len(out), len(text), out)
			}
			c.N("msg", 3, map[string]any{"Name": "N"})
			c.Notices()
		}
	})
}
