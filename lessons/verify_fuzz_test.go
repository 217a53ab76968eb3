package lessons

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"wiretutor/engine/course"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/servers/game"
)

// FuzzHTTPHead: whatever bytes a learner's program sends, reading them
// as an HTTP head and quoting them never fails, and a quote is one line
// of valid text.
func FuzzHTTPHead(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\nbody"))
	f.Add([]byte("GET / HTTP/1.1\nHost: a\n\n"))
	f.Add([]byte("\xff\xfe\r\n:\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fl := &flow{data: b, frames: []int{0}, starts: []int{0}}
		h := headOf(fl)
		if h.end > len(b) {
			t.Fatalf("the body starts at %d of %d bytes", h.end, len(b))
		}
		h.status()
		h.header("Host")
		for off := range b {
			if i, at := fl.at(off); i != 0 || at != off {
				t.Fatalf("byte %d is at %d, %d", off, i, at)
			}
		}
		q := quoted(b, 40)
		if !utf8.ValidString(q) {
			t.Errorf("quote %q is not valid UTF-8", q)
		}
		for _, r := range q {
			if r < 0x20 {
				t.Errorf("quote %q holds a control character", q)
			}
		}
	})
}

// FuzzGameChecks: whatever a learner's bot sends, and whatever comes
// back, the game's checks read it without failing, on a capture whose
// login connection is real (the good bot's) and whose datagrams are
// the fuzzer's.
func FuzzGameChecks(f *testing.F) {
	rec, err := capture.Open(filepath.Join("..", "testdata", "verify", "captures", "game-traffic-client-game_bot.pcapng"))
	if err != nil {
		f.Fatal(err)
	}
	base, err := dissect.Collect(rec)
	rec.Close()
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte{0x02, 0x0a, 0x00, 0x02, 0x01, 1, 2, 3, 4, 0x15}, []byte{0x90, 0x08, 0x00, 0x01, 0x01, 0x00, 0x00, 0x9a})
	f.Add([]byte{0x03, 0x0a, 0x00, 0x03, 0x01, 0x01, 0x00, 0x01, 0x00, 0x13}, []byte{0x91, 0x0b, 0, 1, 1, 1, 0, 1, 0, 1, 0xa0})
	f.Add([]byte{0x03}, []byte{})
	f.Fuzz(func(t *testing.T, sent, got []byte) {
		pkts := slices.Clone(base)
		for _, d := range []struct {
			b          []byte
			fromClient bool
		}{{sent, true}, {got, false}, {sent, true}} {
			p := dissect.Packet{Number: len(pkts) + 1, Transport: dissect.TransportUDP, IPVersion: 4, IPProto: 17, Payload: d.b,
				SrcPort: 40000, DstPort: game.DefaultUDPPort}
			if !d.fromClient {
				p.SrcPort, p.DstPort = p.DstPort, p.SrcPort
			}
			pkts = append(pkts, p)
		}
		e := course.NewEvidence(pkts, course.RoleClient, course.Ports{TCP: []int{game.DefaultTCPPort}, UDP: []int{game.DefaultUDPPort}}, time.Time{})
		for _, check := range []func(*course.Evidence) course.Finding{gameLogsIn, gameJoins, gameMovesCheck, gameCounts, gameChecks, gameTakesCoin} {
			if fd := check(e); fd.Frame < 0 || fd.Frame > len(pkts) || fd.Key == "" {
				t.Fatalf("finding %+v", fd)
			}
		}
	})
}
