package dissect

import (
	"bytes"
	"strconv"
	"strings"
)

// This file writes HTTP's packet details as tshark -V shows them: the
// segments a message was reassembled from, its first line and headers
// as sent, what tshark adds (the full URI, the request's number, the
// frames of the request and response before), and the body's data when
// no protocol of its own reads it.

// bodyKind says which of tshark's dissectors shows a message's body.
type bodyKind uint8

const (
	bodyNone       bodyKind = 0
	bodyJSON       bodyKind = 1 << iota // JSON: an object or an array
	bodyJSONText                        // JSON's type, but not JSON: shown as text lines
	bodyText                            // a text type: shown as lines
	bodyData                            // application/octet-stream: "Data"
	bodyDataInside                      // no Content-Type: "Data" inside HTTP's tree
	bodyMedia                           // any other type: "Media Type"
)

// kindOf is the dissector tshark hands a message's body to.
func kindOf(h *HTTP) bodyKind {
	mt := h.MediaType()
	switch {
	case len(h.Body) == 0:
		return bodyNone
	case h.JSON():
		if validJSON(h.Body) {
			return bodyJSON
		}
		return bodyJSONText
	case mt == "":
		return bodyDataInside
	case textMedia(mt):
		return bodyText
	case mt == "application/octet-stream":
		return bodyData
	}
	return bodyMedia
}

// httpDetails writes HTTP: the reassembly, then the message's tree.
func httpDetails(t *tree, p *Packet, _ []byte, d *Details) {
	h := p.HTTP
	if h == nil || h.Partial {
		return
	}
	if len(h.segs) > 0 {
		reassemblyDetails(t, h.segs, h.reassembledPrefix())
	}
	t.line("Hypertext Transfer Protocol")
	t.in()
	head := h.head
	for i := 0; len(head) > 0; i++ {
		line := head
		if k := bytes.IndexByte(head, '\n'); k >= 0 {
			line = head[:k+1]
		}
		head = head[len(line):]
		text := bytes.TrimRight(line, "\r\n")
		t.start()
		t.b = append(t.b, text...)
		t.b = appendEscapedText(t.b, line[len(text):])
		t.end()
		if i == 0 {
			t.in()
			mark := len(t.b)
			t.b = append(t.b, text...)
			t.b = appendEscapedText(t.b, line[len(text):])
			all := string(t.b[mark:])
			t.b = t.b[:mark]
			t.expert("Chat", "Sequence", all)
			firstLineDetails(t, h)
			t.out()
			continue
		}
		headerDetails(t, string(text))
	}
	if h.Request {
		if _, ok := h.Get("Host"); ok {
			t.start().s("[Full request URI: http://")
			host, _ := h.Get("Host")
			t.s(host).s(h.URI).s("]").end()
		}
		t.start().s("[HTTP request ").i(h.num).s("/").i(h.total).s("]").end()
		if h.prevReq != 0 {
			t.start().s("[Prev request in frame: ").i(h.prevReq).s("]").end()
		}
	} else if h.reqFrame != 0 {
		t.start().s("[HTTP response ").i(h.num).s("/").i(h.total).s("]").end()
		t.start().s("[Time since request: ").secs(h.sinceReq).s("]").end()
		if h.prevReq != 0 {
			t.start().s("[Prev request in frame: ").i(h.prevReq).s("]").end()
		}
		if h.prevResp != 0 {
			t.start().s("[Prev response in frame: ").i(h.prevResp).s("]").end()
		}
		t.start().s("[Request in frame: ").i(h.reqFrame).s("]").end()
		t.start().s("[Request URI: ").s(h.reqURI).s("]").end()
	}
	if h.chunked {
		chunkDetails(t, h)
	}
	if n := len(h.Body); n > 0 {
		t.start().s("File Data: ").i(n).s(plural(n, " byte", " bytes")).end()
	}
	if h.body == bodyDataInside {
		bodyDataDetails(t, p, d)
	}
	t.out()
	if h.body == bodyData {
		bodyDataDetails(t, p, d)
	}
}

// chunkDetails writes the chunks of a chunked body.
func chunkDetails(t *tree, h *HTTP) {
	t.line("HTTP chunked response")
	t.in()
	defer t.out()
	for _, c := range h.chunks {
		data := c.off + bytes.IndexByte(h.raw[c.off:], '\n') + 1
		if c.size == 0 {
			t.line("End of chunked encoding")
			t.in()
			t.start().s("Chunk size: 0 octets").end()
			t.out()
			t.start()
			t.b = appendEscapedText(t.b, h.raw[data:])
			t.end()
			continue
		}
		octets := plural(c.size, " octet", " octets")
		t.start().s("Data chunk (").i(c.size).s(octets).s(")").end()
		t.in()
		t.start().s("Chunk size: ").i(c.size).s(octets).end()
		end := min(data+c.size, len(h.raw))
		t.start().s("Chunk data: ")
		t.b = appendBytesField(t.b, h.raw[data:end])
		t.end()
		if boundary := h.raw[end:min(end+2, len(h.raw))]; len(boundary) > 0 {
			t.start().s("Chunk boundary: ")
			t.b = appendBytesField(t.b, boundary)
			t.end()
		}
		t.out()
	}
}

// bodyDataDetails writes a body as tshark's "Data".
func bodyDataDetails(t *tree, p *Packet, d *Details) {
	// data shows the payload of a packet without a protocol above it.
	q := Packet{Transport: TransportUDP, Payload: p.HTTP.Body}
	d.data(t, &q)
}

// firstLineDetails writes the parts of a request's or response's first
// line.
func firstLineDetails(t *tree, h *HTTP) {
	if h.Request {
		t.start().s("Request Method: ").s(h.Method).end()
		t.start().s("Request URI: ").s(h.URI).end()
		if path, query, ok := strings.Cut(h.URI, "?"); ok {
			t.in()
			t.start().s("Request URI Path: ").s(path).end()
			t.start().s("Request URI Query: ").s(query).end()
			t.in()
			for _, param := range strings.Split(query, "&") {
				t.start().s("Request URI Query Parameter: ").s(param).end()
			}
			t.out()
			t.out()
		}
		t.start().s("Request Version: ").s(h.Version).end()
		return
	}
	t.start().s("Response Version: ").s(h.Version).end()
	t.start().s("Status Code: ").i(h.Code).end()
	if desc := statusText(h.Code); desc != "" {
		t.start().s("[Status Code Description: ").s(desc).s("]").end()
	}
	t.start().s("Response Phrase: ").s(h.Phrase).end()
}

// headerDetails writes what tshark shows under a header line.
func headerDetails(t *tree, line string) {
	name, value, ok := strings.Cut(line, ":")
	if !ok {
		return
	}
	value = strings.TrimSpace(value)
	t.in()
	defer t.out()
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "content-length":
		if n, err := strconv.ParseInt(value, 10, 64); err == nil && n >= 0 {
			t.start().s("[Content length: ").s(value).s("]").end()
		}
	case "cookie":
		for _, pair := range strings.Split(value, ";") {
			if pair = strings.TrimSpace(pair); pair != "" {
				t.start().s("Cookie pair: ").s(pair).end()
			}
		}
	}
}

// statusText is Wireshark's description of an HTTP status code.
func statusText(code int) string {
	switch code {
	case 100:
		return "Continue"
	case 101:
		return "Switching Protocols"
	case 200:
		return "OK"
	case 201:
		return "Created"
	case 202:
		return "Accepted"
	case 204:
		return "No Content"
	case 206:
		return "Partial Content"
	case 301:
		return "Moved Permanently"
	case 302:
		return "Found"
	case 303:
		return "See Other"
	case 304:
		return "Not Modified"
	case 307:
		return "Temporary Redirect"
	case 308:
		return "Permanent Redirect"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 406:
		return "Not Acceptable"
	case 408:
		return "Request Time-out"
	case 409:
		return "Conflict"
	case 410:
		return "Gone"
	case 411:
		return "Length Required"
	case 413:
		return "Request Entity Too Large"
	case 414:
		return "Request-URI Too Long"
	case 415:
		return "Unsupported Media Type"
	case 418:
		return "I'm a teapot"
	case 422:
		return "Unprocessable Entity"
	case 429:
		return "Too Many Requests"
	case 500:
		return "Internal Server Error"
	case 501:
		return "Not Implemented"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	case 504:
		return "Gateway Time-out"
	case 505:
		return "HTTP Version not supported"
	}
	return ""
}
