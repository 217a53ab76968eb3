package verify

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/testkit/testenv"
)

// TestLineWriter: a program's output reaches the learner line by line,
// however it was written, with control characters shown escaped, long
// lines cut, and a flood of lines counted instead of shown.
func TestLineWriter(t *testing.T) {
	long := strings.Repeat("x", MaxLine+10)
	tests := []struct {
		name   string
		writes []string
		want   []string
	}{
		{"lines", []string{"one\ntwo\n"}, []string{"one", "two"}},
		{"split writes", []string{"on", "e\nt", "wo"}, []string{"one", "two"}},
		{"crlf", []string{"dos\r\n"}, []string{"dos"}},
		{"escapes", []string{"\x1b[2Jclear\x07\n"}, []string{`\x1b[2Jclear\x07`}},
		{"bad utf-8", []string{"a\xffb\n"}, []string{`a\xffb`}},
		{"tab kept", []string{"a\tb\n"}, []string{"a\tb"}},
		{"long", []string{long + "\n", "next\n"}, []string{long[:MaxLine] + "…", "next"}},
		{"no newline at the end", []string{"last"}, []string{"last"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			w := &lineWriter{s: Stdout, out: func(l Line) { got = append(got, l.Text) }}
			for _, s := range tt.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			w.flush()
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("lines %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLineWriterFlood: past MaxLines lines, one line says how many more
// came.
func TestLineWriterFlood(t *testing.T) {
	var shown, hidden int
	w := &lineWriter{s: Stderr, out: func(l Line) {
		if l.Hidden > 0 {
			hidden = l.Hidden
			return
		}
		shown++
	}}
	w.Write([]byte(strings.Repeat("spam\n", MaxLines+25)))
	w.flush()
	if shown != MaxLines || hidden != 25 {
		t.Errorf("%d shown, %d hidden; want %d, 25", shown, hidden, MaxLines)
	}
}

// TestAllClosed: a capture is over when every connection in it has
// ended, with two FINs and the ACK of the second, or a reset.
func TestAllClosed(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "testdata", "verify", "captures")
	for _, tt := range []struct {
		file string
		n    int  // packets to keep
		want bool // all closed
	}{
		{"tcp-handshake-client-echo_client", 10, true},
		{"tcp-handshake-client-echo_client", 9, false}, // the last ACK missing
		{"tcp-handshake-client-echo_client", 8, false}, // one FIN only
		{"tcp-handshake-client-echo_client_reset", 8, true},
		{"udp-echo-client-udp_client", 4, true},
		{"chat-server-chat_server", 0, true},
	} {
		pkts := testenv.PacketsAt(t, filepath.Join(dir, tt.file+".pcapng"))
		if tt.n > 0 {
			pkts = pkts[:tt.n]
		}
		if got := allClosed(pkts); got != tt.want {
			t.Errorf("%s, %d packets: allClosed = %v, want %v", tt.file, len(pkts), got, tt.want)
		}
	}
}

// TestStartError: a program that does not exist is told apart from one
// that cannot start.
func TestStartError(t *testing.T) {
	_, err := startProcess([]string{"no-such-program-wiretutor"}, nil, nil, func(Line) {}, false)
	se, ok := err.(*StartError)
	if !ok {
		t.Fatalf("error %v, want a *StartError", err)
	}
	if id, _ := se.Message(); id != "verify.error.not_found" {
		t.Errorf("message %s, want verify.error.not_found", id)
	}
}

// TestComment: the comment verify writes into a saved capture reads
// back, and nothing else reads as one.
func TestComment(t *testing.T) {
	when := time.Date(2026, 12, 2, 8, 0, 0, 123456789, time.UTC)
	for _, stopped := range []time.Time{{}, when} {
		id, role, got, ok := ParseComment(Comment("tcp-handshake", course.RoleServer, stopped))
		if !ok || id != "tcp-handshake" || role != course.RoleServer || !got.Equal(stopped) {
			t.Errorf("read back %q %q %v %v", id, role, got, ok)
		}
	}
	for _, c := range []string{"", "Dumpcap", "wiretutor verify x --role", "wiretutor verify x --role client; stopped yesterday"} {
		if _, _, _, ok := ParseComment(c); ok {
			t.Errorf("%q read as a verify comment", c)
		}
	}
}

// FuzzParseComment: any comment either reads back as it would be
// written again, or is not one.
func FuzzParseComment(f *testing.F) {
	f.Add("wiretutor verify ping --role client; stopped 2026-12-02T08:00:00.5Z")
	f.Add("wiretutor verify chat --role server")
	f.Fuzz(func(t *testing.T, c string) {
		id, role, stopped, ok := ParseComment(c)
		if !ok {
			return
		}
		id2, role2, stopped2, ok2 := ParseComment(Comment(id, role, stopped))
		if !ok2 || id2 != id || role2 != role || !stopped2.Equal(stopped) {
			t.Errorf("%q: read %q %q %v, again %q %q %v %v", c, id, role, stopped, id2, role2, stopped2, ok2)
		}
	})
}

// FuzzLineWriter: whatever a program writes, every line handed on is
// at most MaxLine characters and holds no control character but a tab.
func FuzzLineWriter(f *testing.F) {
	f.Add([]byte("hello\n\x1b[31mred\r\n"), 3)
	f.Fuzz(func(t *testing.T, b []byte, split int) {
		w := &lineWriter{s: Stdout, out: func(l Line) {
			if n := len([]rune(l.Text)); n > 4*MaxLine+1 {
				t.Errorf("a line of %d characters", n)
			}
			for _, r := range l.Text {
				if r < 0x20 && r != '\t' || r == 0x7f {
					t.Errorf("control character %U in %q", r, l.Text)
				}
			}
		}}
		if split > 0 && split < len(b) {
			w.Write(b[:split])
			b = b[split:]
		}
		w.Write(b)
		w.flush()
	})
}
