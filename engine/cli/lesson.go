package cli

import (
	"os"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"wiretutor/engine/course"
	"wiretutor/engine/course/progress"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/text/render"
)

type lessonFlags struct {
	net         string
	impair      []string
	noInput     bool
	saveCapture string
	quizJSON    string
	start       int           // resume at this step
	carry       course.Result // the score before it
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
	l := a.lesson(id)
	if l == nil {
		return errUnknownLesson{id: id}
	}
	n, err := a.pickNet(f.net, f.impair)
	if err != nil {
		return err
	}
	defer n.close()
	if !f.noInput {
		now := time.Now()
		a.update(func(s *progress.State) { s.Start(id, now) })
	}
	var asker quiz.Asker
	if !f.noInput {
		asker = a.prompter()
	}
	tm := render.Term{Width: render.DefaultWidth}
	if out, ok := a.env.Stdout.(*os.File); ok {
		tm = render.Detect(out, a.env.Getenv)
	}
	res, err := course.RunLesson(a.ctx, l, course.Options{
		Lang: a.lang, Content: a.content, Net: n.net, Capture: n.capture, NoInput: f.noInput,
		SaveCapture: f.saveCapture, QuizJSON: f.quizJSON,
		Asker: asker, Out: a.out(), Term: tm,
		Start: f.start, Carry: f.carry,
	}, a.tx)
	a.record(id, f, res, err)
	return err
}
