package cli

import (
	"bufio"
	"strings"

	"github.com/spf13/cobra"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/packet/output"
	"wiretutor/engine/packet/stream"
)

func (a *app) readCmd() *cobra.Command {
	var file, format, display string
	var fields []string
	cmd := &cobra.Command{
		Use:     "read -r FILE",
		Short:   a.tx.T("cmd.read.short", nil),
		Example: "  wiretutor read -r hs.pcapng\n  wiretutor read -r hs.pcapng -Y 'tcp.flags.syn == 1'\n  wiretutor read -r hs.pcapng -T fields -e frame.number -e tcp.seq -e tcp.ack",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.read(file, format, display, fields)
		},
	}
	cmd.Flags().StringVarP(&display, "display-filter", "Y", "", a.tx.T("flag.display_filter", nil))
	cmd.Flags().StringVarP(&file, "read-file", "r", "", a.tx.T("flag.read_file", nil))
	cmd.Flags().StringVarP(&format, "format", "T", "text", a.tx.T("flag.format", nil))
	cmd.Flags().StringArrayVarP(&fields, "field", "e", nil, a.tx.T("flag.field", nil))
	return cmd
}

// packets streams a capture file through the dissector, calling fn with
// each packet; the packet is only valid during the call.
func packets(path string, fn func(p *dissect.Packet, prec int) error) error {
	f, err := capture.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for p, err := range dissect.Scan(f) {
		if err != nil {
			return err
		}
		if err := fn(p, f.Precision()); err != nil {
			return err
		}
	}
	return nil
}

func (a *app) read(path, format, display string, fields []string) error {
	if path == "" {
		return errMissingFlag{flag: "-r"}
	}
	switch format {
	case output.Text, output.JSON:
	case output.Fields:
		if len(fields) == 0 {
			return errBadValue{flag: "-e", value: "", want: "FIELD"}
		}
	default:
		return errBadValue{flag: "-T", value: format, want: "text, fields, json"}
	}
	for _, name := range fields {
		if !dissect.KnownField(name) {
			return errUnknownField{name: name}
		}
	}
	df, err := filter.CompileDisplay(display)
	if err != nil {
		return err
	}
	pr := output.NewPrinter(a.out(), format, fields)
	err = packets(path, func(p *dissect.Packet, prec int) error {
		if !df.Match(p) {
			return nil
		}
		return pr.Print(p, prec)
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
