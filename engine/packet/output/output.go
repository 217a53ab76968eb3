// Package output prints packets the way tshark does: the lines of
// `tshark -r`, its hex dump (-x), its -T fields, -T json and -T ek, and
// the views of `tshark -q -z follow,tcp,FORMAT,N`, byte for byte. Follow
// is also the one walk through a TCP stream that other views of it (the
// lesson's, the command line's text view) draw on.
package output

import (
	"bufio"
	"io"

	"wiretutor/engine/packet/dissect"
)

// Formats of Printer, as `read -T` names them.
const (
	Text   = "text"   // tshark's one-line summaries, details, hex dumps
	Fields = "fields" // -T fields: the -e fields, tab-separated
	JSON   = "json"   // -T json
	EK     = "ek"     // -T ek: two lines of JSON a packet
)

// Formats lists the formats a Printer knows, as -T names them.
func Formats() []string { return []string{Text, Fields, JSON, EK} }

// Options say what the Text format prints of each packet, as tshark's
// -P, -V and -x do. The zero Options print the summary line alone.
type Options struct {
	// Summary prints the summary line even with Details or Hex, as -P.
	Summary bool
	// Hex prints the hex and ASCII dump of the packet's bytes, as -x.
	Hex bool
	// Details, when set, appends the packet's details (tshark -V) to
	// buf, one line after another, each ending in a newline, without
	// the blank line that follows them, and returns buf.
	Details func(buf []byte, p *dissect.Packet) []byte
	// Sources, when set, returns the data sources tshark dumps after a
	// frame's bytes (Packet.Sources: the message several segments
	// carried, a chunked body de-chunked), or none; the hex dump then
	// shows every source as tshark does. Without it the dump shows the
	// frame alone.
	Sources func(p *dissect.Packet) []dissect.DataSource
}

// Printer prints packets as `tshark -r FILE [-P] [-V] [-x] [-T
// fields|json|ek] [-e FIELD…]` does. Print each packet, then Close.
type Printer struct {
	w      *bufio.Writer
	format string
	fields []string
	opt    Options
	line   []byte
	n      int
}

// NewPrinter prints to w in format (Text, Fields, JSON or EK) with
// fields, the -e names: Fields needs at least one; JSON and EK without
// any print every field wiretutor knows.
func NewPrinter(w io.Writer, format string, fields []string) *Printer {
	return NewPrinterOptions(w, format, fields, Options{})
}

// NewPrinterOptions is NewPrinter with what the Text format shows of
// each packet; the other formats ignore opt.
func NewPrinterOptions(w io.Writer, format string, fields []string, opt Options) *Printer {
	pr := &Printer{w: bufio.NewWriterSize(w, 256<<10), format: format, fields: fields, opt: opt}
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
	case EK:
		line = AppendEK(line, p, pr.fields)
	default:
		line = pr.appendText(line, p, prec)
	}
	pr.line = line
	pr.n++
	_, err := pr.w.Write(line)
	return err
}

// appendText writes a packet as tshark's text output does, in its
// order: the summary line (alone, or first with -P), then the details
// and a blank line, then the hex dump and a blank line (one blank line
// only between details and dump, none between summary and details).
func (pr *Printer) appendText(buf []byte, p *dissect.Packet, prec int) []byte {
	o := &pr.opt
	details := o.Details != nil
	summary := o.Summary || !details && !o.Hex
	if summary {
		buf = append(dissect.Summary(buf, p, prec), '\n')
	}
	if details {
		// With -P, tshark 4.0 starts the details on the line after the
		// summary's, no blank line between (-P -x has one).
		buf = o.Details(buf, p)
		if !o.Hex {
			buf = append(buf, '\n')
		}
	}
	if o.Hex {
		if summary || details {
			buf = append(buf, '\n')
		}
		var more []dissect.DataSource
		if o.Sources != nil {
			more = o.Sources(p)
		}
		buf = append(AppendFrameHex(buf, p, more), '\n')
	}
	return buf
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
