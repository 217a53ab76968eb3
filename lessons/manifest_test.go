package lessons_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/syllabus"
	"wiretutor/engine/text/i18n"
	"wiretutor/lessons"
	"wiretutor/lessons/lessontest"
)

// TestEveryNameIsUsed: every script, quiz maker, verify peer and check
// the registry offers is one the shipped course uses, and the course
// uses no other.
func TestEveryNameIsUsed(t *testing.T) {
	usedScripts, usedMakers := map[string]bool{}, map[string]bool{}
	usedPeers, usedChecks := map[string]bool{}, map[string]bool{}
	data, err := fs.ReadFile(content.FS, lessons.ManifestFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := syllabus.ParseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range s.Entries {
		usedScripts[e.Exchange] = true
		for _, m := range e.Quiz {
			usedMakers[m] = true
		}
		for _, st := range e.Steps {
			if m, ok := strings.CutPrefix(st, "ask:"); ok {
				usedMakers[m] = true
			}
		}
	}
	for _, e := range s.Entries {
		for _, p := range e.Verify {
			usedPeers[p.Peer] = true
			for _, c := range p.Checks {
				usedChecks[c] = true
			}
		}
	}
	reg := lessons.Registry{}
	for _, n := range reg.Peers() {
		if !usedPeers[n] {
			t.Errorf("no lesson's verify runs the peer %s", n)
		}
	}
	for _, n := range reg.Checks() {
		if !usedChecks[n] {
			t.Errorf("no lesson's verify makes the check %s", n)
		}
	}
	for _, n := range reg.Scripts() {
		if !usedScripts[n] {
			t.Errorf("no lesson runs the script %s", n)
		}
	}
	for _, n := range reg.Makers() {
		if !usedMakers[n] {
			t.Errorf("no lesson asks the quiz question %s", n)
		}
	}
	if len(lessontest.Course(t)) != len(s.Entries) {
		t.Errorf("%d lessons built of %d entries", len(lessontest.Course(t)), len(s.Entries))
	}
}

// FuzzLoad: whatever course.toml holds, Load builds the lessons or says
// what is wrong where, and never panics.
func FuzzLoad(f *testing.F) {
	data, _ := fs.ReadFile(content.FS, lessons.ManifestFile)
	f.Add(data)
	f.Add([]byte("[[lesson]]\nid = \"x\"\nexchange = \"udp-echo\"\nsteps = [\"run\", \"text:\"]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ls, err := lessons.Load(fstest.MapFS{lessons.ManifestFile: {Data: data}})
		var se *syllabus.Error
		switch {
		case err == nil && len(ls) == 0:
			t.Fatalf("no lessons and no error: %q", data)
		case err != nil && !errors.As(err, &se):
			t.Fatalf("not a syllabus error: %v", err)
		case err != nil && se.Line < 1:
			t.Fatalf("no line: %v", err)
		}
		for _, l := range ls {
			if l.Exchange == nil || l.Complete == nil || len(l.Steps) == 0 {
				t.Fatalf("lesson %s half built: %q", l.ID, data)
			}
		}
	})
}

// TestAuthoringGuideNamesEverything: content/AUTHORING.md names every
// exchange, step kind, quiz question, verify peer and verify check, in
// each of its languages.
func TestAuthoringGuideNamesEverything(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "content", "AUTHORING.md"))
	if err != nil {
		t.Fatal(err)
	}
	// The level-2 headings outside code blocks start the languages.
	var parts []string
	fenced := false
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			fenced = !fenced
		case !fenced && strings.HasPrefix(line, "## "):
			parts = append(parts, "")
		}
		if len(parts) > 0 {
			parts[len(parts)-1] += line + "\n"
		}
	}
	if langs := i18n.Available(content.FS); len(parts) < len(langs) {
		t.Fatalf("%d language sections for the %d languages %v", len(parts), len(langs), langs)
	}
	reg := lessons.Registry{}
	var names []string
	for _, n := range reg.Scripts() {
		names = append(names, "`"+n+"`")
	}
	for _, n := range reg.Makers() {
		names = append(names, "`"+n+"`")
	}
	for _, n := range append(reg.Peers(), reg.Checks()...) {
		names = append(names, "`"+n+"`")
	}
	for _, n := range course.StepKindNames() {
		name, _, _ := strings.Cut(n, ":")
		names = append(names, "`"+name)
	}
	for _, part := range parts {
		lang, _, _ := strings.Cut(strings.TrimPrefix(part, "## "), "\n")
		for _, n := range names {
			if !strings.Contains(part, n) {
				t.Errorf("the %s part does not name %s", lang, n)
			}
		}
	}
}

// TestEveryLessonHasTheLearnerAct: each lesson of the course has a step
// where the learner does something the lesson checks from the capture
// (a filter task), and asks its questions where they teach: no lesson
// keeps them all for the end.
func TestEveryLessonHasTheLearnerAct(t *testing.T) {
	for _, l := range lessontest.Course(t) {
		tasks, firstAsk, lastReveal := 0, -1, -1
		for i, st := range l.Steps {
			switch st.Kind {
			case course.Tasks:
				tasks += len(l.Tasks)
			case course.Ask, course.Quiz:
				if firstAsk < 0 {
					firstAsk = i
				}
			case course.Packets, course.Ladder, course.Follow, course.Sockets, course.Graph:
				lastReveal = i
			}
		}
		if tasks == 0 {
			t.Errorf("%s: no filter task: the learner only reads", l.ID)
		}
		if firstAsk > lastReveal {
			t.Errorf("%s: every question comes after the last of the capture is shown", l.ID)
		}
	}
}

// TestVerifyTableErrors: a lesson's verify table that names a role,
// peer or check there is not, or checks nothing, is refused at its
// line, with the code its sentence has.
func TestVerifyTableErrors(t *testing.T) {
	head := "[[lesson]]\nid = \"x\"\nexchange = \"echo-tcp\"\nsteps = [\"run\"]\n"
	tests := []struct {
		table string
		code  string
		line  int
	}{
		{"[lesson.verify.both]\npeer = \"echo-server\"\nchecks = [\"tcp-connects\"]\n", syllabus.CodeUnknownRole, 5},
		{"[lesson.verify.client]\npeer = \"echo-servr\"\nchecks = [\"tcp-connects\"]\n", syllabus.CodeUnknownPeer, 6},
		{"[lesson.verify.client]\npeer = \"echo-server\"\nchecks = [\"tcp-connect\"]\n", syllabus.CodeUnknownCheck, 7},
		{"[lesson.verify.client]\npeer = \"echo-server\"\nchecks = []\n", syllabus.CodeNoChecks, 5},
	}
	for _, tt := range tests {
		_, err := lessons.Load(fstest.MapFS{lessons.ManifestFile: {Data: []byte(head + tt.table)}})
		var se *syllabus.Error
		if !errors.As(err, &se) || se.Code != tt.code || se.Line != tt.line {
			t.Errorf("%q: %v, want %s at line %d", tt.table, err, tt.code, tt.line)
		}
	}
	ls, err := lessons.Load(fstest.MapFS{lessons.ManifestFile: {Data: []byte(head + "[lesson.verify.server]\npeer = \"echo-client\"\nchecks = [\"tcp-echoes\"]\n")}})
	if err != nil || ls[0].Program(course.RoleServer) == nil || ls[0].Program(course.RoleClient) != nil {
		t.Errorf("a server table: %v", err)
	}
}
