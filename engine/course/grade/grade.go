// Package grade checks a capture against what a lesson's capture must
// hold: how many packets each requirement's display filter matches, and
// tshark's line for the first of them, as proof.
package grade

import (
	"fmt"

	"wiretutor/engine/course"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
)

// Packets walks a capture, calling fn with each packet (valid only
// during the call) and the capture's time precision in decimal digits,
// and stops at fn's first error.
type Packets func(fn func(p *dissect.Packet, prec int) error) error

// Check is one requirement's outcome.
type Check struct {
	course.Requirement
	Matched int    // packets its filter matches
	First   []byte // tshark's line of the first of them
}

// Met reports whether the capture holds the requirement's packets.
func (c Check) Met() bool { return c.Matched >= c.Min }

// Result is a capture's grade.
type Result struct {
	Packets int     // packets in the capture
	Checks  []Check // one per requirement, in their order
}

// Failed counts the requirements not met.
func (r *Result) Failed() int {
	n := 0
	for _, c := range r.Checks {
		if !c.Met() {
			n++
		}
	}
	return n
}

// Capture grades the packets against reqs. A requirement's filter that
// does not compile is an error that names the requirement and wraps the
// *filter.DisplayError.
func Capture(reqs []course.Requirement, packets Packets) (*Result, error) {
	filters := make([]*filter.Display, len(reqs))
	res := &Result{Checks: make([]Check, len(reqs))}
	for i, r := range reqs {
		f, err := filter.CompileDisplay(r.Filter)
		if err != nil {
			return nil, fmt.Errorf("requirement %s: %w", r.ID, err)
		}
		filters[i] = f
		res.Checks[i].Requirement = r
	}
	err := packets(func(p *dissect.Packet, prec int) error {
		res.Packets++
		for i, f := range filters {
			if !f.Match(p) {
				continue
			}
			c := &res.Checks[i]
			if c.Matched == 0 {
				c.First = dissect.Summary(nil, p, prec)
			}
			c.Matched++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
