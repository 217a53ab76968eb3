package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"wiretutor/engine/course"
	"wiretutor/engine/course/grade"
	"wiretutor/engine/course/verify"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/text/render"
)

func (a *app) checkCmd() *cobra.Command {
	var role string
	cmd := &cobra.Command{
		Use:     "check LESSON CAPTURE",
		Short:   a.tx.T("cmd.check.short", nil),
		Long:    a.tx.T("cmd.check.long", nil),
		Example: "  wiretutor check tcp-handshake lab1.pcapng\n  tcpdump -i lo -w lab1.pcap 'tcp port 10000'   # the learner's own capture\n  wiretutor check tcp-handshake mine.pcapng --role client",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if role == "" {
				// A capture verify saved says which program it graded.
				if id, r, _, ok := savedVerify(args[1]); ok && id == args[0] {
					role = r
				}
			}
			if role != "" {
				return a.gradeProgram(args[0], role, args[1])
			}
			return a.grade(args[0], args[1])
		},
	}
	cmd.Flags().StringVar(&role, "role", "", a.tx.T("flag.check_role", nil))
	return cmd
}

// savedVerify reads the lesson, role and stop moment a capture saved by
// verify names in its pcapng comment.
func savedVerify(path string) (id, role string, stopped time.Time, ok bool) {
	f, err := capture.Open(path)
	if err != nil {
		return "", "", time.Time{}, false
	}
	defer f.Close()
	return verify.ParseComment(f.Comment())
}

// gradeProgram grades a capture as verify grades a learner's program in
// a role: the same checks, the same findings.
func (a *app) gradeProgram(id, role, path string) error {
	_, prog, err := a.program(id, role)
	if err != nil {
		return err
	}
	f, err := capture.Open(path)
	if err != nil {
		return err
	}
	rec, err := capture.ReadAll(f, f.Precision())
	f.Close()
	if err != nil {
		return err
	}
	pkts, err := course.DissectAll(rec)
	if err != nil {
		return err
	}
	var stopped time.Time
	if sid, srole, when, ok := verify.ParseComment(rec.Comment); ok && sid == id && srole == role {
		stopped = when
	}
	r, err := render.New(a.term())
	if err != nil {
		return err
	}
	fmt.Fprintln(a.out(), render.Wrap(a.tx.N("grade.title", len(pkts), map[string]any{"File": path, "Lesson": a.lessonTitle(id), "ID": id}), a.term().Width))
	res := verify.Grade(prog, pkts, stopped)
	a.printResults(r, res, pkts, rec.Precision)
	if verify.Failed(res) > 0 {
		return exitStatus(ExitError)
	}
	return nil
}

// grade checks a capture against what a lesson's capture must hold.
func (a *app) grade(id, path string) error {
	l := a.lesson(id)
	if l == nil {
		return errUnknownLesson{id: id}
	}
	if len(l.Requires) == 0 {
		return errNoRequirements{id: id}
	}
	res, err := grade.Capture(l.Requires, func(fn func(p *dissect.Packet, prec int) error) error { return packets(path, fn) })
	if err != nil {
		return fmt.Errorf("lesson %s: %w", id, err)
	}
	t := a.tx
	width := a.term().Width
	fmt.Fprintln(a.out(), render.Wrap(t.N("grade.title", res.Packets, map[string]any{"File": path, "Lesson": a.lessonTitle(id), "ID": id}), width))
	for _, c := range res.Checks {
		what := t.T("require."+c.ID, nil)
		if c.Met() {
			fmt.Fprintln(a.out(), "  ✓ "+what)
			fmt.Fprintln(a.out(), "      "+t.N("grade.proof", c.Matched, nil))
			fmt.Fprintln(a.out(), render.WrapIndent("    "+string(c.First), width, 12))
			continue
		}
		fmt.Fprintln(a.out(), "  ✗ "+what)
		// Not wrapped: the filter stays whole, to be copied into Wireshark.
		fmt.Fprintln(a.out(), "      "+t.N("grade.missing", c.Min, map[string]any{"Found": c.Matched, "Filter": c.Filter}))
	}
	fmt.Fprintln(a.out())
	if failed := res.Failed(); failed > 0 {
		fmt.Fprintln(a.out(), render.Wrap(t.N("grade.failed", len(res.Checks), map[string]any{"Failed": failed}), width))
		return exitStatus(ExitError)
	}
	fmt.Fprintln(a.out(), render.Wrap(t.N("grade.passed", len(res.Checks), nil), width))
	return nil
}

// errNoRequirements: the lesson declares nothing a capture must hold.
type errNoRequirements struct{ id string }

func (e errNoRequirements) Error() string { return "lesson " + e.id + " has nothing to check" }
