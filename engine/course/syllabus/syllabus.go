// Package syllabus reads course files: the course's own manifest
// (content/course.toml, every lesson in order, each an entry of the
// array lesson) and an instructor's course file, which chooses lessons
// and their order, gives a title, and may define lessons of its own:
//
//	title = "Networks, lab 1"
//	lessons = ["tcp-handshake", "sockets", "udp-twice"]
//
//	[[lesson]]
//	id = "udp-twice"
//	exchange = "udp-echo"
//	steps = ["text:intro", "run", "packets", "quiz", "summary"]
//	quiz = ["udp-client-port"]
//	requires = [{ id = "udp_request", filter = "udp.dstport == 10001", min = 1 }]
//
// It checks the file's shape and says where it is wrong, by line; what
// the names in an entry mean (exchanges, steps, quiz makers, filters) is
// checked by the course that builds the lessons (course.Build).
package syllabus

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"

	"wiretutor/engine/text/message"
)

// Syllabus is a course file.
type Syllabus struct {
	Title string `toml:"title"`
	// Lessons is the order of the course: ids of known lessons or of
	// the file's own entries. Empty in a manifest, whose order is the
	// order of its entries.
	Lessons []string `toml:"lessons"`
	// Entries are the lessons the file defines.
	Entries []Entry `toml:"lesson"`
	// lines are the file's lines and headers the lines of its
	// [[lesson]] headers, for finding the line of a name.
	lines   [][]byte
	headers []int
}

// Entry is one lesson as a course file defines it.
type Entry struct {
	ID string `toml:"id"`
	// Exchange names the traffic script the lesson runs.
	Exchange string `toml:"exchange"`
	// Steps are the lesson's steps in order, each "KIND" or "KIND:ARG".
	Steps []string `toml:"steps"`
	// Requires is what a capture of the lesson must hold.
	Requires []Require `toml:"requires"`
	// Quiz names the quiz makers of the lesson's quiz step.
	Quiz []string `toml:"quiz"`
	// Tasks are the filtering exercises of its tasks step.
	Tasks []Task `toml:"tasks"`
	// Verify are the roles a learner's own program can play in the
	// lesson (wiretutor verify), by role: "client", "server".
	Verify map[string]Program `toml:"verify"`
	// Anatomy are the frames its anatomy steps show, by id.
	Anatomy []Anatomy `toml:"anatomy"`
	// Graphs are the graphs its graph steps draw, by id.
	Graphs []Graph `toml:"graphs"`
	// Line is the line of the entry's id (of its header when it has
	// none), from 1.
	Line int `toml:"-"`
	// from and to are the entry's lines in the file, its header to the
	// line before the next entry.
	from, to int
}

// Require is one thing a capture of the lesson must hold: at least Min
// frames that the display filter Filter selects.
type Require struct {
	ID     string `toml:"id"`
	Filter string `toml:"filter"`
	Min    int    `toml:"min"`
}

// Program is one role of a learner's program in a lesson: the peer
// wiretutor runs beside it and the checks its capture must pass, in
// order:
//
//	[lesson.verify.client]
//	peer = "echo-server"
//	checks = ["tcp-connects", "tcp-sends", "tcp-closes"]
type Program struct {
	Peer   string   `toml:"peer"`
	Checks []string `toml:"checks"`
}

// Anatomy is a frame an anatomy:ID step shows field by field: the
// first that the display filter Filter selects, its headers of Layers
// (ip, ipv6, tcp, udp, icmp, icmpv6):
//
//	anatomy = [{ id = "synack", filter = "tcp.flags.syn == 1 && tcp.flags.ack == 1", layers = ["ip", "tcp"] }]
type Anatomy struct {
	ID     string   `toml:"id"`
	Filter string   `toml:"filter"`
	Layers []string `toml:"layers"`
}

// Graph is a graph a graph:ID step draws: one of Wireshark's TCP Stream
// Graphs (Kind: tcptrace, throughput or rtt) of the TCP stream of the
// first frame that the display filter Filter selects, in the direction
// that carried the most data, or the other when Reverse is set:
//
//	graphs = [{ id = "seq", filter = "tcp.len > 0", kind = "tcptrace" }]
type Graph struct {
	ID      string `toml:"id"`
	Filter  string `toml:"filter"`
	Kind    string `toml:"kind"`
	Reverse bool   `toml:"reverse"`
}

// Task is a filtering exercise: Model is a filter that solves it (a
// capture filter when Capture is set); the frames it selects are the
// answer.
type Task struct {
	ID      string `toml:"id"`
	Model   string `toml:"model"`
	Capture bool   `toml:"capture"`
}

// Error is a problem at a line of a course file. Code says which (the
// Code constants); Arg is the name concerned, or the syntax error; Why,
// when set, is the underlying error (a filter that does not compile).
type Error struct {
	Line int
	Code string
	Arg  string
	Why  error
	// Have, when set, are the names Arg could have been.
	Have []string
}

// Error codes.
const (
	CodeSyntax     = "syntax"
	CodeNoLessons  = "no_lessons"
	CodeUnknown    = "unknown_lesson"
	CodeTwice      = "twice"
	CodeUnknownKey = "unknown_key"
	// Codes of lesson entries.
	CodeNoID            = "no_id"
	CodeDefined         = "defined_twice"
	CodeNoExchange      = "no_exchange"
	CodeUnknownExchange = "unknown_exchange"
	CodeNoSteps         = "no_steps"
	CodeUnknownStep     = "unknown_step"
	CodeUnknownSnapshot = "unknown_snapshot"
	CodeRunTwice        = "run_twice"
	CodeBeforeRun       = "before_run"
	CodeNothingToAsk    = "nothing_to_ask"
	CodeIDTwice         = "id_twice"
	// Codes of the manifest alone.
	CodeManifestKey  = "manifest_key"
	CodeNoEntries    = "no_entries"
	CodeStepArg      = "step_arg"
	CodeUnknownMaker = "unknown_maker"
	CodeBadFilter    = "bad_filter"
	CodeBadRequire   = "bad_require"
	CodeBadTask      = "bad_task"
	// Codes of a lesson's verify table.
	CodeUnknownRole  = "unknown_role"
	CodeUnknownPeer  = "unknown_peer"
	CodeUnknownCheck = "unknown_check"
	CodeNoChecks     = "no_checks"
	// Codes of a lesson's anatomy table and its steps.
	CodeUnknownAnatomy = "anatomy.unknown"
	CodeBadAnatomy     = "anatomy.bad"
	CodeUnknownLayer   = "anatomy.layer"
	// Codes of a lesson's graphs table and its steps.
	CodeUnknownGraphStep = "graph.unknown"
	CodeBadGraph         = "graph.bad"
	CodeUnknownGraph     = "graph.kind"
)

// Error is the problem for logs and tests, in English.
func (e *Error) Error() string {
	s := fmt.Sprintf("course file line %d: %s %s", e.Line, e.Code, e.Arg)
	if e.Why != nil {
		s += ": " + e.Why.Error()
	}
	return s
}

// Unwrap is the underlying error, if any.
func (e *Error) Unwrap() error { return e.Why }

// reasoner is an error that can say what is wrong in a few words of
// its own (a filter's fault): a course file error quotes it.
type reasoner interface{ Reason() message.Msg }

// Message names the sentence that says what is wrong at the line, one
// of course_file.*: Arg, Snapshots (the names it could have been) and,
// for a filter, Err (what is wrong with it). The command line fills in
// Have (the lessons), Exchanges, Makers and Steps.
func (e *Error) Message() (string, map[string]any) {
	data := map[string]any{"Arg": e.Arg, "Snapshots": strings.Join(e.Have, ", ")}
	var r reasoner
	if errors.As(e.Why, &r) {
		data["Err"] = r.Reason()
	}
	return "course_file." + e.Code, data
}

// Parse reads an instructor's course file: it must name its lessons,
// each either known (an existing lesson) or defined in the file.
func Parse(data []byte, known func(id string) bool) (*Syllabus, error) {
	s, err := decode(data)
	if err != nil {
		return nil, err
	}
	if len(s.Lessons) == 0 {
		return nil, &Error{Line: max(lineOf(data, "lessons"), 1), Code: CodeNoLessons}
	}
	own := map[string]bool{}
	for _, e := range s.Entries {
		own[e.ID] = true
	}
	seen := map[string]bool{}
	for _, id := range s.Lessons {
		switch {
		case !known(id) && !own[id]:
			return nil, &Error{Line: lineOf(data, `"`+id+`"`), Code: CodeUnknown, Arg: id}
		case seen[id]:
			return nil, &Error{Line: lineOf(data, `"`+id+`"`), Code: CodeTwice, Arg: id}
		}
		seen[id] = true
	}
	return s, nil
}

// ParseManifest reads the course's manifest: its entries are the
// lessons, in order.
func ParseManifest(data []byte) (*Syllabus, error) {
	s, err := decode(data)
	if err != nil {
		return nil, err
	}
	switch {
	case s.Title != "":
		return nil, &Error{Line: max(s.keyLine("title", 1, len(s.lines)), 1), Code: CodeManifestKey, Arg: "title"}
	case len(s.Lessons) > 0:
		return nil, &Error{Line: max(s.keyLine("lessons", 1, len(s.lines)), 1), Code: CodeManifestKey, Arg: "lessons"}
	case len(s.Entries) == 0:
		return nil, &Error{Line: 1, Code: CodeNoEntries}
	}
	for _, e := range s.Entries {
		s.Lessons = append(s.Lessons, e.ID)
	}
	return s, nil
}

// decode reads the TOML and checks what every course file shares: no
// unknown key, and lesson entries with an id each, once.
func decode(data []byte) (*Syllabus, error) {
	s := &Syllabus{lines: bytes.Split(data, []byte("\n"))}
	s.headers = entryLines(s.lines)
	md, err := toml.Decode(string(data), s)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line := pe.Position.Line
			if st := pe.Position.Start; st >= 0 && st <= len(data) {
				line = bytes.Count(data[:st], []byte("\n")) + 1
			}
			return nil, &Error{Line: line, Code: CodeSyntax, Arg: pe.Message}
		}
		// "lesson" that is not an array of tables is a misspelt "lessons".
		var raw map[string]any
		if _, rerr := toml.Decode(string(data), &raw); rerr == nil {
			if v, ok := raw["lesson"]; ok {
				if _, tables := v.([]map[string]any); !tables {
					return nil, &Error{Line: max(lineOf(data, "lesson"), 1), Code: CodeUnknownKey, Arg: "lesson"}
				}
			}
		}
		return nil, &Error{Line: max(lineOf(data, "lessons"), 1), Code: CodeSyntax, Arg: err.Error()}
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		return nil, &Error{Line: max(s.keyLine(k[len(k)-1], 1, len(s.lines)), 1), Code: CodeUnknownKey, Arg: k.String()}
	}
	s.Title = strings.TrimSpace(s.Title)
	s.ranges()
	defined := map[string]bool{}
	for i := range s.Entries {
		e := &s.Entries[i]
		switch {
		case e.ID == "":
			return nil, &Error{Line: e.Line, Code: CodeNoID}
		case defined[e.ID]:
			return nil, &Error{Line: e.Line, Code: CodeDefined, Arg: e.ID}
		}
		defined[e.ID] = true
	}
	return s, nil
}

// header is a [[lesson]] line, comment and quotes allowed.
var header = regexp.MustCompile(`^\s*\[\[\s*"?lesson"?\s*\]\]\s*(#.*)?$`)

// entryLines are the lines of the [[lesson]] headers, in order.
func entryLines(all [][]byte) []int {
	var lines []int
	for i, l := range all {
		if header.Match(l) {
			lines = append(lines, i+1)
		}
	}
	return lines
}

// ranges finds each entry's lines: from its [[lesson]] header to the
// next one; where the entries are written otherwise (lesson = [{…}]),
// from its id to the next entry's id. Line is its id's line.
func (s *Syllabus) ranges() {
	n := len(s.lines)
	if len(s.headers) == len(s.Entries) {
		for i := range s.Entries {
			e := &s.Entries[i]
			e.from, e.to = s.headers[i], n
			if i+1 < len(s.headers) {
				e.to = s.headers[i+1] - 1
			}
		}
	} else {
		at := 1
		for i := range s.Entries {
			e := &s.Entries[i]
			if l := s.find(`"`+e.ID+`"`, at, n); e.ID != "" && l > 0 {
				at = l
			}
			e.from, e.to = at, n
			if i > 0 {
				s.Entries[i-1].to = max(at-1, s.Entries[i-1].from)
			}
		}
	}
	for i := range s.Entries {
		e := &s.Entries[i]
		e.Line = e.from
		if e.ID != "" {
			want := []byte(`"` + e.ID + `"`)
			for n := e.from; n <= e.to && n <= len(s.lines); n++ {
				if at, rest, ok := setsKey(s.lines[n-1], "id"); ok && at == 0 && bytes.HasPrefix(bytes.TrimSpace(rest), want) {
					e.Line = n
					break
				}
			}
		}
		e.Line = max(e.Line, 1)
	}
}

// LineOf is the line, in the file, of the first occurrence of str in
// the entry's part of it, or the entry's own line when str is not
// found: where to point a person at a name.
func (s *Syllabus) LineOf(e *Entry, str string) int {
	return s.LineAfter(e, "", str)
}

// LineAfter is LineOf searching from the line of the entry's key
// (steps, quiz, requires, tasks) on: a name is pointed at where it is
// written under that key, not where it happens to appear first.
func (s *Syllabus) LineAfter(e *Entry, key, str string) int {
	from := e.from
	if key != "" {
		if l := s.keyLine(key, e.from, e.to); l > 0 {
			from = l
		}
	}
	if l := s.find(str, from, e.to); str != "" && l > 0 {
		return l
	}
	return e.Line
}

// find is the first line from..to holding str, or 0.
func (s *Syllabus) find(str string, from, to int) int {
	for n := max(from, 1); n <= to && n <= len(s.lines); n++ {
		if bytes.Contains(s.lines[n-1], []byte(str)) {
			return n
		}
	}
	return 0
}

// keyLine is the first line from..to that sets key (key = …, also
// inside an inline table), or 0.
func (s *Syllabus) keyLine(key string, from, to int) int {
	for n := max(from, 1); n <= to && n <= len(s.lines); n++ {
		if _, _, ok := setsKey(s.lines[n-1], key); ok {
			return n
		}
	}
	return 0
}

// setsKey finds where line sets key: key = …, the key bare or quoted,
// at the line's start or after a blank, { or , (inside an inline
// table). at is the key's offset past the line's indentation; rest is
// what follows the =.
func setsKey(line []byte, key string) (at int, rest []byte, ok bool) {
	t := bytes.TrimLeft(line, " \t")
	for i := 0; i < len(t); {
		j := bytes.Index(t[i:], []byte(key))
		if j < 0 {
			return 0, nil, false
		}
		k, end := i+j, i+j+len(key)
		i = k + 1
		start := k
		if start > 0 && t[start-1] == '"' {
			start--
		}
		if start > 0 && !bytes.ContainsRune([]byte(" \t{,"), rune(t[start-1])) {
			continue
		}
		if end < len(t) && t[end] == '"' {
			end++
		}
		after := bytes.TrimLeft(t[end:], " \t")
		if len(after) == 0 || after[0] != '=' {
			continue
		}
		return start, after[1:], true
	}
	return 0, nil, false
}

// lineOf is the line of the first occurrence of s, or 0.
func lineOf(data []byte, s string) int {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 0
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}
