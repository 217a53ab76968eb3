package dissect

import (
	"bytes"
	"unicode/utf8"
)

// This file is tshark's "Line-based text data" for HTTP bodies (the
// data-text-lines protocol) and its "Media Type" for bodies of a type
// no dissector reads.

// textLinesProtocol is a text body shown line by line (data-text-lines).
func textLinesProtocol() protocol {
	return protocol{
		name: "data-text-lines", has: func(p *Packet) bool { return isHTTP(p) && p.HTTP.body&(bodyText|bodyJSONText) != 0 },
		details: textDetails,
	}
}

// mediaProtocol is a body of a media type tshark has no dissector for
// (media).
func mediaProtocol() protocol {
	return protocol{
		name: "media", has: func(p *Packet) bool { return isHTTP(p) && p.HTTP.body == bodyMedia },
		details: mediaDetails,
	}
}

// textMedia reports whether tshark shows a body of the media type as
// lines of text.
func textMedia(mt string) bool {
	switch mt {
	case "text/xml", "text/x-xml":
		return false // XML's own dissector
	case "application/javascript", "application/x-javascript", "application/ecmascript":
		return true
	}
	return len(mt) > 5 && mt[:5] == "text/"
}

// textDetails writes a body line by line, each line's end escaped.
func textDetails(t *tree, p *Packet, _ []byte, _ *Details) {
	h := p.HTTP
	if h == nil || h.body&(bodyText|bodyJSONText) == 0 {
		return
	}
	b := h.Body
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	t.start().s("Line-based text data: ").s(h.MediaType()).s(" (").i(n).s(" lines)").end()
	t.in()
	defer t.out()
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line = b[:i+1]
		}
		b = b[len(line):]
		t.start()
		t.b = appendEscapedText(t.b, line)
		t.end()
	}
}

// appendEscapedText writes text as tshark shows it in a line of the
// tree: printable characters as they are, the usual control characters
// as C escapes, others as \xNN, and a byte that is not UTF-8 as U+FFFD.
func appendEscapedText(buf, b []byte) []byte {
	for len(b) > 0 {
		c := b[0]
		switch {
		case c < utf8.RuneSelf:
			buf = appendEscapedByte(buf, c)
		default:
			r, size := utf8.DecodeRune(b)
			if r == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else {
				buf = append(buf, b[:size]...)
			}
			b = b[size:]
			continue
		}
		b = b[1:]
	}
	return buf
}

// mediaDetails writes a body of a media type without a dissector.
func mediaDetails(t *tree, p *Packet, _ []byte, _ *Details) {
	h := p.HTTP
	if h == nil || h.body != bodyMedia {
		return
	}
	t.line("Media Type")
	t.in()
	n := len(h.Body)
	t.start().s("Media type: ").s(h.MediaType()).s(" (").i(n).s(plural(n, " byte)", " bytes)")).end()
	t.out()
}
