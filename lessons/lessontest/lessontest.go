// Package lessontest gives tests the shipped course, built from the
// embedded content/course.toml, as net/http/httptest gives them servers:
// a test names a lesson by id and never by its place or the count.
package lessontest

import (
	"testing"

	"wiretutor/engine/course"
	"wiretutor/lessons"
)

// Course is the shipped course; a broken manifest fails the test.
func Course(t testing.TB) []*course.Lesson {
	t.Helper()
	ls, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// Lesson is the shipped lesson with the id; none fails the test.
func Lesson(t testing.TB, id string) *course.Lesson {
	t.Helper()
	l := lessons.Find(Course(t), id)
	if l == nil {
		t.Fatalf("no lesson %s in the course", id)
	}
	return l
}
