package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/text/render"
)

func (a *app) checkCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "check LESSON CAPTURE",
		Short:   a.tx.T("cmd.check.short", nil),
		Long:    a.tx.T("cmd.check.long", nil),
		Example: "  wiretutor check tcp-handshake lab1.pcapng\n  tcpdump -i lo -w lab1.pcap 'tcp port 10000'   # the learner's own capture",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.grade(args[0], args[1])
		},
	}
}

// requirementResult is one requirement's outcome.
type requirementResult struct {
	matched int
	first   []byte // the tshark line of the first matching frame
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
	filters := make([]*filter.Display, len(l.Requires))
	for i, r := range l.Requires {
		f, err := filter.CompileDisplay(r.Filter)
		if err != nil {
			return fmt.Errorf("lesson %s requirement %s: %w", id, r.ID, err)
		}
		filters[i] = f
	}
	results := make([]requirementResult, len(l.Requires))
	n := 0
	err := packets(path, func(p *dissect.Packet, prec int) error {
		n++
		for i, f := range filters {
			if f.Match(p) {
				if results[i].matched == 0 {
					results[i].first = dissect.Summary(nil, p, prec)
				}
				results[i].matched++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	t := a.tx
	width := a.term().Width
	fmt.Fprintln(a.out(), render.Wrap(t.N("grade.title", n, map[string]any{"File": path, "Lesson": a.lessonTitle(id), "ID": id}), width))
	failed := 0
	for i, r := range l.Requires {
		what := t.T("require."+r.ID, nil)
		res := results[i]
		if res.matched >= r.Min {
			fmt.Fprintln(a.out(), "  ✓ "+what)
			fmt.Fprintln(a.out(), "      "+t.N("grade.proof", res.matched, nil))
			fmt.Fprintln(a.out(), render.WrapIndent("    "+string(res.first), width, 12))
			continue
		}
		failed++
		fmt.Fprintln(a.out(), "  ✗ "+what)
		// Not wrapped: the filter stays whole, to be copied into Wireshark.
		fmt.Fprintln(a.out(), "      "+t.N("grade.missing", r.Min, map[string]any{"Found": res.matched, "Filter": r.Filter}))
	}
	fmt.Fprintln(a.out())
	if failed > 0 {
		fmt.Fprintln(a.out(), render.Wrap(t.N("grade.failed", len(l.Requires), map[string]any{"Failed": failed}), width))
		return exitStatus(ExitError)
	}
	fmt.Fprintln(a.out(), render.Wrap(t.N("grade.passed", len(l.Requires), nil), width))
	return nil
}

// errNoRequirements: the lesson declares nothing a capture must hold.
type errNoRequirements struct{ id string }

func (e errNoRequirements) Error() string { return "lesson " + e.id + " has nothing to check" }
