package lessons_test

import (
	"testing"

	"wiretutor/content"
	"wiretutor/lessons"
)

// BenchmarkLoad is what every command does first: read course.toml and
// build the lessons, their filters compiled.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := lessons.Load(content.FS); err != nil {
			b.Fatal(err)
		}
	}
}
