//go:build linux

package quiz_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/AlecAivazis/survey/v2"
	"golang.org/x/sys/unix"

	"wiretutor/engine/course/quiz"
	"wiretutor/engine/testkit/testenv"
)

// TestSurveyInterrupted: on a real terminal, a question waiting in raw
// mode ends with ErrInterrupted when the context is done (as on SIGTERM),
// and the terminal is back in line mode with echo, as before the question.
func TestSurveyInterrupted(t *testing.T) {
	master, slave := testenv.Pty(t)
	before, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := quiz.Survey{In: quiz.NewInput(ctx, slave), Out: slave, Err: slave}
	done := make(chan error, 1)
	go func() {
		_, err := s.Ask("Which port did the client get?")
		done <- err
	}()
	// Wait until the question is on the screen and survey, in raw mode
	// by then, has asked the terminal twice where the cursor is (the
	// screen's size, then the cursor), answering as a terminal would.
	screen := bufio.NewReader(master)
	var seen strings.Builder
	queries := 0
	for queries < 2 {
		b, err := screen.ReadByte()
		if err != nil {
			t.Fatal(err)
		}
		seen.WriteByte(b)
		if strings.HasSuffix(seen.String(), "\x1b[6n") {
			master.WriteString("\x1b[1;1R")
			if strings.Contains(seen.String(), "Which port did the client get?") {
				queries++
			}
		}
	}
	raw, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if err != nil || raw.Lflag&unix.ICANON != 0 {
		t.Fatalf("the question is not in raw mode: %v", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, quiz.ErrInterrupted) {
		t.Fatalf("Ask after cancel = %v; want ErrInterrupted", err)
	}
	after, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if after.Lflag != before.Lflag {
		t.Errorf("terminal flags %#x after the question, %#x before", after.Lflag, before.Lflag)
	}
}

// ansi matches the terminal's control sequences survey writes: colours,
// cursor moves, saving and restoring the cursor.
var ansi = regexp.MustCompile(`\x1b(\[[0-9;?]*[A-Za-z]|[78])`)

// screen collects what a program writes to a pseudo-terminal; it is
// read without the control sequences.
type screen struct {
	mu   sync.Mutex
	cond *sync.Cond
	text strings.Builder
	done bool
}

func newScreen(master *os.File) *screen {
	s := &screen{}
	s.cond = sync.NewCond(&s.mu)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			s.mu.Lock()
			s.text.Write(buf[:n])
			s.done = err != nil
			s.cond.Broadcast()
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s
}

// waitFor waits until want appears at or after offset from and returns
// the offset after it; false when the terminal closed first.
func (s *screen) waitFor(from int, want string) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		text := s.plain()
		if i := strings.Index(text[min(from, len(text)):], want); i >= 0 {
			return from + i + len(want), true
		}
		if s.done {
			return len(text), false
		}
		s.cond.Wait()
	}
}

// plain is the screen without control sequences; s.mu is held.
func (s *screen) plain() string { return ansi.ReplaceAllString(s.text.String(), "") }

// since returns the screen from offset from on.
func (s *screen) since(from int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.plain()[from:]
}

// TestSurveyChooseHint: a list on a real terminal shows the hint it is
// given instead of survey's English one, the next list shows its own
// (the language changed in between), and the keys move as in survey's
// Select. Keys typed once the hint is on the screen wait in the terminal
// until the list reads them, whether it is in raw mode by then or not.
func TestSurveyChooseHint(t *testing.T) {
	master, slave := testenv.Pty(t)
	scr := newScreen(master)
	options := []string{"English", "Русский", "中文", "Español"}
	tests := []struct {
		name, hint, keys string
		def, want        int
	}{
		{"enter takes the default", "[↑↓ — выбор, Enter — подтвердить]", "\r", 1, 1},
		{"down", "[↑↓ 移动，回车确认]", "\x1b[B\r", 0, 1},
		{"up from the top wraps", "[↑↓ to move, Enter to choose]", "\x1b[A\r", 0, 3},
		{"typing filters", "[↑↓ — выбор]", "中\r", 0, 2},
		{"down through what the filter keeps", "[filter]", "s\x1b[B\r", 0, 3},
	}
	template := survey.SelectQuestionTemplate
	at := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := quiz.Survey{In: slave, Out: slave, Err: slave, SelectHint: tt.hint}
			type result struct {
				i   int
				err error
			}
			done := make(chan result, 1)
			go func() {
				i, err := s.Choose("Language?", options, tt.def)
				done <- result{i, err}
			}()
			next, ok := scr.waitFor(at, tt.hint)
			if !ok {
				t.Fatalf("the hint never came:\n%q", scr.since(at))
			}
			master.WriteString(tt.keys)
			r := <-done
			if r.err != nil || r.i != tt.want {
				t.Errorf("Choose = %d, %v; want %d", r.i, r.err, tt.want)
			}
			if _, ok := scr.waitFor(next, "? Language? "+options[tt.want]+"\r\n"); !ok {
				t.Errorf("the answer is not drawn after the question:\n%q", scr.since(at))
			}
			seen := scr.since(at)
			if strings.Contains(seen, "Use arrows") {
				t.Errorf("survey's English hint is on the screen:\n%q", seen)
			}
			for _, other := range tests {
				if other.hint != tt.hint && strings.Contains(seen, other.hint) {
					t.Errorf("another list's hint %q is on the screen:\n%q", other.hint, seen)
				}
			}
			at = len(scr.since(0))
		})
	}
	if survey.SelectQuestionTemplate != template {
		t.Errorf("survey's SelectQuestionTemplate was changed: every list in the process would show the last hint")
	}
}
