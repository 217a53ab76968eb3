// Package output prints packets the way tshark does: the lines of
// `tshark -r`, its -T fields and -T json, and the views of
// `tshark -q -z follow,tcp,FORMAT,N`, byte for byte. Follow is also the
// one walk through a TCP stream that other views of it (the lesson's,
// the command line's text view) draw on.
package output

import (
	"bufio"
	"io"

	"wiretutor/engine/packet/dissect"
)

// Formats of Printer, as `read -T` names them.
const (
	Text   = "text"   // tshark's one-line summaries
	Fields = "fields" // -T fields: the -e fields, tab-separated
	JSON   = "json"   // -T json
)

// Printer prints packets as `tshark -r FILE [-T fields|json] [-e FIELD…]`
// does. Print each packet, then Close.
type Printer struct {
	w      *bufio.Writer
	format string
	fields []string
	line   []byte
	n      int
}

// NewPrinter prints to w in format (Text, Fields or JSON) with fields,
// the -e names: Fields needs at least one; JSON without any prints every
// field wiretutor knows.
func NewPrinter(w io.Writer, format string, fields []string) *Printer {
	pr := &Printer{w: bufio.NewWriterSize(w, 64<<10), format: format, fields: fields}
	if format == JSON {
		pr.w.WriteString("[")
	}
	return pr
}

// Print prints one packet; prec is the capture's time precision in
// decimal digits.
func (pr *Printer) Print(p *dissect.Packet, prec int) error {
	line := pr.line[:0]
	switch pr.format {
	case Fields:
		for i, name := range pr.fields {
			if i > 0 {
				line = append(line, '\t')
			}
			line, _ = dissect.AppendField(line, p, name)
		}
		line = append(line, '\n')
	case JSON:
		if pr.n > 0 {
			line = append(line, ',')
		}
		line = append(line, '\n')
		line = AppendJSON(line, p, pr.fields)
	default:
		line = append(dissect.Summary(line, p, prec), '\n')
	}
	pr.line = line
	pr.n++
	_, err := pr.w.Write(line)
	return err
}

// Close ends the output (JSON's closing bracket) and flushes it.
func (pr *Printer) Close() error {
	if pr.format == JSON {
		if pr.n > 0 {
			pr.w.WriteString("\n")
		}
		pr.w.WriteString("]\n")
	}
	return pr.w.Flush()
}
