package lessons_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
	"wiretutor/lessons"
	"wiretutor/lessons/lessontest"
)

// headerWants are the headers lesson's questions on the sandbox: it
// predicts three lengths before it shows anything (the IPv4 header's,
// the TCP header's with timestamps, the total), then points at bytes
// before the packet list (a TTL, a SYN's data offset, a FIN's flags, a
// window as it is and scaled: the list shows the TTL of a ping, and
// each window scaled) and after it (identification, DF, the checksum
// on paper, the urgent pointer, a datagram's protocol and length). The sandbox gives every run the same values: gVisor leaves
// each identification 0, so even the checksum is known.
var headerWants = []want{
	{"headers-ip-hdr-len", "20", 0, true},
	{"headers-tcp-hdr-len", "32", 0, true},
	{"headers-ip-len", "64", 0, true}, // 20 + 32 + "hello server"
	{"headers-ip-ttl", "64", 0, false},
	{"headers-syn-hdr-len", "40", 0, false},
	{"headers-tcp-flags", "0x0011", 0, false}, // the client's FIN
	{"headers-window-raw", "4096", 0, false},
	{"headers-window-scaled", "524288", 0, false}, // 4096 × 2^7
	{"headers-ip-id", "0x0000", 0, false},
	{"headers-ip-df", "1", 0, false},
	{"headers-ip-checksum", "0x3cc2", 0, false},
	{"headers-urgent", "0", 0, false},
	{"headers-ip-proto", "17", 0, false},
	{"headers-udp-length", "23", 0, false}, // 8 + "second datagram"
}

// TestHeadersFlow: in every language, on the sandbox, the lesson asks
// headerWants in order, each as tshark has it, each prediction naming
// no frame, with its two filter tasks; and what it printed before a
// question (its prose and tables, and the questions before it, but not
// the packet list) never holds that question's answer, bar the answers
// of one digit (a bit, a zero). The bytes a question gives are no
// answer: its answer is what they mean.
func TestHeadersFlow(t *testing.T) {
	for _, lang := range []string{"en", "ru", "zh"} {
		t.Run(lang, func(t *testing.T) {
			tx, err := i18n.Load(content.FS, lang)
			if err != nil {
				t.Fatal(err)
			}
			export, text, pcap := runInSandbox(t, "headers", lang)
			var qs, ts []*quiz.Question
			for _, q := range export.Questions {
				if q.Frame == 0 { // a filter task names frames by its model
					ts = append(ts, q)
				} else {
					qs = append(qs, q)
				}
			}
			if len(qs) != len(headerWants) || len(ts) != 2 {
				t.Fatalf("%d questions and %d tasks, want %d and 2: %+v", len(qs), len(ts), len(headerWants), export.Questions)
			}
			parts := readParts(tx, text)
			if len(parts) != len(qs)+1 {
				t.Fatalf("%d questions asked in the text, want %d:\n%s", len(parts)-1, len(qs), text)
			}
			var exported []exportedQuestion
			for i, w := range headerWants {
				q := qs[i]
				if q.Kind != w.kind || q.Expect != w.expect || q.Predict != w.predict {
					t.Errorf("question %d: %s expects %q (predict %v); want %s, %q (predict %v)", i+1, q.Kind, q.Expect, q.Predict, w.kind, w.expect, w.predict)
				}
				if q.Predict && strings.Contains(strings.ToLower(q.Prompt), frameWords[lang]) {
					t.Errorf("prediction %s names a frame the learner has not seen: %q", q.Kind, q.Prompt)
				}
				e := exportedQuestion{ID: q.ID, Kind: q.Kind, Frame: q.Frame, Field: q.Field, Expect: q.Expect}
				exported = append(exported, e)
				if before := strings.Join(parts[:i+1], " "); hasAnswer(before, e.Shown()) {
					t.Errorf("the text before question %d (%s) holds its answer %s:\n%s", i+1, q.Kind, e.Shown(), before)
				}
			}
			checkWithTshark(t, pcap, exported)
			checkTasks(t, "headers", pcap, ts)
		})
	}
}

// TestHeadersOnTheKernel: on the kernel's loopback, where this process
// may capture, the lesson asks its fourteen questions too, each as
// tshark has it: Linux's windows, identifications and checksums are
// its own, and the timestamps are on every segment as in the sandbox.
func TestHeadersOnTheKernel(t *testing.T) {
	testenv.NeedCapture(t)
	tx, err := i18n.Load(content.FS, "en")
	if err != nil {
		t.Fatal(err)
	}
	nw, err := course.OpenNetwork(course.NetKernel, course.Want{})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	dir := t.TempDir()
	qj, pcap := filepath.Join(dir, "q.json"), filepath.Join(dir, "h.pcapng")
	var out bytes.Buffer
	o := course.Options{Lang: "en", Content: content.FS, Net: nw.Net, Capture: nw.Capture, NoInput: true,
		Out: &out, Term: render.Term{Width: 80}, QuizJSON: qj, SaveCapture: pcap}
	if _, err := course.RunLesson(context.Background(), lessontest.Lesson(t, "headers"), o, tx); err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			t.Skipf("the lab's ports are taken here (another test's echo server): %v", err)
		}
		t.Fatalf("%v\n%s", err, out.String())
	}
	qs := readExport(t, qj)
	if len(qs) != len(headerWants) {
		t.Fatalf("%d questions, want %d", len(qs), len(headerWants))
	}
	for i, q := range qs {
		if q.Kind != headerWants[i].kind {
			t.Errorf("question %d is %s, want %s", i+1, q.Kind, headerWants[i].kind)
		}
	}
	checkWithTshark(t, pcap, qs)
}

// readParts cuts a lesson's output at its questions: part 0 is what
// came before the first, part n the question n and what followed it up
// to the next. The prose, the tables and the questions are kept; the
// packet list is not (its summary lines hold TTLs and windows of their
// own), nor the program's messages ("Captured 17 packets.").
func readParts(tx *i18n.Catalog, out string) []string {
	header := tx.T("quiz.header", map[string]any{"N": 0, "Total": 0})
	prefix, _, _ := strings.Cut(header, "0")
	parts := []string{""}
	inQuestion, inPackets := false, false
	for _, line := range strings.Split(absPath.ReplaceAllString(out, "PATH"), "\n") {
		switch {
		case prefix != "" && strings.HasPrefix(line, prefix):
			parts = append(parts, "")
			inQuestion = true
		case strings.TrimSpace(line) == "":
			inQuestion, inPackets = false, false
			continue
		case packetLine.MatchString(line):
			inPackets = true
			continue
		case inPackets || !inQuestion && !strings.HasPrefix(line, "  "):
			continue
		}
		parts[len(parts)-1] += line + "\n"
	}
	return parts
}

// packetLine is the first line of a packet in the packet list: its
// number and its time.
var packetLine = regexp.MustCompile(`^ +\d+ +\d+\.\d{6,9} `)

// hasAnswer reports whether text holds answer as a number or words of
// its own (a hex answer with or without its 0x), leaving out the bytes
// questions give and numbers of bits.
func hasAnswer(text, answer string) bool {
	text = strings.Join(strings.Fields(text), " ")
	text = hexRun.ReplaceAllString(byteRange.ReplaceAllString(unitWords.ReplaceAllString(text, ""), ""), "")
	if len(answer) < 2 {
		return false
	}
	if strings.Contains(answer, ",") { // flags: "FIN, ACK"
		return strings.Contains(text, answer)
	}
	want := map[string]bool{answer: true, strings.TrimPrefix(answer, "0x"): true}
	if n, err := strconv.ParseUint(strings.TrimPrefix(answer, "0x"), 16, 64); err == nil && strings.HasPrefix(answer, "0x") && n == 0 {
		return false // 0x0000: a zero, as the one-digit answers
	}
	for _, tok := range token.FindAllString(text, -1) {
		if want[tok] {
			return true
		}
	}
	return false
}

// byteRange is a range of bytes a table or a question names: 16–17,
// 0x2e–0x2f.
var byteRange = regexp.MustCompile(`\b(0x)?[0-9a-f]+\s*–\s*(0x)?[0-9a-f]+\b`)

// unitWords are the numbers a lesson's text writes with a unit that
// makes them no answer: 32-bit words, 16 bits, 4 位.
var unitWords = regexp.MustCompile(`\d+\s*-?\s*(bits?|位|бит\p{L}*)`)

// hexRun is a run of bytes or words in hex, as a question gives them.
var hexRun = regexp.MustCompile(`\b[0-9a-f]{2}( [0-9a-f]{2})+\b|\b[0-9a-f]{4}( [0-9a-f]{4}){3,}\b`)

// token is a number or a word of a text.
var token = regexp.MustCompile(`[\p{L}\p{N}]+`)

// TestHeadersWordsAreFilled: every text of every headers question, in
// every language, on the kernel's lab capture and the sandbox's, is
// filled in from the question's data: no placeholder is left without
// a value, and each language words it in its own words.
func TestHeadersWordsAreFilled(t *testing.T) {
	reg := lessons.Registry{}
	var names []string
	for _, m := range reg.Makers() {
		if strings.HasPrefix(m, "headers-") {
			names = append(names, m)
		}
	}
	if len(names) != len(headerWants) {
		t.Fatalf("%d headers makers registered, want %d", len(names), len(headerWants))
	}
	for _, lang := range []string{"en", "ru", "zh"} {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range []string{"echo-lab.pcap", "sandbox-echo.pcapng"} {
			pkts := testenv.Packets(t, file)
			c := &quiz.Capture{Packets: pkts, Conn: stream.TCPConns(pkts)[0]}
			for _, name := range names {
				mk, _ := reg.Maker(name)
				q, ok := mk(c, tx)
				if !ok {
					continue // the sandbox's capture has no datagram
				}
				for what, s := range map[string]string{"prompt": q.Prompt, "why": q.Explain, "predict": q.Predicted, "rule": q.Rule, "clue": q.Clue} {
					if strings.Contains(s, "<no value>") || strings.Contains(s, "{{") {
						t.Errorf("%s, %s on %s: the %s is not filled in: %q", lang, name, file, what, s)
					}
				}
				if q.Prompt == "" || q.Explain == "" || q.Clue == "" && q.Predicted == "" && name != "headers-ip-len" {
					t.Errorf("%s, %s on %s: a text is missing: %+v", lang, name, file, q)
				}
				if !tx.Translated("quiz."+strings.ReplaceAll(name, "-", "_")+".prompt") && lang != "en" {
					t.Errorf("%s: %s is not translated", lang, name)
				}
			}
		}
	}
}
