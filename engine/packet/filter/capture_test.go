package filter_test

import (
	"github.com/gopacket/gopacket/layers"

	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
)

type frame struct {
	data []byte
	p    dissect.Packet
}

func frames(t *testing.T) []frame {
	t.Helper()
	var out []frame
	for _, name := range []string{"echo-lab.pcap", "echo-ipv6.pcap", "icmp-unreach.pcap"} {
		f, err := capture.Open(filepath.Join("..", "..", "..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		d, _ := dissect.New(f.LinkType())
		for {
			data, ci, err := f.ReadPacketData()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			fr := frame{data: append([]byte(nil), data...)}
			d.Dissect(fr.data, ci, &fr.p)
			out = append(out, fr)
		}
		f.Close()
	}
	return out
}

func TestCompileCapture(t *testing.T) {
	fs := frames(t)
	port := func(proto dissect.Transport, n uint16) func(p *dissect.Packet) bool {
		return func(p *dissect.Packet) bool {
			return (proto == 0 && (p.Transport == dissect.TransportTCP || p.Transport == dissect.TransportUDP) || p.Transport == proto) &&
				(p.SrcPort == n || p.DstPort == n)
		}
	}
	tests := []struct {
		expr string
		want func(p *dissect.Packet) bool
	}{
		{"", func(*dissect.Packet) bool { return true }},
		{"tcp port 10000", port(dissect.TransportTCP, 10000)},
		{"udp port 10001", port(dissect.TransportUDP, 10001)},
		{"tcp port 10000 or udp port 10001", func(p *dissect.Packet) bool {
			return port(dissect.TransportTCP, 10000)(p) || port(dissect.TransportUDP, 10001)(p)
		}},
		{"port 10001", port(0, 10001)},
		{"tcp", func(p *dissect.Packet) bool { return p.Transport == dissect.TransportTCP }},
		{"udp and not port 10001", func(p *dissect.Packet) bool {
			return p.Transport == dissect.TransportUDP && !port(0, 10001)(p)
		}},
		{"icmp", func(p *dissect.Packet) bool { return p.Transport == dissect.TransportICMP }},
		{"ip6 && (tcp dst port 10000)", func(p *dissect.Packet) bool {
			return p.IPVersion == 6 && p.Transport == dissect.TransportTCP && p.DstPort == 10000
		}},
		{"! ip", func(p *dissect.Packet) bool { return p.IPVersion != 4 }},
		{"tcp src port 10000", func(p *dissect.Packet) bool { return p.Transport == dissect.TransportTCP && p.SrcPort == 10000 }},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			prog, err := filter.CompileCapture(tt.expr, 262144)
			if err != nil {
				t.Fatal(err)
			}
			vm, err := bpf.NewVM(prog)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				n, err := vm.Run(f.data)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := n > 0, tt.want(&f.p); got != want {
					t.Errorf("%s: kept=%v, want %v", dissect.Summary(nil, &f.p, 6), got, want)
				}
			}
		})
	}
}

func TestCompileCaptureErrors(t *testing.T) {
	tests := []struct {
		expr string
		pos  int
	}{
		{"tcp port", 9},
		{"tcp port 70000", 10},
		{"net 10.0.0.0/8", 1},
		{"tcp.port == 10000", 1},
		{"host nothost", 6},
		{"portrange 5-1", 11},
		{"(tcp", 5},
		{"tcp or", 7},
		{"tcp port 1 udp", 12},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := filter.CompileCapture(tt.expr, 100)
			var se *filter.SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, filter.ErrSyntax) {
				t.Fatalf("got %v, want a syntax error", err)
			}
			if se.Pos+1 != tt.pos {
				t.Errorf("error at %d, want %d: %v", se.Pos+1, tt.pos, err)
			}
		})
	}
}

// TestCaptureMatchesTcpdump: each filter of capture-filters.list keeps
// as many packets of each committed capture as tcpdump does.
func TestCaptureMatchesTcpdump(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "..", "testdata", "capture-filters.expected"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cache := map[string][][]byte{}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		expr, file := parts[0], parts[1]
		want, _ := strconv.Atoi(parts[2])
		frames, ok := cache[file]
		if ok && frames == nil {
			continue
		}
		if !ok {
			c, err := capture.Open(filepath.Join("..", "..", "..", "testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			rec, err := capture.ReadAll(c, 6)
			c.Close()
			if err != nil {
				t.Fatal(err)
			}
			if rec.Link != layers.LinkTypeEthernet || mixedLinks(rec) {
				// CompileCapture compiles for live capture's Ethernet
				// link; tcpdump's count for another link type is its own,
				// and libpcap reads no pcapng whose interfaces differ in
				// link type (tcpdump counts nothing).
				cache[file] = nil
				continue
			}
			for _, fr := range rec.Frames {
				frames = append(frames, fr.Data)
			}
			cache[file] = frames
		}
		prog, err := filter.CompileCapture(expr, 262144)
		if err != nil {
			t.Errorf("%q: %v", expr, err)
			continue
		}
		vm, err := bpf.NewVM(prog)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, fr := range frames {
			if k, _ := vm.Run(fr); k > 0 {
				got++
			}
		}
		if got != want {
			t.Errorf("%s on %s: kept %d, tcpdump %d", expr, file, got, want)
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d cases", n)
	}
}

// orOf joins n terms with "or".
func orOf(n int, term func(i int) string) string {
	terms := make([]string, n)
	for i := range terms {
		terms[i] = term(i)
	}
	return strings.Join(terms, " or ")
}

// TestCompileCaptureLong: a filter too long for 8-bit jumps compiles
// (through long jumps), and one whose program exceeds what the kernel
// accepts is refused with a TooLongError.
func TestCompileCaptureLong(t *testing.T) {
	long := orOf(300, func(i int) string { return "tcp port " + strconv.Itoa(i+1) })
	prog, err := filter.CompileCapture(long, 262144)
	if err != nil {
		t.Fatalf("300 terms: %v", err)
	}
	if len(prog) > filter.MaxInstructions {
		t.Errorf("300 terms: %d instructions", len(prog))
	}
	if _, err := bpf.NewVM(prog); err != nil {
		t.Errorf("300 terms: not a valid program: %v", err)
	}
	// 300 IPv6 hosts take 16 instructions each.
	huge := orOf(300, func(i int) string { return "host ::" + strconv.FormatInt(int64(i+1), 16) })
	_, err = filter.CompileCapture(huge, 262144)
	var tl *filter.TooLongError
	if !errors.As(err, &tl) || tl.Filter != huge {
		t.Errorf("300 IPv6 hosts: %v, want a TooLongError", err)
	}
}

// mixedLinks reports a recording with frames of an interface whose link
// type is not the file's.
func mixedLinks(rec *capture.Recording) bool {
	for _, f := range rec.Frames {
		if len(f.Info.AncillaryData) > 0 {
			return true
		}
	}
	return false
}
