package cli

import (
	"io"
	"os"

	"golang.org/x/term"

	"wiretutor/engine/course/quiz"
	"wiretutor/engine/text/render"
)

// prompter asks the learner a question or a choice.
type prompter interface {
	quiz.Asker
	quiz.Chooser
}

// prompter is how this invocation asks: survey's line editor and
// arrow-key lists when standard input is a terminal and there is a
// terminal to draw on, numbered lines otherwise; the choice and the
// reader are made once, the wording (the list's hint) follows the
// language in use. Prompts never go into a file standard output was sent
// to: they are drawn on standard error, or on the process's terminal,
// when that is where the learner is; only when no terminal can be
// written do they join the output. Every read is interruptible, so a
// signal ends any prompt at once.
func (a *app) prompter() prompter {
	if a.ask == nil {
		in := quiz.NewInput(a.ctx, a.env.Stdin)
		lines := quiz.NewLines(in, a.out())
		lines.Width = a.term().Width
		a.ask = lines
		if term.IsTerminal(int(a.env.Stdin.Fd())) {
			if tty := a.promptTerminal(); tty != nil {
				a.ask = quiz.Survey{In: in, Out: tty, Err: tty, Width: render.Detect(tty, a.env.Getenv).Width}
			}
		}
	}
	if s, ok := a.ask.(quiz.Survey); ok {
		s.SelectHint = a.tx.T("menu.select_hint", nil)
		return s
	}
	return a.ask
}

// promptTerminal is the terminal prompts are drawn on: standard output
// when it is one, else standard error, else the controlling terminal;
// nil when there is none.
func (a *app) promptTerminal() *os.File {
	for _, w := range []io.Writer{a.env.Stdout, a.env.Stderr} {
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			return f
		}
	}
	if f, err := openTTY(); err == nil {
		if term.IsTerminal(int(f.Fd())) {
			a.closers = append(a.closers, f)
			return f
		}
		f.Close()
	}
	return nil
}
