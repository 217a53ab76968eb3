// Package benchdata makes large captures for benchmarks: the sockets
// lab's echo exchange (testdata/echo-lab.pcap) repeated with a new client
// port each time, so every repetition is a new TCP stream, as on a busy
// server.
package benchdata

import (
	"encoding/binary"
	"fmt"
	"os"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"wiretutor/engine/capture"
)

// Write writes a pcap of at least n packets to path and returns how many
// it wrote. seed is the path of echo-lab.pcap.
func Write(path, seed string, n int) (int, error) {
	f, err := capture.Open(seed)
	if err != nil {
		return 0, err
	}
	rec, err := capture.ReadAll(f, f.Precision())
	f.Close()
	if err != nil {
		return 0, err
	}
	frames := rec.Frames[:10] // the TCP exchange
	out, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := pcapgo.NewWriter(out)
	if err := w.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
		out.Close()
		return 0, err
	}
	base := frames[0].Info.Timestamp
	written := 0
	buf := make([]byte, 0, 128)
	for rep := 0; written < n; rep++ {
		port := uint16(32768 + rep%28000)
		for _, fr := range frames {
			buf = append(buf[:0], fr.Data...)
			// The client's port is the TCP source or destination port.
			for _, off := range []int{34, 36} {
				if binary.BigEndian.Uint16(buf[off:]) != 10000 {
					binary.BigEndian.PutUint16(buf[off:], port)
				}
			}
			ci := fr.Info
			ci.Timestamp = base.Add(time.Duration(rep)*time.Millisecond + fr.Info.Timestamp.Sub(base))
			if err := w.WritePacket(ci, buf); err != nil {
				out.Close()
				return written, fmt.Errorf("write %s: %w", path, err)
			}
			written++
		}
	}
	return written, out.Close()
}
