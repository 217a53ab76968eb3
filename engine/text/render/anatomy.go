package render

import (
	"fmt"
	"strings"
)

// AnatomyField is one field of a header as an anatomy shows it: the
// bytes it holds and what it says, in the learner's words.
type AnatomyField struct {
	// Off is its first byte's offset in the frame, Len its bytes; Mask
	// the bits of those bytes (read big-endian) it holds, 0 for all.
	Off, Len int
	Mask     uint64
	// Depth is 0 for a field of the header, 1 for a part of the field
	// before it, 2 for a part of that.
	Depth int
	// Name is the field's name in the learner's language; Tshark its
	// display-filter name; Value what tshark prints; Meaning one line
	// on what it is for.
	Name, Tshark, Value, Meaning string
}

// AnatomyLayer is one header of a frame: its bytes and its fields.
type AnatomyLayer struct {
	Title  string
	Off    int    // the frame offset of Bytes[0]
	Bytes  []byte // the header's bytes
	Fields []AnatomyField
}

// anatomyPalette colours the marked fields in turn, so that two
// neighbours never share one.
var anatomyPalette = [...]string{"\x1b[36m", "\x1b[33m", "\x1b[35m", "\x1b[32m", "\x1b[34m", "\x1b[31m"}

// anatomyKeys name the marked fields under the bytes when there is no
// colour, in turn.
const anatomyKeys = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// BytesPerRow is how many bytes a row of a hex dump holds at a width:
// 16 where they fit ("0000  " and three columns a byte), else 8, 4, 2
// or 1.
func BytesPerRow(width int) int {
	n := 16
	for n > 1 && 6+3*n-1 > width {
		n /= 2
	}
	return n
}

// Anatomy draws a header: its title, its bytes as a hex dump with each
// field's bytes marked, and a table of its fields (key, name, value,
// tshark's name) each with its meaning under it. With colour each field
// has its own, on its bytes and on its row; without, a line under each
// row of bytes marks every field's span with the key its row in the
// table starts with: "c┘" one byte, "d───┘" two, "ab" two halves of
// one. Every line fits the terminal's width.
func (r *Renderer) Anatomy(l AnatomyLayer) []string {
	width := max(r.t.Width, 1)
	marked, group := anatomyMarks(l.Fields)
	owner := nibbleOwners(l, marked)
	out := []string{r.Paint(Heading, Wrap(l.Title, width))}
	out = append(out, r.anatomyDump(l, owner, width)...)
	out = append(out, "")
	out = append(out, r.anatomyTable(l, marked, group, width)...)
	return out
}

// anatomyMarks picks the fields whose bytes are marked: those of the
// header, but where a field of whole bytes is made of smaller ones (the
// options), those parts. group maps each field to the marked field its
// row takes its colour from (-1 for none); marked lists them in order.
func anatomyMarks(fs []AnatomyField) (marked []int, group []int) {
	split := make([]bool, len(fs))
	parent := make([]int, len(fs))
	top := -1
	for i, f := range fs {
		parent[i] = -1
		if f.Depth == 0 {
			top = i
			continue
		}
		if top >= 0 {
			parent[i] = top
			p := fs[top]
			if f.Depth == 1 && f.Mask == 0 && p.Mask == 0 && f.Len < p.Len {
				split[top] = true
			}
		}
	}
	group = make([]int, len(fs))
	cur := -1
	for i, f := range fs {
		switch {
		case f.Depth == 0 && !split[i]:
			marked = append(marked, i)
			cur = i
		case f.Depth == 0:
			cur = -1
		case f.Depth == 1 && parent[i] >= 0 && split[parent[i]]:
			marked = append(marked, i)
			cur = i
		}
		group[i] = cur
	}
	return marked, group
}

// nibbleOwners gives each half byte of the layer the marked field (its
// index among marked) that holds its bits, or -1.
func nibbleOwners(l AnatomyLayer, marked []int) []int {
	owner := make([]int, 2*len(l.Bytes))
	for i := range owner {
		owner[i] = -1
	}
	for k, fi := range marked {
		f := l.Fields[fi]
		for b := range f.Len {
			at := f.Off - l.Off + b
			if at < 0 || at >= len(l.Bytes) {
				continue
			}
			bits := uint64(0xff)
			if f.Mask != 0 {
				bits = f.Mask >> (8 * (f.Len - 1 - b)) & 0xff
			}
			for half, m := range []uint64{0xf0, 0x0f} {
				if bits&m != 0 && owner[2*at+half] < 0 {
					owner[2*at+half] = k
				}
			}
		}
	}
	return owner
}

// anatomyDump is the hex dump, each row of bytes followed, without
// colour, by its line of marks.
func (r *Renderer) anatomyDump(l AnatomyLayer, owner []int, width int) []string {
	n := BytesPerRow(width)
	var out []string
	for row := 0; row < len(l.Bytes); row += n {
		end := min(row+n, len(l.Bytes))
		var hexs, marks strings.Builder
		fmt.Fprintf(&hexs, "%04x  ", l.Off+row)
		marks.WriteString("      ")
		for i := row; i < end; i++ {
			if i > row {
				hexs.WriteByte(' ')
				// The blank between two bytes of one field is its line.
				if o := owner[2*i-1]; o >= 0 && o == owner[2*i] {
					marks.WriteString("─")
				} else {
					marks.WriteByte(' ')
				}
			}
			digits := fmt.Sprintf("%02x", l.Bytes[i])
			for half := range 2 {
				k := owner[2*i+half]
				d := digits[half : half+1]
				if r.t.Color && k >= 0 {
					d = anatomyPalette[k%len(anatomyPalette)] + d + "\x1b[0m"
				}
				hexs.WriteString(d)
				at := 2*i + half
				switch {
				case k < 0:
					marks.WriteByte(' ')
				case at == 2*row || owner[at-1] != k:
					marks.WriteByte(anatomyKeys[k%len(anatomyKeys)])
				case at == 2*end-1 || owner[at+1] != k:
					marks.WriteString("┘")
				default:
					marks.WriteString("─")
				}
			}
		}
		out = append(out, hexs.String())
		if !r.t.Color {
			out = append(out, strings.TrimRight(marks.String(), " "))
		}
	}
	return out
}

// anatomyTable is the table of fields: key, name (parts indented under
// what they are part of), value and tshark's name, each field's meaning
// on the line under it. Where the four do not fit on a line, tshark's
// name starts the meaning's line instead.
func (r *Renderer) anatomyTable(l AnatomyLayer, marked, group []int, width int) []string {
	keyOf := map[int]int{}
	for k, fi := range marked {
		keyOf[fi] = k
	}
	paint := func(i int, s string) string {
		g := group[i]
		if !r.t.Color || g < 0 || s == "" {
			return s
		}
		return anatomyPalette[keyOf[g]%len(anatomyPalette)] + s + "\x1b[0m"
	}
	const keyW = 3 // "a  "
	names := make([]string, len(l.Fields))
	nameW, valueW, tsharkW := 0, 0, 0
	for i, f := range l.Fields {
		names[i] = strings.Repeat("  ", f.Depth) + f.Name
		nameW = max(nameW, Width(names[i]))
		valueW = max(valueW, Width(f.Value))
		tsharkW = max(tsharkW, Width(f.Tshark))
	}
	nameW = min(nameW, max(width-keyW-2-12, 8))
	// The value's column: as wide as the longest, but a long value (the
	// options' bytes, which the dump shows in full) is cut short.
	room := width - keyW - nameW - 2 - 2 - tsharkW
	oneLine := room >= 10
	if !oneLine {
		room = width - keyW - nameW - 2
	}
	valueW = max(min(valueW, room), 1)
	var out []string
	for i, f := range l.Fields {
		key := "   "
		if k, ok := keyOf[i]; ok {
			key = paint(i, anatomyKeys[k%len(anatomyKeys):k%len(anatomyKeys)+1]) + "  "
		}
		value := f.Value
		if Width(value) > valueW {
			value = string([]rune(value)[:max(valueW-1, 0)]) + "…"
		}
		// The name wraps in its column; the value and tshark's name
		// stand beside its first line.
		nameLines := strings.Split(Wrap(names[i], nameW), "\n")
		for j, nl := range nameLines {
			line := key + paint(i, nl)
			if j == 0 {
				line += strings.Repeat(" ", max(nameW-Width(nl), 0)+2) + value
				if oneLine {
					line += strings.Repeat(" ", max(valueW-Width(value), 0)+2) + r.Paint(Dim, f.Tshark)
				}
			}
			out = append(out, strings.TrimRight(line, " "))
			key = "   "
		}
		pad := strings.Repeat(" ", keyW+2*f.Depth)
		if width < 2*len(pad)+16 {
			pad = ""
		}
		m := f.Meaning
		if !oneLine {
			m = f.Tshark + " · " + m
		}
		if strings.TrimSpace(m) == "" {
			continue
		}
		for _, line := range strings.Split(WrapIndent(pad+m, width, len(pad)), "\n") {
			out = append(out, r.Paint(Dim, line))
		}
	}
	return out
}
