package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/doc"
	"wiretutor/engine/course/syllabus"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/net/ping"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/text/i18n"
	"wiretutor/lessons"
	"wiretutor/servers/chat"
	"wiretutor/servers/game"
	"wiretutor/servers/listen"
)

// explainCases are errors of every package, as the commands meet them,
// and the English sentence each becomes.
func explainCases() []struct {
	name string
	err  error
	want string
} {
	wrap := func(e error) error { return fmt.Errorf("outer: %w", e) }
	return []struct {
		name string
		err  error
		want string
	}{
		{"course_file", errCourseFile{path: "/x/lab.toml", err: &syllabus.Error{Line: 4, Code: syllabus.CodeUnknown, Arg: "tcp-handshak"}}, "The course file /x/lab.toml, line 4: there is no lesson tcp-handshak. The lessons are: tcp-handshake, sockets."},
		{"course_file_syn", errCourseFile{path: "/x/lab.toml", err: &syllabus.Error{Line: 1, Code: syllabus.CodeSyntax, Arg: "bad"}}, "The course file /x/lab.toml, line 1: this is not valid TOML (bad). The file looks like: title = \"Lab 1\" and lessons = [\"tcp-handshake\", \"sockets\"]."},
		{"course_file_path", errCourseFile{path: "/x/lab.toml", err: &fs.PathError{Op: "open", Path: "/x/lab.toml", Err: fs.ErrNotExist}}, "There is no file /x/lab.toml."},
		{"no_req", errNoRequirements{id: "sockets"}, "The lesson sockets declares nothing a capture must hold, so there is nothing to grade."},
		{"content_args", errContentArgs{arg: "chat"}, "Unexpected \"chat\": content check names lessons only after --mark-current LANG. See --help."},
		{"not_dir", errNotDir{path: "/etc/passwd"}, "/etc/passwd is not a folder: --dir wants the content folder (the one holding en/ and ui.toml files)."},
		{"ping_denied", &ping.SocketError{Err: fmt.Errorf("listen: %w", os.ErrPermission)}, "You may not send ICMP from here. Give the binary the right once: sudo setcap cap_net_raw+ep $(command -v wiretutor); or let every group use ping sockets: sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\". To ping 127.0.0.1 without either, add --net sandbox."},
		{"ping_socket", &ping.SocketError{Err: errors.New("weird")}, "Could not open an ICMP socket: weird"},
		{"unknown_host", &ping.UnknownHostError{Host: "h.invalid"}, "h.invalid: no such host, or it has no IPv4 address. Check the name, or give an address such as 127.0.0.1."},
		{"sandbox_host", &ping.SandboxHostError{Host: "192.0.2.1"}, "The sandbox network holds only 127.0.0.1, so 192.0.2.1 cannot be reached from it. To ping other hosts: sudo setcap cap_net_raw+ep $(command -v wiretutor), or sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"."},
		{"impair", &netenv.ImpairError{Spec: "drop=x", Code: "frames"}, "--impair \"drop=x\": give frame numbers from 1, separated by commas"},
		{"impair_kernel", course.ErrImpairKernel, "Impairments work only on the sandbox network: use --net sandbox (or leave --net out)."},
		{"missing_flag", errMissingFlag{flag: "-r"}, "This command needs -r. See --help."},
		{"unknown_lesson", errUnknownLesson{id: "nope"}, "There is no lesson \"nope\". Lessons: tcp-handshake, sockets."},
		{"unknown_field", errUnknownField{name: "tcp.prot"}, "Unknown field \"tcp.prot\". Use Wireshark's field names, such as tcp.seq or ip.src."},
		{"game_gone", fmt.Errorf("game: %w", game.ErrGone), "The game server closed the connection: it has stopped, or it ended your game."},
		{"bad_value", errBadValue{flag: "-T", value: "xml", want: "text, fields, json"}, "-T does not take \"xml\". It takes: text, fields, json."},
		{"port_in_use", withPortFlag(&listen.BindError{Proto: "tcp", Port: 10000, Err: syscall.EADDRINUSE}, "--tcp-port", "--udp-port"), "TCP port 10000 is already in use. Stop the program that holds it, or choose another port with --tcp-port."},
		{"port_flag_denied", withPortFlag(&listen.BindError{Proto: "udp", Port: 80, Err: syscall.EACCES}, "--tcp-port", "--udp-port"), "Port 80 is below 1024, which only root may open. Choose a port from 1024 up."},
		{"port_flag_other", withPortFlag(&listen.BindError{Proto: "udp", Port: 80, Err: errors.New("odd")}, "--tcp-port", "--udp-port"), "The server could not open UDP port 80: odd."},
		{"listen_not_local", withPortFlag(&listen.BindError{Proto: "tcp", Port: 55555, Err: &net.OpError{Op: "listen", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(10, 9, 9, 9), Port: 55555}, Err: os.NewSyscallError("bind", syscall.EADDRNOTAVAIL)}}, "--port", ""), "The server could not open TCP port 55555: 10.9.9.9:55555 is not an address of this computer."},
		{"listen_no_host", &listen.BindError{Proto: "tcp", Port: 8080, Err: &net.OpError{Op: "listen", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "nosuch.invalid", IsNotFound: true}}}, "The server could not open TCP port 8080: there is no host nosuch.invalid."},
		{"lesson_step", fmt.Errorf("exchange: %w", &lessons.StepError{Step: "chat_bot", Data: map[string]any{"Nick": "jack"}, Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}), "The lesson could not connect its chat client jack to its chat server: the connection was refused: nothing listens there. Try again; if it keeps failing, run it on the sandbox network: --net sandbox."},
		{"lesson_step_eof", &lessons.StepError{Step: "http_answer", Err: io.ErrUnexpectedEOF}, "The lesson could not read its web server's answer: the other side closed the connection too early. Try again; if it keeps failing, run it on the sandbox network: --net sandbox."},
		{"lesson_step_odd", &lessons.StepError{Step: "http_request", Data: map[string]any{"Method": "GET", "Path": "/old"}, Err: errors.New("odd")}, "The lesson could not send GET /old to its web server: odd. Try again; if it keeps failing, run it on the sandbox network: --net sandbox."},
		{"peer_step", &lessons.StepError{Step: "peer_connect", Data: map[string]any{"Port": 55555}, Err: os.ErrDeadlineExceeded, Peer: true}, "The lesson's program could not connect to your server on port 55555: no answer came in time."},
		{"network", fmt.Errorf("capture: %w", syscall.ECONNRESET), "A connection failed: the other side reset the connection."},
		{"file_full", fmt.Errorf("save capture: %w", &fs.PathError{Op: "write", Path: "/t/c.pcapng", Err: syscall.ENOSPC}), "Cannot use the file /t/c.pcapng: the disk is full."},
		{"files", fmt.Errorf("accept: %w", syscall.EMFILE), "A connection failed: too many files are open (see ulimit -n)."},
		{"port_lesson", wrap(&listen.BindError{Proto: "tcp", Port: 10000, Err: syscall.EADDRINUSE}), "TCP port 10000 is already in use, so the lesson cannot start its server. Stop the program that holds it and try again."},
		{"port_denied", &listen.BindError{Proto: "tcp", Port: 80, Err: syscall.EACCES}, "Port 80 is below 1024, which only root may open. Choose a port from 1024 up."},
		{"chat_full", &chat.FullError{Addr: "127.0.0.1:5"}, "The chat server at 127.0.0.1:5 is full: it already has as many clients as its --max-clients allows. Try again later."},
		{"chat_connect", &chat.ConnectError{Addr: "127.0.0.1:1", Err: errors.New("refused")}, "No chat server answers at 127.0.0.1:1. Start one with `wiretutor serve chat`, or give its address with --addr."},
		{"cap_perm", fmt.Errorf("%w: %w", capture.ErrPermission, syscall.EPERM), "Capturing on the real loopback needs the CAP_NET_RAW capability. Give it once with `sudo setcap cap_net_raw+ep $(command -v wiretutor)`, run as root, or use --net sandbox, which needs no rights."},
		{"cap_unsup", errors.Join(capture.ErrUnsupported), "Live capture works only on Linux in this version."},
		{"display", &filter.DisplayError{Filter: "tcp.prot == 1", Pos: 0, Len: 8, Code: filter.CodeUnknownField, Arg: "tcp.prot"}, "Display filter: \"tcp.prot\" is neither a field nor a protocol name.\n    tcp.prot == 1\n    ^~~~~~~~"},
		{"display_value", wrap(&filter.DisplayError{Filter: "ip.src == Алиса", Pos: 10, Len: 5, Code: filter.CodeBadValue, Arg: "Алиса", Want: "address"}), "Display filter: \"Алиса\" is not a valid IP address.\n    ip.src == Алиса\n              ^~~~~"},
		{"too_long", &filter.TooLongError{Filter: "x", Len: 5000}, "The capture filter is too long: its program would exceed 4096 instructions, the most the kernel accepts. Join ports into a portrange, or capture with a shorter filter and narrow it down with -Y."},
		{"syntax", &filter.SyntaxError{Filter: "tcp port", Pos: 8, Code: filter.CodePort, Msg: "port"}, "Capture filter \"tcp port\", at character 9: a port number from 0 to 65535 is expected here"},
		{"not_capture", &capture.FileError{Path: "/t/notes.txt", Err: fmt.Errorf("%w: too short", capture.ErrNotCapture)}, "/t/notes.txt is not a capture file (pcap or pcapng)."},
		{"truncated", &capture.FileError{Path: "/t/cut.pcap", After: 3, Err: fmt.Errorf("%w: %w", capture.ErrTruncated, errors.New("unexpected EOF"))}, "/t/cut.pcap ends in the middle of a packet: the file is cut short after frame 3."},
		{"corrupt", &capture.FileError{Path: "/t/bad.pcap", After: 2, Err: fmt.Errorf("%w: %w", capture.ErrCorrupt, errors.New("bad block"))}, "/t/bad.pcap is damaged: after frame 2: capture file is damaged: bad block"},
		{"corrupt0", &capture.FileError{Path: "/t/bad.pcap", Err: fmt.Errorf("%w: %w", capture.ErrCorrupt, errors.New("bad block"))}, "/t/bad.pcap is damaged: capture file is damaged: bad block"},
		{"file_os", &capture.FileError{Path: "/t/x.pcap", Err: errors.New("something")}, "Error: /t/x.pcap: something"},
		{"link", &dissect.LinkTypeError{Link: 147}, "This capture's link type is not supported yet (unsupported link type: 147)."},
		{"doc", fmt.Errorf("en/x.md: %w", &doc.Error{Line: 3, Code: doc.CodeHeadingID}), "The course text en/x.md is broken at line 3: a \"## \" heading needs a stable id at its end, like {#handshake}: copy it from the English. If you edited it, fix that place; `wiretutor content check` lists every problem."},
		{"doc_twice", fmt.Errorf("lesson: %w", fmt.Errorf("ru/chat.md: %w", &doc.Error{Line: 9, Code: doc.CodeIDTwice, Arg: "intro", First: 5})), "The course text ru/chat.md is broken at line 9: the section id {#intro} is used twice (first on line 5). If you edited it, fix that place; `wiretutor content check` lists every problem."},
		{"doc_bare", &doc.Error{Line: 2, Code: doc.CodeFrontTOML, Detail: "expected '='"}, "The course text is broken at line 2: the front matter is not valid TOML (expected '='). If you edited it, fix that place; `wiretutor content check` lists every problem."},
		{"no_section", &course.SectionError{Lesson: "chat", Section: "intro"}, "The text of the lesson chat has no section {#intro}, which one of its steps shows. If you edited it, add a heading ending in {#intro}; `wiretutor content check` lists every problem."},
		{"no_file", &fs.PathError{Op: "open", Path: "/nonexistent.pcap", Err: syscall.ENOENT}, "There is no file /nonexistent.pcap."},
		{"file_perm", &fs.PathError{Op: "open", Path: "/root/x", Err: syscall.EACCES}, "You may not open /root/x: check its permissions."},
		{"usage", usageError{errors.New("unknown command \"x\"")}, "Wrong command line: unknown command \"x\". See --help."},
		{"generic", errors.New("boom"), "Error: boom"},
	}
}

func explainer(t *testing.T, lang string) *app {
	t.Helper()
	tx, err := i18n.Load(content.FS, lang)
	if err != nil {
		t.Fatal(err)
	}
	// Two lessons of the test's own: the sentences list them, whatever
	// the course holds.
	return &app{tx: tx, lessons: []*course.Lesson{{ID: "tcp-handshake"}, {ID: "sockets"}}}
}

// TestExplain: each error becomes its sentence, the sentences within it
// (a filter's reason, a course file's, an impairment's) rendered in
// place, and what only the command line knows (the binary, the lessons)
// filled in.
func TestExplain(t *testing.T) {
	a := explainer(t, "en")
	for _, tt := range explainCases() {
		if got := a.explain(tt.err); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// TestExplainTranslated: the sentences and those within them are the
// learner's language's, every one of them a translated message.
func TestExplainTranslated(t *testing.T) {
	cases := map[string]error{}
	for _, tt := range explainCases() {
		cases[tt.name] = tt.err
	}
	tests := []struct{ name, lang, want string }{
		{"display_value", "ru", "Фильтр отображения: «Алиса» — это не IP-адрес.\n    ip.src == Алиса\n              ^~~~~"},
		{"display_value", "zh", "显示过滤器：“Алиса”不是有效的IP 地址。\n    ip.src == Алиса\n              ^~~~~"},
		{"course_file", "ru", "Файл курса /x/lab.toml, строка 4: урока tcp-handshak нет. Есть такие уроки: tcp-handshake, sockets."},
		{"course_file", "zh", "课程文件 /x/lab.toml 第 4 行：没有名为 tcp-handshak 的课程。现有课程：tcp-handshake, sockets。"},
		{"impair", "ru", "--impair «drop=x»: укажите номера кадров начиная с 1 через запятую"},
		{"impair", "zh", "--impair“drop=x”：请给出从 1 开始的帧号，用逗号分隔"},
		{"port_in_use", "ru", "TCP-порт 10000 уже занят. Остановите программу, которая его держит, или выберите другой порт флагом --tcp-port."},
		{"port_in_use", "zh", "TCP 端口 10000 已被占用。请停止占用它的程序，或者用 --tcp-port 换一个端口。"},
		{"truncated", "ru", "/t/cut.pcap обрывается посреди пакета: файл обрезан после кадра 3."},
		{"truncated", "zh", "/t/cut.pcap 在一个数据包中间突然结束：文件在第 3 帧之后被截断了。"},
		{"ping_denied", "ru", "Отсюда вам нельзя отправлять ICMP. Дайте программе право один раз: sudo setcap cap_net_raw+ep $(command -v wiretutor) — или разрешите ping-сокеты всем группам: sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\". Чтобы пинговать 127.0.0.1 без этого, добавьте --net sandbox."},
		{"ping_denied", "zh", "你在这里无权发送 ICMP。可以给程序授权一次：sudo setcap cap_net_raw+ep $(command -v wiretutor)；或允许所有组使用 ping 套接字：sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"。如果两者都不做，也可以加上 --net sandbox 来 ping 127.0.0.1。"},
		{"unknown_lesson", "ru", "Урока «nope» нет. Есть уроки: tcp-handshake, sockets."},
		{"unknown_lesson", "zh", "没有“nope”这节课。现有课程：tcp-handshake, sockets。"},
		{"syntax", "ru", "Фильтр захвата «tcp port», символ 9: здесь нужен номер порта от 0 до 65535"},
		{"syntax", "zh", "抓包过滤器“tcp port”第 9 个字符处：这里应该是 0 到 65535 之间的端口号"},
		{"lesson_step", "ru", "Урок не смог подключить своего чат-клиента jack к своему чат-серверу: в соединении отказано: там никто не слушает. Попробуйте ещё раз; если ошибка повторяется, запустите урок в песочнице: --net sandbox."},
		{"lesson_step", "zh", "本课未能把它的聊天客户端 jack 连接到它的聊天服务器：连接被拒绝：那里没有程序在监听。请再试一次；如果一直失败，请改在沙盒网络中运行：--net sandbox。"},
		{"listen_not_local", "ru", "Сервер не смог открыть TCP-порт 55555: 10.9.9.9:55555 — не адрес этого компьютера."},
		{"file_full", "zh", "无法使用文件 /t/c.pcapng：磁盘已满。"},
	}
	for _, tt := range tests {
		if got := explainer(t, tt.lang).explain(cases[tt.name]); got != tt.want {
			t.Errorf("%s %s:\n got %q\nwant %q", tt.name, tt.lang, got, tt.want)
		}
	}
	en := explainer(t, "en")
	for _, lang := range i18n.Available(content.FS)[1:] {
		a := explainer(t, lang)
		for _, tt := range explainCases() {
			got := a.explain(tt.err)
			if got == en.explain(tt.err) || strings.Contains(got, "<no value>") {
				t.Errorf("%s %s: not translated: %q", tt.name, lang, got)
			}
		}
	}
}
