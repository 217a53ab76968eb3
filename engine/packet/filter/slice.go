package filter

import (
	"strconv"
	"strings"

	"wiretutor/engine/packet/dissect"
)

// A slice picks bytes of a bytes field, as Wireshark's field[...] does:
// udp.payload[0] is the first byte, [i:n] n bytes from offset i, [i-j]
// offsets i to j, [i:] from i to the end, [:n] the first n; a negative
// offset counts from the end; ranges joined by commas are concatenated.
// A range that does not lie wholly inside the field's bytes leaves the
// slice absent, so a comparison with it fails.

// The slice errors.
const (
	CodeUnclosedSlice = "unclosed_slice" // "[" with no "]"
	CodeNotSliceable  = "not_sliceable"  // Arg: a field that is not bytes
	CodeSliceNumber   = "slice_number"   // Arg: what should be an offset or a length
	CodeSliceLength   = "slice_length"   // Arg: the range; its length is not positive
	CodeSliceOrder    = "slice_order"    // Arg: the range; i-j with i not before j
	CodeSliceSigns    = "slice_signs"    // Arg: the range; i-j with i and j of different signs
)

// byteRange is one range of a slice: from off (negative: from the end),
// n bytes, or to the end when toEnd.
type byteRange struct {
	off   int
	n     int
	toEnd bool
}

// parseSlice reads the ranges between a slice's brackets; t is the
// token of the brackets.
func parseSlice(src string, t *dtoken) ([]byteRange, error) {
	inner := t.s
	if strings.TrimSpace(inner) == "" {
		return nil, &DisplayError{Filter: src, Pos: t.end - 1, Len: 1, Code: CodeUnexpected, Arg: "]"}
	}
	at := t.pos + 1 // the source offset of inner's first byte
	var out []byteRange
	for _, part := range strings.Split(inner, ",") {
		pos := at
		at += len(part) + 1
		lead := len(part) - len(strings.TrimLeft(part, " \t"))
		s := strings.TrimSpace(part)
		pos += lead
		fail := func(code, arg string) error {
			return &DisplayError{Filter: src, Pos: pos, Len: max(len(s), 1), Code: code, Arg: arg}
		}
		num := func(v string) (int, error) {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return 0, fail(CodeSliceNumber, strings.TrimSpace(v))
			}
			return n, nil
		}
		if s == "" {
			return nil, fail(CodeSliceNumber, s)
		}
		var r byteRange
		if i := strings.IndexByte(s, ':'); i >= 0 {
			// i:n, i: and :n
			if i > 0 {
				off, err := num(s[:i])
				if err != nil {
					return nil, err
				}
				r.off = off
			}
			if rest := strings.TrimSpace(s[i+1:]); rest == "" {
				r.toEnd = true
			} else {
				n, err := num(rest)
				if err != nil {
					return nil, err
				}
				if n <= 0 {
					return nil, fail(CodeSliceLength, s)
				}
				r.n = n
			}
			out = append(out, r)
			continue
		}
		// i-j, where i itself may be negative: the dash is the first one
		// after a digit.
		dash := -1
		for k := 1; k < len(s); k++ {
			if s[k] == '-' && s[k-1] != '-' {
				dash = k
				break
			}
		}
		if dash < 0 {
			off, err := num(s)
			if err != nil {
				return nil, err
			}
			out = append(out, byteRange{off: off, n: 1})
			continue
		}
		from, err := num(s[:dash])
		if err != nil {
			return nil, err
		}
		to, err := num(s[dash+1:])
		if err != nil {
			return nil, err
		}
		switch {
		case (from < 0) != (to < 0):
			return nil, fail(CodeSliceSigns, s)
		case from >= to:
			return nil, fail(CodeSliceOrder, s)
		}
		out = append(out, byteRange{off: from, n: to - from + 1})
	}
	return out, nil
}

// cut applies ranges to b: the bytes they pick, and false when a range
// falls outside b.
func cut(b []byte, ranges []byteRange) ([]byte, bool) {
	var out []byte
	for i, r := range ranges {
		start := r.off
		if start < 0 {
			start += len(b)
		}
		if start < 0 || start >= len(b) {
			return nil, false
		}
		end := len(b)
		if !r.toEnd {
			end = start + r.n
		}
		if end > len(b) {
			return nil, false
		}
		if len(ranges) == 1 {
			return b[start:end:end], true
		}
		if i == 0 {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[start:end]...)
	}
	return out, true
}

// sliced is get with each value cut to ranges; a value the ranges do not
// fit is left out.
func sliced(get func(*dissect.Packet, []dissect.Value) []dissect.Value, ranges []byteRange) func(*dissect.Packet, []dissect.Value) []dissect.Value {
	return func(p *dissect.Packet, out []dissect.Value) []dissect.Value {
		vals := get(p, out)
		kept := vals[:len(out)]
		for _, v := range vals[len(out):] {
			if b, ok := cut(v.B, ranges); ok {
				kept = append(kept, dissect.Value{B: b})
			}
		}
		return kept
	}
}

// frameBytes is the frame itself as a bytes value, for frame[...].
func frameBytes(p *dissect.Packet, out []dissect.Value) []dissect.Value {
	if p.Data == nil {
		return out
	}
	return append(out, dissect.Value{B: p.Data})
}

// layerBytes is a protocol's header as a bytes value, for tcp[13] and
// eth[0] & 1.
func layerBytes(name string) func(*dissect.Packet, []dissect.Value) []dissect.Value {
	return inBoth(func(p *dissect.Packet) (dissect.Value, bool) {
		b, ok := p.LayerBytes(name)
		return dissect.Value{B: b}, ok
	})
}

// inBoth is the getter of one value a packet may have, in the frame and
// then in the packet an ICMP error quotes, whose protocols are the
// filter's too.
func inBoth(get func(*dissect.Packet) (dissect.Value, bool)) func(*dissect.Packet, []dissect.Value) []dissect.Value {
	return func(p *dissect.Packet, out []dissect.Value) []dissect.Value {
		if v, ok := get(p); ok {
			out = append(out, v)
		}
		if p.Inner != nil {
			if v, ok := get(p.Inner); ok {
				out = append(out, v)
			}
		}
		return out
	}
}
