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
// counted, and so is a request for a hint (one of the words of
// quiz.words.hint, such as "?"), which is answered with where to look.
// A right answer is confirmed; a wrong one is told the right answer and
// why. A quit word (nav.words.quit) ends the quiz with ErrInterrupted;
// so does the Asker's own error (ErrInterrupted, ErrNoInput). It
// returns what was scored so far.
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
		for {
			var err error
			if ans, err = a.Ask(tx.T("quiz.answer_prompt", nil)); err != nil {
				return res, err
			}
			switch {
			case strings.TrimSpace(ans) == "":
				continue
			case IsWord(tx, "quiz.words.hint", ans):
				fmt.Fprintln(out, st.Wrap(q.Hint(tx)))
				continue
			case IsWord(tx, "nav.words.quit", ans):
				return res, ErrInterrupted
			}
			break
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

// Hint says where the answer is: the frame and the Wireshark field, and
// how to find it in Wireshark, without giving the value away.
func (q *Question) Hint(tx Texts) string {
	return tx.T("quiz.hint", map[string]any{"Frame": q.Frame, "Field": q.Field})
}

// IsWord reports whether answer is one of the comma-separated words of
// message id (a command such as "q, quit, выход"), ignoring case and
// surrounding blanks. Translators list their language's words there.
func IsWord(tx Texts, id, answer string) bool {
	a := strings.ToLower(strings.TrimSpace(answer))
	if a == "" {
		return false
	}
	for _, w := range strings.Split(tx.T(id, nil), ",") {
		if strings.ToLower(strings.TrimSpace(w)) == a {
			return true
		}
	}
	return false
}
