package cli_test

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/cli"
	"wiretutor/servers/chat"
)

// TestChatClientHostileServer: a server that sends escape sequences and
// a line that never ends (here 8 MB, then it closes): the client shows
// the text without the sequences and cuts the line, as the server cuts
// long lines, holding only a line's worth of it.
func TestChatClientHostileServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.Write([]byte("NICK"))
		bufio.NewReader(c).ReadString('\n')
		c.Write([]byte("\x1b[31mred\x1b[0m \x1b]0;pwned\x07text\x1b[2J\n"))
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for range 128 {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	}()
	in, w, err := os.Pipe() // standard input stays open: the server ends the chat
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer in.Close()
	var out, errb bytes.Buffer
	state := t.TempDir()
	code := cli.Run(cli.Env{
		Args: []string{"chat", "--nick", "bob", "--addr", ln.Addr().String()}, Stdin: in, Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return map[string]string{"XDG_STATE_HOME": state}[k] }, Content: content.FS,
	})
	text := out.String()
	if code != 0 || !strings.Contains(text, "red text\r\n") || strings.ContainsAny(text, "\x1b\x07") {
		t.Errorf("exit %d, escape sequences not taken out:\n%q%s", code, text, errb.String())
	}
	long := chat.MaxMessage + 4*chat.MaxNick + 64
	if !strings.Contains(text, strings.Repeat("x", long)+chat.CutMarker+"\r\n") || strings.Contains(text, strings.Repeat("x", long+1)) {
		t.Errorf("the endless line was not cut at %d bytes (%d bytes of output)", long, len(text))
	}
}

// TestServeChatMaxClients: --max-clients takes 1 or more.
func TestServeChatMaxClients(t *testing.T) {
	for _, v := range []string{"0", "-5"} {
		code, _, errs := run(t, nil, "serve", "chat", "--port", "0", "--max-clients", v)
		if code != cli.ExitError || !strings.Contains(errs, "--max-clients does not take") {
			t.Errorf("--max-clients %s: exit %d, %q", v, code, errs)
		}
	}
}
