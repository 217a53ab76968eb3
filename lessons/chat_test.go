package lessons_test

import (
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/text/i18n"
)

// TestChatSpeaksLanguage: in ru and zh the chat lesson's bots, and the
// learner's scripted lines, speak the lesson's language: none of their
// English lines is shown, each of the language's is; the protocol's
// words stay the homework's.
func TestChatSpeaksLanguage(t *testing.T) {
	lines := func(lang string) []string {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		you := map[string]any{"Nick": scriptedNick}
		return []string{
			"jack: " + tx.T("chat.bot.jack_hello", nil),
			"molly: " + tx.T("chat.bot.molly_welcome", you),
			"jack: " + tx.T("chat.bot.jack_first", nil),
			"jack: " + tx.T("chat.bot.jack_second", nil),
			scriptedNick + ": " + tx.T("chat.bot.learner_first", nil),
			scriptedNick + ": " + tx.T("chat.bot.learner_second", nil),
			"molly: " + tx.T("chat.bot.molly_reads", you),
		}
	}
	shown := func(out, line string) bool {
		for _, l := range strings.Split(out, "\n") {
			if strings.TrimSpace(l) == line {
				return true
			}
		}
		return false
	}
	en := lines("en")
	for _, lang := range []string{"ru", "zh"} {
		t.Run(lang, func(t *testing.T) {
			_, out, _ := runInSandbox(t, "chat", lang)
			ls := lines(lang)
			for i, want := range ls {
				if want == en[i] {
					t.Errorf("%q is the same in English", want)
				}
				// jack's two sends may reach the server in one read, and
				// then the room as one line.
				glued := i == 2 || i == 3
				if !shown(out, want) && !(glued && shown(out, ls[2]+ls[3])) {
					t.Errorf("the lesson does not show %q", want)
				}
				if shown(out, en[i]) || glued && shown(out, en[2]+en[3]) {
					t.Errorf("the lesson shows the English %q", en[i])
				}
			}
			for _, w := range []string{scriptedNick + " joined!", "Connected to server!"} {
				if !shown(out, w) {
					t.Errorf("the protocol's %q is not shown", w)
				}
			}
		})
	}
}
