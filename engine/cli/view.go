package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/view/explorer"
	"wiretutor/engine/view/explorerscreen"
)

// errNoTerminal: a full-screen command run without a terminal.
type errNoTerminal struct{ file string }

func (e errNoTerminal) Error() string { return "not a terminal" }

// Message points to the command that prints the capture instead.
func (e errNoTerminal) Message() (string, map[string]any) {
	return "error.no_terminal", map[string]any{"File": e.file}
}

func (a *app) viewCmd() *cobra.Command {
	var noMouse bool
	cmd := &cobra.Command{
		Use:     "view FILE",
		Short:   a.tx.T("cmd.view.short", nil),
		Long:    a.tx.T("cmd.view.long", nil),
		Example: "  wiretutor view hs.pcapng\n  wiretutor view --no-mouse hs.pcapng",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.view(args[0], !noMouse)
		},
	}
	cmd.Flags().BoolVar(&noMouse, "no-mouse", false, a.tx.T("flag.no_mouse", nil))
	return cmd
}

// terminal reports whether standard input and output are a terminal.
func (a *app) terminal() bool {
	f, ok := a.env.Stdout.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && term.IsTerminal(int(a.env.Stdin.Fd()))
}

// view opens the explorer on a capture file, full screen.
func (a *app) view(path string, mouse bool) error {
	if !a.terminal() {
		return errNoTerminal{file: path}
	}
	x, err := explorer.Open(path)
	if err != nil {
		return err
	}
	c, err := explorer.NewCursor(path)
	if err != nil {
		x.Close()
		return err
	}
	m := explorerscreen.New(a.ctx, x, c, explorerscreen.Options{Texts: a.tx, Explain: a.explain, Mouse: mouse, Name: filepath.Base(path)})
	defer m.Close()
	return explorerscreen.Run(a.ctx, m, a.env.Stdin, a.env.Stdout)
}

// viewRecording opens a lesson's capture in the explorer: written to a
// private temporary file, removed when the learner leaves. What goes
// wrong is told on the terminal; the lesson goes on.
func (a *app) viewRecording(ctx context.Context, rec *capture.Recording) {
	err := func() error {
		dir, err := os.MkdirTemp("", "wiretutor-view-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "capture.pcapng")
		if err := capture.WritePrivateFile(path, rec, capture.Loopback); err != nil {
			return err
		}
		x, err := explorer.Open(path)
		if err != nil {
			return err
		}
		c, err := explorer.NewCursor(path)
		if err != nil {
			x.Close()
			return err
		}
		m := explorerscreen.New(ctx, x, c, explorerscreen.Options{Texts: a.tx, Explain: a.explain, Mouse: true,
			Name: a.tx.T("view.lesson_capture", nil)})
		defer m.Close()
		return explorerscreen.Run(ctx, m, a.env.Stdin, a.env.Stdout)
	}()
	if err != nil {
		fmt.Fprintln(a.env.Stderr, a.explain(err))
	}
}
