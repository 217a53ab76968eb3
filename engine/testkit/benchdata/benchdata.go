// Package benchdata makes large captures for benchmarks: the sockets
// lab's echo exchange (testdata/echo-lab.pcap) repeated with a new client
// port each time, so every repetition is a new TCP stream, as on a busy
// server.
package benchdata

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"wiretutor/engine/packet/capture"
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

// WriteStream writes a pcap holding one TCP connection that carries size
// bytes from the client in segments of seg bytes (a text pattern, so a
// follow has something to show), each acknowledged, then closed.
func WriteStream(path string, size, seg int) (int, error) {
	out, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := pcapgo.NewWriter(out)
	if err := w.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
		out.Close()
		return 0, err
	}
	client, server := net.IPv4(127, 0, 0, 1), net.IPv4(127, 0, 0, 1)
	at := time.Unix(1_800_000_000, 0)
	frames := 0
	var cseq, sseq uint32 = 1000, 5000
	send := func(fromClient bool, flags string, payload []byte) error {
		eth := &layers.Ethernet{EthernetType: layers.EthernetTypeIPv4, SrcMAC: make(net.HardwareAddr, 6), DstMAC: make(net.HardwareAddr, 6)}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: client, DstIP: server, Flags: layers.IPv4DontFragment}
		tcp := &layers.TCP{SrcPort: 40000, DstPort: 10000, Window: 65535}
		seq, ack := &cseq, &sseq
		if !fromClient {
			tcp.SrcPort, tcp.DstPort = 10000, 40000
			seq, ack = &sseq, &cseq
		}
		tcp.Seq, tcp.Ack = *seq, *ack
		tcp.SYN = strings.Contains(flags, "S")
		tcp.ACK = strings.Contains(flags, "A")
		tcp.FIN = strings.Contains(flags, "F")
		tcp.PSH = len(payload) > 0
		if !tcp.SYN {
			tcp.ACK = true
		}
		tcp.SetNetworkLayerForChecksum(ip)
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			eth, ip, tcp, gopacket.Payload(payload)); err != nil {
			return err
		}
		*seq += uint32(len(payload))
		if tcp.SYN || tcp.FIN {
			*seq++
		}
		at = at.Add(10 * time.Microsecond)
		data := buf.Bytes()
		frames++
		return w.WritePacket(gopacket.CaptureInfo{Timestamp: at, Length: len(data), CaptureLength: len(data)}, data)
	}
	pattern := []byte("The quick brown fox jumps over the lazy dog. Съешь же ещё этих мягких французских булок. 敏捷的棕色狐狸跳过了懒狗。\n")
	payload := make([]byte, seg)
	for i := range payload {
		payload[i] = pattern[i%len(pattern)]
	}
	steps := []struct {
		client bool
		flags  string
	}{{true, "S"}, {false, "SA"}, {true, "A"}}
	for _, s := range steps {
		if err := send(s.client, s.flags, nil); err != nil {
			out.Close()
			return frames, err
		}
	}
	for sent := 0; sent < size; sent += seg {
		if err := send(true, "A", payload[:min(seg, size-sent)]); err != nil {
			out.Close()
			return frames, err
		}
		if err := send(false, "A", nil); err != nil {
			out.Close()
			return frames, err
		}
	}
	for _, s := range []struct {
		client bool
		flags  string
	}{{true, "FA"}, {false, "FA"}, {true, "A"}} {
		if err := send(s.client, s.flags, nil); err != nil {
			out.Close()
			return frames, err
		}
	}
	return frames, out.Close()
}
