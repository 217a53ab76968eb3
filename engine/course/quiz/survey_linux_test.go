//go:build linux

package quiz_test

import (
	"bufio"
	"context"
	"errors"
	"strings"
	"testing"

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
