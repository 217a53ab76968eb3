package quiz

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
	"golang.org/x/term"

	"wiretutor/engine/text/render"
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
	// SelectHint is shown beside a list's question, in the learner's
	// language, instead of survey's English "[Use arrows to move, type
	// to filter]"; empty shows none. Each Choose draws with its own, so
	// a change of language shows in the next list.
	SelectHint string
	// Width is the terminal's width when its own cannot be read:
	// prompts and options wider than it wrap between words. 0 wraps
	// nothing.
	Width int
}

// width is the terminal's width now (it may have been resized), else
// Width.
func (s Survey) width() int {
	if s.Out != nil {
		if w, _, err := term.GetSize(int(s.Out.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return s.Width
}

// surveyMark is the room survey's "? " takes before a question.
const surveyMark = 2

// answerRoom is the room a question leaves on its line for the answer
// (a filter such as http.response.code == 302 takes 25).
const answerRoom = 30

// splitPrompt wraps prompt to width less the room before it, and
// returns the lines to print before the question and its last line,
// which the question is asked on.
func splitPrompt(prompt string, width, room int) (lead, last string) {
	if width <= 0 || render.Width(prompt)+room < width {
		return "", prompt
	}
	lines := render.WrapItems(prompt, " · ", width-room-1) // a cell for the cursor
	i := strings.LastIndexByte(lines, '\n')
	if i < 0 {
		return "", lines
	}
	return lines[:i], lines[i+1:]
}

// fitQuestion lays a question out for a terminal width columns wide: the
// lines to print above, and the last line, which survey asks on. The
// last line leaves room for the answer, since an answer that reaches
// the end of the row makes survey's line editor redraw over the lines
// above it: key help gives up its last items to a line of their own;
// any other question goes above, whole, and is asked on a bare "?".
func fitQuestion(prompt string, width int) (lead, last string) {
	lead, last = splitPrompt(prompt, width, surveyMark)
	if render.Width(last)+surveyMark+answerRoom <= width {
		return lead, last
	}
	more, short := "", ""
	if strings.Contains(last, " · ") && width-answerRoom >= width/2 {
		more, short = splitPrompt(last, width-answerRoom, surveyMark)
	}
	if more == "" {
		more = last
	}
	return strings.TrimPrefix(lead+"\n"+more, "\n"), short
}

// eotWatch passes a terminal's keys through and notes Ctrl-D (EOT),
// which survey takes for Enter: the learner means the end of input.
type eotWatch struct {
	terminal.FileReader
	saw bool
}

func (w *eotWatch) Read(p []byte) (int, error) {
	n, err := w.FileReader.Read(p)
	if bytes.IndexByte(p[:n], terminal.KeyEndTransmission) >= 0 {
		w.saw = true
	}
	return n, err
}

// Ask shows prompt and reads one answer. Ctrl-D on an empty line is the
// end of input (ErrNoInput), as on a line-mode terminal.
func (s Survey) Ask(prompt string) (string, error) {
	var ans string
	in := &eotWatch{FileReader: s.In}
	if w := s.width(); w > 0 {
		lead, last := fitQuestion(prompt, w)
		if lead != "" {
			fmt.Fprintln(s.Out, lead)
		}
		prompt = last
	}
	err := survey.AskOne(&survey.Input{Message: prompt}, &ans, survey.WithStdio(in, s.Out, s.Err))
	if err == nil && in.saw && ans == "" {
		return "", ErrNoInput
	}
	switch {
	case errors.Is(err, ErrInterrupted):
		fmt.Fprint(s.Out, "\r\n") // a signal came mid-line: what follows starts afresh
		return "", ErrInterrupted
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
	// Width is the output's width: prompts and options wider than it
	// wrap between words. 0 wraps nothing.
	Width int
}

// NewLines returns a Lines asker reading in and prompting on out.
func NewLines(in io.Reader, out io.Writer) *Lines {
	return &Lines{r: bufio.NewReader(in), out: out}
}

// Ask prints prompt and reads the next line, which it shows after the
// prompt: input that is not a terminal is not echoed, and a transcript
// should read like the session did.
func (l *Lines) Ask(prompt string) (string, error) {
	lead, prompt := splitPrompt(prompt, l.Width, 0)
	if lead != "" {
		fmt.Fprintln(l.out, lead)
	}
	fmt.Fprintf(l.out, "%s ", prompt)
	line, err := l.r.ReadString('\n')
	if err != nil && (line == "" || !errors.Is(err, io.EOF)) {
		fmt.Fprintln(l.out)
		if errors.Is(err, io.EOF) {
			return "", ErrNoInput
		}
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	fmt.Fprintln(l.out, line)
	return line, nil
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

// Chooser lets the learner pick one of several options; it returns the
// option's index. def is the option Enter picks. Errors as for Asker.
type Chooser interface {
	Choose(prompt string, options []string, def int) (int, error)
}

// Choose shows the options as a list to move through with the arrow
// keys and pick with Enter.
func (s Survey) Choose(prompt string, options []string, def int) (int, error) {
	var idx int
	lead, prompt := splitPrompt(prompt, s.width(), surveyMark)
	if lead != "" {
		fmt.Fprintln(s.Out, lead)
	}
	q := &listPrompt{message: prompt, options: options, hint: s.SelectHint, pageSize: min(len(options), 15), sel: def, width: s.width()}
	in := &eotWatch{FileReader: s.In}
	err := survey.AskOne(q, &idx, survey.WithStdio(in, s.Out, s.Err))
	if err == nil && in.saw {
		return 0, ErrNoInput // the list ends on Ctrl-D as on Enter, as survey's Select does
	}
	switch {
	case errors.Is(err, ErrInterrupted):
		fmt.Fprint(s.Out, "\r\n")
		return 0, ErrInterrupted
	case errors.Is(err, terminal.InterruptErr):
		return 0, ErrInterrupted
	case errors.Is(err, io.EOF):
		return 0, ErrNoInput
	case err != nil:
		return 0, err
	}
	return idx, nil
}

// Choose prints the options numbered from 1 and reads a number; Enter
// alone picks def. Anything else is asked again.
func (l *Lines) Choose(prompt string, options []string, def int) (int, error) {
	for i, o := range options {
		line := fmt.Sprintf("  %d. %s", i+1, o)
		if l.Width > 0 {
			line = render.WrapIndent(line, l.Width, len(fmt.Sprintf("  %d. ", i+1)))
		}
		fmt.Fprintln(l.out, line)
	}
	for {
		ans, err := l.Ask(fmt.Sprintf("%s [%d]", prompt, def+1))
		if err != nil {
			return 0, err
		}
		if i, ok := pick(ans, len(options), def); ok {
			return i, nil
		}
	}
}

// pick reads a 1-based choice; blank is def.
func pick(ans string, n, def int) (int, bool) {
	ans = strings.TrimSpace(ans)
	if ans == "" {
		return def, true
	}
	i, err := strconv.Atoi(strings.TrimSuffix(ans, "."))
	if err != nil || i < 1 || i > n {
		return 0, false
	}
	return i - 1, true
}

// Choose takes the next scripted answer as a 1-based number (blank: def).
func (s *Script) Choose(prompt string, options []string, def int) (int, error) {
	for {
		ans, err := s.Ask(prompt)
		if err != nil {
			return 0, err
		}
		if i, ok := pick(ans, len(options), def); ok {
			return i, nil
		}
	}
}
