package lessons_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/text/contentcheck"
	"wiretutor/engine/text/i18n"
	"wiretutor/lessons/lessontest"
)

// TestShippedContentIsClean: the content check a translator runs finds
// nothing in the content the binary embeds.
func TestShippedContentIsClean(t *testing.T) {
	var ls []contentcheck.Lesson
	for _, l := range lessontest.Course(t) {
		ls = append(ls, contentcheck.Lesson{ID: l.ID, Sections: l.Sections(), Messages: l.Messages()})
	}
	// English is the reference; the house ships at least Russian and
	// Chinese beside it (any further language is welcome).
	if got := i18n.Available(content.FS); len(got) == 0 || got[0] != "en" || !slices.Contains(got, "ru") || !slices.Contains(got, "zh") {
		t.Errorf("embedded languages %v", got)
	}
	for _, f := range contentcheck.Check(content.FS, ls) {
		t.Error(f)
	}
}

func messages(t *testing.T, lang string) map[string]map[string]string {
	t.Helper()
	data, err := fs.ReadFile(content.FS, lang+"/ui.toml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := contentcheck.Messages(data)
	if err != nil {
		t.Fatalf("%s/ui.toml: %v", lang, err)
	}
	return m
}

// TestMessagesUsedExist: every message id the Go code asks for exists.
func TestMessagesUsedExist(t *testing.T) {
	en := messages(t, "en")
	used := map[string]bool{"run.starting.kernel": true, "run.starting.sandbox": true}
	used["sockets.title.open"], used["sockets.title.after"], used["sockets.title.before"] = true, true, true
	used["chat.lesson_nick"], used["chat.lesson_say"] = true, true
	for _, path := range []string{"raw", "dgram", "sandbox", "sandbox_auto"} {
		used["ping.path_"+path] = true // cli's openPing names the path
	}
	for _, l := range lessontest.Course(t) {
		for _, task := range l.Tasks {
			used["task."+task.ID] = true
		}
		for _, r := range l.Requires {
			used["require."+r.ID] = true
		}
	}
	for _, code := range []string{"unknown", "frames", "delay", "loss", "seed"} {
		used["impair."+code] = true
	}
	for _, want := range []string{"number", "address", "bytes", "string", "time"} {
		used["want."+want] = true
	}
	for _, code := range []string{filter.CodeMissing, filter.CodeParen, filter.CodeUnsupported, filter.CodePort, filter.CodeUnexpected,
		filter.CodeHost, filter.CodePortRange, filter.CodeDisplaySyntax, filter.CodeSingleEquals, filter.CodeUnknownField, filter.CodeBadValue, filter.CodeNotComparable, filter.CodeUnclosedString, filter.CodeUnclosedSet, filter.CodeBadRegexp} {
		used["filter."+code] = true
	}
	re := regexp.MustCompile(`\b[TN]\("([a-z0-9_.]+)"`)
	for _, dir := range []string{"../engine", "."} {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				if !strings.HasSuffix(m[1], ".") && !strings.HasSuffix(m[1], "_") { // a prefix joined at run time
					used[m[1]] = true
				}
			}
			return nil
		})
	}
	if len(used) < 50 {
		t.Fatalf("found only %d message ids in the code: the scan is broken", len(used))
	}
	for id := range used {
		if _, ok := en[id]; !ok {
			t.Errorf("the code uses message %s, which en/ui.toml lacks", id)
		}
	}
}
