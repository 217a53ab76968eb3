package quiz

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// Asker puts a question to the learner and returns what they typed. It
// is the only way the course asks anything, so survey (unmaintained
// upstream) stays behind it. Errors: ErrNoInput when input has ended,
// ErrInterrupted on Ctrl-C.
type Asker interface {
	Ask(prompt string) (string, error)
}

// Survey asks on a terminal, with line editing.
type Survey struct {
	In  terminal.FileReader
	Out terminal.FileWriter
	Err io.Writer
}

// Ask shows prompt and reads one answer.
func (s Survey) Ask(prompt string) (string, error) {
	var ans string
	err := survey.AskOne(&survey.Input{Message: prompt}, &ans, survey.WithStdio(s.In, s.Out, s.Err))
	switch {
	case errors.Is(err, terminal.InterruptErr):
		return "", ErrInterrupted
	case errors.Is(err, io.EOF):
		return "", ErrNoInput
	case err != nil:
		return "", err
	}
	return ans, nil
}

// Lines asks by printing the prompt and reading a line: for input that is
// not a terminal (a pipe, a file, an instructor's script).
type Lines struct {
	r   *bufio.Reader
	out io.Writer
}

// NewLines returns a Lines asker reading in and prompting on out.
func NewLines(in io.Reader, out io.Writer) *Lines {
	return &Lines{r: bufio.NewReader(in), out: out}
}

// Ask prints prompt and reads the next line.
func (l *Lines) Ask(prompt string) (string, error) {
	fmt.Fprintf(l.out, "%s ", prompt)
	line, err := l.r.ReadString('\n')
	if err != nil && (line == "" || !errors.Is(err, io.EOF)) {
		fmt.Fprintln(l.out)
		if errors.Is(err, io.EOF) {
			return "", ErrNoInput
		}
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// Script answers from a list, for tests; it records what it was asked.
type Script struct {
	Answers []string
	Asked   []string
}

// Ask returns the next scripted answer, or ErrNoInput.
func (s *Script) Ask(prompt string) (string, error) {
	s.Asked = append(s.Asked, prompt)
	if len(s.Answers) == 0 {
		return "", ErrNoInput
	}
	a := s.Answers[0]
	s.Answers = s.Answers[1:]
	return a, nil
}
