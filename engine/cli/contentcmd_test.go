package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/text/i18n"
)

// TestContentCheckSaysWhyInLanguage: a translator who breaks a text
// reads why in their language, the parser's words included: a heading
// without its id, a placeholder left open before text and at the end,
// one closed by a single brace, an {{end}} with no {{if}}, a message's
// placeholder closed by a single brace.
func TestContentCheckSaysWhyInLanguage(t *testing.T) {
	dir := copyContent(t)
	edit(t, filepath.Join(dir, "ru", "chat.md"), "## Чат-комната {#intro}", "## Чат-комната")
	edit(t, filepath.Join(dir, "ru", "udp-echo.md"), "{{.FirstFrame}}", "{{.FirstFrame")
	edit(t, filepath.Join(dir, "ru", "udp-echo.md"), "{{.OneFrame}}", "{{.OneFrame}")
	edit(t, filepath.Join(dir, "ru", "udp-echo.md"), "{{.EmptyFrame}}", "{{.EmptyFrame}}{{end}}")
	appendTo(t, filepath.Join(dir, "ru", "tcp-handshake.md"), "\n{{.ClientPort")
	edit(t, filepath.Join(dir, "ru", "ui.toml"), `saved = "Захват сохранён в {{.Path}}."`, `saved = "Захват сохранён в {{.Path}."`)
	for _, lang := range []string{"en", "ru", "zh"} {
		t.Run(lang, func(t *testing.T) {
			tx, err := i18n.Load(content.FS, lang)
			if err != nil {
				t.Fatal(err)
			}
			_, out, _ := run(t, nil, "content", "check", "--dir", dir, "--lang", lang)
			for _, want := range []string{
				tx.T("content_check.doc.heading_id", nil),
				tx.T("content_check.template.unclosed", nil),
				tx.T("content_check.template.bad_char", map[string]any{"Arg": "—"}),
				tx.T("content_check.template.bad_char", map[string]any{"Arg": "}"}),
				tx.T("content_check.template.unexpected", map[string]any{"Arg": "{{end}}"}),
			} {
				if !strings.Contains(out, want) {
					t.Errorf("content check does not say %q:\n%s", want, out)
				}
			}
			if lang == "en" {
				return
			}
			for _, english := range []string{"heading needs", "unclosed action", "character", "unexpected {{end}}", "is not closed by", "cannot stand"} {
				if strings.Contains(out, english) {
					t.Errorf("content check says %q in English:\n%s", english, out)
				}
			}
		})
	}
}

// appendTo adds text at the end of the file at path.
func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
