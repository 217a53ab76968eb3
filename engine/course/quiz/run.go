package quiz

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Style says how Run shows its text; the zero Style shows it plain.
type Style struct {
	// Paint colours a right (good) or wrong verdict.
	Paint func(good bool, s string) string
	// Wrap fits a paragraph to the terminal.
	Wrap func(s string) string
	// Capture, when set, shows the capture again: the learner typed one
	// of nav.words.capture (c) at a question.
	Capture func()
	// Back lets the learner go back to the lesson's text from a question
	// (nav.words.back, b): Run then ends with ErrBack.
	Back bool
	// First is how many of the lesson's questions came before these, and
	// Total how many it has (0: these alone): "Question First+1 of Total".
	First, Total int
}

// ErrBack: the learner asked, at a question, to go back to the text.
// Result.Asked questions were done before it; the rest remain.
var ErrBack = errors.New("back to the text")

// Result counts a quiz's outcome.
type Result struct {
	Asked   int // questions done: answered right, or wrong on each try
	Correct int // right on the first try: the lesson's score
	Second  int // right on the second try, after a hint
}

// tries is how many answers a question takes: the first, and one more
// after a hint.
const tries = 2

// Run asks each question; an empty answer is asked again, not counted,
// and so is a request for a hint (one of the words of quiz.words.hint,
// such as "?"), which is answered with where to look, or for the
// capture (nav.words.capture) when Style.Capture can show it. A right
// answer is confirmed. A wrong first answer gets a hint computed from
// the capture and one more try; a wrong second one is told the right
// answer and why. Only first tries score. A quit word (nav.words.quit)
// ends the quiz with ErrInterrupted; so does the Asker's own error
// (ErrInterrupted, ErrNoInput); a back word (nav.words.back) ends it
// with ErrBack where Style.Back allows. It returns what was scored so
// far, Asked counting the questions done.
func Run(qs []*Question, a Asker, out io.Writer, tx Texts, st Style) (Result, error) {
	if st.Paint == nil {
		st.Paint = func(_ bool, s string) string { return s }
	}
	if st.Wrap == nil {
		st.Wrap = func(s string) string { return s }
	}
	total := st.Total
	if total == 0 {
		total = st.First + len(qs)
	}
	var res Result
	for i, q := range qs {
		fmt.Fprintf(out, "\n%s\n%s\n", st.Wrap(tx.T("quiz.header", map[string]any{"N": st.First + i + 1, "Total": total})), st.Wrap(q.Prompt))
		for try := 1; try <= tries; try++ {
			ans, err := answer(q, a, out, tx, st)
			if err != nil {
				return res, err
			}
			given := strings.TrimSpace(ans)
			switch {
			case q.Check(ans) && try == 1:
				res.Correct++
				fmt.Fprintln(out, st.Wrap(st.Paint(true, tx.T("quiz.right", map[string]any{"Answer": q.Shown}))))
			case q.Check(ans):
				res.Second++
				fmt.Fprintln(out, st.Wrap(st.Paint(true, tx.T("quiz.right_second", map[string]any{"Answer": q.Shown}))))
			case try < tries:
				fmt.Fprintln(out, st.Wrap(st.Paint(false, tx.T("quiz.try_again", map[string]any{"Given": given, "Hint": q.Retry(tx, given)}))))
				continue
			default:
				fmt.Fprintln(out, st.Wrap(st.Paint(false, tx.T("quiz.wrong", map[string]any{"Answer": q.Shown, "Given": given}))))
				fmt.Fprintln(out, st.Wrap(q.Explain))
			}
			break
		}
		res.Asked++
	}
	return res, nil
}

// answer reads one answer to q: blanks are asked again, a hint or the
// capture is shown and asked again, a quit word ends the quiz.
func answer(q *Question, a Asker, out io.Writer, tx Texts, st Style) (string, error) {
	for {
		ans, err := a.Ask(tx.T("quiz.answer_prompt", nil))
		if err != nil {
			return "", err
		}
		switch {
		case strings.TrimSpace(ans) == "":
		case IsWord(tx, "quiz.words.hint", ans) && q.Predict:
			fmt.Fprintln(out, st.Wrap(q.rule(tx))) // the capture is not to be looked at yet
		case IsWord(tx, "quiz.words.hint", ans):
			fmt.Fprintln(out, st.Wrap(q.Hint(tx)))
		case st.Capture != nil && IsWord(tx, "nav.words.capture", ans) && q.Predict:
			fmt.Fprintln(out, st.Wrap(tx.T("quiz.predict_first", nil))) // showing it would answer the prediction
		case st.Capture != nil && IsWord(tx, "nav.words.capture", ans):
			st.Capture()
		case IsWord(tx, "nav.words.quit", ans):
			return "", ErrInterrupted
		case st.Back && IsWord(tx, "nav.words.back", ans):
			return "", ErrBack
		default:
			return ans, nil
		}
	}
}

// Retry is the hint after a wrong answer, computed from the capture
// without giving the value away: for a count (see counted) more than
// one away, whether the answer is larger or smaller than the one given
// (one away, that would be the answer); for flags, how many the packet
// carries; for a state, what the asked end had sent and received by
// then; and where to look, unless the question is a prediction (the
// capture is not to be looked at yet: the rule the text gave is).
func (q *Question) Retry(tx Texts, given string) string {
	where := q.Hint(tx)
	if q.Predict {
		where = q.rule(tx)
	}
	switch q.Answer {
	case KindNumber:
		want, err1 := strconv.ParseInt(q.Expect, 0, 64)
		got, err2 := strconv.ParseInt(given, 0, 64)
		if err1 == nil && err2 == nil && want != got && q.counted() && (want-got > 1 || got-want > 1) {
			id := "quiz.retry.larger"
			if want < got {
				id = "quiz.retry.smaller"
			}
			return tx.T("quiz.retry.with", map[string]any{"What": tx.T(id, map[string]any{"Given": got}), "Where": where})
		}
	case KindFlags:
		if bits, ok := ParseFlags(q.Expect); ok {
			return tx.T("quiz.retry.with", map[string]any{"What": count(tx, "quiz.retry.flags", bits.Count()), "Where": where})
		}
	case KindState:
		if what := q.stateRetry(tx, given); what != "" {
			return tx.T("quiz.retry.with", map[string]any{"What": what, "Where": where})
		}
	}
	return where
}

// rule is what a prediction's hint recalls: the rule its wording in
// ui.toml names (quiz.ID.rule), else "go over the rule the lesson just
// gave".
func (q *Question) rule(tx Texts) string {
	if q.Rule != "" {
		return q.Rule
	}
	return tx.T("quiz.retry.rule", nil)
}

// counted reports whether q asks for a count, where "larger" or
// "smaller" tells a learner how to count again: a sequence or
// acknowledgement number, a length. A port, a status code, a frame's
// or a stream's number is a name: nearness means nothing there.
func (q *Question) counted() bool {
	switch q.Field {
	case "tcp.seq", "tcp.ack", "tcp.len", "tcp.seq_raw", "tcp.ack_raw", "udp.length", "ip.len", "ip.ttl",
		"http.content_length", "http.content_length_header", "data.len", "frame.len",
		"ip.hdr_len", "tcp.hdr_len", "tcp.window_size_value", "tcp.window_size", "tcp.urgent_pointer":
		return true
	}
	return false
}

// Hint says where the answer is: the frame and the Wireshark field, and
// how to find it in Wireshark, without giving the value away.
// A question that asks for a frame's number gets no frame named: that
// would be its answer; a what-if question's answer is not the field's
// value, only worked out from it.
func (q *Question) Hint(tx Texts) string {
	if q.Clue != "" {
		return q.Clue
	}
	if q.Answer == KindState {
		return q.stateHint(tx) // a state is no field
	}
	if q.Field == "frame.number" {
		return tx.T("quiz.hint_frame", nil)
	}
	if q.Add != 0 {
		return tx.T("quiz.hint_what_if", map[string]any{"Frame": q.Frame, "Field": q.Field})
	}
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

// Plurals is the Texts that words a count in the language's plural
// forms (i18n.Catalog does).
type Plurals interface {
	N(id string, count int, data map[string]any) string
}

// count words a count with plurals where tx knows them, else through T
// with the count as Count.
func count(tx Texts, id string, n int) string {
	if p, ok := tx.(Plurals); ok {
		return p.N(id, n, nil)
	}
	return tx.T(id, map[string]any{"Count": n})
}
