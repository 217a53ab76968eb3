package files_test

import (
	"bufio"
	"strings"
	"testing"

	"wiretutor/servers/files"
)

// FuzzParseRequest: any bytes give a request that the server's checks
// accept and that writes back to the same line, or an error; never a
// panic, and never a name CheckName refuses.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{"GET a\n", "LIST\n", "LIST sub\n", "PUT 3 x\n", "PUT 3 ../x\n", "GET a\r\n", "\n", strings.Repeat("A", 5000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := files.ParseRequest(bufio.NewReader(strings.NewReader(s)))
		if err != nil {
			return
		}
		if r.Name != "" && files.CheckName(r.Name) != nil {
			t.Fatalf("%q: took the name %q", s, r.Name)
		}
		back, err := files.ParseRequest(bufio.NewReader(strings.NewReader(r.String())))
		if err != nil || back != r {
			t.Fatalf("%q: %+v wrote %q, read back %+v %v", s, r, r.String(), back, err)
		}
	})
}

// FuzzReadReply: any bytes give a size, READY, or an error.
func FuzzReadReply(f *testing.F) {
	for _, s := range []string{"OK 5\nhello", "ERR not-found\n", "READY\n", "OK -1\n", "OK\n", "ERR \n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, _, err := files.ReadReply(bufio.NewReader(strings.NewReader(s)))
		if err == nil && n < 0 {
			t.Fatalf("%q: size %d", s, n)
		}
	})
}

// FuzzParseListing: a listing that parses writes back to itself.
func FuzzParseListing(f *testing.F) {
	for _, s := range []string{"6 hello.txt\n- sub/\n", "x y\n", "- /\n", "1 a b\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		es, err := files.ParseListing([]byte(s))
		if err != nil {
			return
		}
		var b strings.Builder
		for _, e := range es {
			b.WriteString(e.String() + "\n")
		}
		again, err := files.ParseListing([]byte(b.String()))
		if err != nil || len(again) != len(es) {
			t.Fatalf("%q: wrote %q, read back %v %v", s, b.String(), again, err)
		}
		for i := range es {
			if es[i] != again[i] {
				t.Fatalf("%q: entry %d %+v became %+v", s, i, es[i], again[i])
			}
		}
	})
}
