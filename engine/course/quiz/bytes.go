package quiz

import (
	"encoding/hex"
	"strings"
)

// ByteRange is the part of a bytes field a question asks about: Len
// bytes (1 to 8) at Off, which counts from the end when negative (-1 is
// the last byte), read as an unsigned number in the byte order Order:
// "be" (big-endian, network order; the default) or "le". A game's
// message keeps a counter in one order and coordinates in the other.
type ByteRange struct {
	Off   int    `json:"off"`
	Len   int    `json:"len"`
	Order string `json:"order,omitempty"`
}

// The byte orders.
const (
	BigEndian    = "be"
	LittleEndian = "le"
)

// Read is the number r picks out of a field's value as tshark's -T
// fields prints bytes (hex digits, with or without colons), and false
// when the value is not hex or too short.
func (r ByteRange) Read(v string) (uint64, bool) {
	b, err := hex.DecodeString(strings.ReplaceAll(v, ":", ""))
	if err != nil || r.Len < 1 || r.Len > 8 {
		return 0, false
	}
	off := r.Off
	if off < 0 {
		off += len(b)
	}
	if off < 0 || off+r.Len > len(b) {
		return 0, false
	}
	var n uint64
	for i := 0; i < r.Len; i++ {
		k := off + i
		if r.Order == LittleEndian {
			k = off + r.Len - 1 - i
		}
		n = n<<8 | uint64(b[k])
	}
	return n, true
}
