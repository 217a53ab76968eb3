package dissect

import (
	"bytes"
	"strconv"
	"strings"
)

// httpPorts are the TCP ports Wireshark dissects as HTTP by default.
var httpPorts = map[uint16]bool{80: true, 3128: true, 3132: true, 5985: true, 8080: true, 8088: true, 11371: true, 1900: true, 2869: true, 2710: true}

// HTTP is an HTTP/1.x message, on the frame that completed it.
type HTTP struct {
	Request       bool
	Method, URI   string // a request's
	Version       string // HTTP/1.1
	Code          int    // a response's status
	Phrase        string // and its reason phrase
	FirstLine     string
	Headers       []Header
	ContentType   string
	ContentLength int // -1 when the header is absent
	Body          []byte
	// Partial marks a segment that carries part of a message still to
	// be completed ("[TCP segment of a reassembled PDU]"); only
	// FirstLine is set, once the headers are in.
	Partial bool
}

// Header is one header line.
type Header struct{ Name, Value string }

// Get returns a header's first value, case-insensitively.
func (h *HTTP) Get(name string) (string, bool) {
	for _, x := range h.Headers {
		if strings.EqualFold(x.Name, name) {
			return x.Value, true
		}
	}
	return "", false
}

// httpState gathers one direction's bytes until a message is whole.
type httpState struct {
	buf []byte
}

var httpMethods = []string{"GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "}

func looksHTTP(b []byte) bool {
	if bytes.HasPrefix(b, []byte("HTTP/1.")) {
		return true
	}
	for _, m := range httpMethods {
		if bytes.HasPrefix(b, []byte(m)) {
			return true
		}
	}
	return false
}

// http feeds a segment's payload to its direction's state and returns
// the message it completes, a partial marker, or nil when the segment is
// not HTTP.
func (st *httpState) feed(payload []byte) *HTTP {
	if len(st.buf) == 0 && !looksHTTP(payload) {
		return nil
	}
	st.buf = append(st.buf, payload...)
	head, body, ok := bytes.Cut(st.buf, []byte("\r\n\r\n"))
	if !ok {
		if len(st.buf) > 1<<20 { // not HTTP after all, or hostile
			st.buf = nil
			return nil
		}
		return &HTTP{Partial: true}
	}
	m := parseHead(head)
	if m == nil {
		st.buf = nil
		return nil
	}
	if m.ContentLength > len(body) {
		return &HTTP{Partial: true, FirstLine: m.FirstLine}
	}
	n := len(body)
	if m.ContentLength >= 0 {
		n = m.ContentLength
	}
	m.Body = append([]byte(nil), body[:n]...)
	rest := body[n:]
	st.buf = append(st.buf[:0:0], rest...)
	if len(st.buf) > 0 && !looksHTTP(st.buf) {
		st.buf = nil
	}
	return m
}

func parseHead(head []byte) *HTTP {
	lines := strings.Split(string(head), "\r\n")
	m := &HTTP{FirstLine: lines[0], ContentLength: -1}
	parts := strings.SplitN(lines[0], " ", 3)
	if len(parts) < 2 {
		return nil
	}
	if strings.HasPrefix(parts[0], "HTTP/") {
		m.Version = parts[0]
		code, err := strconv.Atoi(parts[1])
		if err != nil {
			return nil
		}
		m.Code = code
		if len(parts) == 3 {
			m.Phrase = parts[2]
		}
	} else {
		if len(parts) != 3 {
			return nil
		}
		m.Request, m.Method, m.URI, m.Version = true, parts[0], parts[1], parts[2]
	}
	for _, l := range lines[1:] {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		h := Header{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)}
		m.Headers = append(m.Headers, h)
		switch strings.ToLower(h.Name) {
		case "content-type":
			m.ContentType = h.Value
		case "content-length":
			if n, err := strconv.Atoi(h.Value); err == nil && n >= 0 {
				m.ContentLength = n
			}
		}
	}
	return m
}

// MediaType returns the message's media type as tshark names it: the
// Content-Type without parameters, lowercased ("application/json").
func (h *HTTP) MediaType() string {
	ct, _, _ := strings.Cut(h.ContentType, ";")
	return strings.ToLower(strings.TrimSpace(ct))
}

// JSON reports whether tshark hands the body to its JSON dissector,
// which makes the Protocol column "HTTP/JSON": a non-empty body of
// type application/json.
func (h *HTTP) JSON() bool {
	return len(h.Body) > 0 && h.MediaType() == "application/json"
}

// appendHTTPInfo writes tshark's Info column for an HTTP message. A
// body adds its media type, after ", JavaScript Object Notation" when
// the JSON dissector reads it.
func appendHTTPInfo(buf []byte, h *HTTP) []byte {
	buf = append(buf, h.FirstLine...)
	buf = append(buf, ' ')
	if len(h.Body) == 0 || h.ContentType == "" {
		return buf
	}
	if h.JSON() {
		buf = append(buf, ", JavaScript Object Notation"...)
	}
	buf = append(buf, " ("...)
	buf = append(buf, h.MediaType()...)
	return append(buf, ')')
}
