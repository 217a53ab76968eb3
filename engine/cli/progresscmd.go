package cli

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"wiretutor/engine/course/progress"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/internal/atomicfile"
	"wiretutor/engine/text/render"
)

// date words a time for the list and the report ("" when unset).
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

func (a *app) lessonsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "lessons",
		Short: a.tx.T("cmd.lessons.short", nil),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			t := a.tx
			rows := [][]string{{"#", t.T("col.lesson", nil), t.T("col.title", nil), t.T("col.status", nil), t.T("col.date", nil)}}
			next := a.plan.Next(a.state)
			for i, l := range a.plan.Lessons {
				when := ""
				if r := a.state.Lesson(l.ID); r != nil {
					when = date(r.Finished)
					if !r.Done {
						when = date(r.Started)
					}
				}
				mark := " "
				if next != nil && next.ID == l.ID {
					mark = "▶"
				}
				rows = append(rows, []string{mark + strconv.Itoa(i+1), l.ID, a.lessonTitle(l.ID), a.status(l.ID), when})
			}
			fmt.Fprintln(a.out(), a.courseTitle())
			fmt.Fprintln(a.out(), a.tx.N("menu.progress", len(a.plan.Lessons), map[string]any{"Done": a.plan.Done(a.state)}))
			fmt.Fprintln(a.out())
			for _, line := range render.Table(rows, a.term().Width) {
				fmt.Fprintln(a.out(), strings.TrimRight(line, " "))
			}
			return nil
		},
	}
}

func (a *app) resetCmd() *cobra.Command {
	var all, yes bool
	cmd := &cobra.Command{
		Use:     "reset [ID]",
		Short:   a.tx.T("cmd.reset.short", nil),
		Example: "  wiretutor reset tcp-handshake\n  wiretutor reset --all",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case all == (len(args) == 1):
				return errMissingFlag{flag: "ID | --all"}
			case all:
				n := len(a.state.Lessons)
				if n == 0 {
					fmt.Fprintln(a.out(), a.tx.T("reset.nothing_all", nil))
					return nil
				}
				if ok, err := a.confirm(yes, a.tx.N("reset.confirm_all", n, nil)); !ok {
					return err
				}
				a.update(func(s *progress.State) { s.ResetAll() })
				fmt.Fprintln(a.out(), a.tx.N("reset.done_all", n, nil))
				return nil
			}
			id := args[0]
			if a.lesson(id) == nil {
				return errUnknownLesson{id: id}
			}
			title := a.lessonTitle(id)
			if a.state.Lesson(id) == nil {
				fmt.Fprintln(a.out(), a.tx.T("reset.nothing", map[string]any{"Title": title}))
				return nil
			}
			if ok, err := a.confirm(yes, a.tx.T("reset.confirm", map[string]any{"Title": title})); !ok {
				return err
			}
			a.update(func(s *progress.State) { s.Reset(id) })
			fmt.Fprintln(a.out(), a.tx.T("reset.done", map[string]any{"Title": title}))
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, a.tx.T("flag.reset_all", nil))
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, a.tx.T("flag.yes", nil))
	return cmd
}

// confirm asks a yes/no question; no (and no input) is the default.
func (a *app) confirm(yes bool, question string) (bool, error) {
	if yes {
		return true, nil
	}
	ans, err := a.prompter().Ask(question + " " + a.tx.T("confirm.choices", nil))
	if err == nil && quiz.IsWord(a.tx, "confirm.words.yes", ans) {
		return true, nil
	}
	fmt.Fprintln(a.out(), a.tx.T("reset.cancelled", nil))
	return false, nil
}

// reportLesson is one lesson of the report.
type reportLesson struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status"` // done, in_progress, not_started
	Score  int    `json:"score"`  // right on the first try
	Total  int    `json:"total"`
	Second int    `json:"second"` // right on the second try, after a hint
	// Seed is the --seed of the run the score comes from: with it the
	// lesson makes the same capture again.
	Seed     *uint64 `json:"seed,omitempty"`
	Started  string  `json:"started,omitempty"`
	Finished string  `json:"finished,omitempty"`
}

// reportVerify is one run of wiretutor verify in the report.
type reportVerify struct {
	Lesson  string `json:"lesson"`
	Role    string `json:"role"`
	Passed  bool   `json:"passed"`
	Checks  int    `json:"checks"`
	Failed  int    `json:"failed"`
	When    string `json:"when"`
	Capture string `json:"capture,omitempty"`
}

// report is what `wiretutor report` hands in.
type report struct {
	Course    string         `json:"course"`
	Learner   string         `json:"learner"`
	Generated string         `json:"generated"`
	Done      int            `json:"done"`
	Lessons   []reportLesson `json:"lessons"`
	Score     int            `json:"score"`
	Total     int            `json:"total"`
	// Verify are the learner's programs checked with wiretutor verify,
	// oldest first.
	Verify []reportVerify `json:"verify"`
}

func (a *app) makeReport() report {
	r := report{Course: a.courseTitle(), Generated: time.Now().Format(time.RFC3339)}
	for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
		if v := a.env.Getenv(k); v != "" {
			r.Learner = v
			break
		}
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	for _, l := range a.plan.Lessons {
		rl := reportLesson{ID: l.ID, Title: a.lessonTitle(l.ID), Status: "not_started"}
		if p := a.state.Lesson(l.ID); p != nil {
			rl.Status, rl.Started = "in_progress", stamp(p.Started)
			if p.Done {
				rl.Status, rl.Score, rl.Total, rl.Second, rl.Finished = "done", p.Score, p.Total, p.Second, stamp(p.Finished)
				rl.Seed = p.Seed
				r.Done++
				r.Score += p.Score
				r.Total += p.Total
			}
		}
		r.Lessons = append(r.Lessons, rl)
	}
	r.Verify = []reportVerify{}
	for _, v := range a.state.Verify {
		r.Verify = append(r.Verify, reportVerify{Lesson: v.Lesson, Role: v.Role, Passed: v.Passed,
			Checks: v.Checks, Failed: v.Failed, When: stamp(v.When), Capture: v.Capture})
	}
	return r
}

func (a *app) reportCmd() *cobra.Command {
	var format, output string
	cmd := &cobra.Command{
		Use:     "report",
		Short:   a.tx.T("cmd.report.short", nil),
		Example: "  wiretutor report > report.md\n  wiretutor report --format json -o report.json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r := a.makeReport()
			var b strings.Builder
			switch format {
			case "md":
				a.markdownReport(&b, r)
			case "json":
				data, err := json.MarshalIndent(r, "", "  ")
				if err != nil {
					return err
				}
				b.Write(data)
				b.WriteByte('\n')
			default:
				return errBadValue{flag: "--format", value: format, want: "md, json"}
			}
			if output == "" {
				fmt.Fprint(a.out(), b.String())
				return nil
			}
			if err := atomicfile.WriteFile(output, []byte(b.String()), 0o666); err != nil {
				return err
			}
			fmt.Fprintln(a.env.Stderr, a.tx.T("report.written", map[string]any{"Path": output}))
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", a.tx.T("flag.report_format", nil))
	cmd.Flags().StringVarP(&output, "output", "o", "", a.tx.T("flag.report_output", nil))
	return cmd
}

// markdownReport writes the report as a Markdown page in the user's
// language.
func (a *app) markdownReport(b *strings.Builder, r report) {
	t := a.tx
	fmt.Fprintf(b, "# %s\n\n", t.T("report.title", map[string]any{"Course": r.Course}))
	if r.Learner != "" {
		fmt.Fprintf(b, "- %s\n", t.T("report.learner", map[string]any{"Name": r.Learner}))
	}
	fmt.Fprintf(b, "- %s\n", t.T("report.generated", map[string]any{"Date": date(time.Now())}))
	fmt.Fprintf(b, "- %s\n", t.N("menu.progress", len(r.Lessons), map[string]any{"Done": r.Done}))
	if r.Total > 0 {
		fmt.Fprintf(b, "- %s\n", t.N("report.score", r.Total, map[string]any{"Score": r.Score}))
	}
	fmt.Fprintf(b, "\n| # | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|\n",
		t.T("col.lesson", nil), t.T("col.status", nil), t.T("col.score", nil), t.T("col.started", nil), t.T("col.finished", nil))
	cell := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	for i, l := range r.Lessons {
		score := ""
		if l.Status == "done" {
			score = fmt.Sprintf("%d/%d", l.Score, l.Total)
			if l.Seed != nil {
				score += " · " + t.T("report.seed", map[string]any{"Seed": *l.Seed})
			}
		}
		p := a.state.Lesson(l.ID)
		started, finished := "", ""
		if p != nil {
			started, finished = date(p.Started), date(p.Finished)
		}
		fmt.Fprintf(b, "| %d | %s (`%s`) | %s | %s | %s | %s |\n", i+1, cell(l.Title), l.ID, t.T("report.status."+l.Status, nil), score, started, finished)
	}
	if len(a.state.Verify) == 0 {
		return
	}
	fmt.Fprintf(b, "\n## %s\n\n| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", t.T("report.verify_title", nil),
		t.T("col.date", nil), t.T("col.lesson", nil), t.T("col.role", nil), t.T("col.result", nil), t.T("col.capture", nil))
	for _, v := range a.state.Verify {
		result := t.T("report.verify_passed", nil)
		if !v.Passed {
			result = t.T("report.verify_failed", map[string]any{"Failed": v.Failed, "Checks": v.Checks})
		}
		capture := ""
		if v.Capture != "" {
			capture = "`" + cell(v.Capture) + "`"
		}
		fmt.Fprintf(b, "| %s | %s (`%s`) | %s | %s | %s |\n", v.When.Local().Format("2006-01-02 15:04"), cell(a.lessonTitle(v.Lesson)), v.Lesson, t.T("report.role."+v.Role, nil), result, capture)
	}
}
