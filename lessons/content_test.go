package lessons_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/cli"
	"wiretutor/engine/course"
	"wiretutor/engine/course/doc"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/contentcheck"
	"wiretutor/engine/text/i18n"
	"wiretutor/lessons/lessontest"
)

// complete are the languages the house keeps complete: English, the
// reference, and Russian and Chinese beside it.
var complete = []string{"en", "ru", "zh"}

// workLeft are the findings that say a translation is not finished: a
// lesson, a section or a message not translated yet, or one the English
// has moved on from. A language of its own translator may ship with them
// (what it lacks is shown in English); a complete one never has them.
var workLeft = map[string]bool{
	"content_check.lesson_missing":  true,
	"content_check.section_missing": true,
	"content_check.message_missing": true,
	"content_check.stale":           true,
}

// checkLessons is the shipped course as the content check sees it.
func checkLessons(t *testing.T) []contentcheck.Lesson {
	t.Helper()
	var ls []contentcheck.Lesson
	for _, l := range lessontest.Course(t) {
		ls = append(ls, contentcheck.Lesson{ID: l.ID, Sections: l.Sections(), Messages: l.Messages()})
	}
	return ls
}

// TestShippedContentIsClean: the content check a translator runs finds
// nothing in the languages the house keeps complete, and in any other
// language the binary embeds nothing but work left; no folder is named
// by a language tag written wrong.
func TestShippedContentIsClean(t *testing.T) {
	have := i18n.Available(content.FS)
	if have[0] != "en" {
		t.Errorf("embedded languages %v: English is not first", have)
	}
	for _, l := range complete {
		if !slices.Contains(have, l) {
			t.Errorf("embedded languages %v lack %s", have, l)
		}
	}
	for name, tag := range i18n.Misnamed(content.FS) {
		t.Errorf("content/%s/ is not a language: name it %s", name, tag)
	}
	for _, f := range contentcheck.Check(content.FS, checkLessons(t)) {
		if lang, _, _ := strings.Cut(f.File, "/"); slices.Contains(complete, lang) || !slices.Contains(have, lang) || !workLeft[f.ID] {
			t.Error(f)
		}
	}
}

// TestANewLanguage: a translator adds Brazilian Portuguese with a folder
// alone, holding a few messages and part of one lesson. The course
// offers it by its own name, remembers it, and runs a lesson in it, in
// English where it has no translation yet; the content check finds only
// the work left.
func TestANewLanguage(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, content.FS); err != nil {
		t.Fatal(err)
	}
	pt := filepath.Join(dir, "pt-BR")
	if err := os.Mkdir(pt, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"ui.toml": "[language]\nname = \"Português (Brasil)\"\n\n[menu]\nlanguage = \"Idioma: {{.Name}}\"\n\n" +
			"[menu.progress]\none = \"{{.Done}} de {{.Count}} lição concluída\"\nother = \"{{.Done}} de {{.Count}} lições concluídas\"\n",
		"sockets.md": "+++\nid = \"sockets\"\ntitle = \"Sockets e portas\"\n+++\n\n## Dois programas, uma porta {#intro}\n\n" +
			"Dois programas: um receptor na porta 24000 e um remetente.\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(pt, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := contentcheck.MarkCurrent(dir, "pt-BR", "sockets"); err != nil {
		t.Fatal(err)
	}
	fsys := os.DirFS(dir)

	have := i18n.Available(fsys)
	if want := slices.Sorted(slices.Values(append(i18n.Available(content.FS)[1:], "pt-BR"))); !slices.Equal(have[1:], want) || have[0] != "en" {
		t.Fatalf("Available = %v", have)
	}
	var left int
	for _, f := range contentcheck.Check(fsys, checkLessons(t)) {
		if lang, _, _ := strings.Cut(f.File, "/"); lang != "pt-BR" || !workLeft[f.ID] {
			t.Error(f)
		}
		left++
	}
	if left == 0 {
		t.Error("the content check found nothing left to translate in pt-BR")
	}

	state := t.TempDir()
	run := func(input string, args ...string) string {
		t.Helper()
		stdin := testenv.Stdin(t, input)
		var out, errs bytes.Buffer
		env := map[string]string{"XDG_STATE_HOME": state, "LANG": "de_DE.UTF-8"}
		code := cli.Run(cli.Env{Args: append([]string{"--content", dir}, args...), Stdin: stdin, Stdout: &out, Stderr: &errs,
			Getenv: func(k string) string { return env[k] }, Content: content.FS})
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out.String(), errs.String())
		}
		return out.String() + errs.String()
	}
	count := len(lessontest.Course(t))
	progressLine := "0 de " + strconv.Itoa(count) + " lições concluídas"

	// The menu lists it by its own name; choosing it is remembered.
	out := run(strconv.Itoa(slices.Index(have, "pt-BR")+1) + "\n")
	for _, want := range []string{"Português (Brasil)", "Language: Português (Brasil). It is remembered", progressLine, "Sockets e portas", "Idioma: Português (Brasil)"} {
		if !strings.Contains(out, want) {
			t.Errorf("the menu lacks %q:\n%s", want, out)
		}
	}
	// The list, in the saved language: the translated title, English
	// for the others.
	hs := lessontest.Lesson(t, "tcp-handshake")
	enTitle := func(id string) string {
		d, _, err := course.LoadDoc(content.FS, "en", id)
		if err != nil {
			t.Fatal(err)
		}
		return d.Title
	}
	out = run("", "lessons")
	for _, want := range []string{progressLine, "Sockets e portas", enTitle(hs.ID)} {
		if !strings.Contains(out, want) {
			t.Errorf("lessons lacks %q:\n%s", want, out)
		}
	}
	// A lesson: its translated section, English for the rest.
	out = run("", "lesson", "sockets", "--no-input", "--net", "sandbox")
	en, _, err := course.LoadDoc(content.FS, "en", "sockets")
	if err != nil {
		t.Fatal(err)
	}
	var other *doc.Section
	for _, id := range lessontest.Lesson(t, "sockets").Sections() {
		if id != "intro" {
			other = en.Section(id)
			break
		}
	}
	if other == nil {
		t.Fatal("the sockets lesson shows no section but its intro")
	}
	for _, want := range []string{"Sockets e portas", "Dois programas, uma porta", "Dois programas: um receptor", other.Heading} {
		if !strings.Contains(out, want) {
			t.Errorf("the lesson lacks %q:\n%s", want, out)
		}
	}
	if heading := en.Section("intro").Heading; strings.Contains(out, heading) || strings.Contains(out, "{{") {
		t.Errorf("the lesson shows the English %q or a raw placeholder:\n%s", heading, out)
	}
	// A lesson with no translation: English, said in one line.
	out = run("", "lesson", "udp-echo", "--no-input", "--net", "sandbox")
	if !strings.Contains(out, "is not translated into your language yet") || !strings.Contains(out, enTitle("udp-echo")) {
		t.Errorf("udp-echo in pt-BR:\n%s", out)
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
	used := map[string]bool{"run.starting.kernel": true, "run.starting.sandbox": true, "run.starting.pair": true}
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
