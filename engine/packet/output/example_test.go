package output_test

import (
	"fmt"
	"os"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/output"
)

// The lab's echo exchange, as `tshark -q -z follow,tcp,ascii,0 -r
// testdata/echo-lab.pcap` prints it: the client's turns flush left, the
// server's after a tab, each under its length.
func ExampleTsharkFollow() {
	f, err := capture.Open("../../../testdata/echo-lab.pcap")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	follow := output.NewTsharkFollow(os.Stdout, 0, output.ASCII)
	for p, err := range dissect.Scan(f) {
		if err != nil {
			fmt.Println(err)
			return
		}
		follow.Add(p)
	}
	follow.Close()
	// Output:
	// ===================================================================
	// Follow: tcp,ascii
	// Filter: tcp.stream eq 0
	// Node 0: 127.0.0.1:41950
	// Node 1: 127.0.0.1:10000
	// 12
	// hello server
	// 	12
	// HELLO SERVER
	// ===================================================================
}
