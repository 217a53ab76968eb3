package quiz

import (
	"regexp"
	"testing"
)

// report is what a terminal answers to ESC[6n.
var report = regexp.MustCompile(`\x1b\[[0-9]*;[0-9]*R`)

// FuzzCursorReportEnd: the end found is exactly the end of the first
// cursor report in the bytes, or 0 when there is none.
func FuzzCursorReportEnd(f *testing.F) {
	for _, s := range []string{"\x1b[12;40R\x03", "q\r", "\x1b[1;1R", "\x1b[A\x1b[1;1Rx", "\x1b[;R", "\x1b\x1b[3;4R", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		want := 0
		if loc := report.FindIndex(b); loc != nil {
			want = loc[1]
		}
		if got := cursorReportEnd(b); got != want {
			t.Errorf("cursorReportEnd(%q) = %d, want %d", b, got, want)
		}
	})
}
