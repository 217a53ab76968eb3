package filter_test

import (
	"errors"
	"fmt"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/testkit/testenv"
)

// Compile display filters, then match them against every packet of the
// echo lab's capture: a TCP connection (frames 1 to 10) and one UDP
// exchange (11 and 12).
func ExampleCompileDisplay() {
	exprs := []string{
		"tcp.flags.syn == 1 && tcp.flags.ack == 0",
		"tcp.len > 0",
		"tcp.flags.fin == 1 || udp.dstport == 10001",
		"!tcp",
	}
	var filters []*filter.Display
	for _, expr := range exprs {
		d, err := filter.CompileDisplay(expr)
		if err != nil {
			fmt.Println(err)
			return
		}
		filters = append(filters, d)
	}
	matched := make([][]int, len(filters))
	err := eachPacket("echo-lab.pcap", func(p *dissect.Packet) {
		for i, d := range filters {
			if d.Match(p) {
				matched[i] = append(matched[i], p.Number)
			}
		}
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, d := range filters {
		fmt.Printf("%-42s frames %v\n", d, matched[i])
	}
	// Output:
	// tcp.flags.syn == 1 && tcp.flags.ack == 0   frames [1]
	// tcp.len > 0                                frames [4 6]
	// tcp.flags.fin == 1 || udp.dstport == 10001 frames [8 9 11]
	// !tcp                                       frames [11 12]
}

// A filter that does not compile says where, as Wireshark does.
func ExampleDisplayError() {
	_, err := filter.CompileDisplay("tcp.port = 10000")
	var de *filter.DisplayError
	if errors.As(err, &de) {
		fmt.Println(de.Code, errors.Is(err, filter.ErrSyntax))
		fmt.Println(de.Filter)
		fmt.Println(de.Marker())
	}
	// Output:
	// single_equals true
	// tcp.port = 10000
	//          ^
}

// eachPacket dissects every frame of a committed capture in turn, into
// one Packet that the next frame overwrites.
func eachPacket(name string, f func(*dissect.Packet)) error {
	c, err := capture.Open(testenv.Testdata(name))
	if err != nil {
		return err
	}
	defer c.Close()
	for p, err := range dissect.Scan(c) {
		if err != nil {
			return err
		}
		f(p)
	}
	return nil
}
