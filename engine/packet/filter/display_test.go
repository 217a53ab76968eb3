package filter_test

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/testkit/testenv"
)

func packetsOf(t *testing.T, name string) []dissect.Packet { return testenv.Packets(t, name) }

// TestDisplayMatchesTshark: every filter of display-filters.list selects
// the frames tshark selects, in every committed capture.
func TestDisplayMatchesTshark(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "..", "testdata", "display-filters.expected"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cache := map[string][]dissect.Packet{}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		expr, file, want := parts[0], parts[1], parts[2]
		pkts, ok := cache[file]
		if !ok {
			pkts = packetsOf(t, file)
			cache[file] = pkts
		}
		d, err := filter.CompileDisplay(expr)
		if err != nil {
			t.Errorf("%q: %v", expr, err)
			continue
		}
		var got []string
		for i := range pkts {
			if d.Match(&pkts[i]) {
				got = append(got, strconv.Itoa(pkts[i].Number))
			}
		}
		if g := strings.Join(got, ","); g != want {
			t.Errorf("%s in %s: got frames [%s], tshark [%s]", expr, file, g, want)
		}
		n++
	}
	if n < 200 {
		t.Fatalf("only %d cases: the expected file is short", n)
	}
}

// TestSetsNeedCommas: a set's members are separated by commas, as
// since Wireshark 4.0: a set without them, with a member missing or with
// none is refused at the place tshark 4.0 points to ("… was unexpected
// in this context"); with them it selects what each member would.
func TestSetsNeedCommas(t *testing.T) {
	for _, tt := range []struct {
		expr     string
		pos, len int
	}{
		{"tcp.port in {10000 10001}", 19, 5},
		{"tcp.port in {10000,,10001}", 19, 1},
		{"tcp.port in {10000,10001,}", 25, 1},
		{"tcp.port in {,10000}", 13, 1},
		{"tcp.port in {}", 13, 1},
		{"tcp.port in {10000..10001 1}", 26, 1},
	} {
		_, err := filter.CompileDisplay(tt.expr)
		var de *filter.DisplayError
		if !errors.As(err, &de) || de.Code != filter.CodeSetMember || de.Pos != tt.pos || de.Len != tt.len {
			t.Errorf("%q: %v; want %s at %d+%d", tt.expr, err, filter.CodeSetMember, tt.pos, tt.len)
		}
	}
	pkts := packetsOf(t, "echo-lab.pcap")
	set, err := filter.CompileDisplay("frame.number in {1, 3..5}")
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for i := range pkts {
		if set.Match(&pkts[i]) {
			got = append(got, pkts[i].Number)
		}
	}
	if fmt.Sprint(got) != "[1 3 4 5]" {
		t.Errorf("frame.number in {1, 3..5}: %v", got)
	}
}

func TestDisplayErrors(t *testing.T) {
	tests := []struct {
		expr string
		code string
		pos  int
		len  int
	}{
		{"tcp.prot == 1", filter.CodeUnknownField, 0, 8},
		{`dns.qry.name == "a"`, filter.CodeNotDissected, 0, 12},
		{"dns", filter.CodeNotDissected, 0, 3},
		{"len(tls.record) > 0", filter.CodeNotDissected, 4, 10},
		{"nosuch.field", filter.CodeUnknownField, 0, 12},
		{"tcp.port == abc", filter.CodeBadValue, 12, 3},
		{"ip.addr == 300.1.1.1", filter.CodeBadValue, 11, 9},
		{"tcp == 1", filter.CodeNotComparable, 0, 3},
		{"(tcp", filter.CodeParen, 4, 1},
		{"tcp &&", filter.CodeMissing, 6, 1},
		{"tcp.payload contains \"abc", filter.CodeUnclosedString, 21, 4},
		{"tcp.port in {1 2", filter.CodeSetMember, 15, 1},
		{"tcp.port in {1, 2", filter.CodeUnclosedSet, 12, 1},
		{"tcp.port = 1", filter.CodeSingleEquals, 9, 1},
		{"tcp udp", filter.CodeUnexpected, 4, 3},
		{"tcp.payload matches \"(\"", filter.CodeBadRegexp, 20, 3},
		{"tcp.analysis.retransmission contains 00", filter.CodeLayerBytes, 0, 27},
		// Functions, refused where tshark 4.0 points.
		{"foo(tcp.port) == 1", filter.CodeNoFunction, 0, 3},
		{"len() == 1", filter.CodeFuncOne, 0, 3},
		{"len(tcp.port, ip.src) == 1", filter.CodeFuncOne, 0, 3},
		{"max() == 1", filter.CodeFuncSome, 0, 3},
		{"upper(tcp.port) == \"X\"", filter.CodeFuncText, 6, 8},
		{"len(tcp.port) == 2", filter.CodeFuncSized, 4, 8},
		{"max(tcp.port, http.host) == 2", filter.CodeFuncNumber, 14, 9},
		{"len(\"a\") == 1", filter.CodeFuncField, 4, 3},
		{"len(tcp.por) == 1", filter.CodeUnknownField, 4, 7},
		{"len(http.host)", filter.CodeFuncPresence, 0, 3},
		{"len(tcp.payload) in {12}", filter.CodeFuncSet, 0, 3},
		{"count(tcp.port", filter.CodeParen, 14, 1},
		// Slices, each refused where tshark refuses it.
		{"udp.payload[0", filter.CodeUnclosedSlice, 11, 2},
		{"udp.payload[] == 00", filter.CodeUnexpected, 12, 1},
		{"udp.payload[x] == 00", filter.CodeSliceNumber, 12, 1},
		{"udp.payload[0:0] == 00", filter.CodeSliceLength, 12, 3},
		{"udp.payload[:0]", filter.CodeSliceLength, 12, 2},
		{"udp.payload[0:-1]", filter.CodeSliceLength, 12, 4},
		{"udp.payload[1, 3-3] == 00", filter.CodeSliceOrder, 15, 3},
		{"udp.payload[5-3] == 00", filter.CodeSliceOrder, 12, 3},
		{"udp.payload[-2-3]", filter.CodeSliceSigns, 12, 4},
		{"udp.srcport[0] == 00", filter.CodeNotSliceable, 0, 11},
		{"udp.payload[0] == 0x6", filter.CodeBadValue, 18, 3},
		{"udp.payload[0:2] == 0x6865", filter.CodeBadValue, 20, 6},
		// Bytes that tshark's scanner cuts short, and bytes it refuses.
		{"udp.payload[0:2] == 3:0a", filter.CodeUnexpected, 21, 3},
		{"udp.payload[0:3] == 03:0a:000", filter.CodeUnexpected, 28, 1},
		{"udp.payload[0:2] == 03:0a.", filter.CodeUnexpected, 25, 1},
		{"udp.payload[0:2] == 03.", filter.CodeUnexpected, 22, 1},
		{"udp.payload[0:2] == 03--0a", filter.CodeBadValue, 20, 6},
		{"udp.payload[0] == g", filter.CodeBadValue, 18, 1},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := filter.CompileDisplay(tt.expr)
			var de *filter.DisplayError
			if !errors.As(err, &de) {
				t.Fatalf("got %v, want a DisplayError", err)
			}
			if de.Code != tt.code || de.Pos != tt.pos || de.Len != tt.len {
				t.Errorf("got %s at %d+%d, want %s at %d+%d (%v)", de.Code, de.Pos, de.Len, tt.code, tt.pos, tt.len, err)
			}
			if !errors.Is(err, filter.ErrSyntax) {
				t.Error("not an ErrSyntax")
			}
		})
	}
	_, err := filter.CompileDisplay("tcp.prot == 1")
	var de *filter.DisplayError
	errors.As(err, &de)
	if de.Marker() != "^~~~~~~~" || !strings.Contains(err.Error(), `"tcp.prot" is neither a field nor a protocol name`) {
		t.Errorf("marker %q, message %v", de.Marker(), err)
	}
}

// committedPackets dissects every committed capture, in order, through
// the real dissector.
func committedPackets(t testing.TB) []dissect.Packet {
	t.Helper()
	names, err := filepath.Glob(testenv.Testdata("*.pcap*"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no committed captures: %v", err)
	}
	var pkts []dissect.Packet
	for _, name := range names {
		pkts = append(pkts, testenv.Packets(t, filepath.Base(name))...)
	}
	return pkts
}

// FuzzCompileDisplay: a display filter either compiles or is refused
// with an error that points inside it; one that compiles is matched
// against every packet of the committed captures, and its negation
// !(filter) compiles and selects exactly the other packets.
func FuzzCompileDisplay(f *testing.F) {
	f.Add("tcp.port == 10000 && !(ip.addr in {127.0.0.1, ::1})")
	f.Add(`tcp.payload contains "a\x00" || data.data contains 68:65`)
	f.Add("frame.time_relative > 0.5 or tcp.flags.syn")
	list, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "display-filters.list"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range strings.Split(string(list), "\n") {
		if s != "" {
			f.Add(s)
		}
	}
	pkts := committedPackets(f)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := filter.CompileDisplay(s)
		if err != nil {
			var de *filter.DisplayError
			if !errors.As(err, &de) || de.Pos < 0 || de.Pos > len(s) {
				t.Fatalf("%q: bad error %v", s, err)
			}
			de.Marker()
			return
		}
		if strings.TrimSpace(s) == "" {
			return // the empty filter has no negation to write
		}
		not, err := filter.CompileDisplay("!(" + s + ")")
		if err != nil {
			t.Fatalf("%q compiles, but its negation does not: %v", s, err)
		}
		for i := range pkts {
			if d.Match(&pkts[i]) == not.Match(&pkts[i]) {
				t.Fatalf("%q and its negation agree on packet %d (%s)", s, i, dissect.Summary(nil, &pkts[i], 6))
			}
		}
	})
}
