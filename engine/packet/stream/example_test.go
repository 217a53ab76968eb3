package stream_test

import (
	"fmt"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/testkit/testenv"
)

// Follow TCP stream 0 of a capture, as Wireshark's Follow TCP Stream
// does: each side's bytes in order, in the chunks they were sent, with
// the frame that completed each; Printable shows them as its UTF-8 view
// does (the three bytes 00 01 7f as dots). The echo server upper-cases
// Cyrillic, and has no capitals for Chinese.
func ExampleNewFollower() {
	f := stream.NewFollower(0, func(ch stream.Chunk) error {
		side := "server"
		if ch.FromClient {
			side = "client"
		}
		fmt.Printf("frame %2d  %s  %2d bytes  %q\n", ch.Frame, side, len(ch.Data), stream.Printable(ch.Data))
		return nil
	})
	c, err := capture.Open(testenv.Testdata("echo-utf8.pcap"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	for p, err := range dissect.Scan(c) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := f.Add(p); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := f.Flush(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Client, "→", f.Server)
	// Output:
	// frame  4  client  28 bytes  "Привет, сервер!\n"
	// frame  6  server  28 bytes  "ПРИВЕТ, СЕРВЕР!\n"
	// frame  8  client  19 bytes  "你好，服务器\n"
	// frame  9  server  19 bytes  "你好，服务器\n"
	// frame 11  client  11 bytes  "bin... end\n"
	// frame 12  server  11 bytes  "BIN... END\n"
	// 127.0.0.1:53496 → 127.0.0.1:10000
}
