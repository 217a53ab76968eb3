package cli

import (
	"bufio"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/spf13/cobra"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/packet/output"
	"wiretutor/engine/packet/stream"
)

// readFlags are the flags of `read`, as tshark names them.
type readFlags struct {
	file, format, display string
	fields                []string
	hex, summary          bool     // -x, -P
	details               bool     // -V
	only                  []string // -O: the protocols whose details are shown in full
	count                 int      // -c; 0 when not given
}

func (a *app) readCmd() *cobra.Command {
	var f readFlags
	cmd := &cobra.Command{
		Use:     "read -r FILE",
		Short:   a.tx.T("cmd.read.short", nil),
		Example: "  wiretutor read -r hs.pcapng\n  wiretutor read -r hs.pcapng -Y 'tcp.flags.syn == 1'\n  wiretutor read -r hs.pcapng -V -c 1\n  wiretutor read -r hs.pcapng -O ip,tcp -Y 'tcp.len > 0'\n  wiretutor read -r hs.pcapng -x -c 3\n  wiretutor read -r hs.pcapng -T fields -e frame.number -e tcp.seq -e tcp.ack\n  wiretutor read -r hs.pcapng -T ek -e ip.src -e tcp.port",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("count") && f.count <= 0 {
				return errBadValue{flag: "-c", value: strconv.Itoa(f.count), want: "N ≥ 1"}
			}
			return a.read(f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.display, "display-filter", "Y", "", a.tx.T("flag.display_filter", nil))
	fl.StringVarP(&f.file, "read-file", "r", "", a.tx.T("flag.read_file", nil))
	fl.StringVarP(&f.format, "format", "T", output.Text, a.tx.T("read.flag_format", nil))
	fl.StringArrayVarP(&f.fields, "field", "e", nil, a.tx.T("read.flag_field", nil))
	fl.BoolVarP(&f.hex, "hex", "x", false, a.tx.T("read.flag_hex", nil))
	fl.BoolVarP(&f.summary, "print", "P", false, a.tx.T("read.flag_print", nil))
	fl.BoolVarP(&f.details, "verbose", "V", false, a.tx.T("read.flag_details", nil))
	fl.StringSliceVarP(&f.only, "protocols", "O", nil, a.tx.T("read.flag_only", nil))
	fl.IntVarP(&f.count, "count", "c", 0, a.tx.T("read.flag_count", nil))
	return cmd
}

// errTextOnly: a flag of tshark's text output (-x, -P) given with
// another -T.
type errTextOnly struct{ flag, format string }

func (e errTextOnly) Error() string { return e.flag + " does not go with -T " + e.format }

// Message names the flag and the format it does not go with.
func (e errTextOnly) Message() (string, map[string]any) {
	return "read.error_text_only", map[string]any{"Flag": e.flag, "Format": e.format}
}

// stopReading ends a walk through a capture early, as -c does; it is
// not an error to report.
type stopReading struct{}

func (stopReading) Error() string { return "stop reading" }

// packets streams a capture file through the dissector, calling fn with
// each packet; the packet is only valid during the call. fn returning
// stopReading{} ends the walk without an error.
func packets(path string, fn func(p *dissect.Packet, prec int) error) error {
	return packetsOf(path, nil, fn)
}

// packetsOf is packets that first hands the open file to opened, for
// what a walk needs of it (its link type, its interfaces); a walk with
// opened writes packet details, whose history the dissector then keeps.
func packetsOf(path string, opened func(f *capture.File), fn func(p *dissect.Packet, prec int) error) error {
	f, err := capture.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	scan := dissect.Scan
	if opened != nil {
		opened(f)
		scan = dissect.ScanDetailed
	}
	for p, err := range scan(f) {
		if err != nil {
			return err
		}
		if err := fn(p, f.Precision()); err != nil {
			if err == (stopReading{}) {
				return nil
			}
			return err
		}
	}
	return nil
}

// frames calls fn with the bytes of each frame of a capture file, valid
// during the call, as packets does without dissecting them; a link type
// the dissector cannot read is refused alike.
func frames(path string, fn func(data []byte, ci gopacket.CaptureInfo, link layers.LinkType) error) error {
	f, err := capture.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := dissect.New(f.LinkType()); err != nil {
		return err
	}
	for {
		data, ci, err := f.ReadPacketData()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err == nil {
			err = fn(data, ci, f.LinkType())
		}
		if err == (stopReading{}) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// read prints a capture file as `tshark -r` does. -c counts the frames
// read, those -Y hides included, as tshark 4.0 does with a file.
func (a *app) read(f readFlags) error {
	if f.file == "" {
		return errMissingFlag{flag: "-r"}
	}
	switch f.format {
	case output.Text, output.JSON, output.EK:
	case output.Fields:
		if len(f.fields) == 0 {
			return errBadValue{flag: "-e", value: "", want: "FIELD"}
		}
	default:
		return errBadValue{flag: "-T", value: f.format, want: strings.Join(output.Formats(), ", ")}
	}
	if f.format != output.Text {
		switch {
		case f.hex:
			return errTextOnly{flag: "-x", format: f.format}
		case f.summary:
			return errTextOnly{flag: "-P", format: f.format}
		case f.details || len(f.only) > 0:
			return errTextOnly{flag: "-V", format: f.format}
		}
	}
	for _, name := range f.fields {
		if dissect.KnownField(name) {
			continue
		}
		proto, ok := dissect.NotDissected(name)
		if !ok {
			return errUnknownField{name: name}
		}
		// A field of a protocol Wireshark dissects and wiretutor does not
		// yet: its column stays empty, as tshark leaves a field no packet
		// has, and the learner is told why.
		a.say(a.tx.T("notice.field_not_dissected", map[string]any{"Proto": proto, "Field": name}))
	}
	df, err := filter.CompileDisplay(f.display)
	if err != nil {
		return err
	}
	// -O shows details as -V does, only some protocols in full. -x dumps
	// a message several segments carried after the frame, as tshark does.
	opt := output.Options{Summary: f.summary, Hex: f.hex}
	var det *dissect.Details
	if f.details || len(f.only) > 0 {
		det = &dissect.Details{Only: f.only, HexData: !f.hex}
		opt.Details = det.AppendTree
	}
	if f.hex {
		opt.Sources = (*dissect.Packet).Sources
	}
	pr := output.NewPrinterOptions(a.out(), f.format, f.fields, opt)
	n := 0
	if f.format == output.Text && f.hex && !f.summary && f.display == "" && opt.Details == nil {
		// The dump alone shows each frame's bytes and, after a frame that
		// completes a message several segments carried, the message: only
		// frames that may carry one are dissected (in order, for the
		// reassembly); the others go from the file to the dump as they are.
		var p, q dissect.Packet // one for all frames, not one allocation each
		var d *dissect.Dissector
		err = frames(f.file, func(data []byte, ci gopacket.CaptureInfo, link layers.LinkType) error {
			n++
			if d == nil {
				d, _ = dissect.New(link)
			}
			p = dissect.Packet{Data: data}
			if d != nil && d.MayReassemble(data) {
				if err := d.Dissect(data, ci, &q); err == nil {
					p.KeepSources(&q)
				}
			}
			if err := pr.Print(&p, 0); err != nil {
				return err
			}
			if n == f.count {
				return stopReading{}
			}
			return nil
		})
		if cerr := pr.Close(); err == nil {
			err = cerr
		}
		return err
	}
	opened := func(c *capture.File) {
		if det == nil {
			return
		}
		det.Link = c.LinkType()
		if _, ng := c.InterfaceName(0); ng {
			det.Interface = func(i int) string { name, _ := c.InterfaceName(i); return name }
		}
	}
	if det == nil && !slices.ContainsFunc(f.fields, dissect.Tracked) && !df.Tracked() {
		opened = nil // no history to keep: the fast scan
	}
	err = packetsOf(f.file, opened, func(p *dissect.Packet, prec int) error {
		n++
		if df.Match(p) {
			if err := pr.Print(p, prec); err != nil {
				return err
			}
		}
		if n == f.count {
			return stopReading{}
		}
		return nil
	})
	if cerr := pr.Close(); err == nil {
		err = cerr
	}
	return err
}

func (a *app) flowCmd() *cobra.Command {
	var file, display string
	var streamN int
	cmd := &cobra.Command{
		Use:     "flow -r FILE",
		Short:   a.tx.T("cmd.flow.short", nil),
		Example: "  wiretutor flow -r hs.pcapng --stream 0",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.flow(file, streamN, display)
		},
	}
	cmd.Flags().StringVarP(&display, "display-filter", "Y", "", a.tx.T("flag.display_filter", nil))
	cmd.Flags().StringVarP(&file, "read-file", "r", "", a.tx.T("flag.read_file", nil))
	cmd.Flags().IntVar(&streamN, "stream", -1, a.tx.T("flag.stream", nil))
	return cmd
}

func (a *app) flow(path string, streamN int, display string) error {
	if path == "" {
		return errMissingFlag{flag: "-r"}
	}
	df, err := filter.CompileDisplay(display)
	if err != nil {
		return err
	}
	// One ladder per conversation, in the order they start. The flow
	// keeps a few numbers per packet, not the packets: a capture of
	// millions of frames fits in a fraction of its size. Frames whose
	// headers are cut short belong to no conversation and are left out.
	var fl *stream.Flow
	err = packets(path, func(p *dissect.Packet, pr int) error {
		if fl == nil {
			fl = stream.NewFlow(pr)
		}
		if p.IPVersion == 0 || !df.Match(p) || streamN >= 0 && (p.Transport != dissect.TransportTCP || p.TCP.Stream != streamN) {
			return nil
		}
		fl.Add(p)
		return nil
	})
	if err != nil {
		return err
	}
	if fl == nil || fl.Len() == 0 {
		a.say(a.tx.T("flow.empty", nil))
		return nil
	}
	order := fl.Conversations()
	width := a.term().Width
	w := bufio.NewWriterSize(a.out(), 64<<10)
	emit := func(line string) error {
		w.WriteString(line)
		return w.WriteByte('\n')
	}
	for i, k := range order {
		if i > 0 {
			w.WriteString("\n")
		}
		if len(order) > 1 {
			var title string
			switch k.Proto {
			case "tcp", "udp":
				title = a.tx.T("flow.stream", map[string]any{"Proto": strings.ToUpper(k.Proto), "N": k.Stream})
			default:
				title = a.tx.T("flow.hosts", map[string]any{"A": k.A.String(), "B": k.B.String()})
			}
			w.WriteString(title + "\n")
		}
		if err := fl.Render(i, width, nil, emit); err != nil {
			return err
		}
	}
	return w.Flush()
}
