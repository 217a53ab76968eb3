package output

import (
	"strconv"

	"wiretutor/engine/packet/dissect"
)

// hexRow is one full row of the dump without its offset: sixteen "xx "
// cells, two spaces, sixteen characters and the line's end.
const hexRow = 16*3 + 2 + 16 + 1

// hexCells holds "xx " for every byte value, so a row is copied cell by
// cell instead of formatted digit by digit.
const hexCells = "" +
	"00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f " +
	"20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35 36 37 38 39 3a 3b 3c 3d 3e 3f " +
	"40 41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50 51 52 53 54 55 56 57 58 59 5a 5b 5c 5d 5e 5f " +
	"60 61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70 71 72 73 74 75 76 77 78 79 7a 7b 7c 7d 7e 7f " +
	"80 81 82 83 84 85 86 87 88 89 8a 8b 8c 8d 8e 8f 90 91 92 93 94 95 96 97 98 99 9a 9b 9c 9d 9e 9f " +
	"a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af b0 b1 b2 b3 b4 b5 b6 b7 b8 b9 ba bb bc bd be bf " +
	"c0 c1 c2 c3 c4 c5 c6 c7 c8 c9 ca cb cc cd ce cf d0 d1 d2 d3 d4 d5 d6 d7 d8 d9 da db dc dd de df " +
	"e0 e1 e2 e3 e4 e5 e6 e7 e8 e9 ea eb ec ed ee ef f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 fa fb fc fd fe ff "

const lowerHex = "0123456789abcdef"

// AppendHex appends tshark's hex and ASCII dump of data (what `tshark -x`
// prints for one data source): rows of sixteen bytes, each with its
// offset in four hex digits (more when the data is longer than 64 KiB,
// as many as its last offset needs, on every row), two spaces, the bytes
// in hex, two spaces, and the bytes as ASCII with a dot for anything
// outside 0x20–0x7e. The last row is padded so its text lines up.
func AppendHex(buf, data []byte) []byte {
	if len(data) == 0 {
		return buf
	}
	digits := 4
	for last := len(data) - 1; digits < 8 && last>>(4*digits) != 0; {
		digits++
	}
	rows := (len(data) + 15) / 16
	buf = grow(buf, rows*(digits+2+hexRow))
	for off := 0; off < len(data); off += 16 {
		row := data[off:min(off+16, len(data))]
		// Each row is written in place: the room is there (grow above).
		n := len(buf)
		buf = buf[:n+digits+2+hexRow]
		out := buf[n:]
		for i := 0; i < digits; i++ {
			out[i] = lowerHex[off>>(4*(digits-1-i))&15]
		}
		out[digits], out[digits+1] = ' ', ' '
		cells := out[digits+2:]
		for i, c := range row {
			copy(cells[3*i:3*i+3], hexCells[3*int(c):3*int(c)+3])
		}
		for i := len(row); i < 16; i++ {
			cells[3*i], cells[3*i+1], cells[3*i+2] = ' ', ' ', ' '
		}
		text := cells[48:]
		text[0], text[1] = ' ', ' '
		for i, c := range row {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			text[2+i] = c
		}
		text[2+len(row)] = '\n'
		buf = buf[:n+digits+2+48+2+len(row)+1]
	}
	return buf
}

// grow makes room for n more bytes in buf at once.
func grow(buf []byte, n int) []byte {
	if cap(buf)-len(buf) >= n {
		return buf
	}
	nb := make([]byte, len(buf), 2*cap(buf)+n)
	copy(nb, buf)
	return nb
}

// AppendFrameHex appends what `tshark -x` prints for one frame, without
// the blank line that follows it: the dump of the frame's captured bytes
// (p.Data), and, when there are more sources (Packet.Sources), the
// frame's bytes and then each source's, each under tshark's name for it
// ("Frame (54 bytes):", "Reassembled TCP (84 bytes):").
func AppendFrameHex(buf []byte, p *dissect.Packet, more []dissect.DataSource) []byte {
	if len(more) == 0 {
		return AppendHex(buf, p.Data)
	}
	buf = appendSource(buf, "Frame", p.Data)
	for _, s := range more {
		buf = appendSource(buf, s.Name, s.Data)
	}
	return buf
}

// appendSource is one of several data sources: its name and size, then
// its dump. The names are tshark's output, not words for the reader to
// translate.
func appendSource(buf []byte, name string, data []byte) []byte {
	buf = append(buf, name...)
	buf = append(buf, " ("...)
	buf = strconv.AppendInt(buf, int64(len(data)), 10)
	buf = append(buf, " bytes):\n"...)
	return AppendHex(buf, data)
}
