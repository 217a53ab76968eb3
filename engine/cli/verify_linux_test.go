//go:build linux

package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"wiretutor/engine/testkit/testenv"
)

// verifyCase is one of the lab programs under testdata/verify run
// through wiretutor verify, and the grade it must get.
type verifyCase struct {
	lesson, role, prog string
	stdin              string
	limit              string // --timeout, 3s when empty
	exit               int
	// found maps a check to the finding it must report; an error run
	// (the server never listened) names the message instead.
	found map[string]string
	err   string
}

var verifyCases = []verifyCase{
	{lesson: "tcp-handshake", role: "client", prog: "good/echo_client.py",
		found: map[string]string{"tcp-connects": "client.connected", "tcp-sends": "tcp.sent", "tcp-closes": "tcp.closed_fin"}},
	{lesson: "tcp-handshake", role: "client", prog: "broken/echo_client_reset.py", exit: 1,
		found: map[string]string{"tcp-connects": "client.connected", "tcp-closes": "tcp.closed_rst"}},
	{lesson: "tcp-handshake", role: "client", prog: "broken/echo_client_never_closes.py", exit: 1,
		found: map[string]string{"tcp-closes": "tcp.closed_killed"}},
	{lesson: "tcp-handshake", role: "server", prog: "good/echo_server.py",
		found: map[string]string{"tcp-connects": "server.connected", "tcp-echoes": "tcp.echoed", "tcp-closes": "tcp.closed_fin"}},
	{lesson: "tcp-handshake", role: "server", prog: "broken/echo_server_never_closes.py", exit: 1,
		found: map[string]string{"tcp-echoes": "tcp.echoed", "tcp-closes": "tcp.closed_killed"}},
	{lesson: "tcp-handshake", role: "server", prog: "broken/echo_server_wrong_port.py", exit: 1,
		err: "verify.error.listens_elsewhere"},
	{lesson: "sockets", role: "client", prog: "good/sender.py",
		found: map[string]string{"tcp-sends": "tcp.sent", "tcp-closes": "tcp.closed_fin"}},
	{lesson: "sockets", role: "server", prog: "good/receiver.py",
		found: map[string]string{"tcp-connects": "server.connected", "tcp-closes": "tcp.closed_fin"}},
	{lesson: "udp-echo", role: "client", prog: "good/udp_client.py",
		found: map[string]string{"udp-sends": "udp.sent", "udp-gets-echo": "udp.echo_back"}},
	{lesson: "udp-echo", role: "server", prog: "good/udp_server.py",
		found: map[string]string{"udp-replies": "udp.replied"}},
	{lesson: "udp-echo", role: "server", prog: "broken/udp_server_new_socket.py", exit: 1,
		found: map[string]string{"udp-replies": "udp.wrong_port"}},
	{lesson: "chat", role: "client", prog: "good/chat_client.py", stdin: "alice\nhello everyone\n",
		found: map[string]string{"chat-gives-nick": "chat.nick_given", "chat-says": "chat.said"}},
	{lesson: "chat", role: "server", prog: "good/chat_server.py",
		found: map[string]string{"chat-asks-nick": "chat.asks", "chat-announces": "chat.announced", "chat-relays": "chat.relayed"}},
	{lesson: "chat", role: "server", prog: "broken/chat_server_no_relay.py", exit: 1,
		found: map[string]string{"chat-asks-nick": "chat.asks", "chat-relays": "chat.echo_only"}},
	{lesson: "http-raw", role: "client", prog: "good/http_client.py",
		found: map[string]string{"http-request-crlf": "http.crlf", "http-request-host": "http.host", "tcp-closes": "tcp.closed_fin"}},
	{lesson: "http-raw", role: "client", prog: "broken/http_client_bare_lf.py", exit: 1,
		found: map[string]string{"http-request-crlf": "http.bare_lf", "http-request-host": "http.host"}},
	{lesson: "http-raw", role: "server", prog: "good/http_server.py",
		found: map[string]string{"http-answers-get": "http.answered", "http-redirects": "http.redirected"}},
	// The lesson's browser waits for the end of the body that never ends
	// for its 5 s, then asks for /old.
	{lesson: "http-raw", role: "server", prog: "broken/http_server_no_length.py", exit: 1, limit: "20s",
		found: map[string]string{"http-answers-get": "http.no_length", "http-redirects": "http.redirected"}},
	{lesson: "ping", role: "client", prog: "good/ping.py",
		found: map[string]string{"icmp-request": "icmp.request", "icmp-checksum": "icmp.checksum_ok", "icmp-sequence": "icmp.sequenced", "icmp-reply": "icmp.replied"}},
	{lesson: "ping", role: "client", prog: "broken/ping_bad_checksum.py", exit: 1,
		found: map[string]string{"icmp-checksum": "icmp.checksum_carry", "icmp-reply": "icmp.no_reply"}},
	{lesson: "http-api-token", role: "client", prog: "good/api_client.py",
		found: map[string]string{"api-sends-token": "api.token_sent", "api-authorized": "api.authorized"}},
	{lesson: "http-api-token", role: "client", prog: "broken/api_client_token_in_url.py", exit: 1,
		found: map[string]string{"api-sends-token": "api.token_in_url", "api-authorized": "api.unauthorized"}},
	{lesson: "game-traffic", role: "client", prog: "good/game_bot.py",
		found: map[string]string{"game-logs-in": "game.logged_in", "game-joins": "game.joined", "game-moves": "game.moved",
			"game-counts": "game.counted", "game-checks": "game.checks_ok", "game-takes-coin": "game.picked"}},
	{lesson: "game-traffic", role: "client", prog: "broken/game_bot_bad_check.py", exit: 1,
		found: map[string]string{"game-logs-in": "game.login_check", "game-checks": "game.check_wrong", "game-takes-coin": "game.no_pickup"}},
	{lesson: "game-traffic", role: "client", prog: "broken/game_bot_big_endian.py", exit: 1, limit: "5s",
		found: map[string]string{"game-joins": "game.joined", "game-moves": "game.move_ignored", "game-takes-coin": "game.no_pickup"}},
	{lesson: "game-traffic", role: "client", prog: "broken/game_bot_same_seq.py", exit: 1, limit: "5s",
		found: map[string]string{"game-counts": "game.seq_stale", "game-joins": "game.join_unanswered"}},
}

// TestVerifyLabPrograms runs the labs' programs, good and broken, as a
// learner with no rights would: wiretutor verify in its private
// namespace. Each gets its grade, naming what is wrong; check on the
// capture verify saved gives the same grade; the report lists the runs;
// no process of the learner's is left.
func TestVerifyLabPrograms(t *testing.T) {
	testenv.Python3(t)
	l := newLearner(t)
	progs := copyPrograms(t, l)
	for _, c := range verifyCases {
		t.Run(c.lesson+"/"+c.role+"/"+c.prog, func(t *testing.T) {
			t.Parallel()
			saved := filepath.Join(l.work, strings.NewReplacer("/", "-", ".py", ".pcapng").Replace(c.lesson+"-"+c.role+"-"+c.prog))
			limit := c.limit
			if limit == "" {
				limit = "3s"
			}
			code, out := l.verify(t, c.stdin, "verify", c.lesson, "--role", c.role, "--net", "private", "--no-input",
				"--timeout", limit, "--save-capture", saved, "--", "python3", filepath.Join(progs, c.prog))
			if code != c.exit {
				t.Errorf("exit %d, want %d:\n%s", code, c.exit, out)
			}
			if c.err != "" {
				if !strings.Contains(flat(out), literal(t, c.err)) {
					t.Errorf("no %s:\n%s", c.err, out)
				}
				return
			}
			grade := marks(out)
			for check, key := range c.found {
				if !strings.Contains(flat(out), literal(t, "verify.found."+key)) {
					t.Errorf("%s: no finding %s:\n%s", check, key, out)
				}
			}
			if failed := strings.Contains(grade, "✗"); failed != (c.exit != 0) || len(grade) == 0 {
				t.Errorf("marks %q for exit %d:\n%s", grade, code, out)
			}
			// The saved capture gives the same grade.
			chk := l.command("check", c.lesson, saved)
			var cout bytes.Buffer
			chk.Stdout, chk.Stderr = &cout, &cout
			err := chk.Run()
			if marks(cout.String()) != grade {
				t.Errorf("check on the saved capture grades\n%s\nverify graded\n%s", marks(cout.String()), grade)
			}
			if (err == nil) != (c.exit == 0) {
				t.Errorf("check: %v, verify exited %d", err, c.exit)
			}
		})
	}
	t.Cleanup(func() {
		l.left(t)
		noPrograms(t, progs)
		rep := l.command("report", "--format", "json")
		data, err := rep.Output()
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Verify []struct {
				Lesson, Role string
				Passed       bool
			}
		}
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		passed := 0
		for _, v := range r.Verify {
			if v.Passed {
				passed++
			}
		}
		good := 0
		for _, c := range verifyCases {
			if c.exit == 0 {
				good++
			}
		}
		if len(r.Verify) != len(verifyCases) || passed != good {
			t.Errorf("the report lists %d verify runs, %d passed; want %d, %d passed", len(r.Verify), passed, len(verifyCases), good)
		}
	})
}

// verify runs wiretutor as the learner with stdin and returns its exit
// status and what it printed.
func (l *learner) verify(t *testing.T, stdin string, args ...string) (int, string) {
	t.Helper()
	cmd := l.command(args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, out.String()
}

// copyPrograms copies testdata/verify into the learner's folder, where
// the learner may read them.
func copyPrograms(t *testing.T, l *learner) string {
	t.Helper()
	src := filepath.Join("..", "..", "testdata", "verify")
	dst := filepath.Join(l.work, "verify")
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	if l.cred != nil {
		filepath.Walk(dst, func(p string, _ os.FileInfo, _ error) error { return os.Chown(p, nobody, nobody) })
	}
	return dst
}

// noPrograms fails the test if a process still runs one of the programs
// under dir.
func noPrograms(t *testing.T, dir string) {
	t.Helper()
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, []byte(dir)) {
			t.Errorf("process %s still runs %s", filepath.Dir(p), strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
}

var (
	spaces      = regexp.MustCompile(`\s+`)
	placeholder = regexp.MustCompile(`\{\{[^}]*\}\}`)
)

// flat is s with every run of white space one space: wrapped lines
// joined.
func flat(s string) string { return spaces.ReplaceAllString(strings.TrimSpace(s), " ") }

// literal is the longest stretch of a message's English text between
// its placeholders: what any rendering of it shows.
func literal(t *testing.T, id string) string {
	t.Helper()
	best := ""
	for _, part := range placeholder.Split(sentence(t, id), -1) {
		if part = flat(part); len(part) > len(best) {
			best = part
		}
	}
	if best == "" {
		t.Fatalf("message %s has no text of its own", id)
	}
	return best
}

// marks lists the ✓ and ✗ of a grade, in order.
func marks(out string) string {
	var b strings.Builder
	for _, line := range strings.Split(out, "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "✓") || strings.HasPrefix(l, "✗") {
			b.WriteString(l[:len("✓")])
		}
	}
	return b.String()
}

// TestVerifyInterrupted: Ctrl-C (SIGINT) or SIGTERM while a learner's
// server is being graded ends verify with the signal's status and
// leaves neither the server nor any wiretutor process behind.
func TestVerifyInterrupted(t *testing.T) {
	testenv.Python3(t)
	l := newLearner(t)
	progs := copyPrograms(t, l)
	for _, sig := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(sig.sig.String(), func(t *testing.T) {
			cmd := l.command("verify", "tcp-handshake", "--role", "server", "--net", "private", "--no-input",
				"--", "python3", filepath.Join(progs, "broken", "echo_server_never_closes.py"))
			pr, pw := io.Pipe()
			cmd.Stdout, cmd.Stderr = pw, pw
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { err := cmd.Wait(); pw.Close(); done <- err }()
			// The moment the lesson's client has had its echo, the
			// server holds a connection open that it never closes: stop
			// verify then.
			var out bytes.Buffer
			sc := bufio.NewScanner(pr)
			seen := false
			for sc.Scan() {
				out.WriteString(sc.Text() + "\n")
				if !seen && strings.Contains(sc.Text(), `"HELLO SERVER"`) {
					seen = true
					cmd.Process.Signal(sig.sig)
				}
			}
			err := <-done
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			if !seen || code != sig.code {
				t.Errorf("exit %d, want %d (echo seen: %v):\n%s", code, sig.code, seen, out.String())
			}
			l.left(t)
			noPrograms(t, progs)
		})
	}
}

// TestVerifyRefuses: verify says what is missing, in the learner's
// words, before it runs anything.
func TestVerifyRefuses(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"verify", "tcp-handshake"}, "verify.error.no_command"},
		{[]string{"verify", "tcp-handshake", "python3", "x.py"}, "verify.error.no_command"},
		{[]string{"verify", "filters", "--", "python3", "x.py"}, "verify.error.no_program"},
		{[]string{"verify", "ping", "--role", "server", "--", "python3", "x.py"}, "error.bad_value"},
		{[]string{"verify", "tcp-handshake", "--net", "sandbox", "--", "python3", "x.py"}, "verify.error.sandbox"},
		{[]string{"verify", "nope", "--", "true"}, "error.unknown_lesson"},
	}
	for _, tt := range tests {
		code, _, errOut := run(t, nil, tt.args...)
		if code != 1 && code != 2 || !strings.Contains(flat(errOut), literal(t, tt.msg)) {
			t.Errorf("%v: exit %d, want the message %s:\n%s", tt.args, code, tt.msg, errOut)
		}
	}
}

// TestVerifyAsRoot: root, who may capture on the real loopback, runs
// verify too; in a private namespace of its own here, so that the
// lab's ports never meet another test's.
func TestVerifyAsRoot(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("not root: TestVerifyLabPrograms is this user's test")
	}
	testenv.Python3(t)
	l := newLearner(t)
	l.cred = nil // root itself, in folders of its own
	for _, d := range []string{l.work, l.state} {
		if err := os.Chown(d, 0, 0); err != nil {
			t.Fatal(err)
		}
	}
	progs := copyPrograms(t, l)
	for _, c := range verifyCases {
		if c.lesson != "ping" && c.lesson != "chat" || c.exit != 0 {
			continue
		}
		code, out := l.verify(t, c.stdin, "verify", c.lesson, "--role", c.role, "--net", "private", "--no-input",
			"--timeout", "5s", "--", "python3", filepath.Join(progs, c.prog))
		if code != 0 || strings.Contains(marks(out), "✗") {
			t.Errorf("%s as root: exit %d:\n%s", c.prog, code, out)
		}
	}
	noPrograms(t, progs)
}
