package render_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course/doc"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"fits", "short line", 20, "short line"},
		{"words", "one two three four", 9, "one two\nthree\nfour"},
		{"chinese breaks between characters", "这是一个很长的中文句子。", 10, "这是一个很\n长的中文句\n子。"},
		{"no comma at a line start", "一二三四，五六七八", 8, "一二三\n四，五六\n七八"},
		{"address kept whole", "绑定到 127.0.0.1:10000 端口", 14, "绑定到\n127.0.0.1:1000\n0 端口"},
		{"hanging indent under a bullet", "  • alpha beta gamma delta", 14, "  • alpha beta\n    gamma\n    delta"},
		{"no break inside --flags", "run with --net sandbox --impair drop=1", 28, "run with --net sandbox\n--impair drop=1"},
		{"no break after a slash in a word", "an answer in HTTP/1.1 status lines", 14, "an answer in\nHTTP/1.1\nstatus lines"},
		{"no line starts with a dash", "клиенту accept() вернул — ESTABLISHED", 26, "клиенту accept() вернул —\nESTABLISHED"},
		{"backticked code kept whole", "type `ISN + 1` here", 11, "type\n`ISN + 1`\nhere"},
		{"chinese around code", "请写出 `frame.number == 1` 的结果", 24, "请写出\n`frame.number == 1` 的结\n果"},
		{"code wider than a line stands alone, uncut", "run `tshark -r x.pcapng` now", 12, "run\n`tshark -r x.pcapng`\nnow"},
		{"colour passes through", "\x1b[1mbold words here\x1b[0m", 10, "\x1b[1mbold words\nhere\x1b[0m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render.Wrap(tt.in, tt.width)
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
			for _, l := range strings.Split(got, "\n") {
				if w := render.Width(l); w > tt.width && !codeAlone(l) {
					t.Errorf("line %q is %d wide", l, w)
				}
			}
		})
	}
}

// TestLessonsFitTheWidth renders every lesson in every language and
// checks that no line is wider than the terminal.
func TestLessonsFitTheWidth(t *testing.T) {
	for _, lang := range i18n.Available(content.FS) {
		files, _ := fs.Glob(content.FS, lang+"/*.md")
		for _, f := range files {
			data, _ := fs.ReadFile(content.FS, f)
			d, err := doc.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			for _, width := range []int{40, 60, 80} {
				for _, color := range []bool{false, true} {
					r, err := render.New(render.Term{Width: width, Color: color})
					if err != nil {
						t.Fatal(err)
					}
					for _, s := range d.Sections {
						body := fill(s.Body)
						out, err := r.Markdown("## " + s.Heading + "\n\n" + body)
						if err != nil {
							t.Fatal(err)
						}
						for _, line := range strings.Split(out, "\n") {
							if w := render.Width(line); w > width && !codeAlone(line) {
								t.Errorf("%s {#%s} at width %d (colour %v): line %d wide: %q", f, s.ID, width, color, w, render.StripANSI(line))
							}
						}
					}
				}
			}
		}
	}
}

// fill replaces placeholders with numbers as long as live ones get.
func fill(s string) string {
	for _, p := range doc.Placeholders(s) {
		s = strings.ReplaceAll(s, "{{."+p+"}}", "4294967295")
	}
	return s
}

// TestMarkdownKeepsCodeWhole: in colour, where no backticks show, inline
// code is still never broken across lines, and the marks that keep it
// whole never reach the terminal.
func TestMarkdownKeepsCodeWhole(t *testing.T) {
	tests := []struct {
		md    string
		width int
		whole string
	}{
		{"The server's ISN plus one is `ISN + 1`, and so on and on.", 40, "ISN + 1"},
		{"Введите `/done`, чтобы выйти из чата, и посмотрите на захват.", 30, "/done"},
		{"第一个包满足过滤器 `frame.number == 1`，其余的不满足。", 30, "frame.number == 1"},
	}
	for _, tt := range tests {
		for _, color := range []bool{false, true} {
			r, err := render.New(render.Term{Width: tt.width, Color: color, TTY: color})
			if err != nil {
				t.Fatal(err)
			}
			out, err := r.Markdown(tt.md)
			if err != nil {
				t.Fatal(err)
			}
			plain := render.StripANSI(out)
			if !strings.Contains(plain, tt.whole) {
				t.Errorf("colour %v: %q is broken:\n%s", color, tt.whole, plain)
			}
			if strings.ContainsAny(out, "\ue000\ue001") {
				t.Errorf("colour %v: code marks left in %q", color, out)
			}
			for _, l := range strings.Split(out, "\n") {
				if w := render.Width(l); w > tt.width {
					t.Errorf("colour %v: line %q is %d wide", color, render.StripANSI(l), w)
				}
			}
		}
	}
}

func TestPlainHasNoMarkers(t *testing.T) {
	r, _ := render.New(render.Term{Width: 80})
	out, _ := r.Markdown("## Title\n\nSome **bold** and *italic* and `code`.")
	for _, m := range []string{"**", "## ", "\x1b["} {
		if strings.Contains(out, m) {
			t.Errorf("plain output has %q: %q", m, out)
		}
	}
}

func TestDetect(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	tests := []struct {
		name  string
		env   map[string]string
		width int
	}{
		{"a pipe: no colour, default width", nil, render.DefaultWidth},
		{"COLUMNS narrows", map[string]string{"COLUMNS": "60"}, 60},
		{"very wide is kept: packet lists use it", map[string]string{"COLUMNS": "300"}, 300},
		{"NO_COLOR", map[string]string{"NO_COLOR": "1", "COLUMNS": "70"}, 70},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render.Detect(w, func(k string) string { return tt.env[k] })
			if got.Color || got.TTY || got.Width != tt.width {
				t.Errorf("got %+v, want no colour, no TTY, width %d", got, tt.width)
			}
		})
	}
}

// TestPlainKeepsCodeMarked: with no colour (NO_COLOR, a pipe, a file)
// inline code keeps its backticks, so it stands apart from the prose.
func TestPlainKeepsCodeMarked(t *testing.T) {
	for _, color := range []bool{false, true} {
		r, err := render.New(render.Term{Width: 80, Color: color, TTY: color})
		if err != nil {
			t.Fatal(err)
		}
		out, err := r.Markdown("The client sends `hello server` and reads the echo.")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(out, "`hello server`"); got == color {
			t.Errorf("colour %v: backticks kept %v:\n%s", color, got, out)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"short\nlines", 10, "short\nlines"},
		{`{"token": "abc def", "n": 1}`, 12, "{\"token\": \"↩\nabc def\", \"↩\nn\": 1}"},
		{"一二三四五六", 7, "一二三↩\n四五六"},
	}
	for _, tt := range tests {
		got := render.Fold(tt.in, tt.width, "↩")
		if got != tt.want {
			t.Errorf("Fold(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
		if back := strings.ReplaceAll(got, "↩\n", ""); back != tt.in {
			t.Errorf("Fold(%q) loses data: %q", tt.in, back)
		}
	}
}

func TestWrapItems(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"Enter: next · b: back · r: run it again · q: quit", 30, "Enter: next · b: back ·\nr: run it again · q: quit"},
		{"Enter：下一步 · b：返回 · q：退出", 20, "Enter：下一步 ·\nb：返回 · q：退出"},
		{"fits · here", 40, "fits · here"},
		{"no items: words break as usual", 10, "no items:\nwords\nbreak as\nusual"},
		{"an item wider than a line breaks inside · b", 12, "an item\nwider than a\nline breaks\ninside · b"},
	}
	for _, tt := range tests {
		if got := render.WrapItems(tt.in, " · ", tt.width); got != tt.want {
			t.Errorf("WrapItems(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

// codeAlone reports whether line is one inline code span alone (with its
// punctuation), the one line Wrap lets run past the width.
func codeAlone(line string) bool {
	t := strings.Trim(render.StripANSI(line), " .,;:，。：；()（）")
	return strings.HasPrefix(t, "`") && strings.HasSuffix(t, "`") && strings.Count(t, "`") == 2 ||
		strings.HasPrefix(t, "tshark ") || strings.HasPrefix(t, "wiretutor ")
}
