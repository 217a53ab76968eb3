package chat

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// chunks cuts data into the reads a server could get: sizes come from
// splits (1 to 64 bytes each), and the last read is the rest.
func chunks(data, splits []byte) [][]byte {
	var out [][]byte
	for _, s := range splits {
		n := 1 + int(s)%64
		if n >= len(data) {
			break
		}
		out = append(out, data[:n])
		data = data[n:]
	}
	return append(out, data)
}

type framed struct {
	text string
	cut  bool
}

// reference applies the long-line rule to a whole stream at once: the
// lines that end, then what is left (cut if it is already too long).
func reference(stream []byte, max int) (lines []framed, pending string) {
	parts := bytes.Split(stream, []byte("\n"))
	for _, l := range parts[:len(parts)-1] {
		l = bytes.TrimSuffix(l, []byte("\r"))
		if len(l) > max {
			lines = append(lines, framed{string(cutText(l, max)), true})
		} else {
			lines = append(lines, framed{string(l), false})
		}
	}
	last := parts[len(parts)-1]
	if len(last) > max+1 {
		return append(lines, framed{string(cutText(last, max)), true}), ""
	}
	return lines, string(last)
}

// FuzzFraming: what a client sends, read by read, becomes a nickname
// and messages. A first read with "\n" makes a line client; its lines
// follow the long-line rule whatever the reads, and what the room sees
// of them is one line of printable text, never longer than the limit
// and the marker.
func FuzzFraming(f *testing.F) {
	// The inputs of the server's tests: the homework's and nc's ways in,
	// garbage, a reset mid-line, an over-long line.
	for _, seed := range []struct{ data, splits string }{
		{"jack", ""},
		{"jack\n", ""},
		{"Алиса\nпривет, 小明\nbad \xff\xfe \x1b[2J end\n", "\x05\x09"},
		{"rude\nhalf a li", "\x04"},
		{"long\n" + strings.Repeat("x", 10000) + "\n", "\x3f\x3f\x3f"},
		{"w\n0123456789\r\nok\n", "\x01\x02\x03\x04\x05\x06"},
		{"c1\nm0\nm1\nm2\n", "\x02\x00\x01"},
		{"no spaces allowed\n", ""},
		{" molly \r\nhi\r\n\r\n", "\x07"},
	} {
		f.Add([]byte(seed.data), []byte(seed.splits))
	}
	f.Fuzz(func(t *testing.T, data, splits []byte) {
		reads := chunks(data, splits)
		nick, lines, rest := nickOf(reads[0])
		if lines != bytes.Contains(reads[0], []byte("\n")) {
			t.Fatalf("first read %q: line client %v", reads[0], lines)
		}
		if !lines {
			if nick != strings.TrimSpace(string(reads[0])) || rest != nil {
				t.Fatalf("classic nickname %q, rest %q from %q", nick, rest, reads[0])
			}
			return
		}
		if strings.Contains(nick, "\n") {
			t.Fatalf("nickname %q", nick)
		}
		max := MaxMessage
		if len(splits) > 0 {
			max = 1 + int(splits[0])%16
		}
		sp := Splitter{Max: max}
		var got []framed
		feed := func(text []byte, cut bool) {
			got = append(got, framed{string(text), cut})
			if bytes.Contains(text, []byte("\n")) || len(text) > max || cut && len(text) < max-utf8.UTFMax+1 {
				t.Fatalf("line %q (cut %v) with limit %d", text, cut, max)
			}
			m := lineMessage("n", text, cut)
			if !utf8.ValidString(m) || len(m) > len("n: ")+3*max+len(CutMarker) {
				t.Fatalf("message %q", m)
			}
			for _, r := range m {
				if unicode.IsControl(r) && r != '\t' {
					t.Fatalf("message %q holds %U", m, r)
				}
			}
		}
		sp.Feed(rest, feed)
		stream := append([]byte(nil), rest...)
		for _, r := range reads[1:] {
			sp.Feed(r, feed)
			stream = append(stream, r...)
		}
		want, pending := reference(stream, max)
		if fmt.Sprint(got) != fmt.Sprint(want) || string(sp.Pending()) != pending {
			t.Fatalf("reads %q, limit %d: lines %+v, pending %q; one read gives %+v, %q", reads, max, got, sp.Pending(), want, pending)
		}
	})
}
