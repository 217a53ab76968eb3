//go:build linux

package cli_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"wiretutor/engine/testkit/testenv"
)

// screen is what a program wrote to a pseudo-terminal, read as it comes.
// It answers survey's cursor query (ESC[6n) as a terminal would.
type screen struct {
	master *os.File
	mu     sync.Mutex
	cond   *sync.Cond
	text   strings.Builder
	closed bool // the terminal's reader ended
	exited bool // the program on it ended
}

func newScreen(master *os.File) *screen {
	s := &screen{master: master}
	s.cond = sync.NewCond(&s.mu)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			s.mu.Lock()
			s.text.Write(buf[:n])
			if q := strings.Count(string(buf[:n]), "\x1b[6n"); q > 0 {
				master.WriteString(strings.Repeat("\x1b[1;1R", q))
			}
			if err != nil {
				s.closed = true
			}
			s.cond.Broadcast()
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s
}

// waitFor waits until one of want appears after offset from and returns
// its index and the offset after it; -1 when the program ended (or the
// terminal closed) first.
func (s *screen) waitFor(from int, want ...string) (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		text := s.text.String()
		best, at := -1, len(text)+1
		for i, w := range want {
			if j := strings.Index(text[min(from, len(text)):], w); j >= 0 && from+j < at {
				best, at = i, from+j
			}
		}
		if best >= 0 {
			return best, at + len(want[best])
		}
		if s.closed || s.exited {
			return -1, len(text)
		}
		s.cond.Wait()
	}
}

// ready waits, after a prompt that ends at offset from, until survey has
// set the terminal up and asks where the cursor is (twice: the screen's
// size, then the cursor), as it does just before it reads the first key:
// a key typed earlier could be taken for the terminal's answer.
func (s *screen) ready(from int) (int, bool) {
	for range 2 {
		i, next := s.waitFor(from, "\x1b[6n")
		if i < 0 {
			return next, false
		}
		from = next
	}
	return from, true
}

// drained returns the screen once everything written to the terminal
// before now has been read: a marker written to the terminal after the
// program ended comes back after all of the program's output.
func (s *screen) drained(slave *os.File) string {
	const marker = "\r\n<end of output>"
	slave.WriteString(marker)
	s.mu.Lock()
	defer s.mu.Unlock()
	for !strings.Contains(s.text.String(), marker) && !s.closed {
		s.cond.Wait()
	}
	return s.text.String()
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.text.String()
}

// proc is a running wiretutor.
type proc struct {
	cmd   *exec.Cmd
	done  chan struct{} // closed when it has ended
	err   error         // what Wait said
	state string        // its XDG_STATE_HOME, where progress is kept
}

// child starts wiretutor (this test binary in child mode) with the pty
// as its controlling terminal and the given streams. When it ends, scr
// is told, so nothing waits for a prompt that can no longer come. A
// process still running after two minutes is hung: it is killed, and the
// test fails instead of the whole run stalling.
func child(t testing.TB, scr *screen, stdin, stdout, stderr *os.File, args ...string) *proc {
	t.Helper()
	js, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0])
	state := t.TempDir()
	cmd.Env = append(os.Environ(), childVar+"="+string(js), "XDG_STATE_HOME="+state,
		"LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES=", "NO_COLOR=1", "TERM=xterm",
		"COLUMNS=1000") // a sentence on a pipe is one line, to be found whole
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	return start(t, scr, cmd, state)
}

// start starts cmd, whose progress goes to state, and watches it: the
// screen learns when it ends, a guard kills it after two minutes, and
// the test's cleanup kills it and waits.
func start(t testing.TB, scr *screen, cmd *exec.Cmd, state string) *proc {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{}), state: state}
	guard := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	go func() {
		p.err = cmd.Wait()
		guard.Stop()
		close(p.done)
		scr.mu.Lock()
		scr.exited = true
		scr.cond.Broadcast()
		scr.mu.Unlock()
	}()
	t.Cleanup(func() { cmd.Process.Kill(); <-p.done })
	return p
}

// exitCode waits for p to end and returns its exit status; -1, and the
// test fails, when it did not end by itself.
func exitCode(t testing.TB, p *proc) int {
	t.Helper()
	<-p.done
	var ee *exec.ExitError
	switch {
	case p.err == nil:
		return 0
	case errors.As(p.err, &ee) && ee.Exited():
		return ee.ExitCode()
	}
	t.Errorf("wiretutor did not end by itself: %v", p.err)
	return -1
}

const navPrompt = "q: quit"

// fresh follows a prompt survey has just drawn (it hides the cursor
// next), and not one it draws again with the answer.
const fresh = " \x1b[?25l"

// TestPromptsNeverInTheFile: with standard output sent to a file and a
// terminal on standard input, the lesson's prompts go to the terminal and
// every way out works: q, Ctrl-D, Ctrl-C. Before, survey wrote its prompt
// and a cursor query into the file and waited for ever for the answer.
func TestPromptsNeverInTheFile(t *testing.T) {
	keys := []struct {
		name, key string
		toStderr  bool // stderr is the terminal too; else a file, and prompts use /dev/tty
	}{
		{"q", "q\r", true},
		{"ctrl-d", "\x04", true},
		{"ctrl-c", "\x03", true},
		{"q, stderr also a file", "q\r", false},
	}
	for _, k := range keys {
		t.Run(k.name, func(t *testing.T) {
			master, slave := testenv.Pty(t)
			out, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			stderr := slave
			if !k.toStderr {
				if stderr, err = os.Create(filepath.Join(t.TempDir(), "err.txt")); err != nil {
					t.Fatal(err)
				}
				defer stderr.Close()
			}
			scr := newScreen(master)
			cmd := child(t, scr, slave, out, stderr, "lesson", "tcp-handshake", "--net", "sandbox")
			i, at := scr.waitFor(0, navPrompt+fresh)
			if _, ok := scr.ready(at); i < 0 || !ok {
				t.Fatalf("no prompt on the terminal:\n%s", scr)
			}
			master.WriteString(k.key)
			if code := exitCode(t, cmd); code != 0 {
				t.Errorf("exit %d; want 0 (the lesson left, progress kept)\n%q", code, scr)
			}
			data, _ := os.ReadFile(out.Name())
			if strings.Contains(string(data), "\x1b[6n") || strings.Contains(string(data), navPrompt) {
				t.Errorf("the prompt went into the file:\n%q", data)
			}
			if !strings.Contains(string(data), "three-way handshake") {
				t.Errorf("the lesson's text is not in the file:\n%s", data)
			}
		})
	}
}

// TestSignalEndsPrompt: SIGTERM at any prompt (the navigation prompt, the
// chat's nickname prompt, the menu) ends wiretutor at once, with the
// terminal back in line mode. Before, the signal waited for a key.
func TestSignalEndsPrompt(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		prompt string // what shows the prompt to signal at; Enter is pressed at the navigation prompt until it comes
	}{
		{"navigation", []string{"lesson", "tcp-handshake", "--net", "sandbox"}, navPrompt + fresh},
		{"chat nickname", []string{"lesson", "chat", "--net", "sandbox"}, "Your nickname in the chat:" + fresh},
		{"menu", []string{"--net", "sandbox"}, "Choose your language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			master, slave := testenv.Pty(t)
			before, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			scr := newScreen(master)
			cmd := child(t, scr, slave, slave, slave, tt.args...)
			ok := true
			for at := 0; ; {
				i, next := scr.waitFor(at, tt.prompt, navPrompt+fresh)
				if i < 0 {
					t.Fatalf("the prompt never came:\n%s", scr)
				}
				at = next
				if i == 0 {
					break
				}
				if at, ok = scr.ready(at); !ok {
					t.Fatalf("the prompt never came:\n%s", scr)
				}
				master.WriteString("\r")
			}
			cmd.cmd.Process.Signal(syscall.SIGTERM)
			if code := exitCode(t, cmd); code != 143 {
				t.Errorf("exit %d after SIGTERM; want 143 (128 + 15)\n%s", code, scr)
			}
			// On a line of its own; the terminal's late answers to cursor
			// queries may be echoed before it, as a real terminal would.
			if !regexp.MustCompile(`\n(\^\[\[\d+;\d+R)*Interrupted\.`).MatchString(scr.drained(slave)) {
				t.Errorf("no \"Interrupted.\" on a line of its own:\n%q", scr)
			}
			after, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if after.Lflag != before.Lflag {
				t.Errorf("terminal flags %#x after, %#x before: not restored", after.Lflag, before.Lflag)
			}
		})
	}
}

// TestHangupKeepsThePlace: a terminal closed mid-lesson (SIGHUP) ends
// wiretutor with 129 and keeps the learner's place, as q does.
func TestHangupKeepsThePlace(t *testing.T) {
	master, slave := testenv.Pty(t)
	scr := newScreen(master)
	cmd := child(t, scr, slave, slave, slave, "lesson", "tcp-handshake", "--net", "sandbox")
	// Past the first pause, to the next prompt (a pause or a question).
	i, next := scr.waitFor(0, navPrompt+fresh)
	if i < 0 {
		t.Fatalf("the prompt never came:\n%s", scr)
	}
	at, ok := scr.ready(next)
	if !ok {
		t.Fatalf("the prompt never came:\n%s", scr)
	}
	master.WriteString("\r")
	if i, _ := scr.waitFor(at, navPrompt+fresh, "Your answer"); i < 0 {
		t.Fatalf("no second prompt:\n%s", scr)
	}
	cmd.cmd.Process.Signal(syscall.SIGHUP)
	if code := exitCode(t, cmd); code != 129 {
		t.Errorf("exit %d after SIGHUP; want 129 (128 + 1)\n%s", code, scr)
	}
	data, err := os.ReadFile(filepath.Join(cmd.state, "wiretutor", "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Lessons map[string]struct{ Step int }
	}
	if err := json.Unmarshal(data, &st); err != nil || st.Lessons["tcp-handshake"].Step == 0 {
		t.Errorf("no place kept after SIGHUP (%v):\n%s", err, data)
	}
}
