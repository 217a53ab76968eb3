package quiz

import (
	"context"
	"os"
	"sync"
)

// Input is the learner's standard input made interruptible: Read returns
// ErrInterrupted as soon as ctx is done, even while the terminal has
// nothing to give, so a signal (SIGTERM, or SIGINT while the terminal is
// in line mode) ends a prompt at once instead of when the next key comes.
// Fd is the file's own, so survey can still put the terminal in raw mode;
// survey restores it on the error, as it does on Ctrl-C.
//
// One goroutine reads the file, and only when a Read asks for data, so
// nothing is read ahead of a prompt. A read cut short by ctx stays under
// way (a blocking read cannot be called back); what it brings is kept for
// the next Read.
type Input struct {
	f   *os.File
	ctx context.Context
	req chan int        // a Read wants up to n bytes
	res chan readResult // what the file gave

	mu      sync.Mutex
	pending bool   // a request is out and its result not yet taken
	left    []byte // read but not yet returned
	leftErr error  // the error that came with left, returned after it
}

type readResult struct {
	data []byte
	err  error
}

// NewInput returns f made interruptible by ctx.
func NewInput(ctx context.Context, f *os.File) *Input {
	in := &Input{f: f, ctx: ctx, req: make(chan int), res: make(chan readResult, 1)}
	go in.pump()
	return in
}

func (in *Input) pump() {
	for {
		select {
		case n := <-in.req:
			buf := make([]byte, n)
			k, err := in.f.Read(buf)
			in.res <- readResult{data: buf[:k], err: err}
		case <-in.ctx.Done():
			return
		}
	}
}

// Fd is the file descriptor of the underlying file.
func (in *Input) Fd() uintptr { return in.f.Fd() }

// File is the underlying file.
func (in *Input) File() *os.File { return in.f }

// Read reads from the file, or returns ErrInterrupted once ctx is done.
func (in *Input) Read(p []byte) (int, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(in.left) > 0 {
		return in.takeLeft(p)
	}
	if in.ctx.Err() != nil {
		return 0, ErrInterrupted
	}
	if len(p) == 0 {
		return 0, nil
	}
	if !in.pending {
		select {
		case in.req <- len(p):
			in.pending = true
		case <-in.ctx.Done():
			return 0, ErrInterrupted
		}
	}
	select {
	case r := <-in.res:
		in.pending = false
		in.left, in.leftErr = r.data, r.err
		return in.takeLeft(p)
	case <-in.ctx.Done():
		return 0, ErrInterrupted
	}
}

// takeLeft returns what was read before, and its error with the last of
// it. A read never goes past a terminal's cursor report (ESC [ row ; col
// R) nor past a key that ends an answer (Enter, Ctrl-C, Ctrl-D): survey
// reads through a buffered reader of its own for each prompt and drops
// what that reader took beyond, which would lose keys typed ahead.
func (in *Input) takeLeft(p []byte) (int, error) {
	if end := answerEnd(in.left); end > 0 && end < len(p) {
		p = p[:end]
	}
	n := copy(p, in.left)
	in.left = in.left[n:]
	if len(in.left) > 0 {
		return n, nil
	}
	err := in.leftErr
	in.left, in.leftErr = nil, nil
	return n, err
}

// answerEnd is the offset just past the first cursor report or key that
// ends an answer in b, whichever comes first, or 0 when there is none.
func answerEnd(b []byte) int {
	end := cursorReportEnd(b)
	for i, c := range b {
		if end > 0 && i >= end {
			break
		}
		if c == '\r' || c == '\n' || c == 0x03 || c == 0x04 {
			return i + 1
		}
	}
	return end
}

// cursorReportEnd is the offset just past the first cursor position
// report in b, or 0 when b holds none.
func cursorReportEnd(b []byte) int {
	for i := 0; i < len(b); i++ {
		if b[i] != 0x1b || i+1 >= len(b) || b[i+1] != '[' {
			continue
		}
		j, semi := i+2, false
		for ; j < len(b); j++ {
			c := b[j]
			switch {
			case c >= '0' && c <= '9':
				continue
			case c == ';' && !semi:
				semi = true
				continue
			case c == 'R' && semi:
				return j + 1
			}
			break
		}
	}
	return 0
}
