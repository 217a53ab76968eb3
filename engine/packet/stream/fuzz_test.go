package stream_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
)

// FuzzFollowFlow reads fuzzed capture files (seeded with every committed
// capture) through the dissector into a follower of each of the first
// streams and a flow: nothing may panic, the follower gives back no more
// bytes than the segments carried (besides its markers for missing
// bytes), and every ladder line is valid UTF-8 ending in its frame
// number.
func FuzzFollowFlow(f *testing.F) {
	for _, pat := range []string{"*.pcap", "*.pcapng"} {
		files, _ := filepath.Glob(filepath.Join("..", "..", "..", "testdata", pat))
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		c, err := capture.NewReader(bytes.NewReader(file))
		if err != nil {
			return
		}
		d, err := dissect.New(c.LinkType())
		if err != nil {
			return
		}
		const streams = 3
		var got [streams]int
		var followers [streams]*stream.Follower
		for i := range followers {
			followers[i] = stream.NewFollower(i, func(ch stream.Chunk) error {
				if ch.Missing == 0 {
					got[i] += len(ch.Data)
				}
				if len(ch.Data) == 0 {
					t.Fatalf("stream %d: an empty chunk", i)
				}
				return nil
			})
		}
		var payload [streams]int
		flow := stream.NewFlow(c.Precision())
		var p dissect.Packet
		for n := 0; n < 2000; n++ {
			data, ci, err := c.ReadPacketData()
			if errors.Is(err, io.EOF) || err != nil {
				break
			}
			if d.Dissect(data, ci, &p) != nil {
				continue
			}
			if p.Transport == dissect.TransportTCP && p.TCP.Stream < streams {
				payload[p.TCP.Stream] += len(p.Payload)
			}
			for _, fl := range followers {
				if err := fl.Add(&p); err != nil {
					t.Fatal(err)
				}
			}
			flow.Add(&p)
		}
		for i, fl := range followers {
			if err := fl.Flush(); err != nil {
				t.Fatal(err)
			}
			if got[i] > payload[i] {
				t.Fatalf("stream %d: followed %d bytes of %d sent", i, got[i], payload[i])
			}
		}
		for i := range flow.Conversations() {
			var rows []string
			err := flow.Render(i, 80, nil, func(line string) error {
				if !utf8.ValidString(line) {
					t.Fatalf("line %q is not UTF-8", line)
				}
				rows = append(rows, line)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows[min(2, len(rows)):] { // a title line and the bars, then the arrows
				f := strings.Fields(r)
				if !strings.ContainsAny(r, "▶◀") {
					continue
				}
				if _, err := strconv.Atoi(f[len(f)-1]); err != nil {
					t.Fatalf("arrow %q does not end in its frame number", r)
				}
			}
		}
	})
}
