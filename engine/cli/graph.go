package cli

import (
	"bufio"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"wiretutor/engine/course"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/graph"
)

// errNoStream: the capture has no TCP stream of that number.
type errNoStream struct{ stream, streams int }

func (e errNoStream) Error() string { return "no such tcp stream" }

func (e errNoStream) Message() (string, map[string]any) {
	switch e.streams {
	case 0:
		return "graph.no_tcp", nil
	case 1:
		return "graph.only_stream", map[string]any{"Stream": e.stream}
	}
	return "graph.no_stream", map[string]any{"Stream": e.stream, "Last": e.streams - 1}
}

// kindNames are the graphs --kind takes, as it spells them.
func kindNames() []string {
	var names []string
	for _, k := range graph.Kinds() {
		names = append(names, string(k))
	}
	return names
}

func (a *app) graphCmd() *cobra.Command {
	var file, kind string
	var reverse bool
	streamN := -1
	kinds := kindNames()
	cmd := &cobra.Command{
		Use:   "graph -r FILE --stream N [--kind " + strings.Join(kinds, "|") + "]",
		Short: a.tx.T("cmd.graph.short", nil),
		Long:  a.tx.T("cmd.graph.long", nil),
		Example: "  wiretutor graph -r transfer.pcapng --stream 0\n" +
			"  wiretutor graph -r transfer.pcapng --stream 0 --kind throughput\n" +
			"  wiretutor graph -r transfer.pcapng --stream 0 --kind rtt --reverse",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.graph(file, streamN, graph.Kind(kind), reverse)
		},
	}
	cmd.Flags().StringVarP(&file, "read-file", "r", "", a.tx.T("flag.read_file", nil))
	cmd.Flags().IntVar(&streamN, "stream", -1, a.tx.T("flag.graph.stream", nil))
	cmd.Flags().StringVar(&kind, "kind", string(graph.TCPTrace), a.tx.T("flag.graph.kind", nil))
	cmd.Flags().BoolVar(&reverse, "reverse", false, a.tx.T("flag.graph.reverse", nil))
	return cmd
}

// graph draws one of the TCP Stream Graphs of a capture's stream n.
func (a *app) graph(path string, n int, kind graph.Kind, reverse bool) error {
	switch {
	case path == "":
		return errMissingFlag{flag: "-r"}
	case n < 0:
		return errMissingFlag{flag: "--stream"}
	}
	if !slices.Contains(graph.Kinds(), kind) {
		return errBadValue{flag: "--kind", value: string(kind), want: strings.Join(kindNames(), ", ")}
	}
	c := graph.NewCollector(n)
	streams := 0
	if err := packets(path, func(p *dissect.Packet, _ int) error {
		if p.Transport == dissect.TransportTCP {
			streams = max(streams, p.TCP.Stream+1)
		}
		c.Add(p)
		return nil
	}); err != nil {
		return err
	}
	s, ok := c.Series(reverse)
	if !ok {
		return errNoStream{stream: n, streams: streams}
	}
	w := bufio.NewWriter(a.out())
	defer w.Flush()
	for _, line := range course.GraphLines(a.tx, s, kind, a.term().Width) {
		w.WriteString(line + "\n")
	}
	return nil
}
