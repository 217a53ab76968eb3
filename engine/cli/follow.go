package cli

import (
	"bufio"
	"strings"

	"github.com/spf13/cobra"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/output"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/text/render"
)

func (a *app) followCmd() *cobra.Command {
	var file, format string
	streamN := -1
	cmd := &cobra.Command{
		Use:     "follow -r FILE --stream N",
		Short:   a.tx.T("cmd.follow.short", nil),
		Example: "  wiretutor follow -r chat.pcapng --stream 0\n  wiretutor follow -r chat.pcapng --stream 0 --format hex",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.follow(file, streamN, format)
		},
	}
	cmd.Flags().StringVarP(&file, "read-file", "r", "", a.tx.T("flag.read_file", nil))
	cmd.Flags().IntVar(&streamN, "stream", -1, a.tx.T("flag.stream", nil))
	cmd.Flags().StringVar(&format, "format", "text", a.tx.T("flag.follow_format", nil))
	return cmd
}

func (a *app) follow(path string, n int, format string) error {
	if path == "" {
		return errMissingFlag{flag: "-r"}
	}
	if n < 0 {
		return errMissingFlag{flag: "--stream"}
	}
	switch format {
	case "text":
		return a.followText(path, n)
	case output.ASCII, output.Hex, output.Raw:
	default:
		return errBadValue{flag: "--format", value: format, want: "text, ascii, hex, raw"}
	}
	w := bufio.NewWriterSize(a.out(), 64<<10)
	defer w.Flush()
	f := output.NewTsharkFollow(w, n, format)
	if err := packets(path, func(p *dissect.Packet, _ int) error { return f.Add(p) }); err != nil {
		return err
	}
	return f.Close()
}

// followText is follow's own view: each turn under a line that says who
// sent how much, in the sender's colour.
func (a *app) followText(path string, n int) error {
	r, err := render.New(a.term())
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(a.out(), 64<<10)
	defer w.Flush()
	folded := false
	f := output.NewFollow(n, func(t output.Turn) error {
		if t.First {
			w.WriteString(r.Paint(render.Client, a.tx.T("follow.client", map[string]any{"Addr": t.Client.String()})) + "\n")
			w.WriteString(r.Paint(render.Server, a.tx.T("follow.server", map[string]any{"Addr": t.Server.String()})) + "\n")
		}
		if t.Missing > 0 {
			_, err := w.WriteString("\n" + r.Paint(render.Dim, a.tx.N("follow.missing", t.Missing, nil)) + "\n")
			return err
		}
		style, mark, who := render.Client, ">>>", t.Client.String()+" → "+t.Server.String()
		if !t.FromClient {
			style, mark, who = render.Server, "<<<", t.Server.String()+" → "+t.Client.String()
		}
		w.WriteString("\n" + r.Paint(style, render.WrapIndent(mark+" "+a.tx.N("follow.turn", len(t.Data), map[string]any{"Who": who}), r.Term().Width, len(mark)+1)) + "\n")
		text := stream.Printable(t.Data)
		shown := render.Fold(text, r.Term().Width, render.FoldMark)
		folded = folded || shown != text
		w.WriteString(r.Paint(style, shown))
		if !strings.HasSuffix(text, "\n") {
			w.WriteString("\n")
		}
		return nil
	})
	err = packets(path, func(p *dissect.Packet, _ int) error { return f.Add(p) })
	if err == nil {
		err = f.Flush()
	}
	if err == nil && folded {
		w.WriteString("\n" + r.Paint(render.Dim, render.Wrap(a.tx.T("follow.folded", nil), r.Term().Prose())) + "\n")
	}
	if err == nil && f.Bytes() == 0 {
		a.say(a.tx.T("follow.empty", map[string]any{"N": n}))
	}
	return err
}
