package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"wiretutor/engine/netenv"
	"wiretutor/servers/chat"
)

func (a *app) chatCmd() *cobra.Command {
	var nick, addr string
	cmd := &cobra.Command{
		Use:     "chat",
		Short:   a.tx.T("cmd.chat.short", nil),
		Example: "  wiretutor serve chat\n  wiretutor chat --nick alice",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.chatClient(nick, addr)
		},
	}
	cmd.Flags().StringVar(&nick, "nick", "", a.tx.T("flag.nick", nil))
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:"+strconv.Itoa(chat.DefaultPort), a.tx.T("flag.chat_addr", nil))
	return cmd
}

func (a *app) serveChat(listen string, port int) error {
	if port < 0 || port > 65535 {
		return errBadValue{flag: "--port", value: strconv.Itoa(port), want: "0–65535"}
	}
	t := a.tx
	var mu sync.Mutex
	srv := &chat.Server{Net: netenv.Kernel{}, Host: listen, Port: port, OnEvent: func(e chat.Event) {
		d := map[string]any{"Nick": e.Nick, "Remote": addrString(e.Remote), "Text": e.Text}
		var line string
		switch e.Kind {
		case chat.Joined:
			line = t.T("chat.joined", d)
		case chat.Left:
			line = t.T("chat.left", d)
		case chat.Dropped:
			line = t.T("chat.dropped", d)
		case chat.Rejected:
			line = t.T("chat.rejected", d)
		case chat.Message:
			line = t.T("chat.message", d)
		}
		mu.Lock()
		fmt.Fprintln(a.out(), line)
		mu.Unlock()
	}}
	if err := srv.Start(a.ctx); err != nil {
		return withPortFlag(err, "--port", "")
	}
	defer srv.Close()
	fmt.Fprintln(a.out(), t.T("chat.ready", map[string]any{"Addr": addrString(srv.Addr())}))
	if ip := net.ParseIP(listen); ip == nil || !ip.IsLoopback() {
		fmt.Fprintln(a.env.Stderr, t.T("serve.exposed", map[string]any{"Addr": listen}))
	}
	fmt.Fprintln(a.out(), t.T("serve.stop_hint", nil))
	<-a.ctx.Done()
	srv.Close()
	fmt.Fprintln(a.out(), t.T("chat.stopped", nil))
	return nil
}

// chatClient is a line client of the chat server. On a terminal the
// prompt keeps its place at the bottom while messages arrive above it
// (x/term's line editor redraws it); elsewhere it reads lines from
// standard input and prints messages as they come.
func (a *app) chatClient(nick, addr string) error {
	ctx, cancel := context.WithTimeout(a.ctx, 5*time.Second)
	conn, err := netenv.Kernel{}.Dial(ctx, "tcp", addr)
	cancel()
	if err != nil {
		return errChatConnect{addr: addr, err: err}
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	greet := make([]byte, 4)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(r, greet); err != nil || string(greet) != "NICK" {
		return errChatConnect{addr: addr, err: fmt.Errorf("no NICK greeting")}
	}
	conn.SetReadDeadline(time.Time{})

	tty := term.IsTerminal(int(a.env.Stdin.Fd()))
	var screen io.Writer = a.out()
	var readLine func() (string, error)
	if tty {
		old, err := term.MakeRaw(int(a.env.Stdin.Fd()))
		if err != nil {
			return err
		}
		defer term.Restore(int(a.env.Stdin.Fd()), old)
		t := term.NewTerminal(struct {
			io.Reader
			io.Writer
		}{a.env.Stdin, os.Stdout}, "> ")
		screen, readLine = t, t.ReadLine
	} else {
		in := bufio.NewScanner(a.env.Stdin)
		readLine = func() (string, error) {
			if !in.Scan() {
				return "", io.EOF
			}
			return in.Text(), nil
		}
	}
	say := func(s string) { fmt.Fprint(screen, s+"\r\n") }
	for nick == "" {
		say(a.tx.T("chat.ask_nick", nil))
		line, err := readLine()
		if err != nil {
			return nil
		}
		nick = strings.TrimSpace(line)
	}
	fmt.Fprintf(conn, "%s\n", nick)

	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			line, err := r.ReadString('\n')
			// After a refused nickname the server asks again with "NICK"
			// and no newline, so it arrives glued to the next line.
			line = strings.TrimPrefix(strings.TrimRight(line, "\r\n"), "NICK")
			if line != "" {
				say(line)
				if strings.HasPrefix(line, "Nickname ") {
					say(a.tx.T("chat.nick_again", nil))
				}
			}
			if err != nil {
				say(a.tx.T("chat.closed", nil))
				return
			}
		}
	}()
	say(a.tx.T("chat.help", nil))
	for {
		line, err := readLine()
		if err != nil {
			break
		}
		if strings.TrimSpace(line) == "/quit" {
			break
		}
		if _, err := fmt.Fprintf(conn, "%s\n", line); err != nil {
			break
		}
	}
	conn.(*net.TCPConn).CloseWrite()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	return nil
}

// errChatConnect: the chat server is not there.
type errChatConnect struct {
	addr string
	err  error
}

func (e errChatConnect) Error() string { return "chat " + e.addr + ": " + e.err.Error() }
func (e errChatConnect) Unwrap() error { return e.err }
