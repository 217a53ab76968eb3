package dissect

import (
	"encoding/hex"
	"net/netip"
	"strconv"
	"time"
)

// Kind is a field's type, which decides how display filters compare it.
type Kind uint8

// The kinds of field.
const (
	KindNone   Kind = iota // present or not: protocols, analysis flags
	KindUint               // numbers, flags
	KindBool               // single flag bits (tcp.flags.syn)
	KindAddr               // IPv4 and IPv6 addresses
	KindBytes              // payloads, MAC addresses
	KindString             // text (HTTP)
	KindTime               // relative and absolute times
)

// Value is one value of a field; which member is set depends on the
// field's Kind.
type Value struct {
	U uint64        // KindUint, KindBool
	T time.Duration // KindTime
	A netip.Addr    // KindAddr
	B []byte        // KindBytes
	S string        // KindString
}

// format says how -T fields prints a value.
type format uint8

const (
	fmtDec     format = iota // 42
	fmtHex                   // 0x002a, width digits
	fmtAddr                  // 127.0.0.1
	fmtMAC                   // 00:00:00:00:00:00
	fmtHexDump               // 68656c6c6f
	fmtText                  // as is
	fmtSeconds               // 0.000123000
	fmtOne                   // 1 where present
	fmtEscaped               // bytes as text, control characters escaped (\n)
)

// fieldDef describes one field: its kind, how it prints, and how to get
// its values from a packet (appended to out; none means absent).
type fieldDef struct {
	kind  Kind
	fmt   format
	width int
	get   func(p *Packet, out []Value) []Value
}

func (d *fieldDef) appendValue(buf []byte, v Value) []byte {
	switch d.fmt {
	case fmtHex:
		buf = append(buf, "0x"...)
		return appendHex(buf, v.U, d.width)
	case fmtAddr:
		return v.A.AppendTo(buf)
	case fmtMAC:
		var m [6]byte
		copy(m[:], v.B)
		return appendMAC(buf, m)
	case fmtHexDump:
		return hex.AppendEncode(buf, v.B)
	case fmtText:
		return append(buf, v.S...)
	case fmtSeconds:
		return appendSeconds(buf, v.T, 9)
	case fmtOne:
		return append(buf, '1')
	case fmtEscaped:
		return appendEscaped(buf, v.B)
	}
	return strconv.AppendUint(buf, v.U, 10)
}

// Builders of fieldDefs, for the protocols' field lists.

func uintField(f format, width int, has func(*Packet) bool, get func(*Packet) uint64) fieldDef {
	return fieldDef{kind: KindUint, fmt: f, width: width, get: func(p *Packet, out []Value) []Value {
		if !has(p) {
			return out
		}
		return append(out, Value{U: get(p)})
	}}
}

func dec(has func(*Packet) bool, get func(*Packet) uint64) fieldDef {
	return uintField(fmtDec, 0, has, get)
}

func hexf(width int, has func(*Packet) bool, get func(*Packet) uint64) fieldDef {
	return uintField(fmtHex, width, has, get)
}

func pairOf(has func(*Packet) bool, a, b func(*Packet) uint64) fieldDef {
	return fieldDef{kind: KindUint, fmt: fmtDec, get: func(p *Packet, out []Value) []Value {
		if !has(p) {
			return out
		}
		return append(out, Value{U: a(p)}, Value{U: b(p)})
	}}
}

// present is a field that is there or not, as tshark's "1" shows it.
func present(has func(*Packet) bool) fieldDef {
	return fieldDef{kind: KindNone, fmt: fmtOne, get: func(p *Packet, out []Value) []Value {
		if !has(p) {
			return out
		}
		return append(out, Value{})
	}}
}

func seconds(get func(*Packet) time.Duration) fieldDef {
	return fieldDef{kind: KindTime, fmt: fmtSeconds, get: func(p *Packet, out []Value) []Value {
		return append(out, Value{T: get(p)})
	}}
}

// secondsIf is seconds for the packets has picks, absent on the others.
func secondsIf(has func(*Packet) bool, get func(*Packet) time.Duration) fieldDef {
	return fieldDef{kind: KindTime, fmt: fmtSeconds, get: func(p *Packet, out []Value) []Value {
		if !has(p) {
			return out
		}
		return append(out, Value{T: get(p)})
	}}
}

func text(has func(*Packet) bool, get func(*Packet) string) fieldDef {
	return fieldDef{kind: KindString, fmt: fmtText, get: func(p *Packet, out []Value) []Value {
		if !has(p) {
			return out
		}
		return append(out, Value{S: get(p)})
	}}
}

// payload is the packet's payload as a hex dump, when has says it is
// the field's and it is not empty.
func payload(has func(*Packet) bool) fieldDef {
	return fieldDef{kind: KindBytes, fmt: fmtHexDump, get: func(p *Packet, out []Value) []Value {
		if !has(p) || len(p.Payload) == 0 {
			return out
		}
		return append(out, Value{B: p.Payload})
	}}
}

// appendEscaped writes bytes as tshark prints a text field: printable
// characters as they are, \n \r \t and other control bytes escaped.
func appendEscaped(buf, b []byte) []byte {
	for _, c := range b {
		buf = appendEscapedByte(buf, c)
	}
	return buf
}

// appendEscapedByte writes one byte as tshark's text does: a control
// byte as its C escape or \xNN, any other as it is.
func appendEscapedByte(buf []byte, c byte) []byte {
	switch {
	case c == '\n':
		return append(buf, `\n`...)
	case c == '\r':
		return append(buf, `\r`...)
	case c == '\t':
		return append(buf, `\t`...)
	case c < 0x20 || c == 0x7f:
		buf = append(buf, `\x`...)
		return appendHex(buf, uint64(c), 2)
	}
	return append(buf, c)
}

const hexDigits = "0123456789abcdef"

// appendHex appends v in lowercase hex, zero-padded to width digits.
func appendHex(buf []byte, v uint64, width int) []byte {
	var tmp [16]byte
	i := len(tmp)
	for v > 0 || len(tmp)-i < width {
		i--
		tmp[i] = hexDigits[v&15]
		v >>= 4
	}
	return append(buf, tmp[i:]...)
}
