package course_test

import (
	"testing"

	"wiretutor/engine/course"
	"wiretutor/lessons"
)

// courseOf is the shipped course, from the embedded course.toml.
func courseOf(t testing.TB) []*course.Lesson {
	t.Helper()
	ls, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// lesson is the shipped lesson with the id.
func lesson(t testing.TB, id string) *course.Lesson {
	t.Helper()
	l := lessons.Find(courseOf(t), id)
	if l == nil {
		t.Fatalf("no lesson %s in the course", id)
	}
	return l
}
