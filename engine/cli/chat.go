package cli

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"wiretutor/engine/net/netenv"
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

func (a *app) serveChat(listen string, port, maxClients int) error {
	if port < 0 || port > 65535 {
		return errBadValue{flag: "--port", value: strconv.Itoa(port), want: "0–65535"}
	}
	if maxClients < 1 {
		return errBadValue{flag: "--max-clients", value: strconv.Itoa(maxClients), want: "N ≥ 1"}
	}
	t := a.tx
	var mu sync.Mutex
	// The server speaks the lab's ASCII English on the wire, as verify's
	// does: a learner's own client may decode nothing else, and
	// `wiretutor chat` knows a full room by its English line.
	srv := &chat.Server{Net: netenv.Kernel{}, Host: listen, Port: port, MaxClients: maxClients, OnEvent: func(e chat.Event) {
		d := map[string]any{"Nick": e.Nick, "Remote": addrString(e.Remote), "Text": e.Text, "Max": maxClients}
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
		case chat.Full:
			line = t.N("chat.full", maxClients, d)
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
	c, err := chat.Dial(a.ctx, netenv.Kernel{}, addr)
	if err != nil {
		return err
	}
	defer c.Close()

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
		}{a.env.Stdin, a.env.Stdout}, "> ")
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
	// The room's lines come on the client's reader goroutine while this
	// one writes its own: one at a time, or a buffer (a pipe's, a test's)
	// loses lines.
	var sayMu sync.Mutex
	say := func(s string) {
		sayMu.Lock()
		defer sayMu.Unlock()
		fmt.Fprint(screen, s+"\r\n")
	}
	for nick == "" {
		say(a.tx.T("chat.ask_nick", nil))
		line, err := readLine()
		if err != nil {
			return nil
		}
		nick = strings.TrimSpace(line)
	}
	c.Join(nick)
	c.Start(func(l chat.Line) {
		say(l.Text)
		if l.NickRefused {
			say(a.tx.T("chat.nick_again", nil))
		}
	})
	say(a.tx.T("chat.help", nil))
	typed := make(chan string)
	go func() {
		defer close(typed)
		for {
			line, err := readLine()
			if err != nil {
				return
			}
			select {
			case typed <- line:
			case <-c.Done():
				return
			}
		}
	}()
	if tty {
		// The line editor leaves its prompt on the last line: take it away.
		defer fmt.Fprint(a.env.Stdout, "\r\x1b[2K")
	}
	// The client ends on /quit, at the end of its input, at a signal, or
	// when the server closes the connection.
chat:
	for {
		select {
		case <-c.Done():
			say(a.tx.T("chat.closed", nil))
			return nil
		case <-a.ctx.Done():
			break chat
		case line, ok := <-typed:
			if !ok || strings.TrimSpace(line) == "/quit" || c.Say(line) != nil {
				break chat
			}
		}
	}
	// The server delivers what it queued for us, then closes.
	c.Leave(a.ctx)
	say(a.tx.T("chat.you_left", nil))
	return nil
}
