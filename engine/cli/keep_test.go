package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"wiretutor/engine/course/progress"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/testkit/testenv"
)

// squeeze drops every blank, so that a command the text wrapped (or cut
// where it was wider than a line) can be found whole.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// onlyLessons writes a course file of the lessons, in this order.
func onlyLessons(t *testing.T, ids ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "course.toml")
	if err := os.WriteFile(path, []byte(`lessons = ["`+strings.Join(ids, `", "`)+"\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// keptCapture is where a learner's run of the lesson keeps its capture.
func keptCapture(state, id string) string {
	return filepath.Join(state, "wiretutor", "captures", id+".pcapng")
}

// count is how many of the packets the display filter picks.
func count(t *testing.T, pkts []dissect.Packet, expr string) int {
	t.Helper()
	d, err := filter.CompileDisplay(expr)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range pkts {
		if d.Match(&pkts[i]) {
			n++
		}
	}
	return n
}

// TestMenuKeepsCapture: a lesson taken from the menu keeps its capture
// beside the progress file, says where right after capturing, and its
// text's tshark command names that file; a second run replaces it.
func TestMenuKeepsCapture(t *testing.T) {
	state := t.TempDir()
	env := map[string]string{"XDG_STATE_HOME": state}
	plan := onlyLessons(t, "tcp-handshake")
	code, out, errs := runIn(t, env, "1\n"+handshakeWalk, "--lang", "en", "--net", "sandbox", "--course", plan)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	path := keptCapture(state, "tcp-handshake")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no capture where the lesson keeps it: %v", err)
	}
	if want := os.FileMode(0o666) &^ umask(t); fi.Mode().Perm() != want {
		t.Errorf("capture mode %v, want %v (0666 less the umask)", fi.Mode().Perm(), want)
	}
	if pkts := testenv.PacketsAt(t, path); count(t, pkts, "tcp.flags.syn == 1") != 2 {
		t.Errorf("the kept capture holds no whole handshake: %d packets", len(pkts))
	}
	saved := squeeze("Capture saved to " + path + ".")
	if !regexp.MustCompile(`Captured[0-9]+packets\.` + regexp.QuoteMeta(saved)).MatchString(squeeze(out)) {
		t.Errorf("the run does not say %q right after capturing:\n%s", saved, out)
	}
	if !strings.Contains(squeeze(out), squeeze("tshark -r "+path+" -T fields -e frame.number")) {
		t.Errorf("the text's tshark command does not name %s:\n%s", path, out)
	}
	if strings.Contains(out, "How should the lesson run?") {
		t.Errorf("a lesson not begun yet asks which run:\n%s", out)
	}
	// Again, with the lesson's command: the new capture replaces the old.
	before, _ := os.ReadFile(path)
	code, out, errs = runIn(t, env, "\n\nq\n", "lesson", "tcp-handshake", "--net", "sandbox", "--restart")
	after, _ := os.ReadFile(path)
	if code != 0 || !strings.Contains(squeeze(out), saved) || len(after) == 0 || string(after) == string(before) {
		t.Errorf("a second run: exit %d, the capture replaced: %v\n%s\n%s", code, string(after) != string(before), out, errs)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// umask is this process's umask.
func umask(t *testing.T) os.FileMode {
	t.Helper()
	probe := filepath.Join(t.TempDir(), "probe")
	f, err := os.OpenFile(probe, os.O_CREATE|os.O_WRONLY, 0o777)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	fi, err := os.Stat(probe)
	if err != nil {
		t.Fatal(err)
	}
	return 0o777 &^ fi.Mode().Perm()
}

// TestSaveCaptureAsked: --no-input keeps nothing unless --save-capture
// asks, and its text then tells to save it; a file --save-capture names
// wins over the kept one, and the text's commands quote it as a shell
// needs.
func TestSaveCaptureAsked(t *testing.T) {
	state := t.TempDir()
	env := map[string]string{"XDG_STATE_HOME": state}
	code, out, errs := run(t, env, "lesson", "tcp-handshake", "--no-input", "--net", "sandbox")
	if code != 0 || strings.Contains(out, "Capture saved") || !strings.Contains(squeeze(out), squeeze("save it with `--save-capture capture.pcapng`")) {
		t.Errorf("--no-input: exit %d\n%s\n%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(state, "wiretutor", "captures")); err == nil {
		t.Errorf("--no-input made the captures folder")
	}
	dir := filepath.Join(t.TempDir(), "my captures")
	os.Mkdir(dir, 0o755)
	asked := filepath.Join(dir, "it's.pcapng")
	for _, args := range [][]string{{"--no-input"}, {"--restart"}} {
		args = append([]string{"lesson", "tcp-handshake", "--net", "sandbox", "--save-capture", asked}, args...)
		code, out, errs = runIn(t, env, handshakeWalk, args...)
		if code != 0 || !strings.Contains(squeeze(out), squeeze("Capture saved to "+asked+".")) {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errs)
		}
		quoted := "'" + dir + "/it'\\''s.pcapng'"
		if !strings.Contains(squeeze(out), squeeze("tshark -r "+quoted+" -T fields")) {
			t.Errorf("%v: the text does not name %s:\n%s", args, quoted, out)
		}
		if _, err := os.Stat(asked); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
	if _, err := os.Stat(keptCapture(state, "tcp-handshake")); err == nil {
		t.Errorf("a capture kept beside the progress too, when --save-capture named one")
	}
}

// TestSaveCaptureFails: a learner's run that cannot write its capture
// says so and goes on; a --no-input run, whose file was asked for, fails.
func TestSaveCaptureFails(t *testing.T) {
	nowhere := filepath.Join(t.TempDir(), "no such folder", "hs.pcapng")
	code, out, errs := runIn(t, nil, "\n\nq\n", "lesson", "tcp-handshake", "--net", "sandbox", "--save-capture", nowhere)
	if code != 0 || !strings.Contains(squeeze(out), squeeze("The capture could not be saved to "+nowhere+": no such file or directory. The lesson goes on")) || !strings.Contains(out, "Question 1 of") {
		t.Errorf("a learner's run: exit %d\n%s\n%s", code, out, errs)
	}
	code, _, errs = run(t, nil, "lesson", "tcp-handshake", "--no-input", "--net", "sandbox", "--save-capture", nowhere)
	if code == 0 || !strings.Contains(errs, "no such folder") {
		t.Errorf("--no-input: exit %d, stderr %q", code, errs)
	}
}

// TestMenuRunWithALostPacket: a lesson whose text invites a run with a
// packet lost offers it from the menu once begun, and that run loses the
// packet: TCP retransmits it, while UDP's is never answered.
func TestMenuRunWithALostPacket(t *testing.T) {
	tests := []struct {
		name, lesson string
		stopped      bool   // the lesson stands part way, else done
		pick         string // the run chosen: 1 as usual, 2 with the packet lost
		label        string // the first choice's words
		lost         bool
		pauses       string // Enter at each pause before the capture
	}{
		{"handshake done, lost", "tcp-handshake", false, "2", "As usual", true, "\n\n"},
		{"handshake part way, lost", "tcp-handshake", true, "2", "Continue where you stopped", true, "\n\n"},
		{"handshake done, as usual", "tcp-handshake", false, "1", "As usual", false, "\n\n"},
		{"udp done, lost", "udp-echo", false, "2", "As usual", true, "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			state := t.TempDir()
			env := map[string]string{"XDG_STATE_HOME": state}
			s := progress.New()
			s.Lang = "en"
			if tt.stopped {
				s.Stop(tt.lesson, 5, 1, 2, timeNow())
			} else {
				s.Finish(tt.lesson, 3, 8, timeNow())
			}
			if err := (&progress.Store{Path: filepath.Join(state, "wiretutor", progress.FileName)}).Save(s); err != nil {
				t.Fatal(err)
			}
			// The lesson, the run, then Enter at the pauses until the
			// capture is made; the input ends at the first question.
			input := "1\n" + tt.pick + "\n" + tt.pauses
			code, out, errs := runIn(t, env, input, "--net", "sandbox", "--course", onlyLessons(t, tt.lesson))
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, out, errs)
			}
			frame := map[string]string{"tcp-handshake": "4", "udp-echo": "1"}[tt.lesson]
			for _, want := range []string{"How should the lesson run?", tt.label, "With packet " + frame + " lost"} {
				if !strings.Contains(out, want) {
					t.Errorf("the menu lacks %q:\n%s", want, out)
				}
			}
			if said := strings.Contains(errs, "whose link loses packet "+frame+" once"); said != tt.lost {
				t.Errorf("the network's loss told: %v, want %v\n%s", said, tt.lost, errs)
			}
			if resumed := strings.Contains(out, "Resuming where you stopped"); resumed != (tt.stopped && !tt.lost) {
				t.Errorf("resumed: %v\n%s", resumed, out)
			}
			pkts := testenv.PacketsAt(t, keptCapture(state, tt.lesson))
			switch tt.lesson {
			case "tcp-handshake":
				if n := count(t, pkts, "tcp.analysis.retransmission"); (n > 0) != tt.lost {
					t.Errorf("%d retransmissions in the kept capture, want a loss: %v", n, tt.lost)
				}
			case "udp-echo":
				asked, answered := count(t, pkts, "udp.dstport == 10001"), count(t, pkts, "udp.srcport == 10001")
				if (answered < asked) != tt.lost {
					t.Errorf("%d datagrams, %d answers, want a loss: %v", asked, answered, tt.lost)
				}
			}
		})
	}
}

// TestLessonsTellOfTheLostRun: each text that invites a run with a
// packet lost tells the menu's learner and the command line's how.
func TestLessonsTellOfTheLostRun(t *testing.T) {
	for _, id := range []string{"tcp-handshake", "udp-echo"} {
		_, out, _ := run(t, nil, "lesson", id, "--no-input", "--net", "sandbox")
		frame := map[string]string{"tcp-handshake": "4", "udp-echo": "1"}[id]
		text := squeeze(out)
		for _, want := range []string{"choose the run with packet " + frame + " lost", "`wiretutor lesson " + id + " --impair drop=" + frame + "`"} {
			if !strings.Contains(text, squeeze(want)) {
				t.Errorf("%s: the text lacks %q:\n%s", id, want, out)
			}
		}
	}
}
