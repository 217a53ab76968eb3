package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"wiretutor/engine/course"
	"wiretutor/engine/course/progress"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
	"wiretutor/lessons"
)

// loadPlan builds the course of the content tree (its course.toml) and
// reads --course, or takes every lesson. A broken manifest ends every
// command but `content check`, which reports it with the rest.
func (a *app) loadPlan(path string) error {
	ls, err := lessons.Load(a.content)
	if errors.Is(err, fs.ErrNotExist) && a.contentDir != "" {
		// A content folder from before the manifest: its texts, the
		// built-in course.
		fmt.Fprintln(a.env.Stderr, a.tx.T("notice.no_manifest", map[string]any{"File": lessons.ManifestFile}))
		ls, err = lessons.Load(a.env.Content)
	}
	if err != nil {
		if isContentCheck(a.env.Args) {
			return nil // it checks the manifest itself, and says what is wrong
		}
		return errManifest{path: filepath.Join(dirOrContent(a.contentDir), lessons.ManifestFile), err: err}
	}
	a.lessons = ls
	a.plan = course.Plan{Lessons: ls}
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	pl, own, err := lessons.Plan(data, ls)
	if err != nil {
		return errCourseFile{path: path, err: err}
	}
	a.plan = pl
	// The file's own lessons may bring their texts in the folder beside
	// it: <lang>/<id>.md.
	if len(own) > 0 {
		a.content = course.Overlay(os.DirFS(filepath.Dir(path)), a.content, own)
	}
	return nil
}

// isContentCheck reports whether the arguments run `content check`
// (the values of the flags before the command are not words).
func isContentCheck(args []string) bool {
	var words []string
	for i := 0; i < len(args); i++ {
		switch arg := args[i]; {
		case arg == "--lang" || arg == "--content" || arg == "--course" || arg == "--net":
			i++
		case !strings.HasPrefix(arg, "-"):
			words = append(words, arg)
		}
	}
	return len(words) >= 2 && words[0] == "content" && words[1] == "check"
}

// errCourseFile: the --course file is wrong.
type errCourseFile struct {
	path string
	err  error
}

func (e errCourseFile) Error() string { return e.path + ": " + e.err.Error() }
func (e errCourseFile) Unwrap() error { return e.err }

// lesson returns the lesson with the id, or nil: one of the course
// file's own, else one of the course's.
func (a *app) lesson(id string) *course.Lesson {
	if l := a.plan.Find(id); l != nil {
		return l
	}
	return lessons.Find(a.lessons, id)
}

// courseTitle is the course file's title, or the course's own name.
func (a *app) courseTitle() string {
	if a.plan.Title != "" {
		return a.plan.Title
	}
	return a.tx.T("menu.title", nil)
}

// lessonTitle is a lesson's title in the learner's language.
func (a *app) lessonTitle(id string) string {
	d, _, err := course.LoadDoc(a.content, a.lang, id)
	if err != nil || d.Title == "" {
		return id
	}
	return d.Title
}

// update changes the learner's progress in the file, under its lock and
// on top of what another running wiretutor may have written meanwhile,
// and keeps the result. A failure is told, never fatal: the change is
// kept in memory. A progress path already refused as no regular file is
// not tried again.
func (a *app) update(change func(*progress.State)) {
	if a.progressOff {
		change(a.state)
		return
	}
	s, err := a.store.Update(change)
	if err != nil {
		change(a.state)
		fmt.Fprintln(a.env.Stderr, a.tx.T("progress.save_failed", map[string]any{"Err": err.Error()}))
		return
	}
	a.state = s
}

// progressProblem says what happened to a progress file that could not
// be read.
func (a *app) progressProblem(err error) string {
	var (
		ce *progress.CorruptError
		nr *progress.NotRegularError
	)
	switch {
	case errors.As(err, &nr):
		return a.tx.T("progress.not_regular", map[string]any{"Path": nr.Path})
	case errors.As(err, &ce) && errors.Is(err, progress.ErrNewer):
		return a.tx.T("progress.newer", map[string]any{"Path": ce.Path, "Aside": ce.SetAside})
	case errors.As(err, &ce) && ce.SetAside == "":
		return a.tx.T("progress.corrupt_stuck", map[string]any{"Path": ce.Path, "Err": ce.Err.Error()})
	case errors.As(err, &ce):
		return a.tx.T("progress.corrupt", map[string]any{"Path": ce.Path, "Aside": ce.SetAside, "Err": ce.Err.Error()})
	}
	return a.tx.T("progress.unreadable", map[string]any{"Err": err.Error()})
}

// status words a lesson's record for the menu and the list.
func (a *app) status(id string) string {
	r := a.state.Lesson(id)
	switch {
	case r == nil:
		return a.tx.T("status.new", nil)
	case r.Done && r.Step > 0:
		return a.tx.T("status.done_again", map[string]any{"Score": r.Score, "Total": r.Total})
	case r.Done:
		return a.tx.T("status.done", map[string]any{"Score": r.Score, "Total": r.Total})
	}
	return a.tx.T("status.in_progress", nil)
}

// menu is `wiretutor` alone: the first time a welcome and a language
// choice, then the lessons with their progress, until the learner quits.
func (a *app) menu(cmd *cobra.Command) error {
	if done, err := a.menuPrivate(); done {
		return err // the menu ran in the private namespace
	}
	width := a.term().Width
	if a.state.Lang == "" && a.langFlag == "" {
		fmt.Fprintln(a.out(), render.Wrap(a.tx.T("welcome", nil), width))
		fmt.Fprintln(a.out())
		if err := a.chooseLanguage(); err != nil {
			return quitMenu(err)
		}
	}
	for {
		if err := a.ctx.Err(); err != nil {
			return err
		}
		fmt.Fprintln(a.out())
		fmt.Fprintln(a.out(), render.Wrap(a.courseTitle(), width))
		fmt.Fprintln(a.out(), render.Wrap(a.tx.N("menu.progress", len(a.plan.Lessons), map[string]any{"Done": a.plan.Done(a.state)}), width))
		var opts []string
		var acts []func() error
		if nl := a.plan.Next(a.state); nl != nil {
			id := nl.ID
			word := "menu.start"
			if r := a.state.Lesson(id); r != nil {
				word = "menu.continue"
			}
			opts = append(opts, a.tx.T(word, map[string]any{"Title": a.lessonTitle(id)}))
			acts = append(acts, func() error { return a.pickRun(id) })
		} else {
			fmt.Fprintln(a.out(), render.Wrap(a.tx.T("menu.all_done", nil), width))
		}
		for _, l := range a.plan.Lessons {
			id := l.ID
			opts = append(opts, a.tx.T("menu.lesson", map[string]any{"Title": a.lessonTitle(id), "Status": a.status(id)}))
			acts = append(acts, func() error { return a.pickRun(id) })
		}
		opts = append(opts, a.tx.T("menu.language", map[string]any{"Name": a.languageName(a.lang)}))
		acts = append(acts, a.chooseLanguage)
		opts = append(opts, a.tx.T("menu.quit", nil))
		acts = append(acts, func() error { return errMenuQuit })
		fmt.Fprintln(a.out())
		i, err := a.prompter().Choose(a.tx.T("menu.prompt", nil), opts, 0)
		if err == nil {
			err = acts[i]()
		}
		switch {
		case errors.Is(err, course.ErrQuit):
			fmt.Fprintln(a.out(), render.Wrap(a.tx.T("nav.quit", nil), width))
		case err != nil:
			return quitMenu(err)
		}
	}
}

// errMenuQuit: the learner picked Quit.
var errMenuQuit = errors.New("quit the menu")

// quitMenu turns the ways of leaving the menu into a goodbye.
func quitMenu(err error) error {
	if errors.Is(err, errMenuQuit) || errors.Is(err, quiz.ErrNoInput) || errors.Is(err, quiz.ErrInterrupted) {
		return errBye{}
	}
	return err
}

// errBye: the learner left the course; the progress is kept.
type errBye struct{}

func (errBye) Error() string { return "bye" }

// languageName is a language's name in itself ("Русский").
func (a *app) languageName(lang string) string {
	if lang == a.lang && (a.tx.Translated("language.name") || lang == "en") {
		return a.tx.T("language.name", nil) // the catalog in use already has it
	}
	tx, err := i18n.Load(a.content, lang)
	if err != nil || !tx.Translated("language.name") && lang != "en" {
		return lang
	}
	return tx.T("language.name", nil)
}

// chooseLanguage asks for the language, switches to it and saves it.
func (a *app) chooseLanguage() error {
	langs := i18n.Available(a.content)
	names := make([]string, len(langs))
	for i, l := range langs {
		names[i] = a.languageName(l)
	}
	def := max(slices.Index(langs, a.lang), 0)
	i, err := a.prompter().Choose(a.tx.T("menu.choose_language", nil), names, def)
	if err != nil {
		return err
	}
	tx, err := i18n.Load(a.content, langs[i])
	if err != nil {
		return err
	}
	a.lang, a.tx = langs[i], tx
	lang := a.lang
	a.update(func(s *progress.State) { s.Lang = lang })
	fmt.Fprintln(a.out(), render.Wrap(a.tx.T("menu.language_saved", map[string]any{"Name": names[i]}), a.term().Width))
	return nil
}

// pickRun runs the lesson the learner picked from the menu. A lesson
// whose text invites a run with a packet lost (see lostFrame) asks
// which run once the learner has begun it: as usual (continuing where
// they stopped), or from the start in the sandbox with that packet
// lost. A lesson not yet begun just runs: its text tells of the other.
func (a *app) pickRun(id string) error {
	frame := lostFrame(a.lesson(id))
	if frame == 0 || a.state.Lesson(id) == nil {
		return a.takeLesson(id, true)
	}
	usual := "run.lose.usual"
	if start, _ := course.Resume(a.state, id); start > 0 {
		usual = "run.lose.continue"
	}
	opts := []string{a.tx.T(usual, nil), a.tx.T("run.lose.lost", map[string]any{"Frame": frame})}
	i, err := a.prompter().Choose(a.tx.T("run.lose.how", nil), opts, 0)
	if err != nil {
		return err
	}
	if i == 0 {
		return a.takeLesson(id, true)
	}
	a.say(a.tx.T("run.lose.network", map[string]any{"Frame": frame}))
	return a.runLesson(id, lessonFlags{net: course.NetSandbox, impair: []string{"drop=" + strconv.Itoa(frame)}})
}

// takeLesson runs a lesson for the learner and records how far they got;
// resume continues an unfinished run where it stopped.
func (a *app) takeLesson(id string, resume bool) error {
	f := lessonFlags{net: a.menuNet}
	if resume {
		f.start, f.carry = course.Resume(a.state, id)
		f.seed = f.carry.Seed // the same capture again, if it had a seed
	}
	return a.runLesson(id, f)
}

// record saves a lesson run's outcome.
func (a *app) record(id string, f lessonFlags, res course.Result, err error) {
	if f.noInput {
		return // an instructor's run, not the learner's
	}
	if change := course.Outcome(id, res, err, a.ctx.Err() != nil, time.Now()); change != nil {
		a.update(change)
	}
}
