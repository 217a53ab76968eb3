package dissect

import (
	"bytes"
	"strconv"
	"testing"
)

// TestNDMPFeed: what tshark's NDMP dissector makes of one direction's
// segments on port 10000, segment by segment (echo-10000.pcap holds the
// same segments, compared with tshark's output in tshark_test.go).
func TestNDMPFeed(t *testing.T) {
	for _, tt := range []struct {
		name string
		segs []string
		want []string // per segment: "partial", "data:N/S" (N bytes from S segments), "records:N", "plain"
	}{
		{"text", []string{"a", "abc", "ab", "hello world", "abcd"},
			[]string{"partial", "data:4/2", "partial", "data:13/2", "data:4/1"}},
		{"three short", []string{"a", "b", "c", "d"}, []string{"partial", "partial", "partial", "data:4/4"}},
		{"fragment in two", []string{"\x00\x00\x00\x04", "abcd", "q"}, []string{"partial", "records:1", "partial"}},
		{"two records", []string{"\x80\x00\x00\x01a\x80\x00\x00\x01b"}, []string{"records:2"}},
		{"record then rest", []string{"\x80\x00\x00\x03ab", "c"}, []string{"partial", "records:1"}},
		// After a reassembled record the rest is checked anew: "zzzz" is
		// not a sane mark, and is Data after the record.
		{"rest checked", []string{"\x80\x00", "\x00\x01azzzz"}, []string{"partial", "records:1+data:4"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var st ndmpState
			for i, s := range tt.segs {
				n := st.feed(i+1, []byte(s))
				got := "plain"
				switch {
				case n.NotNDMP && len(n.records) > 0:
					got = "records:" + strconv.Itoa(len(n.records)) + "+data:" + strconv.Itoa(len(n.other))
				case n.NotNDMP:
					got = "data:" + strconv.Itoa(len(n.other)) + "/" + strconv.Itoa(len(n.segs))
				case len(n.records) > 0:
					got = "records:" + strconv.Itoa(len(n.records))
				case n.Partial:
					got = "partial"
				}
				if got != tt.want[i] {
					t.Errorf("segment %d %q: %s, want %s", i+1, s, got, tt.want[i])
				}
			}
		})
	}
}

// FuzzNDMPFeed: whatever the segments, every byte fed is held, in a
// record (mark and all) or in Data, never lost or counted twice, and
// the reassembly's segments add up to its bytes.
func FuzzNDMPFeed(f *testing.F) {
	f.Add([]byte("a\x00abc\x00\x00\x00\x00\x04\x00abcd"), []byte{1, 3, 5})
	f.Add([]byte("\x80\x00\x00\x01a\x80\x00\x00\x01b"), []byte{2})
	f.Fuzz(func(t *testing.T, stream, cuts []byte) {
		var st ndmpState
		var fed, out []byte
		rest := stream
		for i := 0; len(rest) > 0; i++ {
			n := len(rest)
			if i < len(cuts) && int(cuts[i]) > 0 {
				n = min(n, int(cuts[i]))
			}
			seg := rest[:n]
			rest = rest[n:]
			fed = append(fed, seg...)
			p := st.feed(i+1, seg)
			for _, r := range p.records {
				var m [4]byte
				m[0], m[1], m[2], m[3] = byte(r.mark>>24), byte(r.mark>>16), byte(r.mark>>8), byte(r.mark)
				out = append(append(out, m[:]...), r.data...)
			}
			if p.NotNDMP {
				out = append(out, p.other...)
			}
			total := 0
			for _, s := range p.segs {
				total += s.n
			}
			if len(p.segs) > 0 && total != len(p.data) {
				t.Fatalf("segments add up to %d, the reassembled bytes are %d", total, len(p.data))
			}
		}
		out = append(out, st.pend...)
		if !bytes.Equal(out, fed) {
			t.Fatalf("fed %x, accounted for %x", fed, out)
		}
	})
}
