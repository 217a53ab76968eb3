package lessons

import (
	"testing"
	"unicode/utf8"
)

// FuzzHTTPHead: whatever bytes a learner's program sends, reading them
// as an HTTP head and quoting them never fails, and a quote is one line
// of valid text.
func FuzzHTTPHead(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\nbody"))
	f.Add([]byte("GET / HTTP/1.1\nHost: a\n\n"))
	f.Add([]byte("\xff\xfe\r\n:\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fl := &flow{data: b, frames: []int{0}, starts: []int{0}}
		h := headOf(fl)
		if h.end > len(b) {
			t.Fatalf("the body starts at %d of %d bytes", h.end, len(b))
		}
		h.status()
		h.header("Host")
		for off := range b {
			if i, at := fl.at(off); i != 0 || at != off {
				t.Fatalf("byte %d is at %d, %d", off, i, at)
			}
		}
		q := quoted(b, 40)
		if !utf8.ValidString(q) {
			t.Errorf("quote %q is not valid UTF-8", q)
		}
		for _, r := range q {
			if r < 0x20 {
				t.Errorf("quote %q holds a control character", q)
			}
		}
	})
}
