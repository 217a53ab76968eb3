package anatomy

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"

	"wiretutor/engine/packet/dissect"
)

// reader reads one header: b is the frame from the header's first byte,
// base that byte's offset in the frame.
type reader struct {
	p    *dissect.Packet
	b    []byte
	base int
	// size is the header's length as it says (or its fixed size).
	size int
	out  []Field
}

// has reports whether the frame holds the n bytes at off.
func (r *reader) has(off, n int) bool { return off >= 0 && n >= 0 && off+n <= len(r.b) }

// add lists a field of the header at off (from the header's start),
// when the frame holds its bytes; value is called only then.
func (r *reader) add(name string, off, n int, mask uint64, depth int, value func() string) bool {
	if !r.has(off, n) {
		return false
	}
	r.out = append(r.out, Field{Name: name, Off: r.base + off, Len: n, Mask: mask, Value: value(), Depth: depth})
	return true
}

func (r *reader) u8(off int) uint64  { return uint64(r.b[off]) }
func (r *reader) u16(off int) uint64 { return uint64(binary.BigEndian.Uint16(r.b[off:])) }
func (r *reader) u32(off int) uint64 { return uint64(binary.BigEndian.Uint32(r.b[off:])) }

// decv is a number as tshark prints a decimal field.
func decv(v uint64) func() string { return func() string { return strconv.FormatUint(v, 10) } }

// dec defers reading the header until the field is known to fit.
func dec(f func() uint64) func() string {
	return func() string { return strconv.FormatUint(f(), 10) }
}

// hexOf is a number as tshark prints a hexadecimal field of digits
// digits: 0x0012.
func hexOf(digits int, f func() uint64) func() string {
	return func() string { return fmt.Sprintf("0x%0*x", digits, f()) }
}

// bytesOf is bytes as tshark prints a byte field: 0204ffd7.
func (r *reader) bytesOf(off, n int) func() string {
	return func() string { return hex.EncodeToString(r.b[off : off+n]) }
}

// addrOf is an address of n bytes at off: 127.0.0.1, ::1.
func (r *reader) addrOf(off, n int) func() string {
	return func() string {
		a, _ := netip.AddrFromSlice(r.b[off : off+n])
		return a.String()
	}
}
