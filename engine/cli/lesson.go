package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"wiretutor/engine/capture"
	"wiretutor/engine/course"
	"wiretutor/engine/netenv"
	"wiretutor/engine/quiz"
	"wiretutor/engine/render"
)

func (a *app) lessonsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "lessons",
		Short: a.tx.T("cmd.lessons.short", nil),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for i, l := range a.env.Lessons {
				d, _, err := course.LoadDoc(a.content, a.lang, l.ID)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.out(), "%2d. %-16s %s\n", i+1, l.ID, d.Title)
			}
			return nil
		},
	}
}

type lessonFlags struct {
	net         string
	noInput     bool
	saveCapture string
	quizJSON    string
}

func (a *app) lessonCmd() *cobra.Command {
	var f lessonFlags
	cmd := &cobra.Command{
		Use:     "lesson ID",
		Short:   a.tx.T("cmd.lesson.short", nil),
		Example: "  wiretutor lesson tcp-handshake\n  wiretutor lesson tcp-handshake --no-input --save-capture hs.pcapng --quiz-json hs.json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runLesson(args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.net, "net", "auto", a.tx.T("flag.net", nil))
	fl.BoolVar(&f.noInput, "no-input", false, a.tx.T("flag.no_input", nil))
	fl.StringVar(&f.saveCapture, "save-capture", "", a.tx.T("flag.save_capture", nil))
	fl.StringVar(&f.quizJSON, "quiz-json", "", a.tx.T("flag.quiz_json", nil))
	return cmd
}

// startCourse is `wiretutor` alone: a welcome, then the first lesson.
func (a *app) startCourse(cmd *cobra.Command) error {
	fmt.Fprintln(a.out(), render.Wrap(a.tx.T("welcome", nil), a.term().Width))
	fmt.Fprintln(a.out())
	if len(a.env.Lessons) == 0 {
		return nil
	}
	return a.runLesson(a.env.Lessons[0].ID, lessonFlags{net: "auto"})
}

// pickNet resolves --net. Kernel mode needs the right to capture.
func (a *app) pickNet(choice string) (netenv.Net, error) {
	switch choice {
	case "auto", "kernel":
		if err := capture.CanCapture(); err != nil {
			return nil, err
		}
		if choice == "auto" {
			fmt.Fprintln(a.out(), a.tx.T("net.auto_kernel", nil))
		}
		return netenv.Kernel{}, nil
	}
	return nil, errBadValue{flag: "--net", value: choice, want: "auto, kernel"}
}

func (a *app) runLesson(id string, f lessonFlags) error {
	var l *course.Lesson
	for _, x := range a.env.Lessons {
		if x.ID == id {
			l = x
		}
	}
	if l == nil {
		return errUnknownLesson{id: id}
	}
	n, err := a.pickNet(f.net)
	if err != nil {
		return err
	}
	tty := term.IsTerminal(int(a.env.Stdin.Fd()))
	var asker quiz.Asker
	switch {
	case f.noInput:
	case tty:
		asker = quiz.Survey{In: a.env.Stdin, Out: os.Stdout, Err: os.Stderr}
	default:
		asker = quiz.NewLines(a.env.Stdin, a.out())
	}
	tm := render.Term{Width: render.DefaultWidth}
	if out, ok := a.env.Stdout.(*os.File); ok {
		tm = render.Detect(out, a.env.Getenv)
	}
	res, err := course.RunLesson(a.ctx, l, course.Options{
		Lang: a.lang, Content: a.content, Net: n, NoInput: f.noInput,
		SaveCapture: f.saveCapture, QuizJSON: f.quizJSON,
		Asker: asker, Out: a.out(), Term: tm,
	}, a.tx)
	if errors.Is(err, course.ErrQuit) {
		return err
	}
	if err != nil {
		return err
	}
	_ = res
	return nil
}
