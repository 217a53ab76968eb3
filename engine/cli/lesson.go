package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"wiretutor/engine/capture"
	"wiretutor/engine/course"
	"wiretutor/engine/filter"
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
	impair      []string
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
	fl.StringArrayVar(&f.impair, "impair", nil, a.tx.T("flag.impair", nil))
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

// network is where a lesson runs: the Net, how to capture on it, and
// what to release afterwards.
type network struct {
	net     netenv.Net
	capture func(course.Ports) (course.LiveSource, error)
	close   func()
}

// pickNet resolves --net and --impair. auto takes the kernel when this
// process may capture and nothing is to be impaired, else the sandbox,
// and says which.
func (a *app) pickNet(choice string, impair []string) (*network, error) {
	imp, err := netenv.ParseImpairments(impair)
	if err != nil {
		return nil, err
	}
	switch choice {
	case "auto", "kernel", "sandbox":
	default:
		return nil, errBadValue{flag: "--net", value: choice, want: "auto, kernel, sandbox"}
	}
	if choice == "kernel" && imp.Active() {
		return nil, errImpairKernel{}
	}
	capErr := capture.CanCapture()
	if choice == "kernel" && capErr != nil {
		return nil, capErr
	}
	if choice == "kernel" || choice == "auto" && capErr == nil && !imp.Active() {
		if choice == "auto" {
			a.say(a.tx.T("net.auto_kernel", nil))
		}
		return &network{net: netenv.Kernel{}, capture: course.LiveLoopback, close: func() {}}, nil
	}
	sb, err := netenv.NewSandbox(imp)
	if err != nil {
		return nil, err
	}
	switch {
	case choice == "sandbox":
	case imp.Active():
		a.say(a.tx.T("net.auto_sandbox_impair", nil))
	case runtime.GOOS == "linux":
		a.say(a.tx.T("net.auto_sandbox_linux", map[string]any{"Exe": exePath()}))
	default:
		a.say(a.tx.T("net.auto_sandbox", nil))
	}
	open := func(p course.Ports) (course.LiveSource, error) {
		prog, err := filter.CompileCapture(course.CaptureFilter(p), capture.MaxFrame)
		if err != nil {
			return nil, err
		}
		return capture.NewTapSource(sb, prog)
	}
	return &network{net: sb, capture: open, close: func() { sb.Close() }}, nil
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
	n, err := a.pickNet(f.net, f.impair)
	if err != nil {
		return err
	}
	defer n.close()
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
		Lang: a.lang, Content: a.content, Net: n.net, Capture: n.capture, NoInput: f.noInput,
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
