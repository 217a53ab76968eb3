package course

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"wiretutor/engine/course/quiz"
	"wiretutor/engine/course/syllabus"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/packet/stream"
)

// Script is a traffic script registered by name: what a lesson's
// exchange does on the network and how its capture is read. Lessons of
// the manifest name one with exchange = "NAME".
type Script struct {
	// Run starts the component on n, drives its traffic and stops it,
	// telling the runner its ports and its moments through h.
	Run func(ctx context.Context, n netenv.Net, h Hooks) error
	// Done, when set, reports whether the traffic the script sends has
	// all been captured (every connection closed, say): a live capture
	// stops once the lesson's requirements hold and Done does.
	Done func(pkts []dissect.Packet) bool
	// Focus picks the connection the lesson is about.
	Focus func(conns []*stream.Conn) *stream.Conn
	// Facts are the live values the text's placeholders use.
	Facts func(c *quiz.Capture, tx quiz.Texts) map[string]any
	// Secret: the capture holds a secret sent in the clear.
	Secret bool
	// Impair, when set, makes the segments the lesson loses on purpose,
	// fresh for each run of the lesson: such a lesson runs in the
	// sandbox, whose link loses them (netenv.Rule).
	Impair func() []netenv.Rule
	// Snapshots names the socket tables Run takes (h.Snapshot), for
	// sockets: steps; AfterSnapshot is always there.
	Snapshots []string
	// Hosts is how many hosts the exchange needs: 0 or 1 for one, whose
	// loopback carries it all; 2 for a client host and a server host
	// (netenv.Peer of the Net Run gets), which runs in the sandbox.
	Hosts int
}

// Registry is what Build needs to know of the names a manifest uses.
type Registry interface {
	// Script returns a fresh script of the name (its run state its own).
	Script(name string) (Script, bool)
	// Maker returns the quiz maker of the name.
	Maker(name string) (quiz.Maker, bool)
}

// stepKind is a kind of step as the manifest writes it: "text:intro".
type stepKind struct {
	name string
	kind StepKind
	arg  bool // takes an argument after the colon (and needs one)
}

// stepKinds are the kinds of step the runner knows, each once.
func stepKinds() []stepKind {
	return []stepKind{
		{"text", Text, true},
		{"run", Run, false},
		{"packets", Packets, false},
		{"ladder", Ladder, false},
		{"quiz", Quiz, false},
		{"summary", Summary, false},
		{"sockets", Sockets, true},
		{"tasks", Tasks, false},
		{"follow", Follow, false},
		{"ask", Ask, true},
		{"anatomy", Anatomy, true},
		{"graph", Graph, true},
	}
}

// String is the kind's name in the manifest.
func (k StepKind) String() string {
	for _, sk := range stepKinds() {
		if sk.kind == k {
			return sk.name
		}
	}
	return fmt.Sprintf("StepKind(%d)", int(k))
}

// StepKindNames lists the step kinds the manifest may use, for messages
// and for documentation: "text:SECTION", "run", ….
func StepKindNames() []string {
	var names []string
	for _, sk := range stepKinds() {
		n := sk.name
		if sk.arg {
			n += ":…"
		}
		names = append(names, n)
	}
	return names
}

// ParseStep reads a step as the manifest writes it: "KIND" or
// "KIND:ARG". It returns a *syllabus.Error (its line 0) for an unknown
// kind, or an argument missing or unwanted.
func ParseStep(s string) (Step, error) {
	name, arg, hasArg := strings.Cut(s, ":")
	for _, sk := range stepKinds() {
		if sk.name != name {
			continue
		}
		if sk.arg != hasArg || sk.arg && arg == "" {
			return Step{}, &syllabus.Error{Code: syllabus.CodeStepArg, Arg: s}
		}
		return Step{Kind: sk.kind, Section: arg}, nil
	}
	return Step{}, &syllabus.Error{Code: syllabus.CodeUnknownStep, Arg: s}
}

// Build makes the lessons a course file defines, checking every name
// they use: each problem is a *syllabus.Error at the line of the name.
func Build(s *syllabus.Syllabus, reg Registry) ([]*Lesson, error) {
	var out []*Lesson
	for i := range s.Entries {
		l, err := build(s, &s.Entries[i], reg)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// build makes one lesson of an entry.
func build(s *syllabus.Syllabus, e *syllabus.Entry, reg Registry) (*Lesson, error) {
	// fail points at name as written under key.
	fail := func(code, arg, key, name string, why error) error {
		return &syllabus.Error{Line: s.LineAfter(e, key, name), Code: code, Arg: arg, Why: why}
	}
	q := func(name string) string { return `"` + name + `"` }
	if e.Exchange == "" {
		return nil, fail(syllabus.CodeNoExchange, e.ID, "", "", nil)
	}
	sc, ok := reg.Script(e.Exchange)
	if !ok {
		return nil, fail(syllabus.CodeUnknownExchange, e.Exchange, "exchange", q(e.Exchange), nil)
	}
	if len(e.Steps) == 0 {
		return nil, fail(syllabus.CodeNoSteps, e.ID, "steps", "steps", nil)
	}
	l := &Lesson{
		ID: e.ID, Script: e.Exchange,
		Exchange: sc.Run, Focus: sc.Focus, Facts: sc.Facts, Secret: sc.Secret, Impair: sc.Impair, Hosts: sc.Hosts,
	}
	views, err := buildAnatomy(s, e)
	if err != nil {
		return nil, err
	}
	graphs, err := buildGraphs(s, e)
	if err != nil {
		return nil, err
	}
	ran := false // a run step came before
	for _, str := range e.Steps {
		st, err := ParseStep(str)
		if err != nil {
			se := err.(*syllabus.Error)
			return nil, fail(se.Code, str, "steps", q(str), nil)
		}
		st.Line = s.LineAfter(e, "steps", q(str))
		if st.Kind == Ask {
			if st.Maker, ok = reg.Maker(st.Section); !ok {
				return nil, &syllabus.Error{Line: st.Line, Code: syllabus.CodeUnknownMaker, Arg: st.Section}
			}
		}
		if st.Kind == Anatomy {
			if st.Anatomy = views[st.Section]; st.Anatomy == nil {
				return nil, &syllabus.Error{Line: st.Line, Code: syllabus.CodeUnknownAnatomy, Arg: st.Section}
			}
		}
		if st.Kind == Graph {
			if st.Graph = graphs[st.Section]; st.Graph == nil {
				return nil, &syllabus.Error{Line: st.Line, Code: syllabus.CodeUnknownGraphStep, Arg: st.Section}
			}
		}
		switch {
		case st.Kind == Run && ran:
			return nil, &syllabus.Error{Line: st.Line, Code: syllabus.CodeRunTwice, Arg: str}
		case st.Kind.needsCapture() && !ran:
			return nil, &syllabus.Error{Line: st.Line, Code: syllabus.CodeBeforeRun, Arg: str}
		case st.Kind == Quiz && len(e.Quiz) == 0, st.Kind == Tasks && len(e.Tasks) == 0:
			return nil, &syllabus.Error{Line: st.Line, Code: syllabus.CodeNothingToAsk, Arg: str}
		case st.Kind == Sockets && st.Section != AfterSnapshot && !slices.Contains(sc.Snapshots, st.Section):
			return nil, &syllabus.Error{Line: st.Line, Code: syllabus.CodeUnknownSnapshot, Arg: st.Section,
				Have: append(slices.Clone(sc.Snapshots), AfterSnapshot)}
		}
		ran = ran || st.Kind == Run
		l.Steps = append(l.Steps, st)
	}
	for _, name := range e.Quiz {
		m, ok := reg.Maker(name)
		if !ok {
			return nil, fail(syllabus.CodeUnknownMaker, name, "quiz", q(name), nil)
		}
		l.Quiz = append(l.Quiz, m)
	}
	var reqs []*filter.Display
	seen := map[string]bool{}
	for _, r := range e.Requires {
		switch {
		case r.ID == "" || r.Filter == "" || r.Min < 1:
			return nil, fail(syllabus.CodeBadRequire, r.ID, "requires", q(r.ID), nil)
		case seen["require."+r.ID]:
			return nil, fail(syllabus.CodeIDTwice, r.ID, "requires", q(r.ID), nil)
		}
		seen["require."+r.ID] = true
		d, err := filter.CompileDisplay(r.Filter)
		if err != nil {
			return nil, fail(syllabus.CodeBadFilter, r.Filter, "requires", q(r.ID), err)
		}
		reqs = append(reqs, d)
		l.Requires = append(l.Requires, Requirement{ID: r.ID, Filter: r.Filter, Min: r.Min})
	}
	for _, t := range e.Tasks {
		switch {
		case t.ID == "" || t.Model == "":
			return nil, fail(syllabus.CodeBadTask, t.ID, "tasks", q(t.ID), nil)
		case seen["task."+t.ID]:
			return nil, fail(syllabus.CodeIDTwice, t.ID, "tasks", q(t.ID), nil)
		}
		seen["task."+t.ID] = true
		var err error
		if t.Capture {
			_, err = filter.CompileCapture(t.Model, capture.MaxFrame)
		} else {
			_, err = filter.CompileDisplay(t.Model)
		}
		if err != nil {
			return nil, fail(syllabus.CodeBadFilter, t.Model, "tasks", q(t.ID), err)
		}
		l.Tasks = append(l.Tasks, Task{ID: t.ID, Model: t.Model, Capture: t.Capture})
	}
	l.Complete = complete(reqs, l.Requires, sc.Done)
	if len(e.Verify) > 0 {
		progs, err := buildPrograms(s, e, reg)
		if err != nil {
			return nil, err
		}
		l.Programs = progs
	}
	return l, nil
}

// ProgramRegistry is what Build needs to know of the names a lesson's
// verify table uses; a Registry without it takes no verify tables.
type ProgramRegistry interface {
	// Peer returns the verify peer of the name, for a role.
	Peer(name string) (Peer, bool)
	// Check returns the verify check of the name.
	Check(name string) (Check, bool)
}

// buildPrograms resolves an entry's verify table, in the order of
// Roles.
func buildPrograms(s *syllabus.Syllabus, e *syllabus.Entry, reg Registry) ([]*Program, error) {
	pr, _ := reg.(ProgramRegistry)
	line := func(str string) int { return s.LineAfter(e, "", str) }
	for role := range e.Verify {
		if !slices.Contains(Roles(), role) {
			return nil, &syllabus.Error{Line: line("verify." + role), Code: syllabus.CodeUnknownRole, Arg: role, Have: Roles()}
		}
	}
	var out []*Program
	for _, role := range Roles() {
		v, ok := e.Verify[role]
		if !ok {
			continue
		}
		head := "verify." + role
		p := &Program{Role: role}
		peer, ok := Peer{}, false
		if pr != nil {
			peer, ok = pr.Peer(v.Peer)
		}
		if !ok {
			return nil, &syllabus.Error{Line: line(`"` + v.Peer + `"`), Code: syllabus.CodeUnknownPeer, Arg: v.Peer}
		}
		p.Peer = peer
		if len(v.Checks) == 0 {
			return nil, &syllabus.Error{Line: line(head), Code: syllabus.CodeNoChecks, Arg: role}
		}
		for _, name := range v.Checks {
			c, ok := pr.Check(name)
			if !ok {
				return nil, &syllabus.Error{Line: line(`"` + name + `"`), Code: syllabus.CodeUnknownCheck, Arg: name}
			}
			p.Checks = append(p.Checks, c)
		}
		out = append(out, p)
	}
	return out, nil
}

// Program returns the lesson's program of a role, or nil.
func (l *Lesson) Program(role string) *Program {
	for _, p := range l.Programs {
		if p.Role == role {
			return p
		}
	}
	return nil
}

// needsCapture reports whether a step shows or asks about the capture,
// so must come after the run step.
func (k StepKind) needsCapture() bool {
	switch k {
	case Packets, Ladder, Quiz, Sockets, Tasks, Follow, Ask, Anatomy, Graph:
		return true
	}
	return false
}

// complete reports a capture complete when it holds what the lesson
// requires and, where the script says when its traffic is over, that.
func complete(reqs []*filter.Display, want []Requirement, done func([]dissect.Packet) bool) func([]dissect.Packet) bool {
	return func(pkts []dissect.Packet) bool {
		for i, d := range reqs {
			n := 0
			for j := range pkts {
				if d.Match(&pkts[j]) {
					if n++; n >= want[i].Min {
						break
					}
				}
			}
			if n < want[i].Min {
				return false
			}
		}
		return done == nil || done(pkts)
	}
}
