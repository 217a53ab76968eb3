package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/cli"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/lessons/lessontest"
	"wiretutor/servers/chat"
	"wiretutor/servers/echo"
)

// run runs the command line and returns exit code, stdout and stderr.
func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	return runIn(t, env, "", args...)
}

// runIn runs the command line with stdin holding input. Unless env says
// otherwise, progress goes to a folder of the test's own.
func runIn(t *testing.T, env map[string]string, input string, args ...string) (int, string, string) {
	t.Helper()
	stdin := testenv.Stdin(t, input)
	if _, ok := env["XDG_STATE_HOME"]; !ok {
		env = maps.Clone(env)
		if env == nil {
			env = map[string]string{}
		}
		env["XDG_STATE_HOME"] = t.TempDir()
	}
	var out, errb bytes.Buffer
	code := cli.Run(cli.Env{
		Args: args, Stdin: stdin, Stdout: &out, Stderr: &errb,
		Getenv:  func(k string) string { return env[k] },
		Content: content.FS,
	})
	return code, out.String(), errb.String()
}

func testdata(name string) string { return filepath.Join("..", "..", "testdata", name) }

// TestFlagDefaultsTranslated: pflag's "(default …)" comes in the user's
// language, or not at all.
func TestFlagDefaultsTranslated(t *testing.T) {
	tests := []struct{ lang, want string }{
		{"en", `(default "lo")`},
		{"ru", `(по умолчанию "lo")`},
		{"zh", `（默认 "lo"）`},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			code, out, _ := run(t, map[string]string{"LANG": tt.lang}, "capture", "--help")
			if code != 0 || strings.Count(out, tt.want) != 1 || (tt.lang != "en" && strings.Contains(out, "(default")) {
				t.Errorf("exit %d, want %q once and no English default:\n%s", code, tt.want, out)
			}
		})
	}
}

func TestHelpInEveryLanguage(t *testing.T) {
	tests := []struct{ lang, heading, cmd string }{
		{"en", "Commands:", "Print the packets of a capture file"},
		{"ru", "Команды:", "Напечатать пакеты из файла захвата"},
		{"zh", "命令：", "打印抓包文件中的数据包"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			code, out, _ := run(t, map[string]string{"LANG": tt.lang}, "--help")
			if code != 0 || !strings.Contains(out, tt.heading) || !strings.Contains(out, tt.cmd) {
				t.Errorf("exit %d, help:\n%s", code, out)
			}
			if tt.lang != "en" && strings.Contains(out, "(default") {
				t.Errorf("pflag's English \"(default …)\" leaks into the %s help:\n%s", tt.lang, out)
			}
			for _, c := range []string{"lesson", "lessons", "serve", "capture", "read", "flow", "ping"} {
				if !strings.Contains(out, "\n  "+c+" ") {
					t.Errorf("help does not list %s", c)
				}
			}
		})
	}
}

func TestReadMatchesTshark(t *testing.T) {
	for _, name := range []string{"echo-lab", "echo-ipv6", "icmp-unreach", "runts", "http-claim"} {
		want, _ := os.ReadFile(testdata(name + ".txt"))
		file := testdata(name + ".pcap")
		code, out, errs := run(t, nil, "read", "-r", file)
		if code != 0 || out != string(want) {
			t.Errorf("%s: exit %d, stderr %q, output differs from tshark:\n%s\nwant:\n%s", name, code, errs, out, want)
		}
	}
	code, out, _ := run(t, nil, "read", "-r", testdata("echo-lab.pcap"), "-T", "fields", "-e", "frame.number", "-e", "tcp.seq", "-e", "tcp.ack", "-e", "tcp.flags")
	lines := strings.Split(out, "\n")
	if code != 0 || lines[1] != "2\t0\t1\t0x0012" || lines[10] != "11\t\t\t" {
		t.Errorf("fields: exit %d\n%s", code, out)
	}
}

// TestRuntsReadOn: frames cut short inside a header (runts.pcap) stop
// none of the commands that read captures: read shows them as tshark
// does, -Y _ws.malformed selects what tshark selects, flow and follow
// leave them out of the conversation and check grades the rest.
func TestRuntsReadOn(t *testing.T) {
	file := testdata("runts.pcap")
	code, out, errs := run(t, nil, "read", "-r", file, "-Y", "_ws.malformed", "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Protocol", "-e", "_ws.malformed")
	want := "4\tEthernet\t[Malformed Packet: Ethernet],_ws.malformed\n5\tEthernet\t[Malformed Packet: Ethernet],_ws.malformed\n" +
		"7\tIPv4\t[Malformed Packet: IPv4],_ws.malformed\n8\tIPv4\t[Malformed Packet: IPv4],_ws.malformed\n9\tIPv4\t[Malformed Packet: IPv4],_ws.malformed\n" +
		"11\tTCP\t[Malformed Packet: TCP],_ws.malformed\n12\tTCP\t[Malformed Packet: TCP],_ws.malformed\n" +
		"14\tUDP\t[Malformed Packet: UDP],_ws.malformed\n15\tIPv4\t[Malformed Packet: UDP],_ws.malformed\n" +
		"17\tIPv6\t_ws.malformed,[Malformed Packet: IPv6],_ws.malformed\n18\tIPv6\t_ws.malformed,[Malformed Packet: IPv6],_ws.malformed\n"
	if code != 0 || out != want {
		t.Errorf("read -Y _ws.malformed: exit %d %s\n got:\n%s\nwant (tshark):\n%s", code, errs, out, want)
	}

	code, out, errs = run(t, map[string]string{"COLUMNS": "100"}, "flow", "-r", file)
	if code != 0 {
		t.Fatalf("flow: exit %d %s", code, errs)
	}
	var frames []string
	for _, line := range strings.Split(out, "\n") {
		if strings.ContainsAny(line, "▶◀") {
			f := strings.Fields(line)
			frames = append(frames, f[len(f)-1])
		}
	}
	if got := strings.Join(frames, ","); got != "1,2,3,6,10,13,16,19,20,21,22,23" {
		t.Errorf("flow draws frames %s, want the 12 whole ones:\n%s", got, out)
	}

	code, out, errs = run(t, nil, "check", "tcp-handshake", file)
	if code != 0 || strings.Count(out, "✓") != 4 || !strings.Contains(out, "(23 packets)") {
		t.Errorf("check: exit %d %s\n%s", code, errs, out)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("these are my notes, not a capture\n"), 0o644)
	lab, _ := os.ReadFile(testdata("echo-lab.pcap"))
	cut := filepath.Join(dir, "cut.pcap")
	os.WriteFile(cut, lab[:300], 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"read", "-r", filepath.Join(dir, "nope.pcap")}, "There is no file"},
		{"text file", []string{"read", "-r", text}, "is not a capture file"},
		{"truncated", []string{"read", "-r", cut}, "cut short after frame 3"},
		{"unknown field", []string{"read", "-r", cut, "-T", "fields", "-e", "tcp.prot"}, `Unknown field "tcp.prot"`},
		{"bad format", []string{"read", "-r", cut, "-T", "xml"}, "-T does not take"},
		{"no file flag", []string{"read"}, "This command needs -r"},
		{"unknown command", []string{"frobnicate"}, "Wrong command line"},
		{"extra argument", []string{"lessons", "x"}, "Wrong command line"},
		{"unknown lesson", []string{"lesson", "nope"}, "There is no lesson \"nope\". Lessons: " + lessontest.Course(t)[0].ID},
		{"unknown language", []string{"--lang", "fr", "lessons"}, "no language \"fr\""},
		{"bad capture filter", []string{"capture", "-f", "tcp port"}, "at character 9"},
		{"bad autostop", []string{"capture", "-a", "soon"}, "-a does not take"},
		{"flow of a text file", []string{"flow", "-r", text}, "is not a capture file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := run(t, nil, tt.args...)
			if code != cli.ExitError {
				t.Errorf("exit %d, want %d", code, cli.ExitError)
			}
			if !strings.Contains(errs, tt.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 && tt.name != "truncated" {
				t.Errorf("stderr %q, want one line with %q", errs, tt.want)
			}
			if strings.Contains(errs, "panic") || strings.Contains(errs, "goroutine") {
				t.Errorf("panicked: %s", errs)
			}
		})
	}
}

func TestErrorsInRussian(t *testing.T) {
	_, _, errs := run(t, map[string]string{"LANG": "ru_RU.UTF-8"}, "read", "-r", "/nonexistent.pcap")
	if !strings.Contains(errs, "Файла /nonexistent.pcap нет.") {
		t.Errorf("stderr %q", errs)
	}
}

func TestServeEchoPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	code, _, errs := run(t, nil, "serve", "echo", "--tcp-port", port, "--udp-port", "0")
	if code != cli.ExitError || !strings.Contains(errs, "TCP port "+port+" is already in use") || !strings.Contains(errs, "--tcp-port") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestFlow(t *testing.T) {
	code, out, _ := run(t, map[string]string{"COLUMNS": "80"}, "flow", "-r", testdata("echo-lab.pcap"), "--stream", "0")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if code != 0 || len(lines) != 12 || !strings.Contains(lines[2], "SYN Seq=0 Len=0") || !strings.HasSuffix(lines[11], " 10") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestLessonNoInput runs every lesson with a quiz as an instructor
// would, in both networks and every language, then checks its capture
// and quiz against the dissector and, where installed, tshark.
func TestLessonNoInput(t *testing.T) {
	for _, l := range lessontest.Course(t) {
		if l.Questions() == 0 {
			continue // a lesson of tasks alone (filters) has its own test
		}
		for _, netName := range []string{"kernel", "sandbox"} {
			t.Run(l.ID+"/"+netName, func(t *testing.T) {
				if netName == "kernel" {
					testenv.NeedCapture(t)
				}
				if netName == "kernel" && l.Impair != nil {
					// It loses the packets it chooses: only in the sandbox.
					code, _, errs := run(t, nil, "lesson", l.ID, "--no-input", "--net", netName)
					if code != cli.ExitError || !strings.Contains(errs, "only the sandbox") {
						t.Errorf("exit %d, %q: want the lesson to say it runs in the sandbox only", code, errs)
					}
					return
				}
				dir := t.TempDir()
				pcap, qj := filepath.Join(dir, "l.pcapng"), filepath.Join(dir, "l.json")
				for _, lang := range i18n.Available(content.FS) {
					code, out, errs := run(t, nil, "lesson", l.ID, "--no-input", "--net", netName, "--lang", lang, "--save-capture", pcap, "--quiz-json", qj)
					if code != 0 {
						t.Fatalf("%s: exit %d: %s", lang, code, errs)
					}
					for _, line := range strings.Split(out, "\n") {
						if strings.Contains(line, "<no value>") || strings.Contains(line, "{{") {
							t.Errorf("%s: unfilled placeholder in the lesson: %q", lang, line)
						}
					}
					if got := strings.Contains(out, "gVisor"); l.ID == "tcp-handshake" && got != (netName == "sandbox") {
						t.Errorf("%s: the text must say it is the sandbox exactly when it is (%v)", lang, got)
					}
				}
				pkts := checkLessonCapture(t, pcap, qj, netName == "sandbox")
				checkRequirements(t, l, pkts)
				checkTasks(t, l, pcap, qj)
			})
		}
	}
}

// checkTasks: the frames each filter task of a lesson expects, in its
// quiz JSON, are the ones tshark selects with the task's model filter.
func checkTasks(t *testing.T, l *course.Lesson, pcap, qj string) {
	t.Helper()
	var export quiz.Export
	data, _ := os.ReadFile(qj)
	if err := json.Unmarshal(data, &export); err != nil {
		t.Fatal(err)
	}
	var tasks []*quiz.Question
	for _, q := range export.Questions {
		if q.Kind == "display-filter" || q.Kind == "capture-filter" {
			tasks = append(tasks, q)
		}
	}
	if len(tasks) != len(l.Tasks) {
		t.Fatalf("%d tasks in the quiz JSON, the lesson has %d", len(tasks), len(l.Tasks))
	}
	ts := testenv.Tshark(t)
	for i, task := range l.Tasks {
		if task.Capture {
			continue // a capture filter is not a display filter tshark -Y takes
		}
		out, err := exec.Command(ts, "-r", pcap, "-Y", task.Model, "-T", "fields", "-e", "frame.number").Output()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(strings.Fields(string(out)), ","); got == "" || got != tasks[i].Expect {
			t.Errorf("task %s: tshark -Y %q selects %q, the JSON expects %q", task.ID, task.Model, got, tasks[i].Expect)
		}
	}
}

// checkRequirements: a lesson's own capture holds what it declares a
// capture of it must hold.
func checkRequirements(t *testing.T, l *course.Lesson, pkts []dissect.Packet) {
	t.Helper()
	if len(l.Requires) == 0 {
		t.Errorf("%s declares nothing its capture must hold", l.ID)
	}
	for _, r := range l.Requires {
		d, err := filter.CompileDisplay(r.Filter)
		if err != nil {
			t.Fatalf("%s requirement %s: %v", l.ID, r.ID, err)
		}
		n := 0
		for i := range pkts {
			if d.Match(&pkts[i]) {
				n++
			}
		}
		if n < r.Min {
			t.Errorf("%s requirement %s (%s): %d frames, want at least %d", l.ID, r.ID, r.Filter, n, r.Min)
		}
	}
}

// TestLessonDropRetransmits: --impair drop=4 loses the client's data;
// the lesson still completes and tshark sees the retransmission.
func TestLessonDropRetransmits(t *testing.T) {
	dir := t.TempDir()
	pcap, qj := filepath.Join(dir, "drop.pcapng"), filepath.Join(dir, "drop.json")
	code, out, errs := run(t, nil, "lesson", "tcp-handshake", "--no-input", "--impair", "drop=4", "--save-capture", pcap, "--quiz-json", qj)
	if code != 0 || !strings.Contains(errs, "--impair") {
		t.Fatalf("exit %d, stderr %q\n%s", code, errs, out)
	}
	pkts := checkLessonCapture(t, pcap, qj, true)
	if len(pkts) < 4 || pkts[3].TCP.Len != 12 {
		t.Fatalf("frame 4 should be the client's data")
	}
	ts := testenv.Tshark(t)
	lines, err := exec.Command(ts, "-r", pcap, "-Y", "tcp.analysis.retransmission", "-T", "fields", "-e", "frame.number", "-e", "tcp.seq").Output()
	if err != nil {
		t.Fatal(err)
	}
	if f := strings.Fields(string(lines)); len(f) != 2 || f[1] != "1" {
		t.Errorf("tshark's retransmissions: %q, want one, of Seq=1", lines)
	}
}

// checkLessonCapture checks a lesson's saved capture and quiz: each
// expected answer is the dissected field, and, with tshark, what tshark
// prints; `read` prints tshark's lines. It returns the packets.
func checkLessonCapture(t *testing.T, pcap, qj string, checksums bool) []dissect.Packet {
	t.Helper()
	f, err := capture.Open(pcap)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := capture.ReadAll(f, f.Precision())
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	pkts, err := course.DissectAll(rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkts) < 6 {
		t.Errorf("%d packets: not a whole exchange", len(pkts))
	}
	var export quiz.Export
	data, _ := os.ReadFile(qj)
	if err := json.Unmarshal(data, &export); err != nil || len(export.Questions) < 5 {
		t.Fatalf("quiz json: %v\n%s", err, data)
	}
	var qs []*quiz.Question // the questions of a field; the filter tasks are checkTasks's
	for _, q := range export.Questions {
		// A state question names no field: its answer comes from the
		// state machine over the frames, which stream's tests check
		// against the socket table.
		if q.Frame > 0 && q.Field != "" {
			qs = append(qs, q)
		}
	}
	for _, q := range qs {
		got, _ := dissect.Field(&pkts[q.Frame-1], q.Field)
		if got = q.FromField(got); got != q.Expect {
			t.Errorf("%s: expect %q, frame %d %s = %q", q.Kind, q.Expect, q.Frame, q.Field, got)
		}
	}
	ts := testenv.Tshark(t)
	for _, q := range qs {
		out, err := exec.Command(ts, "-r", pcap, "-Y", "frame.number=="+strconv.Itoa(q.Frame), "-T", "fields", "-e", q.Field).Output()
		if err != nil {
			t.Fatal(err)
		}
		if got := q.FromField(strings.TrimSpace(string(out))); got != q.Expect {
			t.Errorf("%s: tshark says %s = %q, the quiz expects %q", q.Kind, q.Field, got, q.Expect)
		}
	}
	// No warnings from tshark beyond what --impair causes, and what the
	// file-transfer lesson makes on purpose: a full window, a zero
	// window, and the D-SACK the kernel answers a window probe with. On
	// the kernel's loopback the checksums are left to offload and never
	// filled in, so only the sandbox's are checked. The echo's UDP port
	// is decoded as data: tshark picks a UDP dissector by the lower port
	// first, and a client's random port above it may be one tshark knows,
	// whose dissector then calls the lesson's text malformed.
	args := []string{"-r", pcap, "-d", "udp.port==10001,data", "-Y", "_ws.expert.severity >= warning && !tcp.analysis.retransmission && !(tcp.flags.reset == 1) && !tcp.analysis.zero_window && !tcp.analysis.window_full && !tcp.options.sack.dsack", "-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message"}
	if checksums {
		args = append(args, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE")
	}
	warn, err := exec.Command(ts, args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(warn)) != "" {
		t.Errorf("tshark warns:\n%s", warn)
	}
	if !strings.Contains(string(data), `"lesson": "`) {
		t.Errorf("quiz json names no lesson")
	}
	return pkts
}

// TestLessonWhilePortBusy: someone holds 10000 (say `serve echo` in
// another terminal): the lesson says so in one line and stops, rather
// than move its server to a port its text does not name.
func TestLessonWhilePortBusy(t *testing.T) {
	testenv.NeedCapture(t)
	srv := &echo.Server{Net: netenv.Kernel{}, TCPPort: echo.DefaultTCPPort, UDPPort: -1}
	if err := srv.Start(context.Background()); err != nil {
		t.Skip("port 10000 is already taken here; nothing to test")
	}
	defer srv.Close()
	code, out, errs := run(t, nil, "lesson", "tcp-handshake", "--no-input")
	if code != 1 || !strings.Contains(errs, "TCP port 10000 is already in use") || strings.Contains(out, "Captured") {
		t.Errorf("exit %d: %s\n%s", code, errs, out)
	}
}

// TestLessonTellsTheLoss: with a dropped frame the lesson explains the
// retransmission it caused, naming the right frames.
func TestLessonTellsTheLoss(t *testing.T) {
	code, out, _ := run(t, nil, "lesson", "tcp-handshake", "--no-input", "--impair", "drop=4")
	text := strings.ReplaceAll(strings.Join(strings.Fields(out), " "), "`", "") // code marks, without colour
	if code != 0 || !strings.Contains(text, "frame 5 is marked [TCP Retransmission]. Frame 4 never arrived") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	_, out, _ = run(t, nil, "lesson", "tcp-handshake", "--no-input", "--net", "sandbox")
	if strings.Contains(out, "Retransmission") {
		t.Errorf("no loss, yet the lesson speaks of one")
	}
}

func TestReadDisplayFilterAndJSON(t *testing.T) {
	code, out, _ := run(t, nil, "read", "-r", testdata("echo-lab.pcap"), "-Y", "tcp.flags.syn == 1", "-T", "fields", "-e", "frame.number")
	if code != 0 || out != "1\n2\n" {
		t.Errorf("exit %d, %q", code, out)
	}
	code, out, _ = run(t, nil, "read", "-r", testdata("echo-lab.pcap"), "-Y", "udp", "-T", "json", "-e", "udp.port")
	var doc []struct {
		Source struct {
			Layers map[string][]string `json:"layers"`
		} `json:"_source"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 || len(doc) != 2 || doc[0].Source.Layers["udp.port"][1] != "10001" {
		t.Errorf("exit %d, %v:\n%s", code, err, out)
	}
	code, _, errs := run(t, nil, "read", "-r", testdata("echo-lab.pcap"), "-Y", "tcp.prot == 1")
	if code != cli.ExitError || !strings.Contains(errs, "\"tcp.prot\" is neither a field nor a protocol name") || !strings.Contains(errs, "    ^~~~~~~~") {
		t.Errorf("exit %d, %q", code, errs)
	}
}

func TestSocketsCommand(t *testing.T) {
	if _, err := os.Stat("/proc/net/tcp"); err != nil {
		t.Skip("no /proc/net here")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	code, out, _ := run(t, nil, "sockets", "--port", port)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || !strings.Contains(lines[1], "127.0.0.1:"+port) || !strings.Contains(lines[1], "LISTEN") ||
		!strings.Contains(lines[1], "/"+strconv.Itoa(os.Getpid())) {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestFollowMatchesTshark: follow's ascii, hex and raw formats print
// what tshark -z follow prints, retransmissions and Unicode included.
func TestFollowMatchesTshark(t *testing.T) {
	files, _ := filepath.Glob(testdata("*.follow-*.txt"))
	if len(files) < 12 {
		t.Fatalf("%d follow files", len(files))
	}
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".txt")
		name, format, _ := strings.Cut(base, ".follow-")
		capt, _ := filepath.Glob(testdata(name + ".pcap*"))
		want, _ := os.ReadFile(f)
		code, out, errs := run(t, nil, "follow", "-r", capt[0], "--stream", "0", "--format", format)
		if code != 0 || out != string(want) {
			t.Errorf("%s: exit %d %s\n got:\n%s\nwant:\n%s", base, code, errs, out, want)
		}
	}
}

func TestFollowText(t *testing.T) {
	code, out, _ := run(t, nil, "follow", "-r", testdata("echo-utf8.pcap"), "--stream", "0")
	for _, want := range []string{"Привет, сервер!", "ПРИВЕТ, СЕРВЕР!", "你好，服务器", ">>> 127.0.0.1:53496 → 127.0.0.1:10000, 28 bytes", "<<< 127.0.0.1:10000", "bin... end"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("follow lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := run(t, nil, "follow", "-r", testdata("echo-utf8.pcap"), "--stream", "7"); code != 0 || !strings.Contains(errs, "stream 7 carries no data") {
		t.Errorf("missing stream: %d %q", code, errs)
	}
}

// TestFiltersLesson runs the filters lesson in the sandbox and checks
// that each task's frames are what tshark selects with its model filter.
func TestFiltersLesson(t *testing.T) {
	dir := t.TempDir()
	pcap, qj := filepath.Join(dir, "f.pcapng"), filepath.Join(dir, "f.json")
	for _, lang := range i18n.Available(content.FS) {
		code, out, errs := run(t, nil, "lesson", "filters", "--no-input", "--net", "sandbox", "--lang", lang, "--save-capture", pcap, "--quiz-json", qj)
		if code != 0 || strings.Contains(out, "<no value>") {
			t.Fatalf("%s: exit %d %s\n%s", lang, code, errs, out)
		}
	}
	var export struct {
		Questions []struct{ Kind, Expect string }
	}
	data, _ := os.ReadFile(qj)
	if err := json.Unmarshal(data, &export); err != nil {
		t.Fatal(err)
	}
	tasks := lessontest.Lesson(t, "filters").Tasks
	// The tasks come after the lesson's questions, which TestLessonNoInput checks.
	if n := len(export.Questions) - len(tasks); n < 0 {
		t.Fatalf("%d exported, %d tasks", len(export.Questions), len(tasks))
	} else {
		export.Questions = export.Questions[n:]
	}
	for i, q := range export.Questions {
		if want := map[bool]string{true: "capture-filter", false: "display-filter"}[tasks[i].Capture]; q.Kind != want {
			t.Fatalf("exported %d is a %s, want the task %s", i, q.Kind, tasks[i].ID)
		}
	}
	ts := testenv.Tshark(t)
	for i, task := range tasks {
		if task.Capture {
			continue
		}
		out, err := exec.Command(ts, "-r", pcap, "-Y", task.Model, "-T", "fields", "-e", "frame.number").Output()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(strings.Fields(string(out)), ","); got != export.Questions[i].Expect {
			t.Errorf("task %s: tshark -Y %q selects %s, the lesson expects %s", task.ID, task.Model, got, export.Questions[i].Expect)
		}
	}
}

// TestChatClient: the line client joins, says something and hears the
// room, reading its input from a pipe.
func TestChatClient(t *testing.T) {
	srv := &chat.Server{Net: netenv.Kernel{}}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	in, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// The server delivers what it queued for a client that quit before
	// it closes, so no wait is needed between the lines.
	fmt.Fprintln(w, "привет")
	fmt.Fprintln(w, "/quit")
	w.Close()
	var out, errb bytes.Buffer
	state := t.TempDir()
	code := cli.Run(cli.Env{
		Args: []string{"chat", "--nick", "Алиса", "--addr", srv.Addr().String()}, Stdin: in, Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return map[string]string{"XDG_STATE_HOME": state}[k] }, Content: content.FS,
	})
	text := out.String()
	for _, want := range []string{"Алиса joined!", "Connected to server!", "Алиса: привет", "You left the chat."} {
		if code != 0 || !strings.Contains(text, want) {
			t.Errorf("exit %d, output lacks %q:\n%s%s", code, want, text, errb.String())
		}
	}
	if strings.Contains(text, "The server closed the connection.") {
		t.Errorf("the learner left, yet the client says the server closed:\n%s", text)
	}
	code, _, errs := run(t, nil, "chat", "--nick", "x", "--addr", "127.0.0.1:1")
	if code != cli.ExitError || !strings.Contains(errs, "No chat server answers at 127.0.0.1:1") {
		t.Errorf("no server: exit %d, %q", code, errs)
	}
}

// TestChatClientServerFull: a server with as many clients as it takes
// refuses one more, and the client says so, not that no server is there.
func TestChatClientServerFull(t *testing.T) {
	srv := &chat.Server{Net: netenv.Kernel{}, MaxClients: 1}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	first, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	greet := make([]byte, 4)
	if _, err := io.ReadFull(first, greet); err != nil || string(greet) != "NICK" {
		t.Fatalf("first client: %q, %v", greet, err)
	}
	code, _, errs := runIn(t, map[string]string{"LANG": "ru"}, "", "chat", "--nick", "boris", "--addr", srv.Addr().String())
	if code != cli.ExitError || !strings.Contains(errs, "переполнен") {
		t.Errorf("exit %d, stderr %q; want the server-full sentence", code, errs)
	}
}

// TestSecretCapturePrivate: the http-api-token lesson's capture holds
// the token in the clear, so its saved copy is its owner's alone,
// whatever the umask; another lesson's follows the umask.
func TestSecretCapturePrivate(t *testing.T) {
	dir := t.TempDir()
	for _, id := range []string{"http-api-token", "tcp-handshake"} {
		pcap := filepath.Join(dir, id+".pcapng")
		if code, _, errs := run(t, nil, "lesson", id, "--no-input", "--net", "sandbox", "--save-capture", pcap); code != 0 {
			t.Fatalf("%s: exit %d: %s", id, code, errs)
		}
		fi, err := os.Stat(pcap)
		if err != nil {
			t.Fatal(err)
		}
		if id == "http-api-token" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: capture with the token is %v, want 0600", id, fi.Mode().Perm())
		}
		if id != "http-api-token" && fi.Mode().Perm()&0o044 == 0 && umaskAllowsRead(t) {
			t.Errorf("%s: capture is %v: the umask lets others read, so should the file", id, fi.Mode().Perm())
		}
	}
}

// umaskAllowsRead reports whether a new file gets read bits for group or
// others under this process's umask.
func umaskAllowsRead(t *testing.T) bool {
	p := filepath.Join(t.TempDir(), "probe")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().Perm()&0o044 != 0
}

// TestVersion: --version says the version, where it was built from and
// the Go that built it, in the user's language, and nothing else.
func TestVersion(t *testing.T) {
	for _, lang := range []string{"en", "ru", "zh"} {
		code, out, errOut := run(t, nil, "--lang", lang, "--version")
		if code != 0 || errOut != "" || !strings.HasPrefix(out, "wiretutor ") || !strings.Contains(out, runtime.Version()) ||
			strings.Contains(out, "{{") || strings.Count(out, "\n") != 1 {
			t.Errorf("%s: exit %d, %q, stderr %q", lang, code, out, errOut)
		}
	}
}

// TestUsageLineInTheUsersLanguage: the usage line's placeholder for the
// flags is the user's language's, not cobra's English "[flags]".
func TestUsageLineInTheUsersLanguage(t *testing.T) {
	for lang, want := range map[string]string{"en": "[flags]", "ru": "[флаги]", "zh": "[选项]"} {
		for _, args := range [][]string{{"--help"}, {"verify", "--help"}, {"serve", "echo", "--help"}} {
			_, out, _ := run(t, nil, append([]string{"--lang", lang}, args...)...)
			if !strings.Contains(out, want) || lang != "en" && strings.Contains(out, "[flags]") {
				t.Errorf("%s %v: no %s:\n%s", lang, args, want, out)
			}
		}
	}
}
