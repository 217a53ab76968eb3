package netenv

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"wiretutor/engine/text/message"
)

// Impairment is what the sandbox link does to frames on their way: drop
// chosen frames once, delay every frame, swap a frame with the next, or
// lose a share of frames with a fixed seed. Frames are numbered from 1
// in the order the stack sends them, which is their number in the
// capture. The zero Impairment passes every frame untouched.
type Impairment struct {
	Drop    map[int]bool  // frames to drop, once each
	Reorder map[int]bool  // frames to hold back until the next frame has passed
	Delay   time.Duration // added to every frame
	Loss    float64       // share of frames lost at random, 0 to 1
	Seed    int64         // seed for Loss, so a run can be repeated
	// Rules lose TCP segments a lesson chooses by what they carry, not
	// by their number: the first SYN of each connection, say.
	Rules []Rule
}

// Active reports whether the impairment changes anything.
func (im Impairment) Active() bool {
	return len(im.Drop) > 0 || len(im.Reorder) > 0 || im.Delay > 0 || im.Loss > 0 || len(im.Rules) > 0
}

// String writes the impairment as --impair takes it, in a fixed order:
// "drop=4,9 reorder=5 delay=30ms loss=0.1 seed=7"; each part only when
// it changes something (seed when it is not DefaultLossSeed), so that
// ParseImpairments reads the same impairment back.
func (im Impairment) String() string {
	var parts []string
	frames := func(key string, set map[int]bool) {
		var ns []int
		for n, on := range set {
			if on {
				ns = append(ns, n)
			}
		}
		if len(ns) == 0 {
			return
		}
		slices.Sort(ns)
		s := make([]string, len(ns))
		for i, n := range ns {
			s[i] = strconv.Itoa(n)
		}
		parts = append(parts, key+"="+strings.Join(s, ","))
	}
	frames("drop", im.Drop)
	frames("reorder", im.Reorder)
	if im.Delay != 0 {
		parts = append(parts, "delay="+im.Delay.String())
	}
	if im.Loss != 0 {
		parts = append(parts, "loss="+strconv.FormatFloat(im.Loss, 'g', -1, 64))
	}
	if im.Seed != DefaultLossSeed {
		parts = append(parts, "seed="+strconv.FormatInt(im.Seed, 10))
	}
	return strings.Join(parts, " ")
}

// ImpairError is an --impair value that does not parse; Code says what
// is wrong for a translated message: "unknown", "frames", "delay", "loss",
// "seed".
type ImpairError struct {
	Spec string
	Code string
}

// Error describes the problem in English.
func (e *ImpairError) Error() string { return fmt.Sprintf("impairment %q: %s", e.Spec, e.Code) }

// ErrImpairSyntax is wrapped by every ImpairError.
var ErrImpairSyntax = errors.New("impairment syntax")

// Unwrap returns ErrImpairSyntax.
func (e *ImpairError) Unwrap() error { return ErrImpairSyntax }

// Message names the sentence that tells a person: the value and what is
// wrong with it.
func (e *ImpairError) Message() (string, map[string]any) {
	return "error.impair", map[string]any{"Spec": e.Spec, "Why": message.Msg{ID: "impair." + e.Code}}
}

// DefaultLossSeed seeds random loss when no seed is given.
const DefaultLossSeed = 1

// ParseImpairments reads --impair values: "drop=4", "drop=4,9",
// "reorder=5", "delay=30ms", "loss=10%" (or "loss=0.1"), "seed=7".
func ParseImpairments(specs []string) (Impairment, error) {
	im := Impairment{Seed: DefaultLossSeed}
	for _, spec := range specs {
		for _, part := range strings.Fields(strings.ReplaceAll(spec, ";", " ")) {
			key, val, ok := strings.Cut(part, "=")
			if !ok {
				return im, &ImpairError{Spec: part, Code: "unknown"}
			}
			switch key {
			case "drop", "reorder":
				set := map[int]bool{}
				for _, f := range strings.Split(val, ",") {
					n, err := strconv.Atoi(f)
					if err != nil || n < 1 {
						return im, &ImpairError{Spec: part, Code: "frames"}
					}
					set[n] = true
				}
				if key == "drop" {
					im.Drop = set
				} else {
					im.Reorder = set
				}
			case "delay":
				d, err := time.ParseDuration(val)
				if err != nil || d < 0 || d > time.Minute {
					return im, &ImpairError{Spec: part, Code: "delay"}
				}
				im.Delay = d
			case "loss":
				pct := strings.HasSuffix(val, "%")
				v, err := strconv.ParseFloat(strings.TrimSuffix(val, "%"), 64)
				if pct {
					v /= 100
				}
				if err != nil || !(v >= 0 && v < 1) { // refuses NaN too
					return im, &ImpairError{Spec: part, Code: "loss"}
				}
				im.Loss = v
			case "seed":
				n, err := strconv.ParseInt(val, 10, 64)
				if err != nil {
					return im, &ImpairError{Spec: part, Code: "seed"}
				}
				im.Seed = n
			default:
				return im, &ImpairError{Spec: part, Code: "unknown"}
			}
		}
	}
	return im, nil
}
