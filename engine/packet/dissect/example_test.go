package dissect_test

import (
	"fmt"
	"log"
	"path/filepath"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
)

// echoLab opens the sockets lab's committed capture: a TCP echo
// exchange on the loopback, then a UDP one.
func echoLab() *capture.File {
	f, err := capture.Open(filepath.Join("..", "..", "..", "testdata", "echo-lab.pcap"))
	if err != nil {
		log.Fatal(err)
	}
	return f
}

// Dissect a capture and print fields of its fourth frame, the client's
// data, as
//
//	tshark -r testdata/echo-lab.pcap -Y frame.number==4 -T fields \
//		-e ip.src -e tcp.srcport -e ip.dst -e tcp.dstport -e tcp.seq -e tcp.len -e data.data
//
// prints them, tab-separated.
func ExampleAll() {
	f := echoLab()
	defer f.Close()
	for p, err := range dissect.All(f) {
		if err != nil {
			log.Fatal(err)
		}
		if p.Number != 4 {
			continue
		}
		var line []byte
		for i, name := range []string{"ip.src", "tcp.srcport", "ip.dst", "tcp.dstport", "tcp.seq", "tcp.len", "data.data"} {
			if i > 0 {
				line = append(line, '\t')
			}
			line, _ = dissect.AppendField(line, p, name)
		}
		fmt.Println(string(line))
	}
	// Output:
	// 127.0.0.1	41950	127.0.0.1	10000	1	12	68656c6c6f20736572766572
}

// Print the handshake as `tshark -r testdata/echo-lab.pcap` does: a
// pcap file's times have 6 decimals.
func ExampleSummary() {
	f := echoLab()
	defer f.Close()
	for p, err := range dissect.Scan(f) {
		if err != nil {
			log.Fatal(err)
		}
		if p.Number <= 3 {
			fmt.Println(string(dissect.Summary(nil, p, f.Precision())))
		}
	}
	// Output:
	//     1   0.000000    127.0.0.1 → 127.0.0.1    TCP 74 41950 → 10000 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=1519446612 TSecr=0 WS=1024
	//     2   0.000017    127.0.0.1 → 127.0.0.1    TCP 74 10000 → 41950 [SYN, ACK] Seq=0 Ack=1 Win=65483 Len=0 MSS=65495 SACK_PERM TSval=2297035893 TSecr=1519446612 WS=1024
	//     3   0.000029    127.0.0.1 → 127.0.0.1    TCP 66 41950 → 10000 [ACK] Seq=1 Ack=1 Win=65536 Len=0 TSval=1519446612 TSecr=2297035893
}

// Look a field up as `tshark -r testdata/echo-lab.pcap -T fields -e
// tcp.flags` prints it. The two UDP datagrams at the end have no TCP
// flags: tshark prints an empty line for each, and Field reports false.
func ExampleField() {
	f := echoLab()
	defer f.Close()
	for p, err := range dissect.Scan(f) {
		if err != nil {
			log.Fatal(err)
		}
		if v, ok := dissect.Field(p, "tcp.flags"); ok {
			fmt.Println(v)
		}
	}
	// Output:
	// 0x0002
	// 0x0012
	// 0x0010
	// 0x0018
	// 0x0010
	// 0x0018
	// 0x0010
	// 0x0011
	// 0x0011
	// 0x0010
}

// The flags of the second frame, the server's SYN-ACK, as tshark's Info
// column names them.
func ExampleTCPFlags_String() {
	f := echoLab()
	defer f.Close()
	for p, err := range dissect.Scan(f) {
		if err != nil {
			log.Fatal(err)
		}
		if p.Number == 2 {
			fmt.Println(p.TCP.Flags, p.TCP.Has(dissect.FlagSYN|dissect.FlagACK))
		}
	}
	// Output:
	// SYN, ACK true
}
