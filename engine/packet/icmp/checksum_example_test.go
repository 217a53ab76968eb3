package icmp_test

import (
	"fmt"

	"wiretutor/engine/packet/icmp"
)

// The echo lab's first IPv4 header, its checksum field zeroed: the sum
// of its words, the carry folded back, and the complement, which is the
// ip.checksum tshark shows (0x33b3).
func ExampleChecksum() {
	h := []byte{0x45, 0x00, 0x00, 0x3c, 0x09, 0x07, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
		0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01}
	fmt.Printf("%#x %#x %#04x\n", icmp.Sum(h), icmp.Fold(icmp.Sum(h)), icmp.Checksum(h))
	// Output: 0x1cc4b 0xcc4c 0x33b3
}
