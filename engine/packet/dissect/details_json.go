package dissect

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is tshark's JSON dissector for HTTP bodies: a body of type
// application/json that holds an object or an array shows as a tree of
// its members and values, each with its path; any other body of that
// type shows the top line alone and then its lines, as tshark falls
// back to "Line-based text data".

// jsonProtocol is the JSON an HTTP message carries (json).
func jsonProtocol() protocol {
	return protocol{
		name: "json", has: func(p *Packet) bool { return isHTTP(p) && p.HTTP.body&(bodyJSON|bodyJSONText) != 0 },
		details: jsonDetails,
	}
}

// maxJSONDepth bounds the nesting of a body read as JSON: a deeper one
// is shown as text, so that hostile input cannot exhaust the stack.
const maxJSONDepth = 100

// jsonDetails writes the JSON tree of an HTTP message's body.
func jsonDetails(t *tree, p *Packet, _ []byte, _ *Details) {
	h := p.HTTP
	if h == nil || h.body&(bodyJSON|bodyJSONText) == 0 {
		return
	}
	t.start().s("JavaScript Object Notation: ").s(h.MediaType()).end()
	if h.body != bodyJSON {
		return
	}
	t.in()
	j := jsonWriter{t: t, in: h.Body}
	j.value("", "", false)
	t.out()
}

// validJSON reports whether b is one JSON object or array, which
// tshark's JSON dissector shows as a tree.
func validJSON(b []byte) bool {
	j := jsonWriter{in: b}
	j.ws()
	if j.pos >= len(b) || b[j.pos] != '{' && b[j.pos] != '[' {
		return false
	}
	if !j.skip(0) {
		return false
	}
	j.ws()
	return j.pos == len(b)
}

// jsonWriter reads JSON from in at pos; with t set, it writes the tree.
type jsonWriter struct {
	t   *tree
	in  []byte
	pos int
}

func (j *jsonWriter) ws() {
	for j.pos < len(j.in) {
		switch j.in[j.pos] {
		case ' ', '\t', '\n', '\r':
			j.pos++
		default:
			return
		}
	}
}

// skip reads one value without writing, reporting whether it is valid.
func (j *jsonWriter) skip(depth int) bool {
	if depth > maxJSONDepth {
		return false
	}
	j.ws()
	if j.pos >= len(j.in) {
		return false
	}
	switch c := j.in[j.pos]; {
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		j.pos++
		j.ws()
		if j.pos < len(j.in) && j.in[j.pos] == closer {
			j.pos++
			return true
		}
		for {
			if c == '{' {
				j.ws()
				if _, ok := j.str(); !ok {
					return false
				}
				j.ws()
				if j.pos >= len(j.in) || j.in[j.pos] != ':' {
					return false
				}
				j.pos++
			}
			if !j.skip(depth + 1) {
				return false
			}
			j.ws()
			if j.pos >= len(j.in) {
				return false
			}
			switch j.in[j.pos] {
			case ',':
				j.pos++
			case closer:
				j.pos++
				return true
			default:
				return false
			}
		}
	case c == '"':
		_, ok := j.str()
		return ok
	default:
		_, ok := j.scalar()
		return ok
	}
}

// str reads a string and returns it unescaped.
func (j *jsonWriter) str() (string, bool) {
	if j.pos >= len(j.in) || j.in[j.pos] != '"' {
		return "", false
	}
	j.pos++
	var out []byte
	for j.pos < len(j.in) {
		c := j.in[j.pos]
		switch {
		case c == '"':
			j.pos++
			return string(out), true
		case c < 0x20:
			return "", false
		case c != '\\':
			out = append(out, c)
			j.pos++
			continue
		}
		if j.pos+1 >= len(j.in) {
			return "", false
		}
		e := j.in[j.pos+1]
		j.pos += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := j.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				if j.pos+1 < len(j.in) && j.in[j.pos] == '\\' && j.in[j.pos+1] == 'u' {
					j.pos += 2
					r2, ok := j.hex4()
					if !ok {
						return "", false
					}
					r = utf16.DecodeRune(r, r2)
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", false
		}
	}
	return "", false
}

func (j *jsonWriter) hex4() (rune, bool) {
	if j.pos+4 > len(j.in) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(j.in[j.pos:j.pos+4]), 16, 16)
	if err != nil {
		return 0, false
	}
	j.pos += 4
	return rune(v), true
}

// scalar reads a number, true, false or null, and returns its text.
func (j *jsonWriter) scalar() (string, bool) {
	start := j.pos
	for _, w := range [...]string{"true", "false", "null"} {
		if len(j.in)-j.pos >= len(w) && string(j.in[j.pos:j.pos+len(w)]) == w {
			j.pos += len(w)
			return w, true
		}
	}
	// A number: -?int(.frac)?([eE][+-]?digits)?
	i := j.pos
	if i < len(j.in) && j.in[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(j.in) && j.in[i] >= '0' && j.in[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if n := digits(); n == 0 || n > 1 && j.in[i-n] == '0' {
		return "", false
	}
	if i < len(j.in) && j.in[i] == '.' {
		i++
		if digits() == 0 {
			return "", false
		}
	}
	if i < len(j.in) && (j.in[i] == 'e' || j.in[i] == 'E') {
		i++
		if i < len(j.in) && (j.in[i] == '+' || j.in[i] == '-') {
			i++
		}
		if digits() == 0 {
			return "", false
		}
	}
	j.pos = i
	return string(j.in[start:i]), true
}

// value writes the value at pos: path is its parent's path, key its
// member's key (inArray for an array's element, whose key is "[]").
// The body was validated before, so reading cannot fail here.
func (j *jsonWriter) value(path, key string, inArray bool) {
	t := j.t
	j.ws()
	c := j.in[j.pos]
	if c == '{' || c == '[' {
		j.container(path)
		return
	}
	var text, line string
	if c == '"' {
		text, _ = j.str()
		line = "String value: " + text
	} else {
		text, _ = j.scalar()
		switch text {
		case "true":
			line = "True value"
		case "false":
			line = "False value"
		case "null":
			line = "Null value"
		default:
			line = "Number value: " + text
		}
	}
	name := key
	if inArray {
		name = "[]"
	}
	t.start().s("[Path with value: ").s(path).s(":").s(text).s("]").end()
	t.start().s("[Member with value: ").s(name).s(":").s(text).s("]").end()
	t.line(line)
}

// container writes an object or an array at pos, whose path is path.
func (j *jsonWriter) container(path string) {
	t := j.t
	obj := j.in[j.pos] == '{'
	if obj {
		t.line("Object")
	} else {
		t.line("Array")
	}
	j.pos++
	t.in()
	defer t.out()
	for {
		j.ws()
		if c := j.in[j.pos]; c == '}' || c == ']' {
			j.pos++
			return
		}
		if c := j.in[j.pos]; c == ',' {
			j.pos++
			continue
		}
		if !obj {
			j.value(path+"/[]", "", true)
			continue
		}
		key, _ := j.str()
		j.ws()
		j.pos++ // the colon
		j.ws()
		t.start().s("Member: ").s(key).end()
		t.in()
		p := path + "/" + key
		j.value(p, key, false)
		t.start().s("Key: ").s(key).end()
		t.start().s("[Path: ").s(p).s("]").end()
		t.out()
	}
}
