package quiz_test

import (
	"fmt"
	"testing"

	"wiretutor/engine/course/quiz"
)

func TestByteRange(t *testing.T) {
	const move = "030b00050103000200" + "18" // a move to x=3, y=2, and its check
	tests := []struct {
		r    quiz.ByteRange
		v    string
		want uint64
		ok   bool
	}{
		{quiz.ByteRange{Off: 0, Len: 1}, move, 3, true},
		{quiz.ByteRange{Off: 2, Len: 2}, move, 5, true},
		{quiz.ByteRange{Off: 2, Len: 2, Order: quiz.LittleEndian}, move, 0x0500, true},
		{quiz.ByteRange{Off: 5, Len: 2, Order: quiz.LittleEndian}, move, 3, true},
		{quiz.ByteRange{Off: 5, Len: 2}, move, 0x0300, true},
		{quiz.ByteRange{Off: -1, Len: 1}, move, 0x18, true},
		{quiz.ByteRange{Off: 0, Len: 2}, "03:0b:00", 0x030b, true},
		{quiz.ByteRange{Off: 9, Len: 2}, move, 0, false},
		{quiz.ByteRange{Off: -11, Len: 1}, move, 0, false},
		{quiz.ByteRange{Off: 0, Len: 0}, move, 0, false},
		{quiz.ByteRange{Off: 0, Len: 9}, move, 0, false},
		{quiz.ByteRange{Off: 0, Len: 1}, "zz", 0, false},
	}
	for _, tt := range tests {
		got, ok := tt.r.Read(tt.v)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%+v of %s: %d, %v; want %d, %v", tt.r, tt.v, got, ok, tt.want, tt.ok)
		}
	}
	q := &quiz.Question{Bytes: &quiz.ByteRange{Off: -1, Len: 1}, Add: 1}
	if got := q.FromField(move); got != "25" {
		t.Errorf("a what-if of the check byte: %q, want 25", got)
	}
}

// A question about x in a game's move reads two bytes little-endian
// from the UDP payload tshark prints.
func ExampleByteRange_Read() {
	x, _ := quiz.ByteRange{Off: 5, Len: 2, Order: quiz.LittleEndian}.Read("030b000501" + "0300" + "0200" + "18")
	fmt.Println(x)
	// Output: 3
}
