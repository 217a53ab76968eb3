package anatomy_test

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/anatomy"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/testkit/testenv"
)

// packet dissects one Ethernet frame.
func packet(t testing.TB, frame []byte) *dissect.Packet {
	t.Helper()
	d, err := dissect.New(layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	p := new(dissect.Packet)
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(0, 0), Length: len(frame), CaptureLength: len(frame)}
	if err := d.Dissect(frame, ci, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCraftedFrames covers what no committed capture holds. The fields
// expected are tshark 4.0's for the same bytes (tshark -T json -x).
func TestCraftedFrames(t *testing.T) {
	tests := []struct {
		name, frame string
		layer       string
		want        string // NAME@OFFSET=VALUE, one per field
	}{
		{"icmpv6 echo request", "000000000000 000000000000 86dd" +
			"60000000 000c 3a 40 00000000000000000000000000000001 00000000000000000000000000000001" +
			"80 00 1234 0001 0005 61626364", "icmpv6",
			"icmpv6.type@54=128 icmpv6.code@55=0 icmpv6.checksum@56=0x1234 icmpv6.echo.identifier@58=0x0001 icmpv6.echo.sequence_number@60=5"},
		{"fragmentation needed", "000000000000 000000000000 0800" +
			"4500 0030 0001 0000 40 01 0000 7f000001 7f000001" +
			"03 04 0000 0000 05dc 4500003000010000400600007f0000017f000001 0000000000000000", "icmp",
			"icmp.type@34=3 icmp.code@35=4 icmp.checksum@36=0x0000 icmp.unused@38=0000 icmp.mtu@40=1500"},
		{"an option tshark decodes otherwise", "000000000000 000000000000 0800" +
			"4500 0030 0001 0000 40 06 0000 7f000001 7f000001" +
			"04d2 0050 00000001 00000000 70 02 03e8 0000 0000 1e040102 020405b4", "tcp",
			"tcp.srcport@34=1234 tcp.dstport@36=80 tcp.seq@38=0 tcp.seq_raw@38=1 tcp.ack@42=0 tcp.ack_raw@42=0 tcp.hdr_len@46=28 tcp.flags@46=0x0002 " +
				"tcp.flags.res@46=0 tcp.flags.ae@46=0 tcp.flags.cwr@47=0 tcp.flags.ece@47=0 tcp.flags.urg@47=0 tcp.flags.ack@47=0 tcp.flags.push@47=0 tcp.flags.reset@47=0 tcp.flags.syn@47=1 tcp.flags.fin@47=0 " +
				"tcp.window_size_value@48=1000 tcp.checksum@50=0x0000 tcp.urgent_pointer@52=0 tcp.options@54=1e040102020405b4 " +
				"tcp.option_kind@54=30 tcp.option_len@55=4 tcp.options.mss@58=020405b4 tcp.option_kind@58=2 tcp.option_len@59=4 tcp.options.mss_val@60=1460"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range anatomy.Fields(packet(t, unhex(t, tt.frame)), tt.layer) {
				got = append(got, fmt.Sprintf("%s@%d=%s", f.Name, f.Off, f.Value))
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("got\n%s\nwant\n%s", g, tt.want)
			}
		})
	}
}

// TestHeaders gives each header's place in the frame, and only the
// layers asked for.
func TestHeaders(t *testing.T) {
	pkts := testenv.Packets(t, "echo-lab.pcap")
	hs := anatomy.Headers(&pkts[1], "tcp", "ip")
	var got []string
	for _, h := range hs {
		got = append(got, fmt.Sprintf("%s %d+%d", h.Layer, h.Off, h.Len))
	}
	if g := strings.Join(got, ", "); g != "ip 14+20, tcp 34+40" {
		t.Errorf("got %s", g)
	}
}

// FuzzFields lists the fields of arbitrary frames, whole and cut at
// every length: none may panic, and every field lies in the bytes the
// frame holds, inside its header.
func FuzzFields(f *testing.F) {
	for _, name := range []string{"echo-lab.pcap", "echo-ipv6.pcap", "icmp-unreach.pcap", "analysis-kernel.pcap", "runts.pcap"} {
		for _, fr := range testenv.Recording(f, name).Frames {
			f.Add(fr.Data)
		}
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		for n := len(frame); n >= 0; n-- {
			p := packet(t, frame[:n])
			for _, h := range anatomy.Headers(p) {
				if h.Off < 0 || h.Len < 0 || h.Off+h.Len > len(p.Data) {
					t.Fatalf("%s header at %d+%d of a %d-byte frame", h.Layer, h.Off, h.Len, len(p.Data))
				}
				for _, fl := range h.Fields {
					if fl.Off < h.Off || fl.Len < 1 || fl.Off+fl.Len > h.Off+h.Len {
						t.Fatalf("%s at %d+%d outside the frame's %d bytes (header %s at %d+%d)", fl.Name, fl.Off, fl.Len, len(p.Data), h.Layer, h.Off, h.Len)
					}
				}
			}
		}
	})
}
