package render_test

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"

	"wiretutor/engine/text/render"
)

var socketRows = [][]string{
	{"Proto", "Local address", "Remote address", "State"},
	{"tcp", "127.0.0.1:19306", "127.0.0.1:55555", "ESTABLISHED"},
	{"tcp", "127.0.0.1:55555", "0.0.0.0:*", "LISTEN"},
}

var lessonRows = [][]string{
	{"#", "Lesson", "Title", "Status"},
	{"▶1", "tcp-handshake", "TCP echo and the three-way handshake", "not started"},
	{"2", "chat", "TCP 上的聊天室", "未开始"},
}

func TestTable(t *testing.T) {
	tests := []struct {
		name  string
		rows  [][]string
		width int
		want  []string
	}{
		{"fits", socketRows, 80, []string{
			"Proto  Local address    Remote address   State",
			"tcp    127.0.0.1:19306  127.0.0.1:55555  ESTABLISHED",
			"tcp    127.0.0.1:55555  0.0.0.0:*        LISTEN",
		}},
		{"the widest column wraps between words", lessonRows, 50, []string{
			"#   Lesson         Title               Status",
			"▶1  tcp-handshake  TCP echo and the    not started",
			"                   three-way",
			"                   handshake",
			"2   chat           TCP 上的聊天室      未开始",
		}},
		{"columns that cannot fit go to a band", socketRows, 40, []string{
			"Proto  Local address    Remote address",
			"       State",
			"",
			"tcp    127.0.0.1:19306  127.0.0.1:55555",
			"       ESTABLISHED",
			"",
			"tcp    127.0.0.1:55555  0.0.0.0:*",
			"       LISTEN",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render.Table(tt.rows, tt.width)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			for _, l := range got {
				if w := render.Width(l); w > tt.width {
					t.Errorf("line %q is %d wide", l, w)
				}
			}
		})
	}
}

// TestWhyOwnTable shows why Table is not lipgloss's table: fitted to a
// narrow terminal, lipgloss cuts words (ESTABLISHED, tcp-handshake) in
// two and shortens headings with "…", where Table wraps between words
// and moves what does not fit to a second line.
func TestWhyOwnTable(t *testing.T) {
	for _, rows := range [][][]string{socketRows, lessonRows} {
		tb := table.New().Headers(rows[0]...).Rows(rows[1:]...).
			Border(lipgloss.HiddenBorder()).BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
			BorderHeader(false).BorderColumn(false).
			StyleFunc(func(int, int) lipgloss.Style { return lipgloss.NewStyle().PaddingRight(2) }).
			Width(40).Wrap(true)
		theirs := render.StripANSI(tb.String())
		ours := strings.Join(render.Table(rows, 40), "\n")
		if whole(theirs, rows) {
			t.Errorf("lipgloss's table now keeps every word whole; consider using it:\n%s", theirs)
		}
		if !whole(ours, rows) {
			t.Errorf("Table breaks a word:\n%s", ours)
		}
	}
}

// whole reports whether every word of every cell appears whole in s
// (Chinese, which breaks between characters, aside).
func whole(s string, rows [][]string) bool {
	for _, r := range rows {
		for _, c := range r {
			for _, w := range strings.Fields(c) {
				if strings.IndexFunc(w, func(r rune) bool { return r >= 0x2E80 }) < 0 && !strings.Contains(s, w) {
					return false
				}
			}
		}
	}
	return true
}
