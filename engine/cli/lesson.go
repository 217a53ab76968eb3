package cli

import (
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"wiretutor/engine/course"
	"wiretutor/engine/course/progress"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/text/render"
)

type lessonFlags struct {
	net         string
	impair      []string
	seed        *uint64 // --seed, or the stopped run's seed on resuming
	noInput     bool
	saveCapture string
	quizJSON    string
	start       int           // resume at this step
	carry       course.Result // the score before it
}

func (a *app) lessonCmd() *cobra.Command {
	var f lessonFlags
	var seed uint64
	var restart bool
	cmd := &cobra.Command{
		Use:     "lesson ID",
		Short:   a.tx.T("cmd.lesson.short", nil),
		Example: "  wiretutor lesson tcp-handshake\n  wiretutor lesson tcp-handshake --no-input --save-capture hs.pcapng --quiz-json hs.json\n  wiretutor lesson tcp-handshake --seed 42 --no-input",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !f.noInput && !restart {
				// An unfinished run continues where the learner quit, with
				// its seed unless another is asked for.
				f.start, f.carry = course.Resume(a.state, args[0])
				f.seed = f.carry.Seed
			}
			if cmd.Flags().Changed("seed") {
				f.seed = &seed
			}
			return a.runLesson(args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&seed, "seed", 0, a.tx.T("flag.seed", nil))
	fl.BoolVar(&restart, "restart", false, a.tx.T("flag.restart", nil))
	fl.StringVar(&f.net, "net", "auto", a.tx.T("flag.net", nil))
	fl.StringArrayVar(&f.impair, "impair", nil, a.tx.T("flag.impair", nil))
	fl.BoolVar(&f.noInput, "no-input", false, a.tx.T("flag.no_input", nil))
	fl.StringVar(&f.saveCapture, "save-capture", "", a.tx.T("flag.save_capture", nil))
	fl.StringVar(&f.quizJSON, "quiz-json", "", a.tx.T("flag.quiz_json", nil))
	return cmd
}

func (a *app) runLesson(id string, f lessonFlags) error {
	l := a.lesson(id)
	if l == nil {
		return errUnknownLesson{id: id}
	}
	n, err := a.pickNetWant(f.net, f.impair, lessonWant(l, f.seed))
	if err != nil {
		return err
	}
	defer n.Close()
	if !f.noInput {
		now := time.Now()
		a.update(func(s *progress.State) { s.Start(id, now) })
		if f.saveCapture == "" {
			f.saveCapture = a.keptCapture(id)
		}
	}
	var asker quiz.Asker
	if !f.noInput {
		asker = a.prompter()
	}
	tm := render.Term{Width: render.DefaultWidth}
	if out, ok := a.env.Stdout.(*os.File); ok {
		tm = render.Detect(out, a.env.Getenv)
	}
	o := course.Options{
		Lang: a.lang, Content: a.content, Net: n.Net, Capture: n.Capture, NoInput: f.noInput,
		SaveCapture: f.saveCapture, QuizJSON: f.quizJSON,
		Asker: asker, Out: a.out(), Term: tm,
		Start: f.start, Carry: f.carry, Seed: n.Seed,
	}
	if !f.noInput && a.terminal() {
		o.View = a.viewRecording
	}
	res, err := course.RunLesson(a.ctx, l, o, a.tx)
	a.record(id, f, res, err)
	return err
}

// keptCapture is where a learner's run of a lesson keeps its capture
// when no --save-capture names a file: <lesson>.pcapng in the captures
// folder beside the progress file (~/.local/state/wiretutor/captures on
// Linux), each run replacing the last one's. The folder is made here,
// private like the progress file's; when it cannot be, the run says so
// as it fails to save.
func (a *app) keptCapture(id string) string {
	dir := filepath.Join(filepath.Dir(a.store.Path), "captures")
	os.MkdirAll(dir, 0o700)
	return filepath.Join(dir, fileName(id)+".pcapng")
}

// fileName is a lesson id as a file name: letters, digits, '-', '_' and
// '.' kept, anything else (a slash of a course file's id) as '_'.
func fileName(id string) string {
	name := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, id)
	if strings.Trim(name, ".") == "" {
		name = strings.ReplaceAll(name, ".", "_")
	}
	return name
}
