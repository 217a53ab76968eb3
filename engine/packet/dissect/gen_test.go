package dissect_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/testkit/testenv"
)

// writeVar, set to 1, makes the generator tests write their captures
// under testdata (then run testdata/regen.sh for tshark's view).
const writeVar = "WIRETUTOR_WRITE_TESTDATA"

// TestWriteGeneratedCaptures builds the captures under testdata that no
// lab records (see testdata/README.md) and checks the committed files
// are what it builds, so the file and its recipe cannot drift apart.
func TestWriteGeneratedCaptures(t *testing.T) {
	for name, c := range map[string]struct {
		link  layers.LinkType
		build func(t *testing.T) []capture.Frame
	}{
		"runts.pcap":      {layers.LinkTypeEthernet, runtFrames},
		"http-claim.pcap": {layers.LinkTypeEthernet, claimFrames},
		"echo-null.pcap":  {layers.LinkTypeNull, relinked(nullHeaderFor)},
		"echo-raw.pcap":   {layers.LinkTypeRaw, relinked(func([]byte) []byte { return nil })},
		// DLT_RAW's own number, as some systems write raw IP.
		"echo-raw12.pcap":  {layers.LinkType(12), relinked(func([]byte) []byte { return nil })},
		"eth-trailer.pcap": {layers.LinkTypeEthernet, trailerFrames},
	} {
		t.Run(name, func(t *testing.T) {
			build := c.build
			var b bytes.Buffer
			w := pcapgo.NewWriter(&b)
			if err := w.WriteFileHeader(262144, c.link); err != nil {
				t.Fatal(err)
			}
			for _, f := range build(t) {
				if err := w.WritePacket(f.Info, f.Data); err != nil {
					t.Fatal(err)
				}
			}
			writeOrCompare(t, name, b.Bytes())
		})
	}
}

// relinked is the sockets lab's echo exchange over IPv4 and then over
// IPv6 (echo-lab.pcap, echo-ipv6.pcap) with each frame's Ethernet
// header replaced by what header gives for its IP packet: the other
// link layers a capture may have, with the kernel's own packets.
func relinked(header func(ip []byte) []byte) func(t *testing.T) []capture.Frame {
	return func(t *testing.T) []capture.Frame {
		var out []capture.Frame
		for _, name := range []string{"echo-lab.pcap", "echo-ipv6.pcap"} {
			for _, f := range testenv.Recording(t, name).Frames {
				ip := f.Data[14:]
				d := append(header(ip), ip...)
				ci := f.Info
				ci.CaptureLength, ci.Length = len(d), len(d)
				out = append(out, capture.Frame{Info: ci, Data: d})
			}
		}
		return out
	}
}

// trailerFrames are frames of the sockets lab (echo-lab.pcap,
// echo-ipv6.pcap, arp.pcap) with bytes after the IP packet or the ARP
// message, as a real Ethernet card leaves them: padding of zeros up to
// 60 bytes, padding of other bytes, a frame check sequence after the
// padding or after a long frame, trailers before an FCS or alone, and a
// frame too short to have been padded. The lab's handshake comes first,
// so that the ACKs have a connection.
func trailerFrames(t *testing.T) []capture.Frame {
	lab := testenv.Recording(t, "echo-lab.pcap").Frames
	v6 := testenv.Recording(t, "echo-ipv6.pcap").Frames[3]
	arp := testenv.Recording(t, "arp.pcap").Frames[0]
	var short, long capture.Frame // a 54-byte UDP frame, a 66-byte TCP ACK
	for _, f := range lab {
		switch len(f.Data) {
		case 54:
			short = f
		case 66:
			long = f
		}
	}
	fcs := []byte{0xde, 0xad, 0xbe, 0xef}
	zeros := func(n int) []byte { return make([]byte, n) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	var out []capture.Frame
	add := func(f capture.Frame, tail ...[]byte) {
		d := cat(append([][]byte{f.Data}, tail...)...)
		ci := f.Info
		ci.Timestamp = lab[0].Info.Timestamp.Add(time.Duration(len(out)) * time.Millisecond)
		ci.CaptureLength, ci.Length = len(d), len(d)
		out = append(out, capture.Frame{Info: ci, Data: d})
	}
	for _, f := range lab[:3] {
		add(f) // the handshake, for the ACKs below
	}
	add(short, zeros(6))                                                             // padding
	add(short, []byte{1, 2, 3, 4, 5, 6})                                             // not zeros: a trailer
	add(short, zeros(6), fcs)                                                        // padding, FCS
	add(long, fcs)                                                                   // FCS
	add(long, []byte{0xab, 0xcd})                                                    // a trailer too short for an FCS
	add(short, zeros(10))                                                            // padding, an FCS of zeros
	add(short, zeros(4))                                                             // 58 bytes: never padded
	add(short, []byte{0, 0, 0, 1, 2, 3})                                             // zeros, then not
	add(short, zeros(6), []byte{0x11, 0x22})                                         // padding, a trailer
	add(long, []byte{1}, []byte{2, 3, 4, 5})                                         // a trailer, an FCS
	add(v6, fcs)                                                                     // after IPv6
	add(capture.Frame{Info: arp.Info, Data: arp.Data[:42]}, []byte{9, 9}, zeros(16)) // ARP, not zeros
	return out
}

// nullHeaderFor is BSD loopback's header for an IP packet: the address
// family in the writer's byte order, as macOS writes it (AF_INET 2,
// AF_INET6 30).
func nullHeaderFor(ip []byte) []byte {
	fam := uint32(2)
	if ip[0]>>4 == 6 {
		fam = 30
	}
	return binary.LittleEndian.AppendUint32(nil, fam)
}

// runtFrames is the sockets lab's echo exchange (echo-lab.pcap) with
// frames cut short mixed in, each at the time of the frame before it:
// runts shorter than the Ethernet header, IPv4 and IPv6 headers cut at
// several lengths, TCP and UDP headers cut after their ports.
func runtFrames(t *testing.T) []capture.Frame {
	lab := testenv.Recording(t, "echo-lab.pcap").Frames
	v6 := testenv.Recording(t, "echo-ipv6.pcap").Frames[0].Data
	data := lab[3].Data // a data segment: Ethernet, IPv4, TCP with options
	eth, ip, tcp := data[:14], data[14:34], data[34:]
	udp := lab[10].Data[34:]

	// ipWith returns the IPv4 header with its total length set for a
	// payload of n bytes and the given protocol.
	ipWith := func(n int, proto byte) []byte {
		h := append([]byte(nil), ip...)
		binary.BigEndian.PutUint16(h[2:], uint16(20+n))
		h[9] = proto
		return h
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	eth6 := cat(v6[:12], []byte{0x86, 0xdd})
	runts := map[int][][]byte{ // after which frame (index), what
		2: {data[:6], data[:13]},
		3: {cat(eth, ip[:10]), cat(eth, ip[:16]), cat(eth, ip[:0])},
		4: {cat(eth, ipWith(8, 6), tcp[:8]), cat(eth, ipWith(14, 6), tcp[:14])},
		5: {cat(eth, ipWith(4, 17), udp[:4]), cat(eth, ipWith(2, 17), udp[:2])},
		6: {cat(eth6, v6[14:22]), cat(eth6, v6[14:38])},
	}
	var out []capture.Frame
	for i, f := range lab {
		out = append(out, f)
		for _, r := range runts[i] {
			ci := gopacket.CaptureInfo{Timestamp: f.Info.Timestamp, CaptureLength: len(r), Length: len(r)}
			out = append(out, capture.Frame{Info: ci, Data: r})
		}
	}
	return out
}

// claimFrames holds three HTTP exchanges on port 8080 whose responses
// announce more body than they send: Content-Length 2147483647 (the
// largest Wireshark reassembles: it waits for the rest, which never
// comes), 99999999999 (too large, ignored: the body runs until the
// server's FIN) and none at all (the same). Each body is two segments
// of "hello".
func claimFrames(t *testing.T) []capture.Frame {
	var out []capture.Frame
	at := time.Unix(1700000000, 0)
	for i, claim := range []string{"Content-Length: 2147483647\r\n", "Content-Length: 99999999999\r\n", ""} {
		c := tcpEnd{port: uint16(40000 + i), seq: 1000}
		s := tcpEnd{port: 8080, seq: 5000}
		req := []byte("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n")
		resp := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + claim + "\r\nhello")
		body := []byte("hello")
		for _, seg := range []struct {
			from, to *tcpEnd
			flags    uint8
			data     []byte
		}{
			{&c, &s, 0x02, nil}, {&s, &c, 0x12, nil}, {&c, &s, 0x10, nil},
			{&c, &s, 0x18, req}, {&s, &c, 0x10, nil},
			{&s, &c, 0x18, resp}, {&s, &c, 0x18, body}, {&c, &s, 0x10, nil},
			{&s, &c, 0x11, nil}, {&c, &s, 0x11, nil}, {&s, &c, 0x10, nil},
		} {
			at = at.Add(100 * time.Microsecond)
			d := tcpFrame(seg.from, seg.to, seg.flags, seg.data)
			out = append(out, capture.Frame{Info: gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(d), Length: len(d)}, Data: d})
		}
	}
	return out
}

// tcpEnd is one side of a made-up loopback connection.
type tcpEnd struct {
	port     uint16
	seq, ack uint32
}

// tcpFrame builds an Ethernet frame from one end to the other with
// valid checksums and advances the sender's sequence number.
func tcpFrame(from, to *tcpEnd, flags uint8, data []byte) []byte {
	lo := []byte{127, 0, 0, 1}
	tcp := make([]byte, 20, 20+len(data))
	binary.BigEndian.PutUint16(tcp[0:], from.port)
	binary.BigEndian.PutUint16(tcp[2:], to.port)
	binary.BigEndian.PutUint32(tcp[4:], from.seq)
	if flags&0x10 != 0 {
		binary.BigEndian.PutUint32(tcp[8:], to.seq)
	}
	tcp[12], tcp[13] = 5<<4, flags
	binary.BigEndian.PutUint16(tcp[14:], 65535)
	tcp = append(tcp, data...)
	pseudo := append(append(append([]byte(nil), lo...), lo...), 0, 6, byte(len(tcp)>>8), byte(len(tcp)))
	binary.BigEndian.PutUint16(tcp[16:], checksum(append(pseudo, tcp...)))
	ip := []byte{0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 6, 0, 0}
	binary.BigEndian.PutUint16(ip[2:], uint16(20+len(tcp)))
	ip = append(append(ip, lo...), lo...)
	binary.BigEndian.PutUint16(ip[10:], checksum(ip))
	from.seq += uint32(len(data))
	if flags&0x03 != 0 { // SYN or FIN
		from.seq++
	}
	eth := make([]byte, 12, 14)
	return append(append(append(eth, 0x08, 0x00), ip...), tcp...)
}

func checksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// TestWriteMixedLinks builds mixed-links.pcapng: the sockets lab's IPv4
// echo (echo-lab.pcap) in a pcapng file of two interfaces with link
// types of their own, as Wireshark writes a capture of several
// interfaces: the odd frames on an Ethernet interface, the even ones on
// a raw-IP interface, their Ethernet header taken off. tshark keeps
// every frame and dissects each with its interface's link layer.
func TestWriteMixedLinks(t *testing.T) {
	var b bytes.Buffer
	opts := pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{Application: "wiretutor tests"}}
	eth := pcapgo.NgInterface{Name: "eth0", LinkType: layers.LinkTypeEthernet, SnapLength: 262144, TimestampResolution: 9}
	w, err := pcapgo.NewNgWriterInterface(&b, eth, opts)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := w.AddInterface(pcapgo.NgInterface{Name: "raw0", LinkType: layers.LinkTypeRaw, SnapLength: 262144, TimestampResolution: 9})
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range testenv.Recording(t, "echo-lab.pcap").Frames {
		ci, data := f.Info, f.Data
		if i%2 == 1 {
			data = data[14:]
			ci.InterfaceIndex, ci.CaptureLength, ci.Length = raw, len(data), len(data)
		}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	writeOrCompare(t, "mixed-links.pcapng", b.Bytes())
}

// writeOrCompare writes a generated capture under testdata when
// writeVar asks, and otherwise checks the committed file is what its
// recipe built, so the file and its recipe cannot drift apart.
func writeOrCompare(t *testing.T, name string, built []byte) {
	t.Helper()
	path := testenv.Testdata(name)
	if os.Getenv(writeVar) == "1" {
		if err := os.WriteFile(path, built, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, built) {
		t.Errorf("%s differs from what its recipe builds: run with %s=1, then testdata/regen.sh", name, writeVar)
	}
}
