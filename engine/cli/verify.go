package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"wiretutor/engine/course"
	"wiretutor/engine/course/progress"
	"wiretutor/engine/course/verify"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/net/nsenter"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/text/render"
)

// maxShown is the most packets verify shows of a learner's capture in
// the lesson's view: a program that floods is graded, not printed.
const maxShown = 500

type verifyFlags struct {
	role        string
	net         string
	saveCapture string
	limit       time.Duration
	noInput     bool
}

func (a *app) verifyCmd() *cobra.Command {
	var f verifyFlags
	cmd := &cobra.Command{
		Use:   "verify LESSON [--role client|server] -- COMMAND [ARGS...]",
		Short: a.tx.T("cmd.verify.short", nil),
		Long:  a.tx.T("cmd.verify.long", nil),
		Example: "  wiretutor verify tcp-handshake -- python3 echo_client.py\n" +
			"  wiretutor verify tcp-handshake --role server -- python3 echo_server.py\n" +
			"  wiretutor verify chat --role server --save-capture chat.pcapng -- python3 server.py\n" +
			"  wiretutor verify ping -- python3 ping.py",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dash := cmd.ArgsLenAtDash()
			if dash != 1 || len(args) < 2 {
				return errNoCommand{lesson: args[0]}
			}
			return a.verify(args[0], args[1:], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.role, "role", "", a.tx.T("flag.verify_role", nil))
	fl.StringVar(&f.net, "net", "auto", a.tx.T("flag.verify_net", nil))
	fl.StringVar(&f.saveCapture, "save-capture", "", a.tx.T("flag.save_capture", nil))
	fl.DurationVar(&f.limit, "timeout", verify.DefaultLimit, a.tx.T("flag.verify_timeout", nil))
	fl.BoolVar(&f.noInput, "no-input", false, a.tx.T("flag.verify_no_input", nil))
	return cmd
}

// program finds the lesson and its program of role (the first it has,
// client before server, when role is "").
func (a *app) program(id, role string) (*course.Lesson, *course.Program, error) {
	l := a.lesson(id)
	if l == nil {
		return nil, nil, errUnknownLesson{id: id}
	}
	if len(l.Programs) == 0 {
		return nil, nil, errNoProgram{lesson: id, have: a.programLessons()}
	}
	if role == "" {
		return l, l.Programs[0], nil
	}
	if p := l.Program(role); p != nil {
		return l, p, nil
	}
	var roles []string
	for _, p := range l.Programs {
		roles = append(roles, p.Role)
	}
	return nil, nil, errBadValue{flag: "--role", value: role, want: strings.Join(roles, ", ")}
}

// programLessons lists the lessons a learner's program can be verified
// in.
func (a *app) programLessons() string {
	var ids []string
	for _, l := range a.lessons {
		if len(l.Programs) > 0 {
			ids = append(ids, l.ID)
		}
	}
	return strings.Join(ids, ", ")
}

func (a *app) verify(id string, command []string, f verifyFlags) error {
	l, prog, err := a.program(id, f.role)
	if err != nil {
		return err
	}
	if err := checkNetName(f.net); err != nil {
		return err
	}
	if f.net == course.NetSandbox {
		return errVerifySandbox{}
	}
	// verify captures the real network only: the sandbox's stack is
	// wiretutor's own, and the learner's program is not in it.
	want := course.Want{Hosts: prog.Peer.Hosts}
	if name, _, err := course.ChooseNetwork(f.net, want, course.ThisHost()); err == nil && name == course.NetSandbox {
		return a.noCapture(l, prog)
	}
	n, err := a.pickNetWant(f.net, nil, want)
	var noPrivate *nsenter.Error
	if errors.As(err, &noPrivate) && f.net == course.NetAuto {
		return a.noCapture(l, prog)
	}
	if err != nil {
		return err
	}
	defer n.Close()
	if _, ok := n.Net.(*netenv.Sandbox); ok {
		return a.noCapture(l, prog)
	}

	t, width := a.tx, a.term().Width
	r, err := render.New(a.term())
	if err != nil {
		return err
	}
	pr := &linePrinter{a: a, r: r}
	data := map[string]any{"Lesson": a.lessonTitle(id), "ID": id, "Command": strings.Join(command, " "),
		"Seconds": int(f.limit.Round(time.Second) / time.Second), "Filter": course.CaptureFilter(prog.Peer.Ports), "Port": 0}
	if len(prog.Peer.Listen) > 0 {
		data["Port"] = prog.Peer.Listen[0].Port
	}
	fmt.Fprintln(a.out(), r.Paint(render.Heading, render.Wrap(t.T("verify.title."+prog.Role, data), width)))
	fmt.Fprintln(a.out(), render.Wrap(t.T("verify.peer."+prog.Role, data), width))
	fmt.Fprintln(a.out())

	interactive := term.IsTerminal(int(a.env.Stdin.Fd()))
	out, err := verify.Run(a.ctx, prog, verify.Options{
		Net: n, Command: command, Stdin: a.env.Stdin, Limit: f.limit,
		Group:  !interactive, // a program in a group of its own may not read the terminal
		Output: pr.program,
		Say:    pr.peer,
		Event: func(e verify.Event) {
			switch e {
			case verify.Listening:
				pr.note(t.T("verify.listening", data))
			case verify.Stopping:
				pr.note(t.T("verify.stopping", data))
			}
		},
	})
	var nl *verify.NotListeningError
	if errors.As(err, &nl) {
		// The server never opened the lab's port: a run that failed every
		// check, for the report.
		a.recordVerify(id, prog, len(prog.Checks), len(prog.Checks), "")
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(a.out())
	fmt.Fprintln(a.out(), render.Wrap(a.stopLine(out, data), width))
	if out.Dropped > 0 {
		fmt.Fprintln(a.out(), r.Paint(render.Dim, render.Wrap(t.N("verify.dropped", int(out.Dropped), nil), width)))
	}
	fmt.Fprintln(a.out(), t.N("run.captured", len(out.Packets), nil))
	fmt.Fprintln(a.out())
	a.printResults(r, out.Results, out.Packets, out.Recording.Precision)

	if f.saveCapture != "" {
		out.Recording.Comment = verify.Comment(id, prog.Role, out.Stopped)
		write := capture.WriteFile
		if l.Secret {
			write = capture.WritePrivateFile
		}
		if err := write(f.saveCapture, out.Recording, capture.Loopback); err != nil {
			return fmt.Errorf("save capture: %w", err)
		}
		fmt.Fprintln(a.out(), render.Wrap(t.T("verify.saved", map[string]any{"Path": f.saveCapture, "ID": id}), width))
	}
	passed := out.Passed()
	a.recordVerify(id, prog, len(out.Results), out.Failed(), f.saveCapture)

	// The learner's own capture, as the lesson shows its own, and the
	// lesson's questions about it.
	if len(out.Packets) > maxShown {
		fmt.Fprintln(a.out())
		fmt.Fprintln(a.out(), render.Wrap(t.N("verify.too_many", len(out.Packets), map[string]any{"ID": id}), width))
	} else if len(out.Packets) > 0 {
		fmt.Fprintln(a.out())
		ask := !f.noInput && interactive
		_, err := course.RunCaptured(a.ctx, l, out.Recording, ask, course.Options{
			Lang: a.lang, Content: a.content, Net: n.Net, NoInput: !ask,
			Asker: a.prompter(), Out: a.out(), Term: a.term(),
		}, a.tx)
		if err != nil && !errors.Is(err, course.ErrQuit) {
			return err
		}
	}
	if !passed {
		return exitStatus(ExitError)
	}
	return nil
}

// recordVerify keeps a verify run in the progress file, for the report.
func (a *app) recordVerify(id string, prog *course.Program, checks, failed int, saved string) {
	if saved != "" {
		if abs, err := filepath.Abs(saved); err == nil {
			saved = abs
		}
	}
	now := time.Now()
	a.update(func(s *progress.State) {
		s.AddVerify(progress.VerifyRun{Lesson: id, Role: prog.Role, Passed: failed == 0 && checks > 0,
			Checks: checks, Failed: failed, When: now, Capture: saved})
	})
}

// stopLine says how the program ended.
func (a *app) stopLine(out *verify.Outcome, data map[string]any) string {
	d := map[string]any{"Code": out.Code}
	for k, v := range data {
		d[k] = v
	}
	switch out.Stop {
	case verify.GradeDone:
		return a.tx.T("verify.stop.grade_done", d)
	case verify.PeerFinished:
		return a.tx.T("verify.stop.peer_finished", d)
	case verify.TimeLimit:
		return a.tx.T("verify.stop.time_limit", d)
	case verify.Flooded:
		return a.tx.N("verify.stop.flooded", verify.MaxFrames, d)
	}
	if out.Code < 0 {
		return a.tx.T("verify.stop.signal", d)
	}
	return a.tx.T("verify.stop.exited", d)
}

// printResults prints each check: met, with the frame that proves it,
// or not, with what the capture shows instead; then the tally.
func (a *app) printResults(r *render.Renderer, res []verify.Result, pkts []dissect.Packet, prec int) {
	t, width := a.tx, a.term().Width
	for _, c := range res {
		what := t.T("verify.check."+c.ID, c.Data)
		mark := r.Paint(render.Good, "✓")
		if !c.OK {
			mark = r.Paint(render.Bad, "✗")
		}
		fmt.Fprintln(a.out(), render.WrapIndent("  "+mark+" "+what, width, 4))
		fmt.Fprintln(a.out(), render.WrapIndent("      "+t.T("verify.found."+c.Key, c.Data), width, 6))
		if c.Frame > 0 && c.Frame <= len(pkts) {
			fmt.Fprintln(a.out(), r.Paint(render.Dim, render.WrapIndent("      "+string(dissect.Summary(nil, &pkts[c.Frame-1], prec)), width, 12)))
		}
	}
	fmt.Fprintln(a.out())
	if failed := verify.Failed(res); failed > 0 {
		fmt.Fprintln(a.out(), render.Wrap(t.N("verify.failed", len(res), map[string]any{"Failed": failed}), width))
		return
	}
	fmt.Fprintln(a.out(), r.Paint(render.Good, render.Wrap(t.N("verify.passed", len(res), nil), width)))
}

// noCapture explains why verify cannot capture here and what to do
// instead: on Linux the rights or a namespace; elsewhere, a capture of
// one's own, graded with check.
func (a *app) noCapture(l *course.Lesson, p *course.Program) error {
	e := errVerifyNoCapture{lesson: l.ID, role: p.Role, filter: course.CaptureFilter(p.Peer.Ports), os: runtime.GOOS}
	if err, ok := nsenter.Allowed().(*nsenter.Error); ok {
		e.detail = err.Detail
	}
	return e
}

// linePrinter prints the program's output, the peer's lines and the
// run's notes as they come, from many goroutines, each labelled.
type linePrinter struct {
	a  *app
	r  *render.Renderer
	mu sync.Mutex
	w  int // the widest label's width, 0 until the first line
}

func (p *linePrinter) print(label string, style render.Style, text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.w == 0 {
		t := p.a.tx
		for _, l := range []string{t.T("verify.label.out", nil), t.T("verify.label.err", nil), t.T("verify.label.peer", nil)} {
			p.w = max(p.w, runewidth.StringWidth(l))
		}
	}
	pad := label + strings.Repeat(" ", max(p.w-runewidth.StringWidth(label), 0))
	fmt.Fprintln(p.a.out(), p.r.Paint(style, pad+" │")+" "+text)
}

func (p *linePrinter) program(l verify.Line) {
	t := p.a.tx
	label, style := t.T("verify.label.out", nil), render.Client
	if l.Stream == verify.Stderr {
		label, style = t.T("verify.label.err", nil), render.Bad
	}
	text := l.Text
	if l.Hidden > 0 {
		text = p.r.Paint(render.Dim, t.N("verify.hidden", l.Hidden, nil))
	}
	p.print(label, style, text)
}

func (p *linePrinter) peer(line string) {
	p.print(p.a.tx.T("verify.label.peer", nil), render.Server, line)
}

func (p *linePrinter) note(line string) {
	p.print(p.a.tx.T("verify.label.peer", nil), render.Dim, p.r.Paint(render.Dim, line))
}

// Errors of verify.
type (
	// errNoCommand: verify was given no program to run after --.
	errNoCommand struct{ lesson string }
	// errNoProgram: the lesson has no role for a learner's program.
	errNoProgram struct{ lesson, have string }
	// errVerifySandbox: --net sandbox, where no program of the
	// learner's can run.
	errVerifySandbox struct{}
	// errVerifyNoCapture: this system lets wiretutor capture neither on
	// the loopback nor in a private namespace.
	errVerifyNoCapture struct{ lesson, role, filter, os, detail string }
)

func (e errNoCommand) Error() string       { return "verify " + e.lesson + ": no command after --" }
func (e errNoProgram) Error() string       { return "lesson " + e.lesson + " has no program to verify" }
func (errVerifySandbox) Error() string     { return "verify needs the real network, not the sandbox" }
func (e errVerifyNoCapture) Error() string { return "verify cannot capture here (" + e.os + ")" }

func (e errNoCommand) Message() (string, map[string]any) {
	return "verify.error.no_command", map[string]any{"ID": e.lesson}
}

func (e errNoProgram) Message() (string, map[string]any) {
	return "verify.error.no_program", map[string]any{"ID": e.lesson, "Lessons": e.have}
}

func (errVerifySandbox) Message() (string, map[string]any) { return "verify.error.sandbox", nil }

func (e errVerifyNoCapture) Message() (string, map[string]any) {
	d := map[string]any{"ID": e.lesson, "Role": e.role, "Filter": e.filter, "Detail": e.detail}
	switch e.os {
	case "linux":
		return "verify.error.no_capture_linux", d
	case "darwin":
		return "verify.error.no_capture_darwin", d
	case "windows":
		return "verify.error.no_capture_windows", d
	}
	return "verify.error.no_capture_other", d
}
