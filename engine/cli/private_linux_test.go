//go:build linux

package cli_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/net/nsenter"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
)

// nobody is the unprivileged user the tests run wiretutor as when they
// run as root (CI).
const nobody = 65534

// learner is a place where an unprivileged user runs this test binary
// as wiretutor: a copy of the binary it may execute, a work folder and a
// state folder it owns.
type learner struct {
	exe, work, state string
	cred             *syscall.Credential // nil: the tests already run unprivileged
}

// newLearner skips (or, under WIRETUTOR_REQUIRE_KERNEL=1, fails) where
// the private network cannot be made.
func newLearner(t *testing.T) *learner {
	t.Helper()
	if err := nsenter.Allowed(); err != nil {
		if os.Getenv(testenv.RequireKernelVar) == "1" {
			t.Fatalf("private network: %v, and %s=1 forbids skipping", err, testenv.RequireKernelVar)
		}
		t.Skip("private network:", err)
	}
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	l := &learner{exe: filepath.Join(dir, "wiretutor.test"), work: filepath.Join(dir, "work"), state: filepath.Join(dir, "state")}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(l.exe, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{l.work, l.state} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if os.Getuid() == 0 {
			if err := os.Chown(d, nobody, nobody); err != nil {
				t.Fatal(err)
			}
		}
	}
	if os.Getuid() == 0 {
		l.cred = &syscall.Credential{Uid: nobody, Gid: nobody}
	}
	// Root may make namespaces where the learner may not (AppArmor's
	// restriction on Ubuntu): ask as the learner, with the menu, which
	// ends at once on an empty stdin.
	probe := l.command("--net", "private", "--lang", "en")
	var out bytes.Buffer
	probe.Stdout, probe.Stderr = &out, &out
	if err := probe.Run(); err != nil {
		if strings.Contains(out.String(), "This system forbids unprivileged users") {
			if os.Getenv(testenv.RequireKernelVar) == "1" {
				t.Fatalf("private network as uid %d: %s, and %s=1 forbids skipping", nobody, out.String(), testenv.RequireKernelVar)
			}
			t.Skip("private network:", out.String())
		}
		t.Fatalf("the menu on the private network: %v\n%s", err, out.String())
	}
	return l
}

// command is wiretutor run by the learner with args.
func (l *learner) command(args ...string) *exec.Cmd {
	js, _ := json.Marshal(args)
	cmd := exec.Command(l.exe)
	cmd.Dir = l.work
	cmd.Env = append(os.Environ(), childVar+"="+string(js), "XDG_STATE_HOME="+l.state, "HOME="+l.work,
		"LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES=", "NO_COLOR=1", "TERM=xterm",
		"COLUMNS=1000") // a sentence on a pipe is one line, to be found whole
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: l.cred}
	return cmd
}

// owned checks that path belongs to the learner and has mode perm.
func (l *learner) owned(t *testing.T, path string, perm os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	uid := uint32(os.Getuid())
	if l.cred != nil {
		uid = l.cred.Uid
	}
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != uid {
		t.Errorf("%s belongs to uid %d, want %d", path, st.Uid, uid)
	}
	if fi.Mode().Perm() != perm {
		t.Errorf("%s has mode %#o, want %#o", path, fi.Mode().Perm(), perm)
	}
}

// left fails the test if a process of the learner's binary still runs.
func (l *learner) left(t *testing.T) {
	t.Helper()
	procs, _ := filepath.Glob("/proc/[0-9]*/exe")
	for _, p := range procs {
		if exe, err := os.Readlink(p); err == nil && exe == l.exe {
			t.Errorf("process %s still runs %s", filepath.Dir(p), l.exe)
		}
	}
}

func sentence(t *testing.T, id string) string {
	t.Helper()
	tx, err := i18n.Load(content.FS, "en")
	if err != nil {
		t.Fatal(err)
	}
	return tx.T(id, nil)
}

// TestPrivateLesson: a user with no rights runs a lesson on the private
// network, asked by name and taken by auto: the capture holds the real
// kernel's handshake, and the files written belong to that user.
func TestPrivateLesson(t *testing.T) {
	l := newLearner(t)
	hs := filepath.Join(l.work, "hs.pcapng")
	cmd := l.command("lesson", "tcp-handshake", "--net", "private", "--no-input", "--save-capture", hs)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "Captured 10 packets.") {
		t.Errorf("no capture of the lesson's 10 packets:\n%s", out.String())
	}
	// The lesson says whose loopback it is: the namespace's, not the
	// computer's.
	if !strings.Contains(flat(out.String()), flat(sentence(t, "run.starting.private"))) {
		t.Errorf("the lesson does not say it runs in the private namespace:\n%s", out.String())
	}
	code, fields, _ := run(t, nil, "read", "-r", hs, "-T", "fields", "-e", "tcp.flags", "-e", "ip.src", "-e", "tcp.window_size_value")
	lines := strings.Split(strings.TrimSpace(fields), "\n")
	if code != 0 || len(lines) < 3 {
		t.Fatalf("read exit %d:\n%s", code, fields)
	}
	for i, want := range []string{"0x0002", "0x0012", "0x0010"} {
		if f := strings.Fields(lines[i]); f[0] != want || f[1] != "127.0.0.1" {
			t.Errorf("frame %d: %s, want %s from 127.0.0.1", i+1, lines[i], want)
		}
	}
	// The kernel's SYN offers a window of 65495 on the loopback (MSS
	// 65483 plus options); the sandbox's is another number.
	if f := strings.Fields(lines[0]); f[2] != "65495" {
		t.Errorf("SYN window %s: not the kernel's 65495, so not the kernel's TCP", f[2])
	}
	umask := syscall.Umask(0)
	syscall.Umask(umask)
	l.owned(t, hs, 0o666&^os.FileMode(umask))

	auto := l.command("lesson", "tcp-handshake", "--no-input")
	out.Reset()
	auto.Stdout, auto.Stderr = &out, &out
	if err := auto.Run(); err != nil {
		t.Fatalf("auto: %v\n%s", err, out.String())
	}
	if !strings.Contains(flat(out.String()), flat(sentence(t, "net.auto_private"))) || !strings.Contains(out.String(), "Captured 10 packets.") {
		t.Errorf("auto did not take the private network:\n%s", out.String())
	}

	// What the parent said before it ran the child is not said again.
	if err := os.MkdirAll(filepath.Join(l.state, "wiretutor", "progress.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(filepath.Join(l.state, "wiretutor"))
	if l.cred != nil {
		for _, d := range []string{"wiretutor", "wiretutor/progress.json"} {
			if err := os.Chown(filepath.Join(l.state, d), nobody, nobody); err != nil {
				t.Fatal(err)
			}
		}
	}
	twice := l.command("lesson", "udp-echo", "--net", "private", "--no-input")
	errb.Reset()
	twice.Stdout, twice.Stderr = io.Discard, &errb
	if err := twice.Run(); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	if n := strings.Count(errb.String(), "is not an ordinary file"); n != 1 {
		t.Errorf("the progress problem said %d times, want once:\n%s", n, errb.String())
	}
	l.left(t)
}

// TestPrivateKeys: on a terminal, the lesson in the private namespace
// answers q, Ctrl-C, SIGTERM and SIGHUP sent to wiretutor as it does on
// the other networks: the exit status comes back, the learner's place is
// kept in a file the learner owns, and no process is left behind.
func TestPrivateKeys(t *testing.T) {
	l := newLearner(t)
	tests := []struct {
		name string
		key  string         // typed at the prompt
		sig  syscall.Signal // else sent to wiretutor
		// group: sig goes to the whole process group, as the terminal
		// sends Ctrl-C outside a prompt: the child gets it twice.
		group bool
		code  int
	}{
		{"q", "q\r", 0, false, 0},
		{"ctrl-c", "\x03", 0, false, 0},
		{"sigterm", "", syscall.SIGTERM, false, 143},
		{"sighup", "", syscall.SIGHUP, false, 129},
		{"sigint to the group", "", syscall.SIGINT, true, 130},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.RemoveAll(filepath.Join(l.state, "wiretutor"))
			master, slave := testenv.Pty(t)
			scr := newScreen(master)
			cmd := l.command("lesson", "tcp-handshake", "--net", "private")
			cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
			cmd.SysProcAttr.Setsid, cmd.SysProcAttr.Setctty = true, true
			p := start(t, scr, cmd, l.state)
			// Enter at each pause until the capture has run and the
			// next prompt (a pause or a question) is drawn.
			for at := 0; ; {
				i, next := scr.waitFor(at, navPrompt+fresh, "Your answer")
				if i < 0 {
					t.Fatalf("the prompt never came:\n%s", scr)
				}
				var ok bool
				if at, ok = scr.ready(next); !ok {
					t.Fatalf("the prompt never came:\n%s", scr)
				}
				if strings.Contains(scr.String(), "Captured 10 packets.") {
					break
				}
				master.WriteString("\r")
			}
			if tt.group {
				syscall.Kill(-cmd.Process.Pid, tt.sig)
			} else if tt.sig != 0 {
				cmd.Process.Signal(tt.sig)
			} else {
				master.WriteString(tt.key)
			}
			if code := exitCode(t, p); code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, scr)
			}
			if !strings.Contains(flat(scr.String()), flat(sentence(t, "run.starting.private"))) {
				t.Errorf("the lesson did not run on the private namespace's loopback:\n%s", scr)
			}
			path := filepath.Join(l.state, "wiretutor", "progress.json")
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var st struct {
				Lessons map[string]struct{ Step int }
			}
			if err := json.Unmarshal(data, &st); err != nil || st.Lessons["tcp-handshake"].Step == 0 {
				t.Errorf("no place kept (%v):\n%s", err, data)
			}
			l.owned(t, path, 0o600)
			l.owned(t, filepath.Dir(path), 0o700)
			l.left(t)
		})
	}
}
