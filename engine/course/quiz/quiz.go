// Package quiz makes questions from a capture and asks them. A question
// names a frame and a Wireshark field; its expected answer is that
// field's value as `tshark -T fields -e FIELD` prints it, never a string
// written by hand. A wrong answer is shown the right one and the
// arithmetic behind it, worked out from the packets.
package quiz

import (
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"wiretutor/engine/internal/atomicfile"
	"wiretutor/engine/packet/dissect"
)

// Answer kinds: how a typed answer is compared with Expect.
const (
	KindNumber = "number" // a decimal number
	KindFlags  = "flags"  // a set of TCP flags: "SYN, ACK", "syn+ack" or 0x012
	KindText   = "text"   // a word or a path, compared without case or surrounding blanks
	// KindSeconds is a time in seconds, as tshark prints a relative time
	// ("1.001872570"): an answer within a tenth of a second (or 5% of a
	// longer time) is right, as no learner predicts a clock to the
	// microsecond. "1", "1.0 s", "1,0 с" and "1 秒" all read as 1.
	KindSeconds = "seconds"
	KindHex     = "hex" // a hexadecimal number such as a checksum: "0xf7fd", "f7fd" or "F7 FD"
)

// Question is one question about one frame.
type Question struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"` // what is asked: synack-flags, next-ack, ...
	Frame  int    `json:"frame"`
	Field  string `json:"field"`
	Expect string `json:"expect"`
	Prompt string `json:"prompt"`
	// Predict: asked before anything of the capture that answers it was
	// shown.
	Predict bool `json:"predict"`

	// Predicted is the question worded as a prediction, for a learner
	// who has not seen the capture yet (quiz.ID.predict); "" when the
	// question has no such wording.
	Predicted string `json:"-"`

	// Add makes a what-if question ("had frame 4 carried 100 bytes, what
	// would frame 5's Ack be?"): the answer is Field's value in Frame
	// plus Add, not the value itself. Zero for a question of what is.
	Add int64 `json:"add,omitempty"`

	// Bytes, when set, reads the answer from part of Field's bytes (a
	// payload): tshark prints the whole field, and the answer is the
	// number those bytes hold (plus Add).
	Bytes *ByteRange `json:"bytes,omitempty"`

	// Rule, when set, is what a wrong prediction is reminded of: the
	// rule that gives its answer (quiz.ID.rule), without the answer.
	Rule string `json:"-"`

	// Clue, when set, is the hint where Hint would name the frame and
	// field that hold the answer itself (a what-if's, or one that gives
	// the next question away): where to look, in the learner's words.
	Clue string `json:"-"`

	Answer  string `json:"-"` // KindNumber or KindFlags
	Explain string `json:"-"` // why Expect is right, with the numbers
	Shown   string `json:"-"` // Expect as a learner would write it
}

// WhatIf turns q into a what-if question whose answer is its field's
// value plus add (a number question), and returns it.
func (q *Question) WhatIf(add int64) *Question {
	q.Add = add
	q.Expect = q.FromField(q.Expect)
	q.Shown = q.Expect
	return q
}

// FromField is the answer q expects when its field's value (as tshark
// prints it) is v: v itself, or the number Bytes reads in it; plus Add
// for a what-if question.
func (q *Question) FromField(v string) string {
	if q.Bytes != nil {
		n, ok := q.Bytes.Read(v)
		if !ok {
			return ""
		}
		v = strconv.FormatUint(n, 10)
	}
	if q.Add == 0 {
		return v
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return v
	}
	return strconv.FormatInt(n+q.Add, 10)
}

// Check reports whether a typed answer means Expect. Full-width forms
// from an East Asian input method (５５４１２, ＳＹＮ，ＡＣＫ) count as
// their ASCII ones; where a frame number is asked, the number may come
// with the word for frame in any language ("frame 8", "кадр 8",
// "第 8 帧", "#8").
func (q *Question) Check(answer string) bool {
	answer = width.Fold.String(answer)
	switch q.Answer {
	case KindFlags:
		got, ok := ParseFlags(answer)
		want, ok2 := ParseFlags(q.Expect)
		return ok && ok2 && got == want
	case KindText:
		return strings.EqualFold(strings.TrimSpace(answer), q.Expect)
	case KindState:
		return q.checkState(answer)
	case KindHex:
		got, ok := parseHex(answer)
		want, ok2 := parseHex(q.Expect)
		return ok && ok2 && got == want
	case KindSeconds:
		got, ok := parseSeconds(answer)
		want, ok2 := parseSeconds(q.Expect)
		return ok && ok2 && math.Abs(got-want) <= max(0.1, want*0.05)
	default:
		a := strings.TrimSpace(answer)
		a = strings.TrimPrefix(a, "#")
		if m := frameAnswer.FindStringSubmatch(a); m != nil && q.Field == "frame.number" {
			a = m[1]
		}
		got, err := strconv.ParseUint(a, 10, 64)
		if h, ok := strings.CutPrefix(strings.ToLower(a), "0x"); ok {
			// A byte read off a hex dump may be answered as it is written.
			got, err = strconv.ParseUint(h, 16, 64)
		}
		want, err2 := strconv.ParseUint(q.Expect, 10, 64)
		return err == nil && err2 == nil && got == want
	}
}

// frameAnswer is a frame number with a word before or after it, as a
// learner writes it: "frame 8", "кадр №8", "第 8 帧", "frame #8".
var frameAnswer = regexp.MustCompile(`^\p{L}*\s*[#№]?\s*(\d+)\s*\p{L}*$`)

// secondsUnit is a unit after a time in seconds, in any of the
// course's languages.
var secondsUnit = regexp.MustCompile(`\s*(s|sec|secs|seconds?|с|сек|секунды?|секунд|秒)\.?$`)

// parseSeconds reads a time in seconds, with a decimal point or comma
// and an optional unit.
func parseSeconds(s string) (float64, bool) {
	s = secondsUnit.ReplaceAllString(strings.TrimSpace(s), "")
	v, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
	return v, err == nil && v >= 0 && !math.IsInf(v, 0)
}

// parseHex reads a hexadecimal number with or without 0x, spaces
// between its bytes allowed.
func parseHex(s string) (uint64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X") {
		s = s[2:]
	}
	v, err := strconv.ParseUint(s, 16, 64)
	return v, err == nil
}

var flagBits = map[string]dissect.TCPFlags{
	"FIN": dissect.FlagFIN, "SYN": dissect.FlagSYN, "RST": dissect.FlagRST, "RESET": dissect.FlagRST,
	"PSH": dissect.FlagPSH, "PUSH": dissect.FlagPSH, "ACK": dissect.FlagACK, "URG": dissect.FlagURG,
	"ECE": dissect.FlagECE, "CWR": dissect.FlagCWR, "NS": dissect.FlagNS, "AE": dissect.FlagNS,
}

// ParseFlags reads a set of TCP flags written as names ("SYN, ACK",
// "syn+ack", "[FIN ACK]") or as a number, which is hexadecimal with or
// without its 0x, as tshark prints tcp.flags ("0x012", "012", "12").
func ParseFlags(s string) (dissect.TCPFlags, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	digits := s
	if len(digits) > 2 && (digits[:2] == "0x" || digits[:2] == "0X") {
		digits = digits[2:]
	}
	if v, err := strconv.ParseUint(digits, 16, 16); err == nil && digits[0] >= '0' && digits[0] <= '9' {
		return dissect.TCPFlags(v), true
	}
	var bits dissect.TCPFlags
	words := strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool {
		return strings.ContainsRune(" ,+/|-[]&", r) || r == '，' || r == '、'
	})
	if len(words) == 0 {
		return 0, false
	}
	for _, w := range words {
		b, ok := flagBits[w]
		if !ok {
			return 0, false
		}
		bits |= b
	}
	return bits, true
}

// FlagsText writes flags the way tshark's Info column does ("SYN, ACK").
func FlagsText(flags dissect.TCPFlags) string { return flags.String() }

// Export is the --quiz-json document.
type Export struct {
	Lesson string `json:"lesson"`
	// Seed is the run's --seed: with it, the lesson makes this capture,
	// and so these questions, again. Absent when the numbers were fresh.
	Seed      *uint64     `json:"seed,omitempty"`
	Questions []*Question `json:"questions"`
}

// WriteJSON writes the document to path atomically.
func WriteJSON(path string, e Export) error {
	if e.Questions == nil {
		e.Questions = []*Question{}
	}
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(data, '\n'), 0o666)
}

// ErrNoInput is returned by an Asker whose input has ended.
var ErrNoInput = errors.New("no more input")

// ErrInterrupted is returned by an Asker when the learner pressed Ctrl-C.
var ErrInterrupted = errors.New("interrupted")
