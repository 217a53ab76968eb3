// Package syllabus reads a course file: an instructor's choice of
// lessons and their order, with a title, in TOML:
//
//	title = "Networks, lab 1"
//	lessons = ["tcp-handshake", "sockets", "chat"]
//
// The menu and the report follow it.
package syllabus

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// Syllabus is a course file.
type Syllabus struct {
	Title   string   `toml:"title"`
	Lessons []string `toml:"lessons"`
}

// Error is a problem at a line of a course file. Code says which:
// CodeSyntax, CodeNoLessons, CodeUnknown, CodeTwice, CodeUnknownKey.
type Error struct {
	Line int
	Code string
	Arg  string // the lesson id or key concerned, or the syntax error
}

// Error codes.
const (
	CodeSyntax     = "syntax"
	CodeNoLessons  = "no_lessons"
	CodeUnknown    = "unknown_lesson"
	CodeTwice      = "twice"
	CodeUnknownKey = "unknown_key"
)

func (e *Error) Error() string {
	return fmt.Sprintf("course file line %d: %s %s", e.Line, e.Code, e.Arg)
}

// Message names the sentence that says what is wrong at the line, one
// of course_file.* (the command line fills in Have, the lessons).
func (e *Error) Message() (string, map[string]any) {
	return "course_file." + e.Code, map[string]any{"Arg": e.Arg}
}

// Parse reads a course file; known reports whether a lesson id exists.
func Parse(data []byte, known func(id string) bool) (*Syllabus, error) {
	var s Syllabus
	md, err := toml.Decode(string(data), &s)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line := pe.Position.Line
			if st := pe.Position.Start; st >= 0 && st <= len(data) {
				line = bytes.Count(data[:st], []byte("\n")) + 1
			}
			return nil, &Error{Line: line, Code: CodeSyntax, Arg: pe.Message}
		}
		return nil, &Error{Line: lineOf(data, "lessons"), Code: CodeSyntax, Arg: err.Error()}
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0].String()
		return nil, &Error{Line: lineOf(data, und[0][0]), Code: CodeUnknownKey, Arg: k}
	}
	if len(s.Lessons) == 0 {
		return nil, &Error{Line: max(lineOf(data, "lessons"), 1), Code: CodeNoLessons}
	}
	seen := map[string]bool{}
	for _, id := range s.Lessons {
		switch {
		case !known(id):
			return nil, &Error{Line: lineOf(data, `"`+id+`"`), Code: CodeUnknown, Arg: id}
		case seen[id]:
			return nil, &Error{Line: lineOf(data, `"`+id+`"`), Code: CodeTwice, Arg: id}
		}
		seen[id] = true
	}
	s.Title = strings.TrimSpace(s.Title)
	return &s, nil
}

// lineOf is the line of the first occurrence of s, or 0.
func lineOf(data []byte, s string) int {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 0
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}
