package verify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Stream names the output stream a line of the program came on.
type Stream int

// The streams.
const (
	Stdout Stream = iota
	Stderr
)

// Line is a line of the program's output.
type Line struct {
	Stream Stream
	Text   string
	// Hidden, when not 0, says that many more lines of the stream came
	// after MaxLines and were not shown (Text is then empty).
	Hidden int
}

// Output limits: a line longer than MaxLine bytes is cut, and after
// MaxLines lines of a stream the rest is counted, not shown.
const (
	MaxLine  = 500
	MaxLines = 400
)

// grace is how long a program has to end after SIGTERM before it is
// killed, and how long its output may stay open after it ended (a child
// it left behind).
const grace = 2 * time.Second

// StartError: the program could not be started (no such command, not
// executable).
type StartError struct {
	Command string
	Err     error
}

// Error names the command and the cause.
func (e *StartError) Error() string { return "start " + e.Command + ": " + e.Err.Error() }

// Unwrap is the cause.
func (e *StartError) Unwrap() error { return e.Err }

// Message names the sentence that tells the learner.
func (e *StartError) Message() (string, map[string]any) {
	if errors.Is(e.Err, exec.ErrNotFound) || errors.Is(e.Err, os.ErrNotExist) {
		return "verify.error.not_found", map[string]any{"Command": e.Command}
	}
	return "verify.error.start", map[string]any{"Command": e.Command, "Err": e.Err.Error()}
}

// process is the learner's running program.
type process struct {
	cmd   *exec.Cmd
	done  chan struct{} // closed when it has ended and its output is read
	once  sync.Once
	state *os.ProcessState
	group bool
}

// startProcess starts argv, with env added to this process's
// environment, its output going line by line to out.
func startProcess(argv, env []string, stdin io.Reader, out func(Line), group bool) (*process, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.Stdin = stdin
	stdout, stderr := &lineWriter{s: Stdout, out: out}, &lineWriter{s: Stderr, out: out}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = grace
	setProcAttr(cmd, group)
	if err := cmd.Start(); err != nil {
		return nil, &StartError{Command: argv[0], Err: err}
	}
	p := &process{cmd: cmd, done: make(chan struct{}), group: group}
	go func() {
		cmd.Wait()
		stdout.flush()
		stderr.flush()
		p.state = cmd.ProcessState
		close(p.done)
	}()
	return p, nil
}

// stop ends the program: SIGTERM (to its group, if it has one), then,
// if it has not ended after the grace time, SIGKILL. It returns once the
// program has ended.
func (p *process) stop() {
	p.once.Do(func() {
		select {
		case <-p.done:
			return
		default:
		}
		terminate(p.cmd.Process, p.group)
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-p.done:
		case <-t.C:
			kill(p.cmd.Process, p.group)
			<-p.done
		}
	})
	<-p.done
}

// doneOrNil is done, or nil (a channel that never fires) once skip is
// set: the program's end has been seen.
func (p *process) doneOrNil(skip bool) <-chan struct{} {
	if skip {
		return nil
	}
	return p.done
}

// code is the program's exit status, -1 when a signal ended it.
func (p *process) code() int {
	if p.state == nil {
		return -1
	}
	return p.state.ExitCode()
}

// lineWriter hands each line written to it to out, cleaned: control
// characters (terminal escapes) shown as \x.., a line longer than
// MaxLine cut with "…", and after MaxLines lines one line that says how
// many more there were.
type lineWriter struct {
	s      Stream
	out    func(Line)
	mu     sync.Mutex
	buf    []byte
	lines  int
	cut    bool // the current line is over MaxLine: drop until its end
	hidden int
}

func (w *lineWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(b)
	for len(b) > 0 {
		k := bytes.IndexByte(b, '\n')
		chunk := b
		if k >= 0 {
			chunk = b[:k]
		}
		if !w.cut {
			room := MaxLine - len(w.buf)
			if len(chunk) > room {
				w.buf = append(w.buf, chunk[:room]...)
				w.cut = true
			} else {
				w.buf = append(w.buf, chunk...)
			}
		}
		if k < 0 {
			break
		}
		w.emit()
		b = b[k+1:]
	}
	return n, nil
}

// emit hands on the line in buf.
func (w *lineWriter) emit() {
	line := clean(w.buf)
	if w.cut {
		line += "…"
	}
	w.buf, w.cut = w.buf[:0], false
	w.lines++
	if w.lines > MaxLines {
		w.hidden++
		return
	}
	w.out(Line{Stream: w.s, Text: line})
}

// flush hands on a last line without its newline, and the count of
// lines not shown.
func (w *lineWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 || w.cut {
		w.emit()
	}
	if w.hidden > 0 {
		w.out(Line{Stream: w.s, Hidden: w.hidden})
	}
}

// clean makes a program's line safe to print: valid UTF-8, carriage
// returns and other control characters escaped, tabs kept.
func clean(b []byte) string {
	b = bytes.TrimSuffix(b, []byte("\r"))
	var sb strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&sb, `\x%02x`, b[0])
			size = 1
		case r == '\t':
			sb.WriteRune(r)
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&sb, `\x%02x`, r)
		default:
			sb.WriteRune(r)
		}
		b = b[size:]
	}
	return sb.String()
}
