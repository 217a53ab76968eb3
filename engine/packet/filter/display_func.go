package filter

import (
	"strings"

	"wiretutor/engine/packet/dissect"
)

// The functions of tshark 4.0's display filters, on the left of a
// relation: len(http.host) > 20, count(ip.addr) == 4,
// upper(http.request.method) == "GET", max(tcp.srcport, tcp.dstport) < 1024.
// A function gives a value for each value of its field (len, upper,
// lower, abs) or one for all of them (count, max, min); none when the
// field is absent, so count of an absent field is not 0 but nothing, as
// in tshark.

// getter appends a field's values in a packet to out.
type getter = func(*dissect.Packet, []dissect.Value) []dissect.Value

// funcArg is one argument of a call: the field's values and their kind.
type funcArg struct {
	tok  *dtoken
	get  getter
	kind dissect.Kind
}

// function reads a call, its name at the parser's token and "(" next,
// and returns the getter of its values and their kind.
func (p *dparser) function() (getter, dissect.Kind, error) {
	t := p.peek()
	name := t.s
	refuse := func(code string, at *dtoken) error {
		return &DisplayError{Filter: p.src, Pos: at.pos, Len: at.end - at.pos, Code: code, Arg: name}
	}
	switch name {
	case "len", "count", "upper", "lower", "abs", "max", "min":
	default:
		return nil, 0, refuse(CodeNoFunction, t)
	}
	p.i += 2
	var args []funcArg
	for {
		a := p.peek()
		if a == nil {
			return nil, 0, p.fail(CodeParen, "")
		}
		if a.kind == 'o' && a.s == ")" {
			p.i++
			break
		}
		if len(args) > 0 {
			if !p.is(",") {
				return nil, 0, p.fail(CodeParen, "")
			}
			p.i++
			if a = p.peek(); a == nil {
				return nil, 0, p.fail(CodeMissing, "")
			}
		}
		kind, ok := dissect.FieldKind(a.s)
		if a.kind != 'w' || !ok {
			if a.kind == 'w' && !looksLiteral(a.s) {
				return nil, 0, p.unknown(a)
			}
			return nil, 0, refuse(CodeFuncField, a)
		}
		args = append(args, funcArg{tok: a, get: dissect.Getter(a.s), kind: kind})
		p.i++
	}
	one := name != "max" && name != "min"
	switch {
	case one && len(args) != 1:
		return nil, 0, refuse(CodeFuncOne, t)
	case len(args) == 0:
		return nil, 0, refuse(CodeFuncSome, t)
	}
	a := args[0]
	switch name {
	case "len":
		get, err := p.lengths(name, a)
		return get, dissect.KindUint, err
	case "count":
		return func(pk *dissect.Packet, out []dissect.Value) []dissect.Value {
			n := len(a.get(pk, out)) - len(out)
			if n == 0 {
				return out
			}
			return append(out, dissect.Value{U: uint64(n)})
		}, dissect.KindUint, nil
	case "upper", "lower":
		if a.kind != dissect.KindString {
			return nil, 0, refuse(CodeFuncText, a.tok)
		}
		conv := strings.ToUpper
		if name == "lower" {
			conv = strings.ToLower
		}
		return func(pk *dissect.Packet, out []dissect.Value) []dissect.Value {
			vals := a.get(pk, out)
			for i := len(out); i < len(vals); i++ {
				vals[i].S = conv(vals[i].S)
			}
			return vals
		}, dissect.KindString, nil
	}
	for _, a := range args {
		if a.kind != dissect.KindUint {
			return nil, 0, refuse(CodeFuncNumber, a.tok)
		}
	}
	if name == "abs" {
		return a.get, dissect.KindUint, nil // unsigned already
	}
	return extreme(args, name == "max"), dissect.KindUint, nil
}

// lengths is len(a): the length of each of a's values, in bytes (text
// as its UTF-8 bytes, an address as 4 or 16), or of the protocol's
// bytes as a slice of it reads them.
func (p *dparser) lengths(name string, a funcArg) (getter, error) {
	get := a.get
	switch {
	case a.kind == dissect.KindNone && a.tok.s == "frame":
		get = frameBytes
	case a.kind == dissect.KindNone && a.tok.s == "data":
		get = dissect.Getter("data.data")
	case a.kind == dissect.KindNone && dissect.IsLayer(a.tok.s):
		proto := a.tok.s
		return inBoth(func(pk *dissect.Packet) (dissect.Value, bool) {
			n, ok := pk.ProtocolLength(proto)
			return dissect.Value{U: uint64(n)}, ok
		}), nil
	case a.kind == dissect.KindBytes, a.kind == dissect.KindString, a.kind == dissect.KindAddr:
	default:
		return nil, &DisplayError{Filter: p.src, Pos: a.tok.pos, Len: a.tok.end - a.tok.pos, Code: CodeFuncSized, Arg: name}
	}
	return func(pk *dissect.Packet, out []dissect.Value) []dissect.Value {
		vals := get(pk, out)
		for i := len(out); i < len(vals); i++ {
			v := &vals[i]
			n := len(v.B) + len(v.S)
			if v.A.IsValid() {
				n = v.A.BitLen() / 8
			}
			*v = dissect.Value{U: uint64(n)}
		}
		return vals
	}, nil
}

// extreme is max(args) or min(args): one value, the largest or the
// smallest of all the fields' values; none when none is there.
func extreme(args []funcArg, largest bool) getter {
	return func(pk *dissect.Packet, out []dissect.Value) []dissect.Value {
		start := len(out)
		vals := out
		for _, a := range args {
			vals = a.get(pk, vals)
		}
		if len(vals) == start {
			return out
		}
		best := vals[start].U
		for _, v := range vals[start+1:] {
			if largest && v.U > best || !largest && v.U < best {
				best = v.U
			}
		}
		return append(vals[:start], dissect.Value{U: best})
	}
}

// looksLiteral reports whether a word is a value rather than a name: a
// number, or bytes or an address written with ':'.
func looksLiteral(s string) bool {
	return s != "" && (s[0] >= '0' && s[0] <= '9' || strings.Contains(s, ":"))
}
