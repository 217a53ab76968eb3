package chat

import "testing"

func TestStripControls(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"tab\tstays", "tab\tstays"},
		{"\x1b[31mred\x1b[0m", "red"},
		{"\x1b[2J\x1b[Hhome", "home"},
		{"\x1b[?1049hscreen", "screen"},
		{"\x1b]0;title\x07text", "text"},
		{"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"\x1bPq#0;2;0;0;0\x1b\\after", "after"},
		{"\x1b_apc\x1b\\ok", "ok"},
		{"\x1b(Bcharset", "charset"},
		{"\x1b7saved\x1b8", "saved"},
		{"\x1bcreset", "reset"},
		{"\u009b31mc1 csi", "c1 csi"},
		{"\u009d0;t\u009cc1 osc", "c1 osc"},
		{"bell\x07 bs\x08 cr\r nul\x00 del\x7f", "bell bs cr nul del"},
		{"\u0085next line", "next line"},
		{"\x1b]unterminated osc", ""},
		{"\x1b[", ""},
		{"lone \x1b", "lone "},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"Алиса: привет, 小明", "Алиса: привет, 小明"},
	}
	for _, tt := range tests {
		if got := stripControls([]byte(tt.in)); got != tt.want {
			t.Errorf("stripControls(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
