package syllabus

import (
	"errors"
	"slices"
	"testing"
)

func known(id string) bool { return slices.Contains([]string{"a", "b", "c"}, id) }

func TestParse(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
		code      string
		line      int
	}{
		{"ok", "title = \"Lab 1\"\nlessons = [\"b\", \"a\"]\n", []string{"b", "a"}, "", 0},
		{"multi-line list", "lessons = [\n  \"c\",\n  \"a\",\n]\n", []string{"c", "a"}, "", 0},
		{"unknown lesson", "title = \"x\"\nlessons = [\n  \"a\",\n  \"zz\",\n]\n", nil, CodeUnknown, 4},
		{"twice", "lessons = [\"a\", \"b\",\n \"a\"]\n", nil, CodeTwice, 1},
		{"no lessons", "title = \"x\"\nlessons = []\n", nil, CodeNoLessons, 2},
		{"missing lessons", "title = \"x\"\n", nil, CodeNoLessons, 1},
		{"syntax", "title = \"x\"\nlessons = [\"a\"\n", nil, CodeSyntax, 2},
		{"typo in a key", "title = \"x\"\nlesson = [\"a\"]\n", nil, CodeUnknownKey, 2},
		{"wrong type", "lessons = \"a\"\n", nil, CodeSyntax, 1},
		{"a lesson of its own", "lessons = [\"mine\", \"a\"]\n\n[[lesson]]\nid = \"mine\"\nexchange = \"x\"\n", []string{"mine", "a"}, "", 0},
		{"own lesson without id", "lessons = [\"a\"]\n\n[[lesson]]\nexchange = \"x\"\n", nil, CodeNoID, 3},
		{"own lesson twice", "lessons = [\"m\"]\n[[lesson]]\nid = \"m\"\n[[lesson]]\nid = \"m\"\n", nil, CodeDefined, 5},
		{"own lesson misspelt key", "lessons = [\"m\"]\n[[lesson]]\nid = \"m\"\nstep = []\n", nil, CodeUnknownKey, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse([]byte(tt.src), known)
			var e *Error
			switch {
			case tt.code == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.code == "" && !slices.Equal(s.Lessons, tt.want):
				t.Errorf("lessons %v, want %v", s.Lessons, tt.want)
			case tt.code != "" && (!errors.As(err, &e) || e.Code != tt.code || e.Line != tt.line):
				t.Errorf("error %v, want %s on line %d", err, tt.code, tt.line)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("title = \"Lab\"\nlessons = [\"a\", \"b\"]\n"))
	f.Add([]byte("lessons = [\"m\"]\n[[lesson]]\nid = \"m\"\nsteps = [\"run\"]\nrequires = [{ id = \"x\", filter = \"tcp\", min = 1 }]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, known)
		if err != nil {
			return
		}
		own := map[string]bool{}
		for _, e := range s.Entries {
			if e.ID == "" || own[e.ID] {
				t.Fatalf("accepted an entry without id, or twice: %q", data)
			}
			own[e.ID] = true
		}
		if len(s.Lessons) == 0 {
			t.Fatalf("accepted no lessons: %q", data)
		}
		for _, id := range s.Lessons {
			if !known(id) && !own[id] {
				t.Fatalf("accepted unknown lesson %s: %q", id, data)
			}
		}
	})
}

func TestSetsKey(t *testing.T) {
	tests := []struct {
		line, key string
		ok        bool
		at        int
		rest      string
	}{
		{`id = "a"`, "id", true, 0, ` "a"`},
		{`  "id"="a"`, "id", true, 0, `"a"`},
		{`  { id = "syn", filter = "tcp", min = 1 },`, "id", true, 2, ` "syn", filter = "tcp", min = 1 },`},
		{`{ id = "x", filter = "tcp" }`, "filter", true, 12, ` "tcp" }`},
		{`steps = ["run"]`, "step", false, 0, ""},
		{`udp-quiz = 1`, "quiz", false, 0, ""},
		{`quiz = ["port"] # quiz = no`, "quiz", true, 0, ` ["port"] # quiz = no`},
		{`idle = 1`, "id", false, 0, ""},
	}
	for _, tt := range tests {
		at, rest, ok := setsKey([]byte(tt.line), tt.key)
		if ok != tt.ok || ok && (at != tt.at || string(rest) != tt.rest) {
			t.Errorf("setsKey(%q, %q) = %d %q %v, want %d %q %v", tt.line, tt.key, at, rest, ok, tt.at, tt.rest, tt.ok)
		}
	}
}
