package explorerscreen

import (
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
)

// bar is the display-filter bar: the text being typed, where the cursor
// is in it, and what the filter compiles to.
type bar struct {
	text    []rune
	pos     int // the cursor, in runes
	df      *filter.Display
	err     error // why text does not compile; nil when it does
	history []string
	back    int      // how far back in history Up has gone; 0 at the text typed
	typed   string   // the text typed before going back in history
	offer   []string // field names Tab last found, when more than one
}

// set replaces the text and checks it.
func (b *bar) set(s string) {
	b.text = []rune(s)
	b.pos = len(b.text)
	b.check()
}

// check compiles the text, as Wireshark's bar does at each key.
func (b *bar) check() {
	b.df, b.err = filter.CompileDisplay(string(b.text))
	b.offer = nil
}

// String is the text of the bar.
func (b *bar) String() string { return string(b.text) }

// key edits the bar with one key; false for a key it does not take.
func (b *bar) key(k string) bool {
	switch k {
	case "left", "ctrl+b":
		b.pos = max(b.pos-1, 0)
	case "right", "ctrl+f":
		b.pos = min(b.pos+1, len(b.text))
	case "home", "ctrl+a":
		b.pos = 0
	case "end", "ctrl+e":
		b.pos = len(b.text)
	case "backspace", "ctrl+h":
		if b.pos > 0 {
			b.text = slices.Delete(b.text, b.pos-1, b.pos)
			b.pos--
			b.check()
		}
	case "delete", "ctrl+d":
		if b.pos < len(b.text) {
			b.text = slices.Delete(b.text, b.pos, b.pos+1)
			b.check()
		}
	case "ctrl+u":
		b.text = b.text[b.pos:]
		b.pos = 0
		b.check()
	case "ctrl+k":
		b.text = b.text[:b.pos]
		b.check()
	case "ctrl+w":
		start := b.wordStart()
		b.text = slices.Delete(b.text, start, b.pos)
		b.pos = start
		b.check()
	case "up":
		b.recall(1)
	case "down":
		b.recall(-1)
	case "tab":
		b.complete()
	default:
		return false
	}
	return true
}

// insert types text at the cursor.
func (b *bar) insert(s string) {
	rs := []rune(s)
	b.text = slices.Insert(b.text, b.pos, rs...)
	b.pos += len(rs)
	b.back = 0
	b.check()
}

// recall steps back (d = 1) or forward (-1) through the filters applied
// before, newest first.
func (b *bar) recall(d int) {
	to := b.back + d
	if to < 0 || to > len(b.history) {
		return
	}
	if b.back == 0 {
		b.typed = string(b.text)
	}
	b.back = to
	if to == 0 {
		b.set(b.typed)
		return
	}
	b.set(b.history[len(b.history)-to])
}

// remember keeps an applied filter in the history, once, newest last.
func (b *bar) remember(s string) {
	if s == "" {
		return
	}
	b.history = slices.DeleteFunc(b.history, func(h string) bool { return h == s })
	b.history = append(b.history, s)
	b.back = 0
}

// wordStart is where the field name before the cursor starts.
func (b *bar) wordStart() int {
	i := b.pos
	for i > 0 && nameRune(b.text[i-1]) {
		i--
	}
	return i
}

// nameRune says whether r can be part of a field name.
func nameRune(r rune) bool {
	return r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// complete completes the field name before the cursor: to the name when
// one field starts so, else as far as all that do agree, offering them.
func (b *bar) complete() {
	start := b.wordStart()
	word := string(b.text[start:b.pos])
	if word == "" {
		return
	}
	var found []string
	for _, name := range names() {
		if strings.HasPrefix(name, word) {
			found = append(found, name)
		}
	}
	if len(found) == 0 {
		return
	}
	common := found[0]
	for _, f := range found[1:] {
		for !strings.HasPrefix(f, common) {
			_, size := utf8.DecodeLastRuneInString(common)
			common = common[:len(common)-size]
		}
	}
	rest := []rune(common[len(word):])
	if len(found) == 1 {
		rest = append(rest, ' ')
	}
	b.text = slices.Insert(b.text, b.pos, rest...)
	b.pos += len(rest)
	b.check()
	if len(found) > 1 {
		b.offer = found
	}
}

// names are the field and protocol names the bar completes.
func names() []string {
	ns := dissect.FieldNames()
	for _, p := range []string{"frame", "eth", "arp", "ip", "ipv6", "tcp", "udp", "icmp", "icmpv6", "http", "data", "json", "sll", "null"} {
		if !slices.Contains(ns, p) {
			ns = append(ns, p)
		}
	}
	slices.Sort(ns)
	return ns
}

// problem is the filter's error as the filter package describes it,
// with the place in the text; nil when the text compiles.
func (b *bar) problem() *filter.DisplayError {
	var de *filter.DisplayError
	if errors.As(b.err, &de) {
		return de
	}
	return nil
}
