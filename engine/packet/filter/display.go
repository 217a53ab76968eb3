package filter

import (
	"sync"

	"bytes"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/text/message"
)

// Display is a compiled display filter (Wireshark's syntax): Match says
// whether a dissected packet passes it. It is safe for use by one
// goroutine at a time.
type Display struct {
	expr    string
	match   func(p *dissect.Packet) bool
	tracked bool
}

// Match reports whether p passes the filter.
func (d *Display) Match(p *dissect.Packet) bool { return d.match(p) }

// Tracked reports whether the filter names a field only a dissector
// that keeps the packet details fills in (dissect.Tracked): its packets
// must come from dissect.ScanDetailed.
func (d *Display) Tracked() bool { return d.tracked }

// String returns the filter's text.
func (d *Display) String() string { return d.expr }

// What a display filter error can say, as codes a user interface
// translates (beside the capture filter codes).
const (
	CodeUnknownField   = "unknown_field"  // Arg: the name
	CodeNotDissected   = "not_dissected"  // Arg: the name, Proto: its Wireshark protocol
	CodeBadValue       = "bad_value"      // Arg: the value; Want: the field's kind
	CodeNotComparable  = "not_comparable" // Arg: a protocol or flag compared with a value
	CodeUnclosedString = "unclosed_string"
	CodeUnclosedSet    = "unclosed_set"
	CodeBadRegexp      = "bad_regexp"    // Arg: the pattern
	CodeSingleEquals   = "single_equals" // "=" where "==" was meant
	// CodeSetMember: a set with a member missing or two members with no
	// comma between them, which tshark 4.0 refuses.
	CodeSetMember = "set_member" // Arg: the text where a member or a comma was due
	// CodeLayerBytes: "tcp contains ..." searches a protocol's bytes,
	// which the dissector does not keep; data (the payload) it does.
	CodeLayerBytes = "layer_bytes" // Arg: the protocol
	// The functions of tshark 4.0: len(), count(), upper(), lower(),
	// abs(), max(), min(). Arg: the function's name as written.
	CodeNoFunction   = "no_function"   // a name tshark has no function for
	CodeFuncOne      = "func_one"      // len, count, upper, lower, abs: not one argument
	CodeFuncSome     = "func_some"     // max, min: no argument
	CodeFuncText     = "func_text"     // upper, lower: an argument that is not text
	CodeFuncSized    = "func_sized"    // len: an argument without a length (a number, a flag, a time)
	CodeFuncNumber   = "func_number"   // abs, max, min: an argument that is not a number
	CodeFuncField    = "func_field"    // an argument that is not a field's name
	CodeFuncPresence = "func_presence" // a call alone, tested for presence
	CodeFuncSet      = "func_set"      // a call tested for membership in a set
)

// DisplayError is a display filter that does not compile. It points at
// the problem like Wireshark: Pos and Len mark the text at fault.
type DisplayError struct {
	Filter string
	Pos    int    // byte offset of the problem
	Len    int    // bytes of the text at fault, at least 1
	Code   string // what is wrong, see the Code* constants
	Arg    string // the name or value at fault
	Want   string // for CodeBadValue: "number", "address", "bytes", "string", "time"
	Proto  string // for CodeNotDissected: the Wireshark protocol the name belongs to
}

// Error describes the problem in English, as Wireshark would.
func (e *DisplayError) Error() string {
	var msg string
	switch e.Code {
	case CodeUnknownField:
		msg = fmt.Sprintf("%q is neither a field nor a protocol name", e.Arg)
	case CodeNotDissected:
		msg = fmt.Sprintf("%q belongs to Wireshark's %s, which wiretutor does not dissect yet", e.Arg, e.Proto)
	case CodeBadValue:
		msg = fmt.Sprintf("%q is not a valid %s", e.Arg, e.Want)
	case CodeNotComparable:
		msg = fmt.Sprintf("%q can only be tested for presence", e.Arg)
	case CodeBadRegexp:
		msg = fmt.Sprintf("%q is not a valid regular expression", e.Arg)
	case CodeSetMember:
		msg = fmt.Sprintf("%q was unexpected in this context: a set's members are separated by commas", e.Arg)
	case CodeLayerBytes:
		msg = fmt.Sprintf("the bytes of %q cannot be searched here; data.data holds the payload", e.Arg)
	case CodeNoFunction:
		msg = fmt.Sprintf("function %q does not exist", e.Arg)
	case CodeFuncOne:
		msg = fmt.Sprintf("function %s takes exactly one field", e.Arg)
	case CodeFuncSome:
		msg = fmt.Sprintf("function %s needs at least one field", e.Arg)
	case CodeFuncText:
		msg = fmt.Sprintf("only text fields can be used as parameter for %s()", e.Arg)
	case CodeFuncSized:
		msg = fmt.Sprintf("%s() measures bytes, text, addresses and protocols, not numbers, flags or times", e.Arg)
	case CodeFuncNumber:
		msg = fmt.Sprintf("only number fields can be used as parameter for %s()", e.Arg)
	case CodeFuncField:
		msg = fmt.Sprintf("the parameter of %s() must be a field", e.Arg)
	case CodeFuncPresence:
		msg = "you cannot test whether a function is present"
	case CodeFuncSet:
		msg = "only a field may be tested for membership in a set"
	case CodeNotSliceable:
		msg = fmt.Sprintf("%q is not a sequence of bytes and cannot be sliced", e.Arg)
	case CodeUnclosedSlice:
		msg = "the right bracket was missing from a slice"
	case CodeSliceNumber:
		msg = fmt.Sprintf("%q is not a valid number", e.Arg)
	case CodeSliceLength:
		msg = fmt.Sprintf("range %s is not valid: its length is not positive", e.Arg)
	case CodeSliceOrder:
		msg = fmt.Sprintf("range %s is not valid: its start is not before its end", e.Arg)
	case CodeSliceSigns:
		msg = fmt.Sprintf("range %s is not valid: its ends have different signs", e.Arg)
	default:
		msg = e.Code
	}
	return fmt.Sprintf("display filter %q, at %d: %s", e.Filter, e.Pos+1, msg)
}

// Unwrap returns ErrSyntax.
func (e *DisplayError) Unwrap() error { return ErrSyntax }

// Message names the sentence that tells a person, with the filter and
// Wireshark's pointer under its mistake on the lines below it.
func (e *DisplayError) Message() (string, map[string]any) {
	why := e.Reason()
	return "error.display_filter_at", map[string]any{
		"Sentence": message.Msg{ID: "error.display_filter", Data: map[string]any{"Why": why}},
		"Filter":   e.Filter,
		"Marker":   e.Marker(),
	}
}

// Reason is what is wrong, without the filter: "filter.<code>".
func (e *DisplayError) Reason() message.Msg {
	return message.Msg{ID: "filter." + e.Code, Data: map[string]any{"Arg": e.Arg, "Proto": e.Proto, "Want": message.Msg{ID: "want." + e.Want}}}
}

// Marker draws Wireshark's pointer under the filter: spaces then ^~~~.
func (e *DisplayError) Marker() string {
	pad := 0
	for _, r := range e.Filter[:min(e.Pos, len(e.Filter))] {
		if r > unicode.MaxASCII {
			pad += 2 // a wide character, most likely
			continue
		}
		pad++
	}
	return strings.Repeat(" ", pad) + "^" + strings.Repeat("~", max(e.Len-1, 0))
}

// kindName names a field kind in DisplayError.Want.
func kindName(k dissect.Kind) string {
	switch k {
	case dissect.KindUint, dissect.KindBool:
		return "number"
	case dissect.KindAddr:
		return "address"
	case dissect.KindBytes:
		return "bytes"
	case dissect.KindTime:
		return "time"
	}
	return "string"
}

// dtoken is a display filter token: an operator, a punctuation mark, a
// string literal, or a word (field name, number, address, bytes).
type dtoken struct {
	kind byte // 'w' word, 's' string, 'o' operator or punctuation
	s    string
	pos  int
	end  int
}

func dlex(src string) ([]dtoken, error) {
	var toks []dtoken
	ops := []string{"===", "!==", "==", "!=", ">=", "<=", "~=", "&&", "&", "||", "..", "!", ">", "<", "(", ")", "{", "}", ",", "~"}
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		if r == '[' {
			// A slice: its ranges are read by parseSlice.
			j := strings.IndexByte(src[i:], ']')
			if j < 0 {
				return nil, &DisplayError{Filter: src, Pos: i, Len: len(src) - i, Code: CodeUnclosedSlice}
			}
			toks = append(toks, dtoken{kind: 'r', s: src[i+1 : i+j], pos: i, end: i + j + 1})
			i += j + 1
			continue
		}
		if r == '"' {
			var b strings.Builder
			j := i + 1
			closed := false
			for j < len(src) {
				c := src[j]
				if c == '"' {
					closed = true
					j++
					break
				}
				if c == '\\' && j+1 < len(src) {
					j++
					switch e := src[j]; e {
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					case 'r':
						b.WriteByte('\r')
					case 'x':
						if j+2 < len(src) {
							if v, err := strconv.ParseUint(src[j+1:j+3], 16, 8); err == nil {
								b.WriteByte(byte(v))
								j += 3
								continue
							}
						}
						b.WriteByte('x')
					default:
						b.WriteByte(e)
					}
					j++
					continue
				}
				b.WriteByte(c)
				j++
			}
			if !closed {
				return nil, &DisplayError{Filter: src, Pos: i, Len: len(src) - i, Code: CodeUnclosedString}
			}
			toks = append(toks, dtoken{kind: 's', s: b.String(), pos: i, end: j})
			i = j
			continue
		}
		matched := false
		for _, op := range ops {
			if strings.HasPrefix(src[i:], op) {
				// "::1" and "a..b" are words and ranges, not operators.
				if op == ".." && len(toks) == 0 {
					break
				}
				toks = append(toks, dtoken{kind: 'o', s: op, pos: i, end: i + len(op)})
				i += len(op)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		j := i
		for j < len(src) {
			r, size := utf8.DecodeRuneInString(src[j:])
			if unicode.IsSpace(r) || strings.ContainsRune(`"(){}[],!=<>&|~`, r) {
				break
			}
			if r == '.' && strings.HasPrefix(src[j:], "..") {
				break
			}
			j += size
		}
		if j == i {
			code := CodeUnexpected
			if src[i] == '=' {
				code = CodeSingleEquals
			}
			return nil, &DisplayError{Filter: src, Pos: i, Len: 1, Code: code, Arg: src[i : i+1]}
		}
		toks = append(toks, dtoken{kind: 'w', s: src[i:j], pos: i, end: j})
		i = j
	}
	return toks, nil
}

type dparser struct {
	src     string
	toks    []dtoken
	i       int
	tracked bool // a field of dissect.Tracked is named
}

func (p *dparser) peek() *dtoken {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

// is reports whether the next token is one of words (operators, or
// keywords compared without case).
func (p *dparser) is(words ...string) bool {
	t := p.peek()
	if t == nil || t.kind == 's' {
		return false
	}
	for _, w := range words {
		if t.s == w || t.kind == 'w' && strings.EqualFold(t.s, w) {
			return true
		}
	}
	return false
}

func (p *dparser) fail(code, arg string) error {
	if t := p.peek(); t != nil {
		return &DisplayError{Filter: p.src, Pos: t.pos, Len: t.end - t.pos, Code: code, Arg: arg}
	}
	return &DisplayError{Filter: p.src, Pos: len(p.src), Len: 1, Code: code, Arg: arg}
}

type matcher = func(p *dissect.Packet) bool

func (p *dparser) or() (matcher, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.is("||", "or") {
		p.i++
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(pk *dissect.Packet) bool { return a(pk) || b(pk) }
	}
	return l, nil
}

func (p *dparser) and() (matcher, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.is("&&", "and") {
		p.i++
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(pk *dissect.Packet) bool { return a(pk) && b(pk) }
	}
	return l, nil
}

func (p *dparser) unary() (matcher, error) {
	switch {
	case p.is("!", "not"):
		p.i++
		m, err := p.unary()
		if err != nil {
			return nil, err
		}
		return func(pk *dissect.Packet) bool { return !m(pk) }, nil
	case p.is("("):
		p.i++
		m, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.is(")") {
			return nil, p.fail(CodeParen, "")
		}
		p.i++
		return m, nil
	}
	return p.test()
}

// relations maps operators and their word forms onto a canonical name.
var relations = map[string]string{
	"==": "==", "eq": "==", "===": "==", "any_eq": "==",
	"!=": "!=", "ne": "!=", "!==": "!=", "all_ne": "!=",
	"~=": "any_ne", "any_ne": "any_ne",
	">": ">", "gt": ">", "<": "<", "lt": "<", ">=": ">=", "ge": ">=", "<=": "<=", "le": "<=",
}

func (p *dparser) test() (matcher, error) {
	t := p.peek()
	if t == nil {
		return nil, p.fail(CodeMissing, "")
	}
	if t.kind != 'w' {
		return nil, p.fail(CodeUnexpected, t.s)
	}
	name := t.s
	if p.i+1 < len(p.toks) && p.toks[p.i+1].kind == 'o' && p.toks[p.i+1].s == "(" {
		get, kind, err := p.function()
		if err != nil {
			return nil, err
		}
		return p.relation(t, get, kind, true, false)
	}
	kind, ok := dissect.FieldKind(name)
	if !ok {
		return nil, p.unknown(t)
	}
	get := dissect.Getter(name)
	p.tracked = p.tracked || dissect.Tracked(name)
	p.i++
	if r := p.peek(); r != nil && r.kind == 'r' {
		switch {
		case kind == dissect.KindBytes:
		case name == "frame":
			get = frameBytes
		case name == "data":
			get = dissect.Getter("data.data")
		case kind == dissect.KindNone && dissect.IsLayer(name):
			get = layerBytes(name)
		case kind == dissect.KindNone:
			return nil, &DisplayError{Filter: p.src, Pos: t.pos, Len: t.end - t.pos, Code: CodeLayerBytes, Arg: name}
		default:
			return nil, &DisplayError{Filter: p.src, Pos: t.pos, Len: t.end - t.pos, Code: CodeNotSliceable, Arg: name}
		}
		ranges, err := parseSlice(p.src, r)
		if err != nil {
			return nil, err
		}
		get, kind = sliced(get, ranges), dissect.KindBytes
		p.i++
	}
	masked := false
	if p.is("&", "bitwise_and") {
		switch kind {
		case dissect.KindUint, dissect.KindBool, dissect.KindBytes, dissect.KindAddr:
		default:
			return nil, &DisplayError{Filter: p.src, Pos: t.pos, Len: t.end - t.pos, Code: CodeNotComparable, Arg: name}
		}
		p.i++
		m, err := p.value(kind)
		if err != nil {
			return nil, err
		}
		if m.bits >= 0 {
			return nil, p.fail(CodeBadValue, "") // a mask is no network
		}
		get, masked = bitAnd(get, m), true
	}
	return p.relation(t, get, kind, false, masked)
}

// relation reads what follows a field, a protocol or a function call
// (token t starts it): a relation and its value, a set, contains or
// matches, or nothing, which tests for presence. fn marks a function,
// whose presence tshark does not test; masked a field ANDed with a mask.
func (p *dparser) relation(t *dtoken, get func(*dissect.Packet, []dissect.Value) []dissect.Value, kind dissect.Kind, fn, masked bool) (matcher, error) {
	name := t.s
	n := p.peek()
	var rel string
	if n != nil && n.kind != 's' {
		rel = relations[strings.ToLower(n.s)]
	}
	if masked && rel == "" {
		// The AND alone is a test: is any bit of the mask set?
		return anyValue(get, nonZero), nil
	}
	switch {
	case rel != "":
		if kind == dissect.KindNone {
			return nil, &DisplayError{Filter: p.src, Pos: t.pos, Len: t.end - t.pos, Code: CodeNotComparable, Arg: name}
		}
		p.i++
		v, err := p.value(kind)
		if err != nil {
			return nil, err
		}
		return compare(get, rel, v), nil
	case p.is("in"):
		if fn {
			return nil, &DisplayError{Filter: p.src, Pos: t.pos, Len: t.end - t.pos, Code: CodeFuncSet, Arg: name}
		}
		if kind == dissect.KindNone {
			return nil, &DisplayError{Filter: p.src, Pos: t.pos, Len: t.end - t.pos, Code: CodeNotComparable, Arg: name}
		}
		p.i++
		return p.set(get, kind)
	case p.is("contains"):
		if kind == dissect.KindNone {
			var err error
			if get, err = p.protocolBytes(t); err != nil {
				return nil, err
			}
		}
		p.i++
		v, err := p.value(dissect.KindBytes)
		if err != nil {
			return nil, err
		}
		needle := v.B
		return anyValue(get, func(x dissect.Value) bool {
			if x.S != "" {
				return strings.Contains(x.S, string(needle))
			}
			return bytes.Contains(x.B, needle)
		}), nil
	case p.is("matches", "~"):
		if kind == dissect.KindNone {
			var err error
			if get, err = p.protocolBytes(t); err != nil {
				return nil, err
			}
		}
		p.i++
		s := p.peek()
		if s == nil || s.kind != 's' {
			return nil, p.fail(CodeBadValue, "")
		}
		re, err := regexp.Compile("(?i)" + s.s)
		if err != nil {
			return nil, &DisplayError{Filter: p.src, Pos: s.pos, Len: s.end - s.pos, Code: CodeBadRegexp, Arg: s.s}
		}
		p.i++
		return anyValue(get, func(x dissect.Value) bool {
			if x.S != "" {
				return re.MatchString(x.S)
			}
			return re.Match(x.B)
		}), nil
	}
	// A field or protocol alone: is it there?
	if fn {
		return nil, &DisplayError{Filter: p.src, Pos: t.pos, Len: t.end - t.pos, Code: CodeFuncPresence, Arg: name}
	}
	pool := newScratch()
	return func(pk *dissect.Packet) bool {
		sc := pool.Get().(*scratch)
		n := len(get(pk, sc[:0]))
		pool.Put(sc)
		return n > 0
	}, nil
}

// protocolBytes is what contains and matches search in the protocol
// that token t names: its bytes as Wireshark's protocol value holds
// them, in the frame and in the packet an ICMP error quotes.
func (p *dparser) protocolBytes(t *dtoken) (func(*dissect.Packet, []dissect.Value) []dissect.Value, error) {
	name := t.s
	switch {
	case name == "frame":
		return frameBytes, nil
	case name == "data":
		return dissect.Getter("data.data"), nil
	case !dissect.IsLayer(name):
		return nil, &DisplayError{Filter: p.src, Pos: t.pos, Len: t.end - t.pos, Code: CodeLayerBytes, Arg: name}
	}
	return inBoth(func(pk *dissect.Packet) (dissect.Value, bool) {
		b, ok := pk.ProtocolBytes(name)
		return dissect.Value{B: b}, ok
	}), nil
}

func (p *dparser) set(get func(*dissect.Packet, []dissect.Value) []dissect.Value, kind dissect.Kind) (matcher, error) {
	if !p.is("{") {
		return nil, p.fail(CodeUnexpected, "")
	}
	open := p.peek()
	p.i++
	type span struct{ lo, hi literal }
	var members []span
	// Members are separated by commas, as since Wireshark 4.0: a member
	// missing, or two with no comma between them, is refused where
	// tshark 4.0 refuses it.
	for {
		t := p.peek()
		if t == nil {
			return nil, &DisplayError{Filter: p.src, Pos: open.pos, Len: 1, Code: CodeUnclosedSet}
		}
		if p.is(",") || p.is("}") {
			return nil, p.fail(CodeSetMember, t.s)
		}
		lo, err := p.value(kind)
		if err != nil {
			return nil, err
		}
		hi := lo
		if p.is("..") {
			p.i++
			if hi, err = p.value(kind); err != nil {
				return nil, err
			}
		}
		members = append(members, span{lo, hi})
		next := p.peek()
		switch {
		case next == nil:
			return nil, &DisplayError{Filter: p.src, Pos: open.pos, Len: 1, Code: CodeUnclosedSet}
		case p.is("}"):
			p.i++
			return anyValue(get, func(x dissect.Value) bool {
				for _, m := range members {
					if order(x, m.lo) >= 0 && order(x, m.hi) <= 0 {
						return true
					}
				}
				return false
			}), nil
		case !p.is(","):
			return nil, p.fail(CodeSetMember, next.s)
		}
		p.i++
	}
}

// literal is a parsed value with, for addresses, a prefix length.
type literal struct {
	dissect.Value
	bits int // for a CIDR: the prefix length; -1 for a single address
}

// value reads a literal of the field's kind.
func (p *dparser) value(kind dissect.Kind) (literal, error) {
	t := p.peek()
	if t == nil {
		return literal{}, p.fail(CodeMissing, "")
	}
	if t.kind == 'o' {
		return literal{}, p.fail(CodeUnexpected, t.s)
	}
	if kind == dissect.KindBytes && t.kind == 'w' {
		if _, tail, _ := bytesLiteral(t.s); tail >= 0 {
			// tshark's scanner ends the word there: the rest is a
			// token of its own that cannot follow it.
			return literal{}, &DisplayError{Filter: p.src, Pos: t.pos + tail, Len: t.end - t.pos - tail, Code: CodeUnexpected, Arg: t.s[tail:]}
		}
	}
	lit, ok := parseLiteral(t, kind)
	if !ok {
		return literal{}, &DisplayError{Filter: p.src, Pos: t.pos, Len: t.end - t.pos, Code: CodeBadValue, Arg: t.s, Want: kindName(kind)}
	}
	p.i++
	return lit, nil
}

func parseLiteral(t *dtoken, kind dissect.Kind) (literal, bool) {
	s := t.s
	lit := literal{bits: -1}
	switch kind {
	case dissect.KindUint, dissect.KindBool:
		if t.kind == 'w' {
			switch strings.ToLower(s) {
			case "true":
				lit.U = 1
				return lit, true
			case "false":
				return lit, true
			}
		}
		v, err := strconv.ParseUint(s, 0, 64)
		lit.U = v
		return lit, err == nil
	case dissect.KindAddr:
		if pfx, err := netip.ParsePrefix(s); err == nil {
			lit.A, lit.bits = pfx.Addr(), pfx.Bits()
			return lit, true
		}
		a, err := netip.ParseAddr(s)
		lit.A = a
		return lit, err == nil
	case dissect.KindTime:
		f, err := strconv.ParseFloat(s, 64)
		lit.T = time.Duration(f * float64(time.Second))
		return lit, err == nil
	case dissect.KindString:
		lit.S = s
		return lit, true
	}
	// Bytes: a string, or hex bytes separated by ':', '-' or '.'.
	if t.kind == 's' {
		lit.B = []byte(s)
		return lit, true
	}
	b, _, ok := bytesLiteral(s)
	lit.B = b
	return lit, ok
}

// order compares two values of one kind: -1, 0 or 1.
func order(a dissect.Value, b literal) int {
	switch {
	case b.A.IsValid():
		return a.A.Compare(b.A)
	case b.B != nil || a.B != nil:
		return bytes.Compare(a.B, b.B)
	case b.S != "" || a.S != "":
		return strings.Compare(a.S, b.S)
	case a.T != 0 || b.T != 0:
		return cmpInt(int64(a.T), int64(b.T))
	}
	switch {
	case a.U < b.U:
		return -1
	case a.U > b.U:
		return 1
	}
	return 0
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func anyValue(get func(*dissect.Packet, []dissect.Value) []dissect.Value, ok func(dissect.Value) bool) matcher {
	pool := newScratch()
	return func(pk *dissect.Packet) bool {
		sc := pool.Get().(*scratch)
		defer pool.Put(sc)
		for _, v := range get(pk, sc[:0]) {
			if ok(v) {
				return true
			}
		}
		return false
	}
}

// scratch is room for a field's values while a matcher looks at them.
// A getter is a function value, so room on the stack would escape to
// the heap at every match; the pool lends it instead, and keeps a
// compiled filter safe to match from several goroutines. Each matcher
// has its own pool.
type scratch [4]dissect.Value

func newScratch() *sync.Pool { return &sync.Pool{New: func() any { return new(scratch) }} }

// compare builds a relation test. "==" and the orderings hold when any
// value does; "!=" when the field is there and no value equals (Wireshark
// 4's all_ne); "any_ne" when some value differs.
func compare(get func(*dissect.Packet, []dissect.Value) []dissect.Value, rel string, lit literal) matcher {
	eq := func(v dissect.Value) bool {
		if lit.bits >= 0 {
			pfx, err := v.A.Prefix(lit.bits)
			return err == nil && v.A.Is4() == lit.A.Is4() && pfx.Addr() == netip.PrefixFrom(lit.A, lit.bits).Masked().Addr()
		}
		return order(v, lit) == 0
	}
	switch rel {
	case "==":
		return anyValue(get, eq)
	case "!=":
		pool := newScratch()
		return func(pk *dissect.Packet) bool {
			sc := pool.Get().(*scratch)
			defer pool.Put(sc)
			vals := get(pk, sc[:0])
			for _, v := range vals {
				if eq(v) {
					return false
				}
			}
			return len(vals) > 0
		}
	case "any_ne":
		return anyValue(get, func(v dissect.Value) bool { return !eq(v) })
	case ">":
		return anyValue(get, func(v dissect.Value) bool { return order(v, lit) > 0 })
	case "<":
		return anyValue(get, func(v dissect.Value) bool { return order(v, lit) < 0 })
	case ">=":
		return anyValue(get, func(v dissect.Value) bool { return order(v, lit) >= 0 })
	}
	return anyValue(get, func(v dissect.Value) bool { return order(v, lit) <= 0 })
}

// CompileDisplay compiles a display filter. An empty filter matches
// every packet.
func CompileDisplay(expr string) (*Display, error) {
	toks, err := dlex(expr)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return &Display{expr: expr, match: func(*dissect.Packet) bool { return true }}, nil
	}
	p := &dparser{src: expr, toks: toks}
	m, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, p.fail(CodeUnexpected, p.toks[p.i].s)
	}
	return &Display{expr: expr, match: m, tracked: p.tracked}, nil
}

// unknown is the error for a name the dissector does not know: one of a
// protocol Wireshark dissects and wiretutor does not yet (dns.qry.name)
// is told as such.
func (p *dparser) unknown(t *dtoken) error {
	if proto, ok := dissect.NotDissected(t.s); ok {
		return &DisplayError{Filter: p.src, Pos: t.pos, Len: t.end - t.pos, Code: CodeNotDissected, Arg: t.s, Proto: proto}
	}
	return &DisplayError{Filter: p.src, Pos: t.pos, Len: t.end - t.pos, Code: CodeUnknownField, Arg: t.s}
}
