package quiz

import (
	"fmt"
	"io"
)

// Painter colours a right or wrong verdict; nil paints nothing.
type Painter func(good bool, s string) string

// Result counts a quiz's outcome.
type Result struct {
	Asked   int
	Correct int // right on the first try: the lesson's score
}

// Run asks each question once. A right answer is confirmed; a wrong one
// is told the right answer and why. It stops early with the Asker's
// error (ErrInterrupted, ErrNoInput), returning what was scored so far.
func Run(qs []*Question, a Asker, out io.Writer, tx Texts, paint Painter) (Result, error) {
	if paint == nil {
		paint = func(_ bool, s string) string { return s }
	}
	var res Result
	for i, q := range qs {
		fmt.Fprintf(out, "\n%s\n%s\n", tx.T("quiz.header", map[string]any{"N": i + 1, "Total": len(qs), "Frame": q.Frame}), q.Prompt)
		ans, err := a.Ask(tx.T("quiz.answer_prompt", nil))
		if err != nil {
			return res, err
		}
		res.Asked++
		if q.Check(ans) {
			res.Correct++
			fmt.Fprintln(out, paint(true, tx.T("quiz.right", map[string]any{"Answer": q.Shown})))
			continue
		}
		fmt.Fprintln(out, paint(false, tx.T("quiz.wrong", map[string]any{"Answer": q.Shown, "Given": ans})))
		fmt.Fprintln(out, q.Explain)
	}
	return res, nil
}
