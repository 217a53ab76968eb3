package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gopacket/gopacket"
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
	return a.explore(a.ctx, explorer.File(path), a.viewOptions(filepath.Base(path), mouse))
}

// explore shows capture c in the explorer until the reader leaves it.
func (a *app) explore(ctx context.Context, c explorer.Capture, opt explorerscreen.Options) error {
	x, err := explorer.Open(c)
	if err != nil {
		return err
	}
	cur, err := explorer.NewCursor(c)
	if err != nil {
		x.Close()
		return err
	}
	m := explorerscreen.New(ctx, x, cur, opt)
	defer m.Close()
	return explorerscreen.Run(ctx, m, a.env.Stdin, a.env.Stdout)
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
		return a.explore(ctx, explorer.File(path), a.viewOptions(a.tx.T("view.lesson_capture", nil), true))
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
		n, err := pump(live, count, func(ci gopacket.CaptureInfo, data []byte) error {
			g.Add(ci, data)
			if w != nil {
				return w.WritePacket(ci, data)
			}
			return nil
		})
		g.End(err)
		captured <- result{n, err}
	}()
	if dur > 0 {
		t := time.AfterFunc(dur, func() { live.Close() })
		defer t.Stop()
	}
	opt := a.viewOptions(a.tx.T("view.live", map[string]any{"Interface": iface}), true)
	opt.Filter = display
	verr := a.explore(a.ctx, g, opt)
	live.Close() // the learner left: the capture ends
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

// pump hands fn each frame live captures, up to count of them (0: no
// bound), until the source is closed, a read fails or fn does; it
// returns how many it handed on and the failure, none for a close.
func pump(live liveSource, count int, fn func(ci gopacket.CaptureInfo, data []byte) error) (int, error) {
	n := 0
	for count == 0 || n < count {
		data, ci, err := live.ReadPacketData()
		if err != nil {
			if errors.Is(err, os.ErrClosed) {
				return n, nil
			}
			return n, err
		}
		n++
		if err := fn(ci, data); err != nil {
			return n, err
		}
	}
	return n, nil
}

// viewOptions are the explorer's options, the capture named name.
func (a *app) viewOptions(name string, mouse bool) explorerscreen.Options {
	return explorerscreen.Options{Texts: a.tx, Explain: a.explain, Mouse: mouse, Name: name,
		Graph: func(s *graph.Series, kind graph.Kind, width int) []string {
			return course.GraphLines(a.tx, s, kind, width)
		}}
}
