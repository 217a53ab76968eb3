package dissect

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzJSONDetails: no body makes the JSON, text or HTTP details panic,
// whatever its nesting, numbers or bytes; what the JSON reader takes
// for JSON is JSON; and a tree's lines are whole lines of valid UTF-8
// when the body is.
func FuzzJSONDetails(f *testing.F) {
	for _, s := range []string{
		`{"a":{"b":1,"c":[1,"x",true,null,{"d":2}]},"e":[],"f":{},"g":"q\"uo\u00e9te","h":-1.5e3}`,
		`[1,[2,3],{"k":"v"}]`, `"just a string"`, `{"bad": `, `{"n": 1e999999999999}`,
		`{"n": 123456789012345678901234567890}`, "{\"s\": \"\xff\xfe\"}", `{"u": "\ud800"}`,
		strings.Repeat("[", 100000), strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000),
		"line1\nline2\r\n\x00\x7f\xc3",
	} {
		f.Add([]byte(s))
	}
	for _, p := range httpPayloads(f) {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if validJSON(b) && !json.Valid(b) {
			t.Fatalf("validJSON takes %q for JSON", b)
		}
		for _, ct := range []string{"application/json", "text/plain", "image/png", "application/octet-stream", ""} {
			h := &HTTP{ContentType: ct, Body: b, ContentLength: -1, head: []byte("HTTP/1.1 200 OK\r\n\r\n"),
				Version: "HTTP/1.1", Code: 200, FirstLine: "HTTP/1.1 200 OK"}
			h.body = kindOf(h)
			p := &Packet{HTTP: h}
			var tr tree
			var d Details
			httpDetails(&tr, p, nil, &d)
			jsonDetails(&tr, p, nil, &d)
			textDetails(&tr, p, nil, &d)
			mediaDetails(&tr, p, nil, &d)
			if h.body == bodyJSON && utf8.Valid(b) && !utf8.Valid(tr.b) {
				t.Fatalf("the tree of %q is not UTF-8", b)
			}
			if !bytes.HasSuffix(tr.b, []byte("\n")) {
				t.Fatalf("the details of %q end inside a line", b)
			}
		}
		// A head and a body as one segment: whatever the decoder makes
		// of it, its details are written.
		var st httpState
		if m := st.feed(b); m != nil && !m.Partial {
			m.body = kindOf(m)
			var tr tree
			httpDetails(&tr, &Packet{HTTP: m}, nil, &Details{})
		}
	})
}
