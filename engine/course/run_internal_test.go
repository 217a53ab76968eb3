package course

import "testing"

// TestShellQuote: a path is written as a shell takes it as one word.
func TestShellQuote(t *testing.T) {
	tests := []struct{ path, goos, want string }{
		{"/home/ann/.local/state/wiretutor/captures/tcp-handshake.pcapng", "linux", "/home/ann/.local/state/wiretutor/captures/tcp-handshake.pcapng"},
		{"/home/ann/my captures/hs.pcapng", "linux", "'/home/ann/my captures/hs.pcapng'"},
		{"/tmp/it's.pcapng", "darwin", `'/tmp/it'\''s.pcapng'`},
		{"/tmp/$HOME;rm -rf ~.pcapng", "linux", "'/tmp/$HOME;rm -rf ~.pcapng'"},
		{"/tmp/пакеты.pcapng", "linux", "'/tmp/пакеты.pcapng'"},
		{`C:\Users\Ann\AppData\Local\wiretutor\captures\hs.pcapng`, "windows", `C:\Users\Ann\AppData\Local\wiretutor\captures\hs.pcapng`},
		{`C:\Users\Ann Lee\AppData\Local\wiretutor\captures\hs.pcapng`, "windows", `"C:\Users\Ann Lee\AppData\Local\wiretutor\captures\hs.pcapng"`},
		{`C:\tmp\a\b.pcapng`, "linux", `'C:\tmp\a\b.pcapng'`},
		{"", "linux", "''"},
	}
	for _, tt := range tests {
		if got := shellQuote(tt.path, tt.goos); got != tt.want {
			t.Errorf("shellQuote(%q, %s) = %s, want %s", tt.path, tt.goos, got, tt.want)
		}
	}
}
