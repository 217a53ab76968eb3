package cli

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"wiretutor/engine/packet/dissect"
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

const followRule = "==================================================================="

func (a *app) follow(path string, n int, format string) error {
	if path == "" {
		return errMissingFlag{flag: "-r"}
	}
	if n < 0 {
		return errMissingFlag{flag: "--stream"}
	}
	switch format {
	case "text", "ascii", "hex", "raw":
	default:
		return errBadValue{flag: "--format", value: format, want: "text, ascii, hex, raw"}
	}
	w := bufio.NewWriterSize(a.out(), 64<<10)
	defer w.Flush()
	tm := a.term()
	r, err := render.New(tm)
	if err != nil {
		return err
	}
	var offset [2]int
	header := func(f *stream.Follower) {
		if format == "text" {
			w.WriteString(r.Paint(render.Client, a.tx.T("follow.client", map[string]any{"Addr": f.Client.String()})) + "\n")
			w.WriteString(r.Paint(render.Server, a.tx.T("follow.server", map[string]any{"Addr": f.Server.String()})) + "\n")
			return
		}
		fmt.Fprintf(w, "\n%s\nFollow: tcp,%s\nFilter: tcp.stream eq %d\nNode 0: %s\nNode 1: %s\n", followRule, format, n, f.Client, f.Server)
	}
	var fl *stream.Follower
	fl = stream.NewFollower(n, func(c stream.Chunk) error {
		if offset[0]+offset[1] == 0 {
			header(fl)
		}
		dir := 0
		if !c.FromClient {
			dir = 1
		}
		switch format {
		case "text":
			style, who := render.Client, fl.Client.String()+" → "+fl.Server.String()
			if !c.FromClient {
				style, who = render.Server, fl.Server.String()+" → "+fl.Client.String()
			}
			mark := ">>>"
			if !c.FromClient {
				mark = "<<<"
			}
			if c.Missing > 0 {
				w.WriteString("\n" + r.Paint(render.Dim, a.tx.N("follow.missing", c.Missing, nil)) + "\n")
				break
			}
			w.WriteString("\n" + r.Paint(style, mark+" "+a.tx.N("follow.turn", len(c.Data), map[string]any{"Who": who})) + "\n")
			text := stream.Printable(c.Data)
			w.WriteString(r.Paint(style, text))
			if !strings.HasSuffix(text, "\n") {
				w.WriteString("\n")
			}
		case "ascii":
			if !c.FromClient {
				w.WriteString("\t")
			}
			fmt.Fprintf(w, "%d\n", len(c.Data))
			w.Write(asciiOf(c.Data))
			w.WriteString("\n")
		case "hex":
			hexDump(w, c.Data, offset[dir], !c.FromClient)
		case "raw":
			if !c.FromClient {
				w.WriteString("\t")
			}
			w.WriteString(hex.EncodeToString(c.Data) + "\n")
		}
		offset[dir] += len(c.Data)
		return nil
	})
	err = packets(path, func(p *dissect.Packet, _ int) error { return fl.Add(p) })
	if err == nil {
		err = fl.Flush()
	}
	if err != nil {
		return err
	}
	switch {
	case offset[0]+offset[1] == 0 && format == "text":
		a.say(a.tx.T("follow.empty", map[string]any{"N": n}))
	case format != "text":
		if offset[0]+offset[1] == 0 {
			if fl.Client.IsValid() {
				header(fl)
			} else {
				fmt.Fprintf(w, "\n%s\nFollow: tcp,%s\nFilter: tcp.stream eq %d\nNode 0: :0\nNode 1: :0\n", followRule, format, n)
			}
		}
		w.WriteString(followRule + "\n")
	}
	return nil
}

// asciiOf is tshark's ascii view: printable ASCII, CR and LF kept, every
// other byte '.'.
func asciiOf(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f) {
			out[i] = c
		} else {
			out[i] = '.'
		}
	}
	return out
}

// hexDump writes tshark's follow hex lines: offset, 16 bytes in two
// groups of 8, then the same as ASCII; the server's lines indented.
func hexDump(w io.Writer, b []byte, offset int, server bool) {
	for i := 0; i < len(b); i += 16 {
		line := b[i:min(i+16, len(b))]
		var s strings.Builder
		if server {
			s.WriteByte('\t')
		}
		s.WriteString(strings.ToUpper(fmt.Sprintf("%08x", offset+i)))
		s.WriteString("  ")
		for j := 0; j < 16; j++ {
			if j < len(line) {
				s.WriteString(hex.EncodeToString(line[j : j+1]))
				s.WriteByte(' ')
			} else {
				s.WriteString("   ")
			}
			if j == 7 {
				s.WriteByte(' ')
			}
		}
		s.WriteByte(' ')
		for j, c := range line {
			if j == 8 {
				s.WriteByte(' ')
			}
			if c >= 0x20 && c < 0x7f {
				s.WriteByte(c)
			} else {
				s.WriteByte('.')
			}
		}
		// tshark drops the blanks a line ends with, even a space byte.
		io.WriteString(w, strings.TrimRight(s.String(), " ")+"\n")
	}
}
