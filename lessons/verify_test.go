package lessons_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/course/verify"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
	"wiretutor/lessons"
)

// captures is where the verify runs of testdata/verify's programs were
// saved (testdata/verify/captures/regen.sh makes tshark's view of them).
var captures = filepath.Join("..", "testdata", "verify", "captures")

// TestVerifyChecksOnSavedRuns grades the saved captures of the labs'
// programs, good and broken, as verify graded them when it saved them,
// and holds every frame a finding names to tshark: our line of it is
// tshark's. Each file's comment says its lesson, role and when verify
// stopped the program.
func TestVerifyChecksOnSavedRuns(t *testing.T) {
	ls, err := lessons.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*course.Lesson{}
	for _, l := range ls {
		byID[l.ID] = l
	}
	tests := []struct {
		file string
		want map[string]string // check → finding key
	}{
		{"tcp-handshake-client-echo_client", map[string]string{"tcp-connects": "client.connected", "tcp-sends": "tcp.sent", "tcp-closes": "tcp.closed_fin"}},
		{"tcp-handshake-client-echo_client_reset", map[string]string{"tcp-connects": "client.connected", "tcp-sends": "tcp.sent", "tcp-closes": "tcp.closed_rst"}},
		{"tcp-handshake-client-echo_client_never_closes", map[string]string{"tcp-connects": "client.connected", "tcp-sends": "tcp.sent", "tcp-closes": "tcp.closed_killed"}},
		{"tcp-handshake-server-echo_server", map[string]string{"tcp-connects": "server.connected", "tcp-echoes": "tcp.echoed", "tcp-closes": "tcp.closed_fin"}},
		{"tcp-handshake-server-echo_server_never_closes", map[string]string{"tcp-connects": "server.connected", "tcp-echoes": "tcp.echoed", "tcp-closes": "tcp.closed_killed"}},
		{"sockets-client-sender", map[string]string{"tcp-connects": "client.connected", "tcp-sends": "tcp.sent", "tcp-closes": "tcp.closed_fin"}},
		{"sockets-server-receiver", map[string]string{"tcp-connects": "server.connected", "tcp-closes": "tcp.closed_fin"}},
		{"udp-echo-client-udp_client", map[string]string{"udp-sends": "udp.sent", "udp-gets-echo": "udp.echo_back"}},
		{"udp-echo-server-udp_server", map[string]string{"udp-replies": "udp.replied"}},
		{"udp-echo-server-udp_server_new_socket", map[string]string{"udp-replies": "udp.wrong_port"}},
		{"chat-client-chat_client", map[string]string{"tcp-connects": "client.connected", "chat-gives-nick": "chat.nick_given", "chat-says": "chat.said"}},
		{"chat-server-chat_server", map[string]string{"tcp-connects": "server.connected", "chat-asks-nick": "chat.asks", "chat-announces": "chat.announced", "chat-relays": "chat.relayed"}},
		{"chat-server-chat_server_no_relay", map[string]string{"tcp-connects": "server.connected", "chat-asks-nick": "chat.asks", "chat-announces": "chat.announced", "chat-relays": "chat.echo_only"}},
		{"http-raw-client-http_client", map[string]string{"tcp-connects": "client.connected", "http-request-crlf": "http.crlf", "http-request-host": "http.host", "tcp-closes": "tcp.closed_fin"}},
		{"http-raw-client-http_client_bare_lf", map[string]string{"tcp-connects": "client.connected", "http-request-crlf": "http.bare_lf", "http-request-host": "http.host", "tcp-closes": "tcp.closed_fin"}},
		{"http-raw-server-http_server", map[string]string{"http-answers-get": "http.answered", "http-redirects": "http.redirected"}},
		{"http-raw-server-http_server_no_length", map[string]string{"http-answers-get": "http.no_length", "http-redirects": "http.redirected"}},
		{"ping-client-ping", map[string]string{"icmp-request": "icmp.request", "icmp-checksum": "icmp.checksum_ok", "icmp-sequence": "icmp.sequenced", "icmp-reply": "icmp.replied"}},
		{"ping-client-ping_bad_checksum", map[string]string{"icmp-request": "icmp.request", "icmp-checksum": "icmp.checksum_carry", "icmp-sequence": "icmp.sequenced", "icmp-reply": "icmp.no_reply"}},
		{"http-api-token-client-api_client", map[string]string{"tcp-connects": "client.connected", "api-sends-token": "api.token_sent", "api-authorized": "api.authorized"}},
		{"http-api-token-client-api_client_no_token", map[string]string{"tcp-connects": "client.connected", "api-sends-token": "api.no_token", "api-authorized": "api.unauthorized"}},
		{"http-api-token-client-api_client_token_in_url", map[string]string{"tcp-connects": "client.connected", "api-sends-token": "api.token_in_url", "api-authorized": "api.unauthorized"}},
		{"game-traffic-client-game_bot", map[string]string{"game-logs-in": "game.logged_in", "game-joins": "game.joined", "game-moves": "game.moved", "game-counts": "game.counted", "game-checks": "game.checks_ok", "game-takes-coin": "game.picked"}},
		{"game-traffic-client-game_bot_bad_check", map[string]string{"game-logs-in": "game.login_check", "game-joins": "game.no_join", "game-moves": "game.no_move", "game-counts": "game.seq_few", "game-checks": "game.check_wrong", "game-takes-coin": "game.no_pickup"}},
		{"game-traffic-client-game_bot_big_endian", map[string]string{"game-logs-in": "game.logged_in", "game-joins": "game.joined", "game-moves": "game.move_ignored", "game-counts": "game.counted", "game-checks": "game.checks_ok", "game-takes-coin": "game.no_pickup"}},
		{"game-traffic-client-game_bot_same_seq", map[string]string{"game-logs-in": "game.logged_in", "game-joins": "game.join_unanswered", "game-moves": "game.no_move", "game-counts": "game.seq_stale", "game-checks": "game.checks_ok", "game-takes-coin": "game.no_pickup"}},
	}
	tx, err := i18n.Load(content.FS, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec := testenv.RecordingAt(t, filepath.Join(captures, tt.file+".pcapng"))
			id, role, stopped, ok := verify.ParseComment(rec.Comment)
			if !ok || !strings.HasPrefix(tt.file, id+"-"+role+"-") {
				t.Fatalf("comment %q does not name this run", rec.Comment)
			}
			prog := byID[id].Program(role)
			pkts, err := course.DissectAll(rec)
			if err != nil {
				t.Fatal(err)
			}
			tshark := tsharkLines(t, filepath.Join(captures, tt.file+".txt"))
			res := verify.Grade(prog, pkts, stopped)
			if len(res) != len(tt.want) {
				t.Errorf("%d checks, want %d", len(res), len(tt.want))
			}
			for _, r := range res {
				if r.Key != tt.want[r.ID] {
					t.Errorf("%s found %s (frame %d), want %s", r.ID, r.Key, r.Frame, tt.want[r.ID])
				}
				if r.Frame > 0 {
					if got := string(dissect.Summary(nil, &pkts[r.Frame-1], rec.Precision)); got != tshark[r.Frame-1] {
						t.Errorf("%s names frame %d:\n ours   %s\n tshark %s", r.ID, r.Frame, got, tshark[r.Frame-1])
					}
				}
				// Every sentence renders with the data its finding gives.
				if s := tx.T("verify.found."+r.Key, r.Data); strings.Contains(s, "{{") || s == "verify.found."+r.Key {
					t.Errorf("%s: %q does not render: %s", r.ID, r.Key, s)
				}
				if s := tx.T("verify.check."+r.ID, r.Data); strings.Contains(s, "{{") {
					t.Errorf("%s: its description does not render: %s", r.ID, s)
				}
			}
		})
	}
}

// TestVerifyChecksumIsTsharks: the checksum the check says a wrong
// request should carry is the one tshark says it should be.
func TestVerifyChecksumIsTsharks(t *testing.T) {
	rec := testenv.RecordingAt(t, filepath.Join(captures, "ping-client-ping_bad_checksum.pcapng"))
	pkts, err := course.DissectAll(rec)
	if err != nil {
		t.Fatal(err)
	}
	ls, _ := lessons.Load(content.FS)
	var prog *course.Program
	for _, l := range ls {
		if l.ID == "ping" {
			prog = l.Program(course.RoleClient)
		}
	}
	var got course.Finding
	for _, r := range verify.Grade(prog, pkts, rec.Frames[0].Info.Timestamp.AddDate(1, 0, 0)) {
		if r.ID == "icmp-checksum" {
			got = r.Finding
		}
	}
	data, err := os.ReadFile(filepath.Join(captures, "ping-client-ping_bad_checksum.V.txt"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`Checksum: (0x[0-9a-f]{4}) incorrect, should be (0x[0-9a-f]{4})`).FindStringSubmatch(string(data))
	if m == nil {
		t.Fatal("tshark's details name no bad checksum")
	}
	if got.Data["Got"] != m[1] || got.Data["Want"] != m[2] || got.Frame != 1 {
		t.Errorf("the check says frame %d carries %v, should be %v; tshark says frame 1 carries %s, should be %s",
			got.Frame, got.Data["Got"], got.Data["Want"], m[1], m[2])
	}
}

// tsharkLines reads tshark's packet list, one line per frame.
func tsharkLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// ExampleRegistry_Check grades the capture of a lab client that closed
// its connection with data it had not read.
func ExampleRegistry_Check() {
	rec, _ := readCapture(filepath.Join(captures, "tcp-handshake-client-echo_client_reset.pcapng"))
	pkts, _ := course.DissectAll(rec)
	check, _ := lessons.Registry{}.Check("tcp-closes")
	prog := &course.Program{Role: course.RoleClient, Peer: course.Peer{Ports: course.Ports{TCP: []int{10000}}}, Checks: []course.Check{check}}
	for _, r := range verify.Grade(prog, pkts, rec.Frames[0].Info.Timestamp.AddDate(0, 0, 1)) {
		fmt.Println(r.ID, r.OK, r.Key, "frame", r.Frame)
	}
	// Output:
	// tcp-closes false tcp.closed_rst frame 8
}

// readCapture reads a capture file whole.
func readCapture(path string) (*capture.Recording, error) {
	f, err := capture.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return capture.ReadAll(f, f.Precision())
}

// TestRunCapturedAsksWhatTheCaptureAnswers: after verify, the lesson's
// view of the learner's own capture asks only the questions that
// capture can answer, and with none, shows no score.
func TestRunCapturedAsksWhatTheCaptureAnswers(t *testing.T) {
	ls, err := lessons.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := i18n.Load(content.FS, "en")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*course.Lesson{}
	for _, l := range ls {
		byID[l.ID] = l
	}
	for _, tt := range []struct {
		lesson, file string
		some         bool // some question applies
	}{
		{"tcp-handshake", "tcp-handshake-client-echo_client", true},
		{"chat", "chat-client-chat_client", false}, // one member, none of the lesson's jack and molly
	} {
		rec := testenv.RecordingAt(t, filepath.Join(captures, tt.file+".pcapng"))
		qj := filepath.Join(t.TempDir(), "q.json")
		var out strings.Builder
		_, err := course.RunCaptured(context.Background(), byID[tt.lesson], rec, true, course.Options{
			Lang: "en", Content: content.FS, Net: netenv.Kernel{}, NoInput: true, QuizJSON: qj,
			Out: &out, Term: render.Term{Width: 80},
		}, tx)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(qj)
		var ex quiz.Export
		json.Unmarshal(data, &ex)
		if (len(ex.Questions) > 0) != tt.some {
			t.Errorf("%s: %d questions on %s", tt.lesson, len(ex.Questions), tt.file)
		}
		if strings.Contains(out.String(), tx.T("summary.title", nil)) != tt.some {
			t.Errorf("%s: a score shown for %d questions:\n%s", tt.lesson, len(ex.Questions), out.String())
		}
		if !strings.Contains(out.String(), tx.T("ladder.title", nil)) {
			t.Errorf("%s: no ladder:\n%s", tt.lesson, out.String())
		}
	}
}
