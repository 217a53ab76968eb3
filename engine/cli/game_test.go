package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/cli"
	"wiretutor/engine/net/netenv"
	"wiretutor/servers/game"
)

// TestGameLines plays `wiretutor game` without a terminal against a
// game server: the moves of each line are taken, the player's cell
// after each line printed, and the server sees the player join and
// leave. With nothing on the port, the learner hears how to start one.
func TestGameLines(t *testing.T) {
	var mu sync.Mutex
	var events []game.Event
	// Fixed randomness: the same spawn cell on every run, off the edges.
	srv := &game.Server{Net: netenv.Kernel{}, Rand: bytes.NewReader(bytes.Repeat([]byte{0x63}, 1<<12)), OnEvent: func(e game.Event) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	in := filepath.Join(t.TempDir(), "moves")
	os.WriteFile(in, []byte("udud\nx\n"), 0o600)
	stdin, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	port := func(a interface{ String() string }) string {
		return a.String()[strings.LastIndexByte(a.String(), ':')+1:]
	}
	var out, errb bytes.Buffer
	state := t.TempDir()
	env := func(args ...string) cli.Env {
		return cli.Env{Args: args, Stdin: stdin, Stdout: &out, Stderr: &errb, Content: content.FS,
			Getenv: func(k string) string { return map[string]string{"XDG_STATE_HOME": state}[k] }}
	}
	code := cli.Run(env("game", "--name", "ada", "--tcp-port", port(srv.TCPAddr()), "--udp-port", port(srv.UDPAddr())))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if code != 0 || len(lines) != 4 || !strings.Contains(lines[0], "grid") {
		t.Fatalf("exit %d, %q, %s", code, lines, errb.String())
	}
	// Up and down twice: back where it began.
	if lines[1] != lines[2] || lines[2] != lines[3] || !strings.HasPrefix(lines[1], "x=") {
		t.Errorf("the player did not come back to its cell: %q", lines[1:])
	}
	srv.Close()
	mu.Lock()
	kinds := map[game.EventKind]int{}
	for _, e := range events {
		kinds[e.Kind]++
	}
	mu.Unlock()
	if kinds[game.Joined] != 1 || kinds[game.Left] != 1 || kinds[game.Moved] != 4 || kinds[game.Dropped] != 0 {
		t.Errorf("the server saw %v", kinds)
	}

	out.Reset()
	errb.Reset()
	code = cli.Run(env("game", "--name", "ada", "--tcp-port", strconv.Itoa(1)))
	if code == 0 || !strings.Contains(errb.String(), "No game server answers at 127.0.0.1:1") {
		t.Errorf("exit %d, %q", code, errb.String())
	}
}
