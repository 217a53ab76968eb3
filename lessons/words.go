package lessons

import (
	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/text/i18n"
)

// words is the language in which an exchange's programs speak to the
// learner (a chat bot's lines, a web page): the runner's, whose hooks
// word messages, else English from the built-in content.
func words(h course.Hooks) quiz.Texts {
	if t, ok := h.(quiz.Texts); ok {
		return t
	}
	if c, err := i18n.Load(content.FS, "en"); err == nil {
		return c
	}
	return ids{}
}

// ids words every message as its id: the last resort of words, when
// not even the built-in English loads.
type ids struct{}

func (ids) T(id string, _ any) string { return id }
