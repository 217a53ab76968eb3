package course

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"

	"wiretutor/engine/course/quiz"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/text/render"
)

// Task is a filtering exercise: the learner types a filter, and the
// frames it selects in the lesson's capture are compared with the frames
// Model selects. Nothing is compared as text: any filter that selects the
// right frames is right.
type Task struct {
	ID      string // its texts are task.<ID> in ui.toml
	Capture bool   // a capture filter (pcap syntax), not a display filter
	Model   string // a filter that solves it, shown after the last try
}

// tries is how many filters a learner may try per task.
const tries = 3

// selection is the set of frame numbers a filter selects.
type selection []int

func (s selection) String() string {
	parts := make([]string, len(s))
	for i, n := range s {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

// selectTarget lists the frames a task asks for: what its model
// filter selects (Build has compiled it once already).
func (run *runner) selectTarget(t Task) selection {
	sel, _ := run.selectFilter(t, t.Model)
	return sel
}

// selectFilter runs a learner's filter over the capture.
func (run *runner) selectFilter(t Task, expr string) (selection, error) {
	var sel selection
	if t.Capture {
		prog, err := filter.CompileCapture(expr, capture.MaxFrame)
		if err != nil {
			return nil, err
		}
		vm, err := bpf.NewVM(prog)
		if err != nil {
			return nil, err
		}
		for i, f := range run.rec.Frames {
			if n, _ := vm.Run(f.Data); n > 0 {
				sel = append(sel, run.cap.Packets[i].Number)
			}
		}
		return sel, nil
	}
	d, err := filter.CompileDisplay(expr)
	if err != nil {
		return nil, err
	}
	for i := range run.cap.Packets {
		if d.Match(&run.cap.Packets[i]) {
			sel = append(sel, run.cap.Packets[i].Number)
		}
	}
	return sel, nil
}

// diff returns the target frames a selection misses and the ones it adds.
func diff(got, want selection) (missing, extra selection) {
	in := map[int]bool{}
	for _, n := range got {
		in[n] = true
	}
	wanted := map[int]bool{}
	for _, n := range want {
		wanted[n] = true
		if !in[n] {
			missing = append(missing, n)
		}
	}
	for _, n := range got {
		if !wanted[n] {
			extra = append(extra, n)
		}
	}
	return missing, extra
}

// taskQuestion is a task as the quiz export shows it: the frames, as
// `tshark -Y MODEL -T fields -e frame.number` lists them.
func (run *runner) taskQuestion(t Task, i int) *quiz.Question {
	kind := "display-filter"
	if t.Capture {
		kind = "capture-filter"
	}
	return &quiz.Question{
		ID: "t" + strconv.Itoa(i+1), Kind: kind, Field: "frame.number",
		Expect: run.selectTarget(t).String(), Prompt: run.tx.T("task."+t.ID, nil),
	}
}

func (run *runner) tasks() error {
	if run.cap == nil {
		return errNoCapture
	}
	tasks := run.l.Tasks
	for i, t := range tasks {
		run.exported = append(run.exported, run.taskQuestion(t, i))
	}
	run.res.Total += len(tasks)
	if run.o.NoInput {
		run.say(run.tx.N("tasks.exported", len(tasks), nil))
		for i, t := range tasks {
			run.say(fmt.Sprintf("%d. %s", i+1, run.tx.T("task."+t.ID, nil)))
		}
		fmt.Fprintln(run.o.Out)
		return nil
	}
	for i, t := range tasks {
		try, err := run.task(t, i, len(tasks))
		if err != nil {
			if errors.Is(err, quiz.ErrNoInput) || errors.Is(err, quiz.ErrInterrupted) {
				return ErrQuit
			}
			return err
		}
		switch {
		case try == 1:
			run.res.Score++
		case try > 1:
			run.res.Second++ // right after the packets it missed or took too many were shown
		}
	}
	return nil
}

// task runs one exercise and returns the try that was right, or 0.
// At its prompt a hint word (?) recalls how a filter is written and a
// quit word ends the lesson, as at a question.
func (run *runner) task(t Task, i, n int) (int, error) {
	tx := run.tx
	want := run.selectTarget(t)
	fmt.Fprintln(run.o.Out)
	run.say(run.r.Paint(render.Heading, tx.T("tasks.header", map[string]any{"N": i + 1, "Total": n})))
	run.say(tx.T("task."+t.ID, nil))
	prompt := tx.T("tasks.prompt_display", nil)
	if t.Capture {
		prompt = tx.T("tasks.prompt_capture", nil)
	}
	for try := 1; try <= tries; {
		expr, err := run.o.Asker.Ask(prompt)
		if err != nil {
			return 0, err
		}
		switch {
		case strings.TrimSpace(expr) == "":
			continue
		case quiz.IsWord(tx, "quiz.words.hint", expr) && t.Capture:
			run.say(tx.T("tasks.hint_capture", nil))
			continue
		case quiz.IsWord(tx, "quiz.words.hint", expr):
			run.say(tx.T("tasks.hint_display", nil))
			continue
		case quiz.IsWord(tx, "nav.words.quit", expr):
			return 0, quiz.ErrInterrupted
		}
		got, err := run.selectFilter(t, expr)
		if err != nil {
			run.say(run.r.Paint(render.Bad, explainFilter(tx, err)))
			continue // a filter that does not compile is not a try
		}
		missing, extra := diff(got, want)
		if len(missing) == 0 && len(extra) == 0 {
			run.say(run.r.Paint(render.Good, tx.N("tasks.right", len(got), nil)))
			return try, nil
		}
		run.say(run.r.Paint(render.Bad, tx.N("tasks.selected", len(got), nil)))
		run.showFrames(tx.N("tasks.missing", len(missing), nil), missing)
		run.showFrames(tx.N("tasks.extra", len(extra), nil), extra)
		try++
	}
	run.say(tx.T("tasks.model", map[string]any{"Filter": t.Model}))
	return 0, nil
}

// showFrames lists a few frames by their tshark lines.
func (run *runner) showFrames(title string, frames selection) {
	if len(frames) == 0 {
		return
	}
	run.say(title)
	for j, n := range frames {
		if j == 4 {
			run.say(run.tx.N("tasks.more", len(frames)-j, nil))
			break
		}
		line := string(dissect.Summary(nil, &run.cap.Packets[n-1], run.rec.Precision))
		fmt.Fprintln(run.o.Out, render.WrapIndent(line, run.o.Term.Width, packetIndent))
	}
}

// explainFilter says what is wrong with a filter, in the learner's
// language, with Wireshark's pointer under the fault.
func explainFilter(tx quiz.Texts, err error) string {
	var de *filter.DisplayError
	var se *filter.SyntaxError
	switch {
	case errors.As(err, &de):
		why := tx.T("filter."+de.Code, map[string]any{"Arg": de.Arg, "Want": tx.T("want."+de.Want, nil)})
		return tx.T("error.display_filter", map[string]any{"Why": why}) + "\n    " + de.Filter + "\n    " + de.Marker()
	case errors.As(err, &se):
		return tx.T("error.capture_filter", map[string]any{"Filter": se.Filter, "Pos": se.Pos + 1, "Why": tx.T("filter."+se.Code, nil)})
	}
	return err.Error()
}
