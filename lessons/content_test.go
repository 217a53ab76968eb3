package lessons_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/doc"
	"wiretutor/engine/filter"
	"wiretutor/engine/i18n"
	"wiretutor/lessons"
)

func readDoc(t *testing.T, lang, id string) *doc.Doc {
	t.Helper()
	data, err := fs.ReadFile(content.FS, lang+"/"+id+".md")
	if err != nil {
		t.Fatalf("%s/%s.md: %v", lang, id, err)
	}
	d, err := doc.Parse(data)
	if err != nil {
		t.Fatalf("%s/%s.md: %v", lang, id, err)
	}
	return d
}

// TestLessonTexts: every lesson exists in every language with the same
// section ids and the same placeholders, its steps name sections that
// exist, and each translation is up to date with the English.
func TestLessonTexts(t *testing.T) {
	for _, l := range lessons.All() {
		en := readDoc(t, "en", l.ID)
		for _, st := range l.Steps {
			if st.Kind == course.Text && en.Section(st.Section) == nil {
				t.Errorf("%s: step names section {#%s}, which en lacks", l.ID, st.Section)
			}
		}
		for _, lang := range i18n.Languages() {
			d := readDoc(t, lang, l.ID)
			if d.ID != l.ID {
				t.Errorf("%s/%s.md: front matter id %q", lang, l.ID, d.ID)
			}
			if d.Title == "" {
				t.Errorf("%s/%s.md: no title", lang, l.ID)
			}
			if !slices.Equal(d.IDs(), en.IDs()) {
				t.Errorf("%s/%s.md: sections %v, English has %v", lang, l.ID, d.IDs(), en.IDs())
				continue
			}
			for i, s := range d.Sections {
				if got, want := doc.Placeholders(s.Body), doc.Placeholders(en.Sections[i].Body); !slices.Equal(got, want) {
					t.Errorf("%s/%s.md {#%s}: placeholders %v, English has %v", lang, l.ID, s.ID, got, want)
				}
			}
			if lang != "en" && d.SourceHash != en.Hash() {
				t.Errorf("%s/%s.md: source_hash %q but the English is now %q: update the translation", lang, l.ID, d.SourceHash, en.Hash())
			}
		}
	}
}

// pluralForms are the CLDR categories each language needs.
var pluralForms = map[string][]string{
	"en": {"one", "other"},
	"ru": {"one", "few", "many", "other"},
	"zh": {"other"},
}

// messages flattens a ui.toml into id -> forms.
func messages(t *testing.T, lang string) map[string]map[string]string {
	t.Helper()
	data, err := fs.ReadFile(content.FS, lang+"/ui.toml")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s/ui.toml: %v", lang, err)
	}
	out := map[string]map[string]string{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		forms := map[string]string{}
		for k, v := range m {
			switch v := v.(type) {
			case string:
				if slices.Contains([]string{"zero", "one", "two", "few", "many", "other"}, k) {
					forms[k] = v
				} else {
					out[strings.TrimPrefix(prefix+"."+k, ".")] = map[string]string{"other": v}
				}
			case map[string]any:
				walk(strings.TrimPrefix(prefix+"."+k, "."), v)
			}
		}
		if len(forms) > 0 {
			out[prefix] = forms
		}
	}
	walk("", raw)
	return out
}

var placeholderRE = regexp.MustCompile(`\{\{\s*\.(\w+)`)

func placeholders(s string) []string {
	var names []string
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// TestUIStrings: every message exists in every language, with the plural
// forms the language needs and the English placeholders.
func TestUIStrings(t *testing.T) {
	en := messages(t, "en")
	for _, lang := range i18n.Languages() {
		msgs := messages(t, lang)
		for id, enForms := range en {
			forms, ok := msgs[id]
			if !ok {
				t.Errorf("%s/ui.toml lacks %s", lang, id)
				continue
			}
			plural := len(enForms) > 1
			if plural {
				for _, f := range pluralForms[lang] {
					if _, ok := forms[f]; !ok {
						t.Errorf("%s/ui.toml %s lacks the plural form %q", lang, id, f)
					}
				}
			}
			want := placeholders(enForms["other"])
			for f, text := range forms {
				if got := placeholders(text); !slices.Equal(got, want) {
					t.Errorf("%s/ui.toml %s.%s: placeholders %v, English has %v", lang, id, f, got, want)
				}
			}
		}
		for id := range msgs {
			if _, ok := en[id]; !ok {
				t.Errorf("%s/ui.toml has %s, which English lacks", lang, id)
			}
		}
	}
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
	for _, l := range lessons.All() {
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
