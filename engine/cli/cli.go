// Package cli is wiretutor's command line: the commands of DESIGN.md's
// CLI contract, their flags, and the translation of every error into a
// sentence in the learner's language. main passes in the lessons, so
// this package depends on none of them.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"wiretutor/engine/course"
	"wiretutor/engine/course/progress"
	"wiretutor/engine/net/nsenter"
	"wiretutor/engine/text/i18n"
)

// Env is what the command line runs with: the process's streams,
// environment and the course's lessons and content.
type Env struct {
	Args    []string
	Stdin   *os.File
	Stdout  io.Writer
	Stderr  io.Writer
	Getenv  func(string) string
	Content fs.FS // the embedded content, course.toml included
}

// app is one invocation.
type app struct {
	env      Env
	tx       *i18n.Catalog
	lang     string
	langFlag string
	content  fs.FS
	// contentDir is --content, "" for the embedded content.
	contentDir string
	ctx        context.Context
	store      *progress.Store
	state      *progress.State
	lessons    []*course.Lesson // the course of the content tree
	plan       course.Plan
	ask        prompter    // how the learner is asked, chosen at the first prompt
	closers    []io.Closer // files opened for prompts, closed at the end
	menuNet    string      // --net of the menu's lessons
	// progressOff: the progress path is no regular file; progress is kept
	// in memory only, and the learner was told so once.
	progressOff bool
}

// Exit codes.
const (
	ExitOK        = 0
	ExitError     = 1
	ExitInterrupt = 130 // ended by SIGINT
	// ExitHangup: ended by SIGHUP, the terminal closed.
	ExitHangup = 129
	// ExitTerminated: ended by SIGTERM.
	ExitTerminated = 143
)

// Run runs the command line and returns the exit code.
func Run(env Env) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 1)
	// SIGHUP too: a closed terminal window keeps the learner's place, as
	// q and Ctrl-C do.
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	var got atomic.Value // the signal that ended the run
	go func() {
		select {
		case s := <-sigs:
			got.Store(s)
			cancel()
			// A second signal takes the default action: if cleaning up
			// ever hangs, Ctrl-C again still ends the program.
			signal.Stop(sigs)
		case <-ctx.Done():
		}
	}()
	a := &app{env: env, ctx: ctx}
	defer func() {
		for _, c := range a.closers {
			c.Close()
		}
	}()

	// The language and content folder are needed before cobra builds
	// the (translated) help, so read them from the arguments first.
	langFlag, contentDir, coursePath := preScan(env.Args)
	a.langFlag = langFlag
	a.content = env.Content
	if contentDir != "" {
		a.content = os.DirFS(contentDir)
		a.contentDir = contentDir
	}
	a.store = &progress.Store{Path: progress.DefaultPath(env.Getenv)}
	state, stateErr := a.store.Load()
	if state == nil {
		state = progress.New()
	}
	a.state = state
	have := i18n.Available(a.content)
	a.lang = i18n.Detect(langFlag, state.Lang, env.Getenv, have)
	tx, err := i18n.Load(a.content, a.lang)
	if err != nil {
		// A broken ui.toml in --content: say so with the embedded English.
		en, enErr := i18n.Load(env.Content, "en")
		if enErr != nil {
			fmt.Fprintln(env.Stderr, "wiretutor:", err)
			return ExitError
		}
		fmt.Fprintln(env.Stderr, en.T("error.content", map[string]any{"Err": err.Error()}))
		return ExitError
	}
	a.tx = tx
	// A child run in the private namespace: its parent said the notices.
	said := nsenter.Inside()
	for _, n := range tx.Notices() {
		if !said {
			fmt.Fprintln(env.Stderr, n)
		}
	}
	if langFlag != "" && i18n.Normalize(langFlag, have) == "" {
		fmt.Fprintln(env.Stderr, tx.T("error.language", map[string]any{"Lang": langFlag, "Have": a.languageList(have)}))
		return ExitError
	}
	if stateErr != nil && !said {
		a.say(a.progressProblem(stateErr))
	}
	if stateErr != nil {
		a.progressOff = errors.As(stateErr, new(*progress.NotRegularError))
	}
	if err := a.loadPlan(coursePath); err != nil {
		a.say(a.explain(err))
		return ExitError
	}

	root := a.root()
	root.SetArgs(env.Args)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetIn(env.Stdin)
	err = root.ExecuteContext(ctx)
	var status exitStatus
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &status):
		return int(status)
	case ctx.Err() != nil:
		// A signal, whatever the lesson or prompt made of it: the shell's
		// 128 + its number (130 for Ctrl-C, 143 for SIGTERM).
		a.say(a.tx.T("error.interrupted", nil))
		if s, ok := got.Load().(syscall.Signal); ok && s == syscall.SIGTERM {
			return ExitTerminated
		}
		if s, ok := got.Load().(syscall.Signal); ok && s == syscall.SIGHUP {
			return ExitHangup
		}
		return ExitInterrupt
	case errors.Is(err, course.ErrQuit):
		a.say(a.tx.T("nav.quit", nil))
		return ExitOK
	case errors.As(err, &errBye{}):
		a.say(a.tx.T("menu.bye", nil))
		return ExitOK
	case errors.Is(err, context.Canceled):
		a.say(a.tx.T("error.interrupted", nil))
		return ExitInterrupt
	}
	if msg := err.Error(); strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "accepts ") ||
		strings.HasPrefix(msg, "requires ") || strings.HasPrefix(msg, "invalid argument") {
		err = usageError{err} // cobra's own words: say so in the user's language
	}
	a.say(a.explain(err))
	return ExitError
}

// languageList names each language by its code, which --lang takes,
// and its name in itself: "en — English, ru — Русский, zh — 中文".
func (a *app) languageList(have []string) string {
	out := make([]string, len(have))
	for i, l := range have {
		out[i] = l
		if name := a.languageName(l); name != l {
			out[i] = l + " — " + name
		}
	}
	return strings.Join(out, ", ")
}

// preScan finds --lang, --content and --course in args without parsing
// the rest.
func preScan(args []string) (lang, content, courseFile string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		for _, name := range []string{"--lang", "--content", "--course"} {
			var v string
			switch {
			case a == name && i+1 < len(args):
				v = args[i+1]
			case strings.HasPrefix(a, name+"="):
				v = a[len(name)+1:]
			default:
				continue
			}
			switch name {
			case "--lang":
				lang = v
			case "--content":
				content = v
			default:
				courseFile = v
			}
		}
	}
	return lang, content, courseFile
}

// usageError is a mistake in how a command was called; cobra's own
// messages are English, so they are wrapped in a translated sentence.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func (a *app) root() *cobra.Command {
	t := a.tx
	root := &cobra.Command{
		Use:           "wiretutor",
		Short:         t.T("cmd.root.short", nil),
		Long:          t.T("cmd.root.long", nil),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.menu(cmd)
		},
	}
	root.Flags().StringVar(&a.menuNet, "net", "auto", t.T("flag.net", nil))
	root.PersistentFlags().String("lang", "", t.T("flag.lang", nil))
	root.PersistentFlags().String("content", "", t.T("flag.content", nil))
	root.PersistentFlags().String("course", "", t.T("flag.course", nil))
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.SetHelpCommand(&cobra.Command{Hidden: true})
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetUsageFunc(a.usage)
	root.SetHelpFunc(func(c *cobra.Command, _ []string) { _ = a.usage(c) })
	root.InitDefaultHelpFlag()
	root.Flags().Lookup("help").Usage = t.T("flag.help", nil)
	root.Version = a.versionLine()
	root.SetVersionTemplate("{{.Version}}\n")
	root.InitDefaultVersionFlag()
	root.Flags().Lookup("version").Usage = t.T("flag.version", nil)
	root.AddCommand(a.lessonsCmd(), a.lessonCmd(), a.serveCmd(), a.captureCmd(), a.readCmd(), a.flowCmd(), a.followCmd(), a.socketsCmd(), a.chatCmd(), a.gameCmd(), a.pingCmd(), a.getCmd(), a.sendCmd(), a.graphCmd(), a.viewCmd(),
		a.resetCmd(), a.reportCmd(), a.checkCmd(), a.verifyCmd(), a.contentCmd())
	a.translateDefaults(root)
	// The usage line's "[flags]" is cobra's English: the template says it
	// in the user's language instead.
	root.DisableFlagsInUseLine = true
	for _, c := range root.Commands() {
		c.DisableFlagsInUseLine = true
		for _, sub := range c.Commands() {
			sub.DisableFlagsInUseLine = true
		}
		c.InitDefaultHelpFlag()
		if f := c.Flags().Lookup("help"); f != nil {
			f.Usage = t.T("flag.help", nil)
		}
		c.SilenceUsage = true
	}
	return root
}

// translateDefaults moves each flag's default into its help text in the
// user's language: pflag would append an English "(default …)".
func (a *app) translateDefaults(cmd *cobra.Command) {
	fix := func(f *pflag.Flag) {
		switch f.DefValue {
		case "", "0", "false", "[]", "0s", "<nil>":
			return
		}
		v := f.DefValue
		if f.Value.Type() == "string" {
			v = strconv.Quote(v)
		}
		f.Usage += a.tx.T("help.default", map[string]any{"Value": v})
		// A zero default is one pflag leaves out of the help.
		switch f.Value.Type() {
		case "string":
			f.DefValue = ""
		case "bool":
			f.DefValue = "false"
		case "duration":
			f.DefValue = "0s"
		case "stringArray", "stringSlice", "intSlice":
			f.DefValue = "[]"
		default:
			f.DefValue = "0"
		}
	}
	cmd.Flags().VisitAll(fix)
	cmd.PersistentFlags().VisitAll(fix)
	for _, c := range cmd.Commands() {
		a.translateDefaults(c)
	}
}

func (a *app) out() io.Writer { return a.env.Stdout }
