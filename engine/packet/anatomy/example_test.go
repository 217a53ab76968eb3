package anatomy_test

import (
	"fmt"
	"path/filepath"

	"wiretutor/engine/packet/anatomy"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
)

// The SYN-ACK of the lab's echo exchange: where its TCP header's first
// fields sit in the frame, and what tshark prints for them.
func ExampleHeaders() {
	c, err := capture.Open(filepath.Join("..", "..", "..", "testdata", "echo-lab.pcap"))
	if err != nil {
		panic(err)
	}
	defer c.Close()
	pkts, err := dissect.Collect(c)
	if err != nil {
		panic(err)
	}
	for _, h := range anatomy.Headers(&pkts[1], "tcp") {
		fmt.Printf("%s: bytes %d to %d\n", h.Layer, h.Off, h.Off+h.Len-1)
		for _, f := range h.Fields[:9] {
			fmt.Printf("%-16s %2d+%d mask %#04x  %s\n", f.Name, f.Off, f.Len, f.Mask, f.Value)
		}
	}
	// Output:
	// tcp: bytes 34 to 73
	// tcp.srcport      34+2 mask 0x0000  10000
	// tcp.dstport      36+2 mask 0x0000  41950
	// tcp.seq          38+4 mask 0x0000  0
	// tcp.seq_raw      38+4 mask 0x0000  4008873223
	// tcp.ack          42+4 mask 0x0000  1
	// tcp.ack_raw      42+4 mask 0x0000  1802194076
	// tcp.hdr_len      46+1 mask 0x00f0  40
	// tcp.flags        46+2 mask 0x0fff  0x0012
	// tcp.flags.res    46+1 mask 0x000e  0
}
