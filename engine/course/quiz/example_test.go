package quiz_test

import (
	"fmt"

	"wiretutor/engine/course/quiz"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/testkit/testenv"
)

// messageIDs words every text by its message id; a course passes its
// i18n catalog instead.
type messageIDs struct{}

func (messageIDs) T(id string, _ any) string { return id }

// Make questions from the echo lab's capture about its TCP connection.
// Each names a frame and a Wireshark field, and expects what
// `tshark -T fields -e FIELD` prints for that frame; Shown is how a
// learner would write it.
func ExampleMake() {
	pkts, err := readPackets(testenv.Testdata("echo-lab.pcap"))
	if err != nil {
		fmt.Println(err)
		return
	}
	c := &quiz.Capture{Packets: pkts, Conn: stream.TCPConns(pkts)[0]}
	for _, q := range quiz.Make(c, messageIDs{}, quiz.EphemeralPort, quiz.SynAckFlags, quiz.NextAck) {
		fmt.Printf("%s  frame %d  %-11s  expect %-6s  shown %-10q  prompt %s\n", q.ID, q.Frame, q.Field, q.Expect, q.Shown, q.Prompt)
	}
	// Output:
	// q1  frame 1  tcp.srcport  expect 41950   shown "41950"     prompt quiz.ephemeral_port.prompt
	// q2  frame 2  tcp.flags    expect 0x0012  shown "SYN, ACK"  prompt quiz.synack_flags.prompt
	// q3  frame 5  tcp.ack      expect 13      shown "13"        prompt quiz.next_ack.prompt
}

// readPackets dissects a capture file whole, every packet its own.
func readPackets(path string) ([]dissect.Packet, error) {
	f, err := capture.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return dissect.Collect(f)
}
