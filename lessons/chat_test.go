package lessons_test

import (
	"strings"
	"testing"
	"unicode"

	"wiretutor/content"
	"wiretutor/engine/text/i18n"
	"wiretutor/servers/chat"
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

// TestChatLinesFitProtocol: in every language, each line the lesson's
// bots and chat server send is one line of text, short enough for one
// recv(1024) of the homework's client with the longest nickname in
// front, so a translation cannot break the framing the lesson teaches.
func TestChatLinesFitProtocol(t *testing.T) {
	long := strings.Repeat("я", chat.MaxNick) // the longest nickname, two bytes a letter
	for _, lang := range i18n.Available(content.FS) {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{
			"chat.bot.jack_hello", "chat.bot.molly_welcome", "chat.bot.jack_first", "chat.bot.jack_second",
			"chat.bot.molly_reads", "chat.bot.learner_first", "chat.bot.learner_second",
			"chat.server.full", "chat.server.bad_nick", "chat.server.nick_taken", "chat.server.dropped",
		} {
			line := long + ": " + tx.T(id, map[string]any{"Nick": long, "Max": chat.MaxNick})
			switch {
			case strings.TrimSpace(tx.T(id, nil)) == "":
				t.Errorf("%s %s is empty", lang, id)
			case strings.ContainsFunc(line, unicode.IsControl):
				t.Errorf("%s %s holds a control character: %q", lang, id, line)
			case len(line) > 1024:
				t.Errorf("%s %s is %d bytes with a nickname in front, more than one recv(1024)", lang, id, len(line))
			}
		}
	}
}
