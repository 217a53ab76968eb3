package anatomy_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"wiretutor/engine/packet/anatomy"
	"wiretutor/engine/testkit/testenv"
)

// unlisted are the fields tshark shows in these headers that anatomy
// leaves out: other names for bytes a listed field already marks, and
// what is no header's (the payload, the window scaled).
var unlisted = map[string]string{
	"ip.addr": "ip.src or ip.dst", "ip.host": "ip.src or ip.dst",
	"ip.src_host": "ip.src", "ip.dst_host": "ip.dst",
	"ipv6.addr": "ipv6.src or ipv6.dst", "ipv6.host": "ipv6.src or ipv6.dst",
	"ipv6.src_host": "ipv6.src", "ipv6.dst_host": "ipv6.dst",
	"tcp.port": "tcp.srcport or tcp.dstport", "udp.port": "udp.srcport or udp.dstport",
	"tcp.flags.str":                 "tcp.flags, as letters",
	"tcp.window_size":               "tcp.window_size_value, scaled",
	"tcp.window_size_scalefactor":   "the handshake's, not these bytes'",
	"tcp.options.wscale.multiplier": "tcp.options.wscale.shift, as a power of two",
	"tcp.options.sack.dsack_le":     "tcp.options.sack_le, named again",
	"tcp.options.sack.dsack_re":     "tcp.options.sack_re, named again",
	"icmp.ident_le":                 "icmp.ident, read little-endian",
	"icmp.seq_le":                   "icmp.seq, read little-endian",
	"tcp.payload":                   "data, not header",
	"tcp.segment_data":              "data, not header",
	"tcp.pdu.size":                  "the size of a record the protocol above frames, not header",
	"udp.payload":                   "data, not header",
}

// bitsAdded are the fields tshark adds bit by bit, which its JSON gives
// no mask: the nibbles they hold.
var bitsAdded = map[string]uint64{"ip.version": 0xf0, "ip.hdr_len": 0x0f, "tcp.hdr_len": 0xf0, "ipv6.version": 0xf0}

// row is one field as NAME.anatomy.tsv has it, or as anatomy lists it.
type row struct {
	name  string
	bits  string // the bits it holds, byte by byte: "14:f0 15:ff"
	value string
}

func (r row) String() string { return fmt.Sprintf("%s [%s] %s", r.name, r.bits, r.value) }

// bitsOf names the frame's bits a span holds. A tshark mask wider than
// its bytes is the mask of the field it was cut from, whose first byte
// is the span's (tcp.flags.res: 0x0e00 of byte 46).
func bitsOf(off, n int, mask uint64) string {
	var parts []string
	for n < 8 && mask >= 1<<(8*n) {
		mask >>= 8
	}
	for i := range n {
		b := uint64(0xff)
		if mask != 0 {
			b = mask >> (8 * (n - 1 - i)) & 0xff
		}
		if b != 0 {
			parts = append(parts, fmt.Sprintf("%d:%02x", off+i, b))
		}
	}
	return strings.Join(parts, " ")
}

// expected reads NAME.anatomy.tsv: the rows of each frame.
func expected(t *testing.T, path string) map[int][]row {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[int][]row{}
	sc := bufio.NewScanner(f)
	prev := ""
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) != 6 {
			t.Fatalf("%s: %q is not six columns", path, sc.Text())
		}
		frame, _ := strconv.Atoi(c[0])
		off, _ := strconv.Atoi(c[2])
		n, _ := strconv.Atoi(c[3])
		mask, err := strconv.ParseUint(c[4], 0, 64)
		if err != nil {
			t.Fatal(err)
		}
		name := c[1]
		skip := unlisted[name] != "" || name == "ip.version" && prev == "ipv6.version" // IPv6's version, under IP's name
		prev = name
		if skip {
			continue
		}
		if m, ok := bitsAdded[name]; ok && mask == 0 {
			mask = m
		}
		out[frame] = append(out[frame], row{name, bitsOf(off, n, mask), c[5]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFieldsMatchTshark lists every frame of every committed capture
// and compares each field, its bits and its value with tshark's.
func TestFieldsMatchTshark(t *testing.T) {
	paths, _ := filepath.Glob(testenv.Testdata("*.pcap*"))
	if len(paths) == 0 {
		t.Fatal("no captures")
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		t.Run(name, func(t *testing.T) {
			want := expected(t, testenv.Testdata(name+".anatomy.tsv"))
			for _, p := range testenv.PacketsAt(t, path) {
				var got []row
				for _, f := range anatomy.Fields(&p) {
					got = append(got, row{f.Name, bitsOf(f.Off, f.Len, f.Mask), f.Value})
				}
				w := want[p.Number]
				for i := range max(len(got), len(w)) {
					var g, e row
					if i < len(got) {
						g = got[i]
					}
					if i < len(w) {
						e = w[i]
					}
					if g != e {
						t.Errorf("frame %d, field %d: got %v, tshark %v", p.Number, i+1, g, e)
						break
					}
				}
			}
		})
	}
}
