//go:build linux

package cli_test

import (
	"bufio"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"wiretutor/engine/testkit/testenv"
)

// TestGetCtrlC: on a terminal, get draws its progress bar; Ctrl-C in
// the middle of a transfer ends it with 130 and leaves neither the file
// nor a temporary one. The server here sends part of a file and then
// waits for ever, so the transfer is surely midway when the signal comes.
func TestGetCtrlC(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	sent := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		bufio.NewReader(c).ReadString('\n')
		c.Write([]byte("OK 10000000\n"))
		c.Write(make([]byte, 1_000_000))
		sent <- c
	}()
	out := t.TempDir()
	master, slave := testenv.Pty(t)
	scr := newScreen(master)
	p := child(t, scr, slave, slave, slave, "get", ln.Addr().String()+":big.bin", "-o", filepath.Join(out, "big.bin"))
	c := <-sent
	defer c.Close()
	if i, _ := scr.waitFor(0, "] 1.0 MB of 10.0 MB"); i < 0 {
		t.Fatalf("no progress bar on the terminal: %q", scr.String())
	}
	p.cmd.Process.Signal(syscall.SIGINT)
	if code := exitCode(t, p); code != 130 {
		t.Errorf("exit %d, want 130; screen %q", code, scr.String())
	}
	if es, _ := os.ReadDir(out); len(es) != 0 {
		t.Errorf("left behind: %v", es)
	}
	if s := scr.drained(slave); !strings.Contains(s, "\x1b[KInterrupted.") {
		t.Errorf("the bar was not cleared before the last word: %q", s)
	}
}
