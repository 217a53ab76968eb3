package quiz

import (
	"fmt"
	"io"
	"strings"
)

// Style says how Run shows its text; the zero Style shows it plain.
type Style struct {
	// Paint colours a right (good) or wrong verdict.
	Paint func(good bool, s string) string
	// Wrap fits a paragraph to the terminal.
	Wrap func(s string) string
}

// Result counts a quiz's outcome.
type Result struct {
	Asked   int
	Correct int // right on the first try: the lesson's score
}

// Run asks each question once; an empty answer is asked again, not
// counted. A right answer is confirmed; a wrong one is told the right
// answer and why. It stops early with the Asker's error (ErrInterrupted,
// ErrNoInput), returning what was scored so far.
func Run(qs []*Question, a Asker, out io.Writer, tx Texts, st Style) (Result, error) {
	if st.Paint == nil {
		st.Paint = func(_ bool, s string) string { return s }
	}
	if st.Wrap == nil {
		st.Wrap = func(s string) string { return s }
	}
	var res Result
	for i, q := range qs {
		fmt.Fprintf(out, "\n%s\n%s\n", st.Wrap(tx.T("quiz.header", map[string]any{"N": i + 1, "Total": len(qs)})), st.Wrap(q.Prompt))
		var ans string
		for strings.TrimSpace(ans) == "" {
			var err error
			if ans, err = a.Ask(tx.T("quiz.answer_prompt", nil)); err != nil {
				return res, err
			}
		}
		res.Asked++
		if q.Check(ans) {
			res.Correct++
			fmt.Fprintln(out, st.Wrap(st.Paint(true, tx.T("quiz.right", map[string]any{"Answer": q.Shown}))))
			continue
		}
		fmt.Fprintln(out, st.Wrap(st.Paint(false, tx.T("quiz.wrong", map[string]any{"Answer": q.Shown, "Given": strings.TrimSpace(ans)}))))
		fmt.Fprintln(out, st.Wrap(q.Explain))
	}
	return res, nil
}
