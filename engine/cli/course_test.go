package cli_test

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"wiretutor/content"
	"wiretutor/engine/cli"
	"wiretutor/engine/course/progress"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/text/i18n"
)

// progressOf reads the progress file a run left in state.
func progressOf(t *testing.T, state string) *progress.State {
	t.Helper()
	st, err := (&progress.Store{Path: filepath.Join(state, "wiretutor", progress.FileName)}).Load()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// handshakeWalk is the input that takes tcp-handshake from its start to
// its end: its eight questions all answered "0", each wrong twice, its
// task's filter "udp", wrong three times, and Enter at each pause.
const handshakeWalk = "\n\n" + // the intro and the sockets, then the run
	wrong + "\n" + // the SYN-ACK's flags (a prediction)
	wrong + wrong + "\n" + // the first Seq and the next Ack (predictions)
	wrong + "\n" + // the close's flags (a prediction)
	"\n" + // the packets
	wrong + "\n" + "\n\n" + // the client's port, its text and the sockets
	wrong + "\n" + "\n\n" + // raw to relative, the anatomy's text and the SYN-ACK field by field
	wrong + "\n" + // what if 100 bytes
	wrong + "\n" + "\n\n\n" + // the FIN's Ack, the close, the sockets after, the ladder
	"udp\nudp\nudp\n" + "\n" + "\n" // the task, the last text

// wrong is a question answered wrong twice.
const wrong = "0\n0\n"

// TestMenuRussianFinishQuitResume is the learner's path of issue 9: pick
// Russian, finish a lesson, quit another part way, come back and go on.
func TestMenuRussianFinishQuitResume(t *testing.T) {
	env := map[string]string{"XDG_STATE_HOME": t.TempDir(), "LANG": "en_US.UTF-8"}
	// The two lessons in this order, whatever the course's own order.
	plan := filepath.Join(t.TempDir(), "course.toml")
	os.WriteFile(plan, []byte("lessons = [\"tcp-handshake\", \"sockets\"]\n"), 0o644)
	// Language 2 (Russian), then "continue" (tcp-handshake), walked to
	// its end; then continue (sockets), Enter once and quit at its first
	// prediction; then the input ends.
	input := "2\n1\n" + handshakeWalk + "1\n\nq\n"
	code, out, errs := runIn(t, env, input, "--net", "sandbox", "--course", plan)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"Choose your language", "Язык: Русский", "Начать: Эхо по TCP", "Продолжить: Сокеты и порты", "Пройдено уроков: 1 из 2", "прогресс сохранён"} {
		if !strings.Contains(out+errs, want) {
			t.Errorf("the session lacks %q", want)
		}
	}
	st := progressOf(t, env["XDG_STATE_HOME"])
	hs, so := st.Lesson("tcp-handshake"), st.Lesson("sockets")
	// Nine questions, or eight when the sandbox's threads packed the
	// server's ACK of the FIN with its own FIN (one close question fewer):
	// an unseeded run may do either.
	if st.Lang != "ru" || hs == nil || !hs.Done || hs.Total < 8 || hs.Total > 9 || so == nil || so.Done || so.Step == 0 || st.Current != "sockets" {
		t.Fatalf("progress %+v: handshake %+v sockets %+v", st, hs, so)
	}
	// Back again: no language question; continue resumes sockets where it
	// stopped.
	code, out, _ = runIn(t, env, "1\nq\n", "--net", "sandbox", "--course", plan)
	if code != 0 || strings.Contains(out, "Choose your language") || !strings.Contains(out, "Продолжаем с того места") {
		t.Errorf("resume: exit %d\n%s", code, out)
	}
	// The list and the report show it, in the saved language.
	_, out, _ = run(t, env, "lessons", "--course", plan)
	if !strings.Contains(out, "пройден: ") || !strings.Contains(out, "в процессе") || !strings.Contains(out, "▶2") {
		t.Errorf("lessons:\n%s", out)
	}
	_, out, _ = run(t, env, "report", "--format", "json", "--course", plan)
	var rep struct {
		Done    int `json:"done"`
		Lessons []struct {
			ID, Status    string
			Total, Second int
		} `json:"lessons"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Done != 1 || rep.Lessons[0].Status != "done" || rep.Lessons[0].Total != hs.Total || rep.Lessons[0].Second != 0 || !strings.Contains(out, `"second": 0`) || rep.Lessons[1].Status != "in_progress" {
		t.Errorf("report json: %v\n%s", err, out)
	}
	_, out, _ = run(t, env, "report", "--lang", "en", "--course", plan)
	for _, want := range []string{"Progress report: ", "| 1 | TCP echo and the three-way handshake (`tcp-handshake`)", "| done | ", "/" + strconv.Itoa(hs.Total) + " |", "| in progress |"} {
		if !strings.Contains(out, want) {
			t.Errorf("report md lacks %q:\n%s", want, out)
		}
	}
}

func TestReset(t *testing.T) {
	env := map[string]string{"XDG_STATE_HOME": t.TempDir(), "LANG": "C"}
	store := &progress.Store{Path: filepath.Join(env["XDG_STATE_HOME"], "wiretutor", progress.FileName)}
	seed := func() {
		s := progress.New()
		s.Lang = "en"
		s.Finish("tcp-handshake", 3, 7, timeNow())
		s.Finish("sockets", 2, 5, timeNow())
		if err := store.Save(s); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, input string
		args        []string
		wantOut     string
		wantLeft    int
	}{
		{"one, confirmed", "y\n", []string{"reset", "tcp-handshake"}, "is forgotten", 1},
		{"one, declined", "n\n", []string{"reset", "tcp-handshake"}, "Nothing was reset", 2},
		{"one, no input", "", []string{"reset", "tcp-handshake"}, "Nothing was reset", 2},
		{"all, confirmed", "yes\n", []string{"reset", "--all"}, "in 2 lessons is forgotten", 0},
		{"all, --yes", "", []string{"reset", "--all", "--yes"}, "in 2 lessons is forgotten", 0},
		{"nothing to forget", "y\n", []string{"reset", "chat"}, "no progress in", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed()
			code, out, errs := runIn(t, env, tt.input, tt.args...)
			if code != 0 || !strings.Contains(out, tt.wantOut) {
				t.Errorf("exit %d, output %q %q, want %q", code, out, errs, tt.wantOut)
			}
			if got := len(progressOf(t, env["XDG_STATE_HOME"]).Lessons); got != tt.wantLeft {
				t.Errorf("%d lessons left, want %d", got, tt.wantLeft)
			}
		})
	}
	code, _, errs := run(t, env, "reset")
	if code != cli.ExitError || errs == "" {
		t.Errorf("reset without ID or --all: exit %d %q", code, errs)
	}
	code, _, errs = run(t, env, "reset", "no-such-lesson")
	if code != cli.ExitError || !strings.Contains(errs, "no-such-lesson") {
		t.Errorf("reset of an unknown lesson: exit %d %q", code, errs)
	}
}

func TestCorruptProgress(t *testing.T) {
	for _, lang := range i18n.Available(content.FS) {
		t.Run(lang, func(t *testing.T) {
			env := map[string]string{"XDG_STATE_HOME": t.TempDir()}
			path := filepath.Join(env["XDG_STATE_HOME"], "wiretutor", progress.FileName)
			os.MkdirAll(filepath.Dir(path), 0o700)
			os.WriteFile(path, []byte(`{"format_version": 1, "lessons": {"tcp-handshake": {"score": 9, "tot`), 0o600)
			code, out, errs := run(t, env, "lessons", "--lang", lang)
			if code != 0 || !strings.Contains(out, "tcp-handshake") {
				t.Fatalf("exit %d\n%s\n%s", code, out, errs)
			}
			if !strings.Contains(errs, path) || !strings.Contains(errs, ".corrupt-") || strings.Count(strings.TrimSpace(errs), "\n") > 1 {
				t.Errorf("want one clear message naming the file and where it went:\n%s", errs)
			}
			aside, _ := filepath.Glob(path + ".corrupt-*")
			if len(aside) != 1 {
				t.Errorf("set aside: %v", aside)
			}
		})
	}
}

// TestCheck grades the lab's own capture for tcp-handshake, then one
// without its SYN.
func TestCheck(t *testing.T) {
	code, out, errs := run(t, nil, "check", "tcp-handshake", testdata("echo-lab.pcap"))
	if code != 0 || strings.Count(out, "✓") != 4 || !strings.Contains(out, "41950 → 10000 [SYN]") || !strings.Contains(out, "Passed") {
		t.Errorf("good capture: exit %d\n%s%s", code, out, errs)
	}
	noSYN := withoutSYN(t, testdata("echo-lab.pcap"))
	tests := []struct{ lang, want string }{
		{"en", "✗ a SYN to port 10000"},
		{"ru", "Не зачтено"},
		{"zh", "未通过"},
	}
	for _, tt := range tests {
		code, out, _ := run(t, nil, "check", "tcp-handshake", noSYN, "--lang", tt.lang)
		if code != cli.ExitError || !strings.Contains(out, tt.want) || !strings.Contains(out, "tcp.flags.syn == 1 && tcp.flags.ack == 0") {
			t.Errorf("%s: no SYN: exit %d\n%s", tt.lang, code, out)
		}
	}
	code, _, errs = run(t, nil, "check", "tcp-handshake", filepath.Join(t.TempDir(), "none.pcap"))
	if code != cli.ExitError || !strings.Contains(errs, "none.pcap") {
		t.Errorf("missing file: exit %d %q", code, errs)
	}
	code, _, errs = run(t, nil, "check", "tcp-handshake", testdata("echo-lab.txt"))
	if code != cli.ExitError || !strings.Contains(errs, "echo-lab.txt") {
		t.Errorf("not a capture: exit %d %q", code, errs)
	}
}

// withoutSYN writes a copy of a capture without its SYN packets.
func withoutSYN(t *testing.T, path string) string {
	t.Helper()
	f, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := dissect.New(f.LinkType())
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "nosyn.pcapng")
	w, err := capture.Create(out, f.LinkType(), "lo")
	if err != nil {
		t.Fatal(err)
	}
	for {
		data, ci, err := f.ReadPacketData()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var p dissect.Packet
		if err := d.Dissect(data, ci, &p); err != nil {
			t.Fatal(err)
		}
		if p.TCP.Flags&dissect.FlagSYN != 0 && p.TCP.Flags&dissect.FlagACK == 0 {
			continue
		}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// copyContent copies the embedded content to a folder a test can edit.
func copyContent(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(content.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(content.FS, p)
		if err != nil {
			return err
		}
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		return os.WriteFile(filepath.Join(dir, p), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func edit(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s lacks %q", path, old)
	}
	os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644)
}

// TestContentCheck is the translator's path: the shipped content is
// clean; a copy with a missing section, a placeholder typo and a stale
// translation is not, with the file and line of each; marking the
// translation current clears the stale finding.
func TestContentCheck(t *testing.T) {
	code, out, _ := run(t, nil, "content", "check")
	if code != 0 || !strings.Contains(out, "nothing to fix") {
		t.Fatalf("embedded content: exit %d\n%s", code, out)
	}
	dir := copyContent(t)
	code, out, _ = run(t, nil, "content", "check", "--dir", dir)
	if code != 0 {
		t.Fatalf("a copy of the content: exit %d\n%s", code, out)
	}
	ru, zh, en := filepath.Join(dir, "ru"), filepath.Join(dir, "zh"), filepath.Join(dir, "en")
	edit(t, filepath.Join(ru, "tcp-handshake.md"), "{#data}", "{#dat}")
	edit(t, filepath.Join(zh, "chat.md"), "{{.", "{{.X")
	edit(t, filepath.Join(en, "udp-echo.md"), "\n## ", "\nA new English sentence.\n\n## ")
	code, out, _ = run(t, nil, "content", "check", "--dir", dir)
	if code != cli.ExitError {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{
		filepath.Join(ru, "tcp-handshake.md") + ":", "{#data}", "{#dat}",
		filepath.Join(zh, "chat.md") + ":", "is not a placeholder of the English text",
		filepath.Join(ru, "udp-echo.md") + ":4: stale", filepath.Join(zh, "udp-echo.md") + ":4: stale",
		"--mark-current ru udp-echo", "things to fix",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("content check lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, nil, "content", "check", "--dir", dir, "--mark-current", "ru", "udp-echo")
	if code != 0 || !strings.Contains(out, "source_hash") {
		t.Fatalf("mark-current: exit %d\n%s", code, out)
	}
	_, out, _ = run(t, nil, "content", "check", "--dir", dir)
	if strings.Contains(out, filepath.Join(ru, "udp-echo.md")) || !strings.Contains(out, filepath.Join(zh, "udp-echo.md")) {
		t.Errorf("after marking ru current:\n%s", out)
	}
	// In Russian, for a Russian translator.
	_, out, _ = run(t, nil, "content", "check", "--dir", dir, "--lang", "ru")
	if !strings.Contains(out, "перевод устарел") {
		t.Errorf("Russian findings:\n%s", out)
	}
}

// TestContentDirShowsEdit: an edit in a content folder shows at once.
func TestContentDirShowsEdit(t *testing.T) {
	dir := copyContent(t)
	edit(t, filepath.Join(dir, "ru", "tcp-handshake.md"), "title = \"", "title = \"ПРАВКА ПЕРЕВОДЧИКА: ")
	edit(t, filepath.Join(dir, "ru", "ui.toml"), "\nname = \"Русский\"", "\nname = \"Русский (правка)\"")
	_, out, _ := run(t, nil, "lessons", "--content", dir, "--lang", "ru")
	if !strings.Contains(out, "ПРАВКА ПЕРЕВОДЧИКА: ") {
		t.Errorf("lessons --content:\n%s", out)
	}
	_, out, _ = runIn(t, nil, "3\n", "--content", dir, "--lang", "ru")
	if !strings.Contains(out, "Язык: Русский (правка)") {
		t.Errorf("menu --content:\n%s", out)
	}
	_, out, _ = run(t, nil, "lessons", "--lang", "ru")
	if strings.Contains(out, "ПРАВКА") {
		t.Errorf("the embedded copy changed:\n%s", out)
	}
}

func TestCourseFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "lab1.toml")
	os.WriteFile(good, []byte("title = \"Networks, lab 1\"\nlessons = [\"sockets\", \"tcp-handshake\"]\n"), 0o644)
	code, out, errs := run(t, nil, "lessons", "--course", good)
	if code != 0 || !strings.Contains(out, "Networks, lab 1") || !strings.Contains(out, "0 of 2 lessons") ||
		strings.Index(out, "sockets") > strings.Index(out, "tcp-handshake") || strings.Contains(out, "chat") {
		t.Errorf("lessons --course: exit %d\n%s%s", code, out, errs)
	}
	_, out, _ = run(t, nil, "report", "--course", good, "--format", "json")
	if !strings.Contains(out, `"course": "Networks, lab 1"`) || strings.Count(out, `"id"`) != 2 {
		t.Errorf("report --course:\n%s", out)
	}
	_, out, _ = runIn(t, nil, "", "--course", good, "--lang", "en")
	if !strings.Contains(out, "Networks, lab 1") || !strings.Contains(out, "Start: Sockets") {
		t.Errorf("menu --course:\n%s", out)
	}
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("title = \"x\"\nlessons = [\n  \"sockets\",\n  \"tcp-handshak\",\n]\n"), 0o644)
	code, _, errs = run(t, nil, "lessons", "--course", bad)
	if code != cli.ExitError || !strings.Contains(errs, bad+", line 4") || !strings.Contains(errs, "tcp-handshak") {
		t.Errorf("bad course file: exit %d %q", code, errs)
	}
}

func timeNow() time.Time { return time.Now() }
