package cli

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/text/render"
)

func (a *app) socketsCmd() *cobra.Command {
	var port int
	var all bool
	cmd := &cobra.Command{
		Use:     "sockets",
		Short:   a.tx.T("cmd.sockets.short", nil),
		Example: "  wiretutor sockets --port 10000",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.sockets(port, all)
		},
	}
	cmd.Flags().IntVar(&port, "port", 0, a.tx.T("flag.sockets_port", nil))
	cmd.Flags().BoolVarP(&all, "all", "a", false, a.tx.T("flag.sockets_all", nil))
	return cmd
}

// sockets prints the host's socket table, like netstat -tunap: by
// default the TCP and UDP sockets on the loopback and those listening.
func (a *app) sockets(port int, all bool) error {
	if port < 0 || port > 65535 {
		return errBadValue{flag: "--port", value: strconv.Itoa(port), want: "1–65535"}
	}
	rows, err := netenv.Kernel{}.Sockets()
	if err != nil {
		return err
	}
	t := a.tx
	table := [][]string{{t.T("sockets.proto", nil), t.T("sockets.local", nil), t.T("sockets.remote", nil), t.T("sockets.state", nil), t.T("sockets.process", nil)}}
	for _, s := range rows {
		if port != 0 && int(s.Local.Port()) != port && int(s.Remote.Port()) != port {
			continue
		}
		if !all && port == 0 && !s.Local.Addr().IsLoopback() && s.State != "LISTEN" && s.Proto[:3] == "tcp" {
			continue
		}
		remote := netenv.UnconnectedRemote(s)
		proc := s.Process
		if proc == "" {
			proc = "-"
		}
		table = append(table, []string{s.Proto, s.Local.String(), remote, s.State, proc})
	}
	if len(table) == 1 {
		a.say(t.T("sockets.none", nil))
		return nil
	}
	for _, line := range render.Table(table, a.term().Width) {
		fmt.Fprintln(a.out(), line)
	}
	return nil
}
