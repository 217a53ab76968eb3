package cli

import (
	"fmt"
	"net"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"wiretutor/engine/net/netenv"
	"wiretutor/servers/chat"
	"wiretutor/servers/echo"
	"wiretutor/servers/httpd"
)

func (a *app) serveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve NAME",
		Short: a.tx.T("cmd.serve.short", nil),
	}
	var listen string
	var tcpPort, udpPort int
	ec := &cobra.Command{
		Use:   "echo",
		Short: a.tx.T("cmd.serve_echo.short", nil),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.serveEcho(listen, tcpPort, udpPort)
		},
	}
	ec.Flags().StringVar(&listen, "listen", "127.0.0.1", a.tx.T("flag.listen", nil))
	ec.Flags().IntVar(&tcpPort, "tcp-port", echo.DefaultTCPPort, a.tx.T("flag.tcp_port", nil))
	ec.Flags().IntVar(&udpPort, "udp-port", echo.DefaultUDPPort, a.tx.T("flag.udp_port", nil))
	var chatListen string
	var chatPort, chatMax int
	cc := &cobra.Command{
		Use:   "chat",
		Short: a.tx.T("cmd.serve_chat.short", nil),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.serveChat(chatListen, chatPort, chatMax)
		},
	}
	cc.Flags().StringVar(&chatListen, "listen", "127.0.0.1", a.tx.T("flag.listen", nil))
	cc.Flags().IntVar(&chatPort, "port", chat.DefaultPort, a.tx.T("flag.chat_port", nil))
	cc.Flags().IntVar(&chatMax, "max-clients", chat.DefaultMaxClients, a.tx.T("flag.max_clients", nil))
	var httpListen string
	var httpPort int
	hc := &cobra.Command{
		Use:   "http",
		Short: a.tx.T("cmd.serve_http.short", nil),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.serveHTTP(httpListen, httpPort)
		},
	}
	hc.Flags().StringVar(&httpListen, "listen", "127.0.0.1", a.tx.T("flag.listen", nil))
	hc.Flags().IntVar(&httpPort, "port", httpd.DefaultPort, a.tx.T("flag.http_port", nil))
	cmd.AddCommand(ec, cc, hc, a.filesServeCmd(), a.serveGameCmd())
	return cmd
}

func (a *app) serveEcho(listen string, tcpPort, udpPort int) error {
	if err := checkPorts(tcpPort, udpPort); err != nil {
		return err
	}
	t := a.tx
	var mu sync.Mutex
	srv := &echo.Server{
		Net: netenv.Kernel{}, Host: listen, TCPPort: tcpPort, UDPPort: udpPort,
		OnEvent: func(e echo.Event) {
			d := map[string]any{"Remote": addrString(e.Remote), "Proto": strings.ToUpper(e.Proto), "Bytes": e.Bytes}
			var line string
			switch e.Kind {
			case echo.Connected:
				line = t.T("serve.connected", d)
			case echo.Echoed:
				line = t.N("serve.echoed", e.Bytes, d)
			case echo.Closed:
				line = t.T("serve.closed", d)
			case echo.Failed:
				d["Err"] = e.Err.Error()
				line = t.T("serve.failed", d)
			}
			mu.Lock()
			fmt.Fprintln(a.out(), line)
			mu.Unlock()
		},
	}
	if err := srv.Start(a.ctx); err != nil {
		return withPortFlag(err, "--tcp-port", "--udp-port")
	}
	defer srv.Close()
	fmt.Fprintln(a.out(), t.T("serve.echo_ready", map[string]any{"TCP": addrString(srv.TCPAddr()), "UDP": addrString(srv.UDPAddr())}))
	if ip := net.ParseIP(listen); ip == nil || !ip.IsLoopback() {
		fmt.Fprintln(a.env.Stderr, t.T("serve.exposed", map[string]any{"Addr": listen}))
	}
	fmt.Fprintln(a.out(), t.T("serve.stop_hint", nil))
	<-a.ctx.Done()
	srv.Close()
	fmt.Fprintln(a.out(), t.T("serve.stopped", nil))
	return nil
}

func addrString(a net.Addr) string {
	if a == nil {
		return "-"
	}
	return a.String()
}
