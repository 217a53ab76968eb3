package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

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
		rest, _ := r.ReadString('\n')
		if strings.TrimSpace(string(greet)+rest) == chat.ServerFull {
			return errChatFull{addr: addr}
		}
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
		show := func(text []byte, cut bool) {
			// After a refused nickname the server asks again with "NICK"
			// and no newline, so it arrives glued to the next line.
			text = bytes.TrimPrefix(text, []byte("NICK"))
			line := stripControls(text)
			if cut {
				line += chat.CutMarker
			}
			if line != "" {
				say(line)
				if strings.HasPrefix(line, "Nickname ") {
					say(a.tx.T("chat.nick_again", nil))
				}
			}
		}
		sp := chat.Splitter{Max: maxServerLine}
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			sp.Feed(buf[:n], show)
			if err != nil {
				show(sp.Pending(), false)
				return
			}
		}
	}()
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
			case <-done:
				return
			}
		}
	}()
	if tty {
		// The line editor leaves its prompt on the last line: take it away.
		defer fmt.Fprint(os.Stdout, "\r\x1b[2K")
	}
	// The client ends on /quit, at the end of its input, at a signal, or
	// when the server closes the connection.
chat:
	for {
		select {
		case <-done:
			say(a.tx.T("chat.closed", nil))
			return nil
		case <-a.ctx.Done():
			break chat
		case line, ok := <-typed:
			if !ok || strings.TrimSpace(line) == "/quit" {
				break chat
			}
			if _, err := fmt.Fprintf(conn, "%s\n", line); err != nil {
				break chat
			}
		}
	}
	// The server delivers what it queued for us, then closes; one that
	// does not is left after 10 seconds, or at Ctrl-C.
	if hc, ok := conn.(interface{ CloseWrite() error }); ok {
		hc.CloseWrite()
	}
	select {
	case <-done:
	case <-a.ctx.Done():
	case <-time.After(10 * time.Second):
	}
	say(a.tx.T("chat.you_left", nil))
	return nil
}

// maxServerLine is the longest line the client shows whole: a message
// with the longest nickname (32 characters of up to 4 bytes) and the cut
// marker; a longer line from the server is cut by the same rule.
const maxServerLine = chat.MaxMessage + 4*chat.MaxNick + 64

// stripControls makes what a server sent safe to print: escape
// sequences (CSI, OSC, DCS, SOS, PM, APC and the other ESC sequences,
// in their 7-bit and C1 forms) are taken out, as are the C0 and C1
// controls but tab; their text stays, and invalid UTF-8 becomes U+FFFD.
func stripControls(b []byte) string {
	var out strings.Builder
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\t':
			out.WriteRune(r)
		case r == 0x1b:
			i = skipEscape(s, i)
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i)
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // OSC, DCS, SOS, PM, APC
			i = skipString(s, i)
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			// a control: dropped
		default:
			out.WriteRune(r)
		}
	}
	return out.String()
}

// skipEscape skips what follows an ESC at s[:i] and returns where the
// text goes on.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, i+1)
	case c >= 0x20 && c <= 0x2f: // intermediates, then a final byte
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	case c >= 0x30 && c <= 0x7e: // a two-byte sequence such as ESC 7 or ESC c
		return i + 1
	}
	return i // a lone ESC
}

// skipCSI skips a control sequence's parameters, intermediates and final
// byte.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString skips a control string (OSC, DCS…) up to its end: BEL, ESC \
// or the C1 ST; one the line does not end runs to the end of the line.
func skipString(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x07 || r == 0x9c:
			return i + size
		case r == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // another sequence begins
		}
		i += size
	}
	return i
}

// errChatFull: the chat server refused us, having as many clients as
// it takes.
type errChatFull struct{ addr string }

func (e errChatFull) Error() string { return "chat " + e.addr + ": " + chat.ServerFull }

// errChatConnect: the chat server is not there.
type errChatConnect struct {
	addr string
	err  error
}

func (e errChatConnect) Error() string { return "chat " + e.addr + ": " + e.err.Error() }
func (e errChatConnect) Unwrap() error { return e.err }
