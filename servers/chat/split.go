package chat

import (
	"bytes"
	"unicode/utf8"
)

// Splitter cuts a byte stream into lines by the package's one rule for
// long lines, whatever the reads it comes in: a line is what comes
// before a "\n", without one "\r" just before it; a line longer than
// Max bytes is cut to its first Max bytes (fewer, so as not to split a
// UTF-8 character) and the rest of it is dropped. A Splitter holds at
// most Max+1 bytes. The zero value is ready, with Max = MaxMessage.
type Splitter struct {
	// Max is the longest line, in bytes; 0 means MaxMessage.
	Max int

	buf     []byte // the unfinished line, at most Max+1 bytes
	cutting bool   // the unfinished line was cut already: drop the rest
}

// Feed splits the next bytes of the stream. It calls line for every
// line that ends in b, and for every line that grows past Max (with cut
// true, as soon as that is known). The text passed to line is only
// valid during the call.
func (sp *Splitter) Feed(b []byte, line func(text []byte, cut bool)) {
	max := sp.Max
	if max <= 0 {
		max = MaxMessage
	}
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		part := b
		if i >= 0 {
			part = b[:i]
		}
		if !sp.cutting && len(part) > 0 {
			// Keep up to Max+1 bytes: a "\r" may follow Max bytes of text.
			room := max + 1 - len(sp.buf)
			if len(part) <= room {
				sp.buf = append(sp.buf, part...)
			} else {
				// At least Max+2 bytes before any "\n": too long, whatever
				// comes next.
				sp.buf = append(sp.buf, part[:room]...)
				line(cutText(sp.buf, max), true)
				sp.buf, sp.cutting = sp.buf[:0], true
			}
		}
		if i < 0 {
			return
		}
		if !sp.cutting {
			text := bytes.TrimSuffix(sp.buf, []byte("\r"))
			if len(text) > max {
				line(cutText(text, max), true)
			} else {
				line(text, false)
			}
		}
		sp.buf, sp.cutting = sp.buf[:0], false
		b = b[i+1:]
	}
}

// Pending is the unfinished line's text so far (nil after a cut); it is
// valid until the next Feed.
func (sp *Splitter) Pending() []byte {
	if sp.cutting {
		return nil
	}
	return sp.buf
}

// cutText is the first max bytes of text (len(text) > max), backed off
// so as not to end inside a UTF-8 character.
func cutText(text []byte, max int) []byte {
	k := max
	for k > 0 && max-k < utf8.UTFMax-1 && !utf8.RuneStart(text[k]) {
		k--
	}
	if !utf8.RuneStart(text[k]) {
		k = max // not UTF-8 anyway: cut where the limit is
	}
	return text[:k]
}
