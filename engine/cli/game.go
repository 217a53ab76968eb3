package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/view/gamescreen"
	"wiretutor/servers/game"
)

// gameDropsShown is how many drops of one reason serve game prints
// before it only counts them: a flood of garbage must not flood the
// terminal too. The count of every reason is printed when it stops.
const gameDropsShown = 3

func (a *app) serveGameCmd() *cobra.Command {
	var listen string
	var tcpPort, udpPort int
	cmd := &cobra.Command{
		Use:     "game",
		Short:   a.tx.T("cmd.serve_game.short", nil),
		Example: "  wiretutor serve game\n  wiretutor game",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.serveGame(listen, tcpPort, udpPort)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1", a.tx.T("flag.listen", nil))
	cmd.Flags().IntVar(&tcpPort, "tcp-port", game.DefaultTCPPort, a.tx.T("flag.game_tcp_port", nil))
	cmd.Flags().IntVar(&udpPort, "udp-port", game.DefaultUDPPort, a.tx.T("flag.game_udp_port", nil))
	return cmd
}

func (a *app) serveGame(listen string, tcpPort, udpPort int) error {
	if err := checkPorts(tcpPort, udpPort); err != nil {
		return err
	}
	t := a.tx
	var mu sync.Mutex
	var shown [game.DropBadMove + 1]int
	say := func(line string) {
		mu.Lock()
		fmt.Fprintln(a.out(), line)
		mu.Unlock()
	}
	srv := &game.Server{Net: netenv.Kernel{}, Host: listen, TCPPort: tcpPort, UDPPort: udpPort, OnEvent: func(e game.Event) {
		d := map[string]any{"Name": e.Name, "ID": e.Player, "Remote": addrString(e.Remote), "X": e.At.X, "Y": e.At.Y, "Score": e.Score}
		switch e.Kind {
		case game.Joined:
			say(t.T("game.serve.joined", d))
		case game.Left:
			say(t.T("game.serve.left", d))
		case game.Picked:
			say(t.T("game.serve.picked", d))
		case game.Turned:
			id, data := (&game.RefusedError{Reason: e.Reason}).Message()
			d["Why"] = t.T(id, data)
			say(t.T("game.serve.turned", d))
		case game.Dropped:
			mu.Lock()
			n := 0
			if int(e.Drop) < len(shown) {
				shown[e.Drop]++
				n = shown[e.Drop]
			}
			mu.Unlock()
			if n > gameDropsShown {
				return
			}
			d["Why"] = t.T("game.drop."+dropKey(e.Drop), nil)
			line := t.T("game.serve.dropped", d)
			if n == gameDropsShown {
				line += " " + t.T("game.serve.counting", nil)
			}
			say(line)
		}
	}}
	if err := srv.Start(a.ctx); err != nil {
		return withPortFlag(err, "--tcp-port", "--udp-port")
	}
	defer srv.Close()
	say(t.T("game.serve.ready", map[string]any{"TCP": addrString(srv.TCPAddr()), "UDP": addrString(srv.UDPAddr())}))
	if ip := net.ParseIP(listen); ip == nil || !ip.IsLoopback() {
		fmt.Fprintln(a.env.Stderr, t.T("serve.exposed", map[string]any{"Addr": listen}))
	}
	say(t.T("serve.stop_hint", nil))
	<-a.ctx.Done()
	srv.Close()
	st := srv.Stats()
	say(t.N("game.serve.stopped", st.Total(), nil))
	for r := game.Drop(0); int(r) < len(st); r++ {
		if st[r] > 0 {
			say(t.N("game.serve.drop_count", st[r], map[string]any{"Why": t.T("game.drop."+dropKey(r), nil)}))
		}
	}
	return nil
}

// dropKey is a drop reason as a ui.toml key: "bad-move" is bad_move.
func dropKey(d game.Drop) string {
	if d == game.DropBadMove {
		return "bad_move"
	}
	return d.String()
}

// checkPorts refuses a --tcp-port or --udp-port that is no port.
func checkPorts(tcpPort, udpPort int) error {
	for _, p := range []struct {
		flag string
		v    int
	}{{"--tcp-port", tcpPort}, {"--udp-port", udpPort}} {
		if p.v < 0 || p.v > 65535 {
			return errBadValue{flag: p.flag, value: strconv.Itoa(p.v), want: "0–65535"}
		}
	}
	return nil
}

func (a *app) gameCmd() *cobra.Command {
	var name string
	var tcpPort, udpPort int
	cmd := &cobra.Command{
		Use:     "game [HOST]",
		Short:   a.tx.T("cmd.game.short", nil),
		Example: "  wiretutor serve game\n  wiretutor game --name ada\n  wiretutor game 192.168.1.20 --name ada",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			host := "127.0.0.1"
			if len(args) == 1 {
				host = args[0]
			}
			if err := checkPorts(tcpPort, udpPort); err != nil {
				return err
			}
			return a.gameClient(host, tcpPort, udpPort, name)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", a.tx.T("flag.game_name", nil))
	cmd.Flags().IntVar(&tcpPort, "tcp-port", game.DefaultTCPPort, a.tx.T("flag.game_tcp_port", nil))
	cmd.Flags().IntVar(&udpPort, "udp-port", game.DefaultUDPPort, a.tx.T("flag.game_udp_port", nil))
	return cmd
}

// gameClient logs in as name (asked for when empty) and plays: full
// screen on a terminal, else one line of moves at a time from standard
// input (r, l, u, d), each answered with where the player stands.
func (a *app) gameClient(host string, tcpPort, udpPort int, name string) error {
	tty := term.IsTerminal(int(a.env.Stdin.Fd()))
	if f, ok := a.env.Stdout.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		tty = false
	}
	in := bufio.NewScanner(a.env.Stdin)
	for name == "" {
		fmt.Fprint(a.out(), a.tx.T("game.client.ask_name", nil)+" ")
		if !in.Scan() {
			fmt.Fprintln(a.out())
			return nil
		}
		name = strings.TrimSpace(in.Text())
	}
	if !game.CheckName(name) {
		return &game.RefusedError{Reason: game.ReasonBadName}
	}
	ctx, cancel := context.WithTimeout(a.ctx, 10*time.Second)
	c, err := game.Login(ctx, netenv.Kernel{}, host, tcpPort, udpPort, name)
	cancel()
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return errNoServer{addr: net.JoinHostPort(host, strconv.Itoa(tcpPort)), err: err, id: "game.client.no_server"}
	}
	if err != nil {
		return err
	}
	defer c.Close()
	if !tty {
		return a.gameLines(c, in)
	}
	err = gamescreen.Run(a.ctx, gamescreen.New(a.ctx, c, a.tx, c.ID, name, c.Welcome), a.env.Stdin, a.env.Stdout)
	c.Close() // ends the Next under way
	if err != nil {
		return fmt.Errorf("game: %w", err)
	}
	fmt.Fprintln(a.out(), a.tx.T("game.client.bye", nil))
	return nil
}

// gameLines plays from lines of letters: each r, l, u or d is one step,
// and after each line the player's cell and score are printed.
func (a *app) gameLines(c *game.Client, in *bufio.Scanner) error {
	s, err := a.gameState(c, nil)
	if err != nil {
		return err
	}
	me, _ := c.Me(s)
	say := func() {
		fmt.Fprintln(a.out(), a.tx.T("game.client.status", map[string]any{"X": me.At.X, "Y": me.At.Y, "Score": me.Score,
			"Players": len(s.Players), "Coins": len(s.Coins)}))
	}
	fmt.Fprintln(a.out(), a.tx.T("game.client.lines", map[string]any{"Width": c.Welcome.Width, "Height": c.Welcome.Height}))
	say()
	for in.Scan() {
		for _, r := range strings.ToLower(in.Text()) {
			to, ok := c.Welcome.Step(me.At, r)
			if !ok {
				continue
			}
			if err := c.Move(to); err != nil {
				return fmt.Errorf("game: %w", err)
			}
			if s, err = a.gameState(c, &to); err != nil {
				return err
			}
			me, _ = c.Me(s)
		}
		say()
	}
	return nil
}

// gameState waits for a state in which the player stands at want (any
// state when want is nil), for at most ten seconds.
func (a *app) gameState(c *game.Client, want *game.Point) (game.State, error) {
	ctx, cancel := context.WithTimeout(a.ctx, 10*time.Second)
	defer cancel()
	s, err := c.WaitState(ctx, want)
	if err != nil {
		return s, fmt.Errorf("game: %w", err)
	}
	return s, nil
}
