package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"wiretutor/engine/course"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/graph"
	"wiretutor/engine/view/explorer"
	"wiretutor/engine/view/explorerscreen"
)

// errNoTerminal: a full-screen command run without a terminal; file is
// the capture it was to show, "" for a live capture.
type errNoTerminal struct{ file string }

func (e errNoTerminal) Error() string { return "not a terminal" }

// Message points to the command that prints the capture instead.
func (e errNoTerminal) Message() (string, map[string]any) {
	if e.file == "" {
		return "error.no_terminal_live", nil
	}
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
	x, err := explorer.Open(explorer.File(path))
	if err != nil {
		return err
	}
	c, err := explorer.NewCursor(explorer.File(path))
	if err != nil {
		x.Close()
		return err
	}
	m := explorerscreen.New(a.ctx, x, c, a.viewOptions(filepath.Base(path), mouse))
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
		x, err := explorer.Open(explorer.File(path))
		if err != nil {
			return err
		}
		c, err := explorer.NewCursor(explorer.File(path))
		if err != nil {
			x.Close()
			return err
		}
		m := explorerscreen.New(ctx, x, c, a.viewOptions(a.tx.T("view.lesson_capture", nil), true))
		defer m.Close()
		return explorerscreen.Run(ctx, m, a.env.Stdin, a.env.Stdout)
	}()
	if err != nil {
		fmt.Fprintln(a.env.Stderr, a.explain(err))
	}
}

// captureView captures live into the explorer, full screen: the list
// grows as frames come, display filters apply to the frames still to
// come, and -w keeps the capture in a file as well. The capture stops at
// -c, at -a's duration or when the learner leaves the explorer, which
// then says, as capture does, how many frames it captured.
func (a *app) captureView(live liveSource, iface, display, write string, count int, dur time.Duration) error {
	var w *capture.Writer
	var err error
	if write != "" {
		if w, err = capture.Create(write, live.LinkType(), iface); err != nil {
			return err
		}
		defer w.Abort() // no-op after a successful Close
	}
	g := explorer.NewGrowing(iface, live.LinkType(), 9)
	type result struct {
		n   int
		err error
	}
	captured := make(chan result, 1)
	go func() {
		n := 0
		var err error
		for count == 0 || n < count {
			data, ci, rerr := live.ReadPacketData()
			if rerr != nil {
				if !errors.Is(rerr, os.ErrClosed) {
					err = rerr
				}
				break
			}
			n++
			g.Add(ci, data)
			if w != nil {
				if err = w.WritePacket(ci, data); err != nil {
					break
				}
			}
		}
		g.End(err)
		captured <- result{n, err}
	}()
	stopCapture := func() {}
	if dur > 0 {
		t := time.AfterFunc(dur, func() { live.Close() })
		stopCapture = func() { t.Stop() }
	}
	x, err := explorer.Open(g)
	if err != nil {
		live.Close()
		<-captured
		return err
	}
	c, err := explorer.NewCursor(g)
	if err != nil {
		x.Close()
		live.Close()
		<-captured
		return err
	}
	opt := a.viewOptions(a.tx.T("view.live", map[string]any{"Interface": iface}), true)
	opt.Filter = display
	m := explorerscreen.New(a.ctx, x, c, opt)
	verr := explorerscreen.Run(a.ctx, m, a.env.Stdin, a.env.Stdout)
	m.Close()
	stopCapture()
	live.Close()
	res := <-captured
	if w != nil {
		if cerr := w.Close(); res.err == nil {
			res.err = cerr
		}
	}
	_, dropped, _ := live.Stats()
	a.say(a.tx.N("capture.done", res.n, map[string]any{"Dropped": dropped}))
	if verr != nil {
		return verr
	}
	return res.err
}

// viewOptions are the explorer's options, the capture named name.
func (a *app) viewOptions(name string, mouse bool) explorerscreen.Options {
	return explorerscreen.Options{Texts: a.tx, Explain: a.explain, Mouse: mouse, Name: name,
		Graph: func(s *graph.Series, kind graph.Kind, width int) []string {
			return course.GraphLines(a.tx, s, kind, width)
		}}
}
