package quiz_test

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"wiretutor/engine/course/quiz"
)

// TestInputInterrupted: a read waiting on input that never comes ends
// with ErrInterrupted when the context is done, and the lines asker
// passes that on: a signal ends a prompt without a key being pressed.
func TestInputInterrupted(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	in := quiz.NewInput(ctx, r)
	lines := quiz.NewLines(in, io.Discard)

	// First a line that is there, then a prompt nobody answers.
	if _, err := w.WriteString("first\n"); err != nil {
		t.Fatal(err)
	}
	if got, err := lines.Ask("?"); err != nil || got != "first" {
		t.Fatalf("Ask = %q, %v; want the line written", got, err)
	}
	done := make(chan error, 1)
	asked := make(chan struct{})
	go func() {
		close(asked)
		_, err := lines.Ask("?")
		done <- err
	}()
	<-asked
	cancel()
	if err := <-done; !errors.Is(err, quiz.ErrInterrupted) {
		t.Errorf("Ask after cancel = %v; want ErrInterrupted", err)
	}
	if _, err := in.Read(make([]byte, 8)); !errors.Is(err, quiz.ErrInterrupted) {
		t.Errorf("Read after cancel = %v; want ErrInterrupted", err)
	}
}

// TestInputKeepsWhatItRead: bytes beyond what one Read takes, and the
// end of input, come in order.
func TestInputKeepsWhatItRead(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	in := quiz.NewInput(context.Background(), r)
	w.WriteString("abcdef")
	w.Close()
	got, err := io.ReadAll(onebyte{in})
	if err != nil || string(got) != "abcdef" {
		t.Errorf("read %q, %v; want abcdef and a clean end", got, err)
	}
}

// onebyte reads through a one-byte buffer.
type onebyte struct{ r io.Reader }

func (o onebyte) Read(p []byte) (int, error) { return o.r.Read(p[:min(len(p), 1)]) }

// TestInputReadsEnd: a read ends just after a terminal's cursor report
// and after a key that ends an answer (Enter, Ctrl-C, Ctrl-D). survey
// reads each prompt (and each cursor report) through a buffered reader of
// its own and drops what that reader took beyond, so keys typed ahead
// would be lost.
func TestInputReadsEnd(t *testing.T) {
	tests := []struct {
		name, input string
		want        []string
	}{
		{"cursor report, then a key", "\x1b[12;40R\x03", []string{"\x1b[12;40R", "\x03"}},
		{"answers typed ahead", "yes\r2\n\x04q", []string{"yes\r", "2\n", "\x04", "q"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			in := quiz.NewInput(context.Background(), r)
			w.WriteString(tt.input)
			w.Close()
			var reads []string
			buf := make([]byte, 64)
			for {
				n, err := in.Read(buf)
				if n > 0 {
					reads = append(reads, string(buf[:n]))
				}
				if err != nil {
					break
				}
			}
			if strings.Join(reads, "|") != strings.Join(tt.want, "|") {
				t.Errorf("reads %q; want %q", reads, tt.want)
			}
		})
	}
}
