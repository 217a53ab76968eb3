package cli_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/cli"
	"wiretutor/engine/text/i18n"
	"wiretutor/lessons/lessontest"
)

// instructor is the course folder of testdata/instructor: a course file
// with a lesson of its own, and that lesson's texts beside it.
func instructor(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(testdata(filepath.Join("instructor", "course.toml")))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCourseFileOwnLesson is the instructor's path: a course file that
// defines a lesson on an existing exchange, with its texts beside it,
// lists it in its place and runs it in every language.
func TestCourseFileOwnLesson(t *testing.T) {
	plan := instructor(t)
	code, out, errs := run(t, nil, "lessons", "--course", plan, "--lang", "en")
	if code != 0 || !strings.Contains(out, "UDP: count the bytes") || !strings.Contains(out, "0 of 2 lessons") ||
		strings.Index(out, "udp-count") > strings.Index(out, "udp-echo") {
		t.Fatalf("lessons --course: exit %d\n%s%s", code, out, errs)
	}
	titles := map[string]string{"en": "UDP: count the bytes", "ru": "UDP: посчитайте байты", "zh": "UDP：数一数字节"}
	for _, lang := range i18n.Available(content.FS) {
		t.Run(lang, func(t *testing.T) {
			code, out, errs := run(t, nil, "lesson", "udp-count", "--course", plan, "--lang", lang, "--no-input", "--net", "sandbox")
			if code != 0 || strings.Contains(errs, "panic") {
				t.Fatalf("exit %d\n%s\n%s", code, out, errs)
			}
			if want, ok := titles[lang]; ok && !strings.Contains(out, want) {
				t.Errorf("no title %q:\n%s", want, out)
			}
			// Each question where it would be asked, numbered in the
			// learner's language: "Question 2 of 2".
			tx, err := i18n.Load(content.FS, lang)
			if err != nil {
				t.Fatal(err)
			}
			header := func(n int) string { return tx.T("quiz.header", map[string]any{"N": n, "Total": 2}) }
			if strings.Count(out, header(1)) != 1 || strings.Count(out, header(2)) != 1 {
				t.Errorf("want the two questions of the course file's quiz:\n%s", out)
			}
		})
	}
	// The course file's lesson is gradable like any other.
	code, out, _ = run(t, nil, "check", "udp-count", testdata("echo-lab.pcap"), "--course", plan, "--lang", "en")
	if code != 0 || strings.Count(out, "✓") != 2 || strings.Contains(out, "✗") {
		t.Errorf("check udp-count: exit %d\n%s", code, out)
	}
}

// newLesson is a lesson entry an instructor appends to course.toml.
const newLesson = `
[[lesson]]
id = "udp-count"
exchange = "udp-echo"
steps = ["text:intro", "run", "packets", "text:count", "quiz", "summary"]
quiz = ["udp-length", "udp-reply-port"]
requires = [
  { id = "udp_request", filter = "udp.dstport == 10001 && udp.length > 8", min = 1 },
  { id = "udp_four", filter = "udp.dstport == 10001", min = 4 },
]
`

// TestContentDirNewLesson: a lesson added to a copy of content/ with an
// entry in course.toml and its markdown is shown by --content without a
// rebuild, and content check names the translations it lacks.
func TestContentDirNewLesson(t *testing.T) {
	dir := copyContent(t)
	manifest := filepath.Join(dir, "course.toml")
	data, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(manifest, append(data, newLesson...), 0o644)
	en, _ := os.ReadFile(testdata(filepath.Join("instructor", "en", "udp-count.md")))
	os.WriteFile(filepath.Join(dir, "en", "udp-count.md"), en, 0o644)

	code, out, errs := run(t, nil, "lessons", "--content", dir, "--lang", "en")
	if code != 0 || !strings.Contains(out, "UDP: count the bytes") || errs != "" {
		t.Fatalf("lessons --content: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, nil, "lesson", "udp-count", "--content", dir, "--lang", "ru", "--no-input", "--net", "sandbox")
	if code != 0 || !strings.Contains(out, "UDP: count the bytes") || !strings.Contains(out, "Вопрос 2 из 2") {
		t.Errorf("lesson udp-count --content: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = run(t, nil, "content", "check", "--dir", dir, "--lang", "en")
	if !strings.Contains(out, "names the message require.udp_four, which en/ui.toml lacks") {
		t.Errorf("content check does not ask for the new requirement's text:\n%s", out)
	}
	for _, lang := range i18n.Available(content.FS)[1:] {
		if want := filepath.Join(dir, lang, "udp-count.md"); code != cli.ExitError || !strings.Contains(out, want) {
			t.Errorf("content check: exit %d, no finding for %s:\n%s", code, want, out)
		}
	}
	// The translations, marked current as the translator would: clean.
	for _, lang := range i18n.Available(content.FS)[1:] {
		md, err := os.ReadFile(testdata(filepath.Join("instructor", lang, "udp-count.md")))
		if err != nil {
			t.Fatalf("the instructor's example lacks its %s text: %v", lang, err)
		}
		os.WriteFile(filepath.Join(dir, lang, "udp-count.md"), md, 0o644)
		if code, out, _ := run(t, nil, "content", "check", "--dir", dir, "--mark-current", lang, "udp-count"); code != 0 {
			t.Errorf("--mark-current %s of the new lesson: exit %d\n%s", lang, code, out)
		}
	}
	edit(t, manifest, `{ id = "udp_four", filter = "udp.dstport == 10001", min = 4 },`, "")
	if code, out, _ := run(t, nil, "content", "check", "--dir", dir, "--lang", "en"); code != 0 || !strings.Contains(out, "nothing to fix") {
		t.Errorf("content check after the translations: exit %d\n%s", code, out)
	}
}

// TestContentCheckManifest: a broken course.toml is a finding with its
// file and line, in the checker's language; any other command says the
// same and stops.
func TestContentCheckManifest(t *testing.T) {
	tests := []struct {
		name, from, to string
		want           map[string]string // language: words of the finding
	}{
		{"unknown exchange", `exchange = "udp-echo"`, `exchange = "udp-ehco"`,
			map[string]string{"en": "there is no exchange udp-ehco", "ru": "обмена udp-ehco нет", "zh": "没有名为 udp-ehco 的交换"}},
		{"unknown step", `"text:boundaries"`, `"txet:boundaries"`,
			map[string]string{"en": "txet:boundaries is not a step", "ru": "txet:boundaries — не шаг", "zh": "txet:boundaries 不是步骤"}},
		{"bad filter", `udp.length == 8`, `udp.lenght == 8`,
			map[string]string{"en": "does not compile", "ru": "не компилируется", "zh": "无法编译"}},
		{"unknown maker", `exchange = "udp-echo"`, "quiz = [\"close-flgs\"]\nexchange = \"udp-echo\"",
			map[string]string{"en": "no quiz question close-flgs", "ru": "вопроса close-flgs нет", "zh": "没有名为 close-flgs 的测验题"}},
		{"unknown maker in an ask step", `"ask:udp-boundary"`, `"ask:udp-boundry"`,
			map[string]string{"en": "no quiz question udp-boundry", "ru": "вопроса udp-boundry нет", "zh": "没有名为 udp-boundry 的测验题"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyContent(t)
			manifest := filepath.Join(dir, "course.toml")
			edit(t, manifest, tt.from, tt.to)
			data, _ := os.ReadFile(manifest)
			line := strings.Count(string(data[:strings.Index(string(data), tt.to)]), "\n") + 1
			loc := manifest + ":" + strconv.Itoa(line) + ": "
			for lang, want := range tt.want {
				code, out, _ := run(t, nil, "content", "check", "--dir", dir, "--lang", lang)
				if code != cli.ExitError || !strings.Contains(out, loc) || !strings.Contains(out, want) {
					t.Errorf("%s: exit %d, want %q and %q:\n%s", lang, code, loc, want, out)
				}
			}
			// The check runs with the broken folder as the content too.
			if code, out, _ := run(t, nil, "--content", dir, "content", "check", "--dir", dir, "--lang", "en"); code != cli.ExitError || !strings.Contains(out, loc) {
				t.Errorf("content check under --content: exit %d, want %q:\n%s", code, loc, out)
			}
			code, _, errs := run(t, nil, "lessons", "--content", dir, "--lang", "en")
			if code != cli.ExitError || !strings.Contains(errs, manifest+", line "+strconv.Itoa(line)) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
				t.Errorf("lessons with a broken manifest: exit %d %q", code, errs)
			}
		})
	}
}

// TestContentDirWithoutManifest: a content folder from before the
// manifest still works, with the built-in lessons and a notice.
func TestContentDirWithoutManifest(t *testing.T) {
	dir := copyContent(t)
	os.Remove(filepath.Join(dir, "course.toml"))
	code, out, errs := run(t, nil, "lessons", "--content", dir, "--lang", "en")
	if code != 0 || !strings.Contains(errs, "has no course.toml") || !strings.Contains(out, lessontest.Course(t)[0].ID) {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

// TestContentCheckStepSection: a step naming a section the English text
// lacks is told at the step's line of course.toml.
func TestContentCheckStepSection(t *testing.T) {
	dir := copyContent(t)
	manifest := filepath.Join(dir, "course.toml")
	edit(t, manifest, `"text:boundaries"`, `"text:boundary"`)
	data, _ := os.ReadFile(manifest)
	line := strings.Count(string(data[:strings.Index(string(data), `"text:boundary"`)]), "\n") + 1
	code, out, _ := run(t, nil, "content", "check", "--dir", dir, "--lang", "en")
	want := manifest + ":" + strconv.Itoa(line) + ": the step text:boundary names a section that en/udp-echo.md lacks"
	if code != cli.ExitError || !strings.Contains(out, want) {
		t.Errorf("exit %d, want %q:\n%s", code, want, out)
	}
}
