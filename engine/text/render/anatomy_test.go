package render_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"wiretutor/engine/packet/anatomy"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/render"
)

var updateAnatomy = flag.Bool("update-anatomy", false, "rewrite testdata/anatomy-*.golden")

// anatomyWords are the names and meanings the golden tests give the
// fields (the course takes them from ui.toml).
var anatomyWords = map[string][2]string{
	"ip.version":      {"Version", "4 for IPv4."},
	"ip.hdr_len":      {"Header Length", "in 4-byte words on the wire, here in bytes."},
	"ip.dsfield":      {"Differentiated Services Field", "how to queue the packet."},
	"ip.dsfield.dscp": {"Differentiated Services Codepoint", "its class of service."},
	"ip.dsfield.ecn":  {"Explicit Congestion Notification", "congestion, marked on the way."},
	"ip.len":          {"Total Length", "header and data, in bytes."},
	"ip.id":           {"Identification", "ties the fragments of one packet together."},
	"ip.flags":        {"Flags", "three bits on fragmenting."},
	"ip.flags.rb":     {"Reserved bit", "always 0."},
	"ip.flags.df":     {"Don't fragment", "1: drop rather than cut."},
	"ip.flags.mf":     {"More fragments", "1: more pieces follow."},
	"ip.frag_offset":  {"Fragment Offset", "where this piece starts, in bytes."},
	"ip.ttl":          {"Time to Live", "each router takes one off."},
	"ip.proto":        {"Protocol", "what the data is: 6 TCP, 17 UDP, 1 ICMP."},
	"ip.checksum":     {"Header Checksum", "the Internet checksum of the header."},
	"ip.src":          {"Source Address", "who sent it."},
	"ip.dst":          {"Destination Address", "who it is for."},
	"udp.srcport":     {"Source Port", "the sender's socket."},
	"udp.dstport":     {"Destination Port", "the receiver's socket."},
	"udp.length":      {"Length", "header and data, in bytes."},
	"udp.checksum":    {"Checksum", "over a pseudo-header, the header and the data."},
}

// anatomyLayers are the IPv4 and UDP headers of the lab's first
// datagram, in anatomyWords.
func anatomyLayers(t *testing.T) []render.AnatomyLayer {
	t.Helper()
	p := &testenv.Packets(t, "echo-lab.pcap")[10]
	var out []render.AnatomyLayer
	for _, h := range anatomy.Headers(p, "ip", "udp") {
		l := render.AnatomyLayer{Title: strings.ToUpper(h.Layer) + " header", Off: h.Off, Bytes: p.Data[h.Off : h.Off+h.Len]}
		for _, f := range h.Fields {
			w := anatomyWords[f.Name]
			l.Fields = append(l.Fields, render.AnatomyField{Off: f.Off, Len: f.Len, Mask: f.Mask, Depth: f.Depth,
				Name: w[0], Tshark: f.Name, Value: f.Value, Meaning: w[1]})
		}
		out = append(out, l)
	}
	return out
}

// TestAnatomyGolden draws the headers at 80, 60 and 40 columns, with
// colour and without, against testdata/anatomy-WIDTH[-color].golden:
// no line is wider than the terminal.
func TestAnatomyGolden(t *testing.T) {
	for _, width := range []int{80, 60, 40} {
		for _, color := range []bool{false, true} {
			name := "anatomy-" + map[int]string{80: "80", 60: "60", 40: "40"}[width]
			if color {
				name += "-color"
			}
			t.Run(name, func(t *testing.T) {
				r, err := render.New(render.Term{Width: width, Color: color})
				if err != nil {
					t.Fatal(err)
				}
				var lines []string
				for _, l := range anatomyLayers(t) {
					lines = append(lines, r.Anatomy(l)...)
					lines = append(lines, "")
				}
				for _, l := range lines {
					if w := render.Width(l); w > width {
						t.Errorf("%d wide: %q", w, l)
					}
				}
				got := strings.Join(lines, "\n")
				path := "testdata/" + name + ".golden"
				if *updateAnatomy {
					if err := os.MkdirAll("testdata", 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if got != string(want) {
					t.Errorf("got\n%s\nwant\n%s", got, want)
				}
			})
		}
	}
}

// TestAnatomyColours gives each field's bytes the colour its row in
// the table has, and marks no bytes under them when there is colour.
func TestAnatomyColours(t *testing.T) {
	r, err := render.New(render.Term{Width: 80, Color: true})
	if err != nil {
		t.Fatal(err)
	}
	lines := r.Anatomy(anatomyLayers(t)[1]) // UDP: 8 bytes, 4 fields
	// 0022  a3 98 27 11 00 14 fe 27: each pair of bytes one field.
	dump := lines[1]
	for i, f := range []string{"Source Port", "Destination Port", "Length", "Checksum"} {
		var row string
		for _, l := range lines {
			if strings.Contains(l, f) {
				row = l
				break
			}
		}
		cut := strings.Index(row, "\x1b[")
		if cut < 0 {
			t.Fatalf("row %q has no colour", row)
		}
		code := row[cut : strings.Index(row[cut:], "m")+cut+1]
		if n := strings.Count(dump, code); n < 4 && i < 4 {
			t.Errorf("%s: its colour %q marks %d digits of %q, not its 4", f, code, n, dump)
		}
	}
	if strings.Contains(strings.Join(lines, "\n"), "┘") {
		t.Error("marks under the bytes with colour on")
	}
}
