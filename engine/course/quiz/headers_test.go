package quiz_test

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"wiretutor/engine/course/quiz"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/testkit/testenv"
)

// headerMakers are the headers lesson's makers.
var headerMakers = []quiz.Maker{
	quiz.HeadersIPHdrLen, quiz.HeadersTCPHdrLen, quiz.HeadersIPLen, quiz.HeadersSYNHdrLen, quiz.HeadersTCPFlags,
	quiz.HeadersWindowRaw, quiz.HeadersWindowScaled, quiz.HeadersIPID, quiz.HeadersIPDF, quiz.HeadersTTL,
	quiz.HeadersIPChecksum, quiz.HeadersUrgent, quiz.HeadersIPProto, quiz.HeadersUDPLength,
}

// dataTexts words a text as its data in JSON, so that a test reads what
// a question was given.
type dataTexts struct{}

func (dataTexts) T(_ string, data any) string {
	b, _ := json.Marshal(data)
	return string(b)
}

// promptData is the data a question's prompt was worded with.
func promptData(t *testing.T, q *quiz.Question) map[string]any {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal([]byte(q.Prompt), &d); err != nil {
		t.Fatalf("%s: %v", q.Kind, err)
	}
	return d
}

// TestHeadersAreTsharkFields: every question the headers makers make
// from a committed capture, about each of its connections or none,
// expects what tshark printed for its frame and field, and the answer
// shown passes; the kernel's lab capture and the sandbox's give every
// one of them but the datagrams' (the sandbox's has none).
func TestHeadersAreTsharkFields(t *testing.T) {
	var files []string
	for _, pat := range []string{"*.pcap", "*.pcapng"} {
		f, err := filepath.Glob(testenv.Testdata(pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f...)
	}
	want := map[string]int{"echo-lab.pcap": 14, "sandbox-echo.pcapng": 12}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			tshark := tsharkFields(t, name)
			pkts := testenv.Packets(t, name)
			conns := stream.TCPConns(pkts)
			for _, conn := range append([]*stream.Conn{nil}, conns...) {
				qs := quiz.Make(&quiz.Capture{Packets: pkts, Conn: conn}, texts{}, headerMakers...)
				if n, ok := want[name]; ok && conn == conns[0] && len(qs) != n {
					t.Errorf("%d questions about the first connection, want %d", len(qs), n)
				}
				for _, q := range qs {
					row, ok := tshark[strconv.Itoa(q.Frame)]
					if !ok {
						t.Errorf("%s: frame %d is not in the capture", q.Kind, q.Frame)
						continue
					}
					if v, ok := row[q.Field]; !ok || q.Expect != v {
						t.Errorf("%s: frame %d %s expects %q; tshark printed %q", q.Kind, q.Frame, q.Field, q.Expect, v)
					}
					if !q.Check(q.Shown) {
						t.Errorf("%s: the answer shown (%q) does not pass", q.Kind, q.Shown)
					}
				}
			}
		})
	}
}

// TestHeadersOnTheLab: the questions of the kernel's lab capture, their
// frames and answers as tshark has them, and the bytes each prompt
// gives, as they are in the frame.
func TestHeadersOnTheLab(t *testing.T) {
	c := labCapture(t)
	tests := []struct {
		kind, field, expect string
		frame               int
		data                map[string]any
	}{
		{"headers-ip-hdr-len", "ip.hdr_len", "20", 4, map[string]any{"Text": "hello server", "First": "45"}},
		{"headers-tcp-hdr-len", "tcp.hdr_len", "32", 4, map[string]any{"Options": 12.0}},
		{"headers-ip-len", "ip.len", "64", 4, map[string]any{"Len": 12.0, "IPHdrLen": 20.0, "TCPHdrLen": 32.0}},
		{"headers-syn-hdr-len", "tcp.hdr_len", "40", 1, map[string]any{"From": "0x2e", "To": "0x2f", "Bytes": "a0 02", "Nibble": "a"}},
		{"headers-tcp-flags", "tcp.flags", "0x0011", 8, map[string]any{"Bytes": "80 11", "Bits": "0001 0001", "Sum": "0x010 (ACK) + 0x001 (FIN)", "Hex": "0x0011"}},
		{"headers-window-raw", "tcp.window_size_value", "64", 4, map[string]any{"From": "0x30", "To": "0x31", "Bytes": "00 40", "Hex": "0x0040"}},
		{"headers-window-scaled", "tcp.window_size", "65536", 4, map[string]any{"Raw": 64.0, "Shift": 10.0, "Mult": 1024.0, "SynFrame": 1.0}},
		{"headers-ip-id", "ip.id", "0x0909", 4, map[string]any{"From": "0x0e", "To": "0x21", "At": "0x12", "AtTo": "0x13",
			"Bytes": "45 00 00 40 09 09 40 00 40 06 33 ad 7f 00 00 01 7f 00 00 01"}},
		{"headers-ip-df", "ip.flags.df", "1", 4, map[string]any{"From": "0x14", "Bytes": "40 00", "Bits": "010 0000000000000"}},
		{"headers-ip-ttl", "ip.ttl", "64", 6, map[string]any{"At": "0x16", "Hex": "40"}},
		{"headers-ip-checksum", "ip.checksum", "0x33b7", 8, map[string]any{
			"Words": "4500 0034 090b 4000 4006 0000 7f00 0001 7f00 0001", "Sum": "1cc47", "Carry": true, "Folded": "cc48"}},
		{"headers-urgent", "tcp.urgent_pointer", "0", 4, map[string]any{"From": "0x32", "To": "0x35", "URG": false}},
		{"headers-ip-proto", "ip.proto", "17", 11, map[string]any{"At": "0x17", "Hex": "11"}},
		{"headers-udp-length", "udp.length", "20", 11, map[string]any{"From": "0x22", "To": "0x29", "LenFrom": "0x26", "LenTo": "0x27",
			"Bytes": "a4 98 27 11 00 14 fe 27", "Hex": "0x0014", "Payload": 12.0}},
	}
	qs := quiz.Make(c, dataTexts{}, headerMakers...)
	if len(qs) != len(tests) {
		t.Fatalf("%d questions, want %d", len(qs), len(tests))
	}
	for i, tt := range tests {
		q := qs[i]
		if q.Kind != tt.kind || q.Field != tt.field || q.Expect != tt.expect || q.Frame != tt.frame {
			t.Errorf("question %d: %s frame %d %s = %q; want %s frame %d %s = %q", i+1, q.Kind, q.Frame, q.Field, q.Expect, tt.kind, tt.frame, tt.field, tt.expect)
			continue
		}
		d := promptData(t, q)
		for k, want := range tt.data {
			if got := d[k]; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: %s = %v, want %v", q.Kind, k, got, want)
			}
		}
	}
}

// TestHeadersPointAtTsharksBytes: the bytes a prompt points at hold the
// field it asks for, where tshark finds that field in the frame
// (tshark -T json -x gives each field's offset and length), and they
// are the frame's bytes there; on the kernel's capture and the
// sandbox's.
func TestHeadersPointAtTsharksBytes(t *testing.T) {
	ts := testenv.Tshark(t)
	// Which of a question's offsets bound the field it asks for.
	bounds := map[string][2]string{
		"headers-syn-hdr-len": {"From", "To"}, "headers-tcp-flags": {"From", "To"}, "headers-window-raw": {"From", "To"},
		"headers-ip-df": {"From", "To"}, "headers-urgent": {"From", "To"},
		"headers-ip-id": {"At", "AtTo"}, "headers-ip-ttl": {"At", "AtTo"}, "headers-ip-proto": {"At", "AtTo"},
		"headers-udp-length": {"LenFrom", "LenTo"},
	}
	for _, name := range []string{"echo-lab.pcap", "sandbox-echo.pcapng"} {
		t.Run(name, func(t *testing.T) {
			pkts := testenv.Packets(t, name)
			frames := tsharkFrames(t, ts, name)
			c := &quiz.Capture{Packets: pkts, Conn: stream.TCPConns(pkts)[0]}
			seen := 0
			for _, q := range quiz.Make(c, dataTexts{}, headerMakers...) {
				b, ok := bounds[q.Kind]
				if !ok {
					continue
				}
				seen++
				d := promptData(t, q)
				lo, hi := offsetOf(t, d[b[0]]), offsetOf(t, d[b[1]])
				at, n := tsharkRaw(t, frames, q.Frame, q.Field)
				if at < lo || at+n-1 > hi {
					t.Errorf("%s: tshark has %s of frame %d at bytes %#x–%#x; the prompt points at %#x–%#x", q.Kind, q.Field, q.Frame, at, at+n-1, lo, hi)
				}
				from, to := offsetOf(t, d["From"]), offsetOf(t, d["To"])
				frame := pkts[q.Frame-1].Data
				if got, want := d["Bytes"], quiz.HexBytes(frame[from:to+1]); got != want {
					t.Errorf("%s: the prompt gives %q for bytes %#x–%#x; the frame has %q", q.Kind, got, from, to, want)
				}
			}
			if seen != len(bounds)-map[string]int{"sandbox-echo.pcapng": 2}[name] {
				t.Errorf("%d questions point at bytes, want every one the capture allows", seen)
			}
		})
	}
}

// offsetOf reads an offset a prompt names ("0x2e").
func offsetOf(t *testing.T, v any) int {
	t.Helper()
	s, _ := v.(string)
	n, err := strconv.ParseInt(strings.TrimPrefix(s, "0x"), 16, 32)
	if err != nil {
		t.Fatalf("offset %v: %v", v, err)
	}
	return int(n)
}

// tsharkFrames is tshark's JSON of every frame of a capture, with
// each field's bytes (-x): the frames in order.
func tsharkFrames(t *testing.T, tshark, capture string) []map[string]any {
	t.Helper()
	out, err := exec.Command(tshark, "-r", testenv.Testdata(capture), "-T", "json", "-x").Output()
	if err != nil {
		t.Fatal(err)
	}
	var doc []map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("tshark's JSON of %s: %v", capture, err)
	}
	return doc
}

// tsharkRaw is where tshark found field in a frame of its JSON: the
// field's offset in the frame and its length in bytes.
func tsharkRaw(t *testing.T, frames []map[string]any, n int, field string) (int, int) {
	t.Helper()
	if n < 1 || n > len(frames) {
		t.Fatalf("tshark has no frame %d", n)
	}
	raw, ok := findKey(frames[n-1], field+"_raw").([]any)
	if !ok || len(raw) < 3 {
		t.Fatalf("tshark gives no %s_raw for frame %d", field, n)
	}
	at, ok1 := raw[1].(float64)
	size, ok2 := raw[2].(float64)
	if !ok1 || !ok2 {
		t.Fatalf("%s_raw of frame %d: %v", field, n, raw)
	}
	return int(at), int(size)
}

// findKey finds key anywhere in a JSON document.
func findKey(v any, key string) any {
	switch v := v.(type) {
	case map[string]any:
		if x, ok := v[key]; ok {
			return x
		}
		for _, x := range v {
			if found := findKey(x, key); found != nil {
				return found
			}
		}
	case []any:
		for _, x := range v {
			if found := findKey(x, key); found != nil {
				return found
			}
		}
	}
	return nil
}

// ExampleInternetChecksum works out the IPv4 header checksum of the
// echo lab's first frame on paper: its ten words, the checksum field
// zero, add up to more than 16 bits; the carry goes back in, and every
// bit is inverted. tshark shows 0x33b3 in ip.checksum.
func ExampleInternetChecksum() {
	header, _ := hex.DecodeString("4500003c0907400040060000" + "7f000001" + "7f000001")
	c := quiz.InternetChecksum(header)
	fmt.Printf("sum %x, folded %x, checksum %04x\n", c.Sum, c.Folded, c.Checksum)
	// Output: sum 1cc4b, folded cc4c, checksum 33b3
}
