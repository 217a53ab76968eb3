package cli

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/text/render"
)

func (a *app) captureCmd() *cobra.Command {
	var iface, cfilter, display, write, autostop string
	var count int
	var view bool
	cmd := &cobra.Command{
		Use:     "capture",
		Short:   a.tx.T("cmd.capture.short", nil),
		Example: "  wiretutor capture -f \"tcp port 10000 or udp port 10001\"\n  wiretutor capture -w echo.pcapng -a duration:10\n  wiretutor capture --view -f \"tcp port 10000\"",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.capture(iface, cfilter, display, write, count, autostop, view)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&iface, "interface", "i", capture.Loopback, a.tx.T("flag.interface", nil))
	fl.StringVarP(&cfilter, "capture-filter", "f", "", a.tx.T("flag.capture_filter", nil))
	fl.StringVarP(&display, "display-filter", "Y", "", a.tx.T("flag.display_filter", nil))
	fl.StringVarP(&write, "write", "w", "", a.tx.T("flag.write", nil))
	fl.IntVarP(&count, "count", "c", 0, a.tx.T("flag.count", nil))
	fl.StringVarP(&autostop, "autostop", "a", "", a.tx.T("flag.autostop", nil))
	fl.BoolVar(&view, "view", false, a.tx.T("flag.capture_view", nil))
	return cmd
}

// parseAutostop reads tshark's "-a duration:S".
func parseAutostop(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	v, ok := strings.CutPrefix(s, "duration:")
	if ok {
		if secs, err := strconv.ParseFloat(v, 64); err == nil && secs > 0 {
			return time.Duration(secs * float64(time.Second)), nil
		}
	}
	return 0, errBadValue{flag: "-a", value: s, want: "duration:SECONDS"}
}

func (a *app) term() render.Term {
	if f, ok := a.env.Stdout.(*os.File); ok {
		return render.Detect(f, a.env.Getenv)
	}
	t := render.Term{Width: render.DefaultWidth}
	if c, err := strconv.Atoi(a.env.Getenv("COLUMNS")); err == nil && c > 0 {
		t.Width = c // as for a pipe
	}
	return t
}

// say writes a message to stderr, wrapped at word boundaries to the
// width of the terminal it is, if it is one (piped, it stays one line,
// as scripts grep it).
func (a *app) say(s string) {
	if f, ok := a.env.Stderr.(*os.File); ok {
		s = render.Wrap(s, render.Detect(f, a.env.Getenv).Prose()) // a pipe's: COLUMNS, else 80
	}
	fmt.Fprintln(a.env.Stderr, s)
}

func (a *app) capture(iface, cfilter, display, write string, count int, autostop string, view bool) error {
	if count < 0 {
		return errBadValue{flag: "-c", value: strconv.Itoa(count), want: "N ≥ 0"}
	}
	dur, err := parseAutostop(autostop)
	if err != nil {
		return err
	}
	prog, err := filter.CompileCapture(cfilter, capture.MaxFrame)
	if err != nil {
		return err
	}
	df, err := filter.CompileDisplay(display)
	if err != nil {
		return err
	}
	if display != "" && write != "" && !view {
		return errBadValue{flag: "-Y", value: display, want: a.tx.T("error.y_with_w", nil)}
	}
	if view && !a.terminal() {
		return errNoTerminal{}
	}
	live, err := capture.OpenLive(iface, prog)
	if err != nil {
		return err
	}
	defer live.Close()
	if view {
		return a.captureView(live, iface, display, write, count, dur)
	}
	return a.captureFrom(live, iface, df, write, count, dur)
}

// liveSource is a capture that can be stopped and says what it dropped.
type liveSource interface {
	capture.Source
	Stats() (received, dropped uint32, err error)
	Close() error
}

// captureFrom prints (or writes) the frames of live until count frames,
// the duration, Ctrl-C or a read error, then closes live and says how
// many frames it captured and how many the kernel dropped.
func (a *app) captureFrom(live liveSource, iface string, df *filter.Display, write string, count int, dur time.Duration) error {
	var w *capture.Writer
	var err error
	if write != "" {
		if w, err = capture.Create(write, live.LinkType(), iface); err != nil {
			return err
		}
		defer w.Abort() // no-op after a successful Close
	}
	a.say(a.tx.T("capture.started", map[string]any{"Interface": iface}))

	// Stop on Ctrl-C or after the duration by closing the source, which
	// wakes the blocked read.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		var timeout <-chan time.Time
		if dur > 0 {
			timeout = time.After(dur)
		}
		select {
		case <-a.ctx.Done():
		case <-timeout:
		case <-stop:
		}
		live.Close()
	}()

	out := bufio.NewWriter(a.out())
	errTTY := false
	if f, ok := a.env.Stderr.(*os.File); ok {
		errTTY = term.IsTerminal(int(f.Fd()))
	}
	n := 0
	if w != nil {
		written := 0
		n, err = pump(live, count, func(ci gopacket.CaptureInfo, data []byte) error {
			if err := w.WritePacket(ci, data); err != nil {
				return err
			}
			if written++; errTTY {
				fmt.Fprintf(a.env.Stderr, "\r%d ", written)
			}
			return nil
		})
	} else {
		var line []byte
		for p, rerr := range dissect.Scan(live) {
			if rerr != nil {
				if !errors.Is(rerr, os.ErrClosed) {
					err = rerr
				}
				break
			}
			n++
			if df.Match(p) {
				line = append(dissect.Summary(line[:0], p, 9), '\n')
				out.Write(line)
				out.Flush()
			}
			if n == count {
				break
			}
		}
	}
	out.Flush()
	if errTTY && w != nil {
		fmt.Fprint(a.env.Stderr, "\r")
	}
	if w != nil {
		if cerr := w.Close(); err == nil {
			err = cerr
		}
	}
	// Close reads the kernel's drop counter before the socket goes, and
	// Stats keeps it: read after any way of stopping, it is the true count.
	live.Close()
	_, dropped, _ := live.Stats()
	a.say(a.tx.N("capture.done", n, map[string]any{"Dropped": dropped}))
	return err
}
