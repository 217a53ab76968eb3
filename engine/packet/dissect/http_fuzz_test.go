package dissect

import (
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/capture"
)

// httpPayloads returns the TCP payloads of the committed HTTP captures,
// the seeds of FuzzHTTPHead.
func httpPayloads(f *testing.F) [][]byte {
	var out [][]byte
	for _, name := range []string{"http-api.pcap", "http-python.pcap", "http-claim.pcap"} {
		c, err := capture.Open(filepath.Join("..", "..", "..", "testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		var tcp layers.TCP
		var eth layers.Ethernet
		var ip layers.IPv4
		for {
			data, _, err := c.ReadPacketData()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				f.Fatal(err)
			}
			if eth.DecodeFromBytes(data, nil) != nil || ip.DecodeFromBytes(eth.Payload, nil) != nil || tcp.DecodeFromBytes(ip.Payload, nil) != nil {
				continue
			}
			if len(tcp.Payload) > 0 {
				out = append(out, append([]byte(nil), tcp.Payload...))
			}
		}
		c.Close()
	}
	return out
}

// FuzzHTTPHead feeds one direction of a connection, split at two
// places, to the HTTP parser: no input may panic, a whole message's
// body is what its Content-Length says (when Wireshark would wait for
// it), and the state never holds more than it was given.
func FuzzHTTPHead(f *testing.F) {
	seeds := httpPayloads(f)
	for i, p := range seeds {
		f.Add(p, uint16(len(p)/3), uint16(len(p)/2))
		if i+1 < len(seeds) {
			f.Add(append(append([]byte(nil), p...), seeds[i+1]...), uint16(len(p)), uint16(len(p)+1))
		}
	}
	f.Add([]byte("GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"), uint16(3), uint16(20))
	f.Fuzz(func(t *testing.T, data []byte, cut1, cut2 uint16) {
		a := min(int(cut1), len(data))
		b := min(max(int(cut2), a), len(data))
		var st httpState
		given := 0
		for _, seg := range [][]byte{data[:a], data[a:b], data[b:]} {
			if len(seg) == 0 {
				continue
			}
			given += len(seg)
			m := st.feed(seg)
			if st.buffered() > given {
				t.Fatalf("holds %d bytes after being given %d", st.buffered(), given)
			}
			check(t, m)
		}
		check(t, st.fin())
	})
}

func check(t *testing.T, m *HTTP) {
	t.Helper()
	if m == nil || m.Partial {
		return
	}
	if strings.Contains(m.FirstLine, "\r\n") {
		t.Fatalf("first line %q holds a line end", m.FirstLine)
	}
	if n := m.ContentLength; n >= 0 && n <= maxContentLength && len(m.Body) != n {
		t.Fatalf("body of %d bytes, Content-Length %d", len(m.Body), n)
	}
	if m.Request && m.Method == "" {
		t.Fatalf("a request without a method: %+v", m)
	}
	_ = appendHTTPInfo(nil, m)
}
