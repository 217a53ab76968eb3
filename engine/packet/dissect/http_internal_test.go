package dissect

import (
	"bytes"
	"runtime"
	"testing"
)

// TestHTTPBodyHoldsOnlyWhatArrived: a response claiming a huge body
// costs the bytes the capture carried, not the claim, and each further
// segment costs a constant few allocations (the head is not parsed
// again), whatever the claim.
func TestHTTPBodyHoldsOnlyWhatArrived(t *testing.T) {
	seg := bytes.Repeat([]byte("x"), 1000)
	for _, tc := range []struct {
		name, claim string
		finEnds     bool // the claim is ignored: the body ends with the connection
	}{
		{"largest claim Wireshark waits for", "Content-Length: 2147483647\r\n", false},
		{"claim too large for Wireshark", "Content-Length: 99999999999\r\n", true},
		{"no claim", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var st httpState
			head := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + tc.claim + "\r\nhello")
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			m := st.feed(head)
			runtime.ReadMemStats(&after)
			if m == nil || !m.Partial || m.FirstLine != "HTTP/1.1 200 OK" {
				t.Fatalf("head: %+v, want a partial message", m)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<10 {
				t.Errorf("a head with 5 bytes of body allocated %d bytes", grew)
			}
			const n = 100
			for i := 0; i < n; i++ {
				if m := st.feed(seg); m == nil || !m.Partial || m.FirstLine != "" {
					t.Fatalf("segment %d: %+v, want a bare partial marker", i, m)
				}
			}
			if got, want := st.buffered(), 5+n*len(seg); got != want {
				t.Errorf("holds %d bytes, want the %d that arrived", got, want)
			}
			if allocs := testing.AllocsPerRun(100, func() { st.feed(seg) }); allocs > 2 {
				t.Errorf("a body segment costs %.1f allocations, want at most 2", allocs)
			}
			held := st.buffered()
			m = st.fin()
			if tc.finEnds != (m != nil) {
				t.Fatalf("at FIN: %+v, want a message: %v", m, tc.finEnds)
			}
			if m != nil && (len(m.Body) != held || !bytes.HasPrefix(m.Body, []byte("helloxxx"))) {
				t.Errorf("body at FIN: %d bytes", len(m.Body))
			}
		})
	}
}

// TestHTTPBodyComplete: a body split over segments completes on the
// segment that brings its last byte, and what follows it starts the
// next message.
func TestHTTPBodyComplete(t *testing.T) {
	var st httpState
	if m := st.feed([]byte("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")); m == nil || !m.Partial {
		t.Fatalf("head: %+v", m)
	}
	m := st.feed([]byte("worldHTTP/1.1 204 No Content\r\n"))
	if m == nil || m.Partial || string(m.Body) != "helloworld" {
		t.Fatalf("second segment: %+v", m)
	}
	m = st.feed([]byte("\r\n"))
	if m == nil || m.Partial || m.Code != 204 || len(m.Body) != 0 {
		t.Fatalf("the next message: %+v", m)
	}
}

// TestHTTPHeadEnd: a head ends at its first empty line, whether its
// lines end in CR LF or, as tshark also reads them, in LF alone; a head
// split across segments is found in the bytes after from.
func TestHTTPHeadEnd(t *testing.T) {
	tests := []struct {
		in        string
		from      int
		end, body int
		ok        bool
	}{
		{"GET / HTTP/1.1\r\nHost: a\r\n\r\nbody", 0, 24, 27, true},
		{"GET / HTTP/1.1\nHost: a\n\nbody", 0, 22, 24, true},
		{"GET / HTTP/1.1\nHost: a\r\n\r\n", 0, 23, 26, true},
		{"GET / HTTP/1.1\r\nHost: a\r\n", 0, 0, 0, false},
		{"GET / HTTP/1.1\r\nHost: a\r\n\r", 0, 0, 0, false},
		{"a\r\n\r\n", 3, 0, 0, false}, // its end lies before from
		{"a\r\n\r\n", 2, 2, 5, true},
		{"", 0, 0, 0, false},
	}
	for _, tt := range tests {
		end, body, ok := headEnd([]byte(tt.in), tt.from)
		if end != tt.end || body != tt.body || ok != tt.ok {
			t.Errorf("headEnd(%q, %d) = %d, %d, %v; want %d, %d, %v", tt.in, tt.from, end, body, ok, tt.end, tt.body, tt.ok)
		}
	}
}
