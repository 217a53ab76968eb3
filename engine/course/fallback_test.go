package course_test

import (
	"bytes"
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/lessons/lessontest"
)

// A section whose placeholders are broken is shown in English, or as
// written when the English is broken too, with a one-line notice in the
// learner's language; the lesson runs to its end.
func TestBrokenSection(t *testing.T) {
	tests := []struct {
		name, lang string
		edit       map[string][2]string // file -> old, new
		want       []string
		not        []string
	}{
		{"misspelt placeholder", "ru",
			map[string][2]string{"ru/tcp-handshake.md": {"порт **{{.ClientPort}}**", "порт **{{.ClientPrt}}**"}},
			[]string{"Перевод раздела «Порт клиента» ({#table}) повреждён", "The client's port", "The client got port 41950", "Тройное рукопожатие"},
			[]string{"<no value>", "ClientPrt"}},
		{"nested range", "ru",
			map[string][2]string{"ru/tcp-handshake.md": {"порт **{{.ClientPort}}**", "{{range 100000}}{{range 100000}}x{{end}}{{end}}"}},
			[]string{"Перевод раздела «Порт клиента» ({#table}) повреждён", "The client's port"}, nil},
		{"recursive define", "ru",
			map[string][2]string{"ru/tcp-handshake.md": {"порт **{{.ClientPort}}**", `{{define "x"}}{{template "x"}}{{end}}{{template "x"}}`}},
			[]string{"Перевод раздела «Порт клиента» ({#table}) повреждён", "The client's port"}, nil},
		{"English broken too", "en",
			map[string][2]string{"en/tcp-handshake.md": {"port **{{.ClientPort}}**", "port **{{.ClientPrt}}**"}},
			[]string{"The section “The client's port” ({#table}) could not be filled in", "port {{.ClientPrt}}", "The three-way handshake"},
			[]string{"<no value>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, name := range []string{"en/ui.toml", "en/tcp-handshake.md", "ru/ui.toml", "ru/tcp-handshake.md"} {
				data, err := fs.ReadFile(content.FS, name)
				if err != nil {
					t.Fatal(err)
				}
				if e, ok := tt.edit[name]; ok {
					if !bytes.Contains(data, []byte(e[0])) {
						t.Fatalf("%s lacks %q", name, e[0])
					}
					data = bytes.Replace(data, []byte(e[0]), []byte(e[1]), 1)
				}
				fsys[name] = &fstest.MapFile{Data: data}
			}
			var out bytes.Buffer
			o, tx := options(t, tt.lang, fsys, nil, &out)
			o.Term.Width = 1000 // keep the text on its lines
			res, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "tcp-handshake"), o, tx)
			if err != nil || !res.Completed {
				t.Fatalf("%+v %v\n%s", res, err, out.String())
			}
			text := out.String()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("output lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) {
					t.Errorf("output has %q", w)
				}
			}
		})
	}
}
