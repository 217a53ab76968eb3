package render_test

import (
	"io/fs"
	"strings"
	"testing"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/styles"

	"wiretutor/content"
	"wiretutor/engine/course/doc"
	"wiretutor/engine/text/render"
)

// TestWhyOwnWrapper shows what glamour's own word wrap (x/ansi's) does
// with the course's texts, and so why Renderer turns it off and wraps
// with Wrap: each case is a line glamour breaks where a learner would
// be misled, and which Wrap keeps right. Should glamour learn one of
// them, its case fails here: use glamour's wrap for it then.
func TestWhyOwnWrapper(t *testing.T) {
	tests := []struct {
		name, md string
		width    int
		bad      func(lines []string) bool // glamour's output shows the fault
	}{
		{"splits inline code", "Run it again, this time with `--net sandbox --impair drop=1` now.", 40,
			func(lines []string) bool { return !anyContains(lines, "--net sandbox --impair drop=1") }},
		{"keeps a list item's hand-made line breaks", "- a list item that the translator\n  wrapped by hand at a short width\n  to keep it tidy in the editor", 30,
			func(lines []string) bool { return anyEqual(lines, "translator") }},
		{"starts a line with Chinese punctuation", zhLesson(t), 40,
			func(lines []string) bool { return anyPrefix(lines, "，", "。", "、", "：", "）") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := glamour.NewTermRenderer(glamour.WithStyles(styles.ASCIIStyleConfig), glamour.WithWordWrap(tt.width))
			if err != nil {
				t.Fatal(err)
			}
			out, err := g.Render(tt.md)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.bad(trimmed(out)) {
				t.Errorf("glamour's own wrap now gets this right; consider using it:\n%s", out)
			}
			r, err := render.New(render.Term{Width: tt.width})
			if err != nil {
				t.Fatal(err)
			}
			ours, err := r.Markdown(tt.md)
			if err != nil {
				t.Fatal(err)
			}
			if tt.bad(trimmed(ours)) {
				t.Errorf("Wrap gets it wrong too:\n%s", ours)
			}
		})
	}
}

func trimmed(s string) []string {
	var out []string
	for _, l := range strings.Split(render.StripANSI(s), "\n") {
		out = append(out, strings.TrimSpace(l))
	}
	return out
}

func anyContains(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

func anyEqual(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

func anyPrefix(lines []string, prefixes ...string) bool {
	for _, l := range lines {
		for _, p := range prefixes {
			if strings.HasPrefix(l, p) {
				return true
			}
		}
	}
	return false
}

// zhLesson is the Chinese handshake lesson's text.
func zhLesson(t *testing.T) string {
	data, err := fs.ReadFile(content.FS, "zh/tcp-handshake.md")
	if err != nil {
		t.Fatal(err)
	}
	d, err := doc.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range d.Sections {
		b.WriteString(fill(s.Body) + "\n\n")
	}
	return b.String()
}
