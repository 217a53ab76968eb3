package lessons_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/text/i18n"
	"wiretutor/lessons/lessontest"
	"wiretutor/servers/game"
)

// learner are hooks that answer the exchange's questions from a script
// and keep what it says.
type learner struct {
	answers map[string][]string
	mu      sync.Mutex
	said    []string
}

func (l *learner) Ready(course.Ports) error { return nil }
func (l *learner) Snapshot(string)          {}
func (l *learner) Say(s string) {
	l.mu.Lock()
	l.said = append(l.said, s)
	l.mu.Unlock()
}
func (l *learner) Ask(id string) (string, bool, error) {
	a := l.answers[id]
	if len(a) == 0 {
		return "", false, nil
	}
	l.answers[id] = a[1:]
	return a[0], true, nil
}

// TestGameLearner plays the game-traffic exchange as a learner would:
// a name too long is asked again, a Cyrillic name logs in with its
// UTF-8 bytes, steps into the wall are skipped and said once for each
// run of them, and every question of the lesson is made from the
// capture, its answer what the dissector reads at its frame.
func TestGameLearner(t *testing.T) {
	l := lessontest.Lesson(t, "game-traffic")
	seed := uint64(11)
	nw, err := course.OpenNetwork(course.NetSandbox, course.Want{Seed: &seed, Hosts: l.Hosts})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	sb := nw.Net.(*netenv.Sandbox)
	var mu sync.Mutex
	rec := &capture.Recording{Link: 1, Precision: 9}
	peer, _ := netenv.Peer(sb)
	untap := peer.(*netenv.Sandbox).Tap(func(ts time.Time, frame []byte) {
		mu.Lock()
		rec.Add(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(frame), Length: len(frame)}, frame)
		mu.Unlock()
	})
	h := &learner{answers: map[string][]string{
		"game.lesson_name":       {"ЁжикЁжикЁ"}, // 17 bytes: one too many
		"game.lesson_name_again": {"Ёжик"},
		"game.lesson_moves":      {"uuuuuuuuuuxdddddddddddddd"},
	}}
	if err := l.Exchange(context.Background(), sb, h); err != nil {
		t.Fatal(err)
	}
	untap()
	walls := 0
	for _, s := range h.said {
		if strings.Contains(s, "leave the grid") {
			walls++
		}
	}
	if walls != 2 {
		t.Errorf("said the wall %d times, want once for the top and once for the bottom:\n%s", walls, strings.Join(h.said, "\n"))
	}
	mu.Lock()
	pkts, err := course.DissectAll(rec)
	mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if !pkts[0].HasARP || !pkts[1].HasARP {
		t.Fatalf("the capture does not start with ARP: %s / %s", dissect.Summary(nil, &pkts[0], 9), dissect.Summary(nil, &pkts[1], 9))
	}
	c := &quiz.Capture{Packets: pkts, Conn: l.Focus(stream.TCPConns(pkts))}
	tx, err := i18n.Load(content.FS, "en")
	if err != nil {
		t.Fatal(err)
	}
	facts := l.Facts(c, tx)
	if !strings.Contains(facts["Login"].(string), "08 d0 81 d0 b6 d0 b8 d0 ba") {
		t.Errorf("the login's bytes do not hold Ёжик after its length 8: %q", facts["Login"])
	}
	made := 0
	for _, s := range l.Steps {
		if s.Kind != course.Ask {
			continue
		}
		q, ok := s.Maker(c, tx)
		if !ok {
			t.Errorf("%s made no question", s.Section)
			continue
		}
		made++
		got, _ := dissect.Field(&pkts[q.Frame-1], q.Field)
		if q.FromField(got) != q.Expect || q.Expect == "" {
			t.Errorf("%s: expects %q, frame %d %s gives %q", s.Section, q.Expect, q.Frame, q.Field, q.FromField(got))
		}
	}
	if made < 8 {
		t.Errorf("%d questions", made)
	}
	// In Russian the what-if name is as long as the learner's (8 bytes):
	// the question takes the other one, lest the table give the answer.
	ru, err := i18n.Load(content.FS, "ru")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range l.Steps {
		if s.Kind == course.Ask && s.Section == "game-name-length" {
			q, ok := s.Maker(c, ru)
			if !ok || q.Expect != "10" || !strings.Contains(q.Prompt, "Алёна") {
				t.Errorf("ru: the name's length asks %q, expects %q", q.Prompt, q.Expect)
			}
		}
	}
}

// TestGameWhatIfNames: in every language the two what-if names are
// names the game takes, and of different lengths in bytes, so one of
// them always differs from the learner's.
func TestGameWhatIfNames(t *testing.T) {
	for _, lang := range i18n.Available(content.FS) {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		a, b := tx.T("quiz.game_name_length.name", nil), tx.T("quiz.game_name_length.name_other", nil)
		if !game.CheckName(a) || !game.CheckName(b) || len(a) == len(b) {
			t.Errorf("%s: %q (%d bytes) and %q (%d bytes)", lang, a, len(a), b, len(b))
		}
	}
}
