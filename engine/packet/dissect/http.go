package dissect

import (
	"bytes"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// httpProtocol is HTTP/1.x (http) on the TCP ports Wireshark dissects as
// HTTP by default, each message reassembled from its segments.
func httpProtocol(r *registry) protocol {
	var on []selector
	for _, port := range []uint16{80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710} {
		on = append(on, selector{space: tcpPort, num: port})
	}
	return protocol{
		name: "http", has: isHTTP,
		on:           on,
		tcpHeuristic: httpHeuristic,
		newDecoder:   func(*Dissector) decoder { return newHTTPDecoder(r) },
		details:      httpDetails,
		column:       httpColumn,
		info:         httpInfo,
		fields:       httpFields(),
	}
}

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

	// What the packet details show beyond the message itself.
	head     []byte   // the head as sent, through its empty line
	segs     []tcpSeg // the segments it was gathered from, when more than one
	num      int      // the request's number in its connection (a response's request's)
	total    int      // how many requests the connection has made so far
	prevReq  int      // the frame of the request before (before a response's request)
	prevResp int      // a response's: the frame of the response before
	reqFrame int      // a response's: its request's frame
	sinceReq time.Duration
	reqURI   string   // a response's: its request's URI, with the host when it named one
	body     bodyKind // which dissector of tshark's shows the body
	// A chunked body (Transfer-Encoding: chunked): the body as sent,
	// with its chunks' sizes and boundaries, and each chunk's data;
	// Body is the data joined.
	chunked bool
	raw     []byte
	chunks  []httpChunk
	// toHead marks a response to a HEAD request, which has no body
	// whatever its Content-Length says.
	toHead bool
}

// httpChunk is one chunk of a chunked body: where its size line starts
// in the body as sent, and its data's size.
type httpChunk struct{ off, size int }

// Reassembled returns the message's bytes as its segments carried them,
// its head and then its body, when more than one segment carried it
// (tshark's "Reassembled TCP" data source); nil otherwise.
func (h *HTTP) Reassembled() []byte {
	if len(h.segs) < 2 {
		return nil
	}
	if h.chunked {
		return append(bytes.Clone(h.head), h.raw...)
	}
	return append(bytes.Clone(h.head), h.Body...)
}

// reassembledPrefix is the start of the message as its segments carried
// it, as much as the details' "[Reassembled TCP Data]" shows.
func (h *HTTP) reassembledPrefix() []byte {
	data := h.head
	if len(data) < 40 {
		data = append(bytes.Clone(data), h.Body[:min(len(h.Body), 40)]...)
	}
	return data
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

// httpState gathers one direction's bytes until a message is whole:
// first its head, then as much body as the head announces. Like
// Wireshark's reassembly it holds only bytes the capture carried, never
// room for what a Content-Length claims.
type httpState struct {
	buf  []byte   // the head so far; once head is set, the body so far
	head *HTTP    // the message whose body is awaited; nil while reading a head
	need int      // body bytes still to come; untilFIN: until the sender closes
	segs []tcpSeg // the segments of the message so far
	// frame is the number of the frame being fed, for segs.
	frame int
	// toHead, when set, tells whether the next response answers a HEAD
	// request (the oldest its connection has not seen answered).
	toHead func() bool
}

// httpState.need for a body whose end is not a count of bytes: one that
// ends with the connection, and a chunked one, which ends with its last
// chunk.
const (
	untilFIN    = -1
	untilChunks = -2
)

// maxHead is how many bytes a head may take before the direction is
// taken for something else than HTTP.
const maxHead = 1 << 20

// maxContentLength is the largest Content-Length Wireshark reassembles
// a body for: its buffers are limited to 2^31-1 bytes, so it ignores a
// larger claim (a response then runs until the connection closes).
const maxContentLength = 1<<31 - 1

// looksHTTP reports whether b starts like an HTTP/1.x message: a
// response's version or a request's method.
func looksHTTP(b []byte) bool {
	if bytes.HasPrefix(b, []byte("HTTP/1.")) {
		return true
	}
	for _, m := range [...]string{"GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "} {
		if bytes.HasPrefix(b, []byte(m)) {
			return true
		}
	}
	return false
}

// httpHeuristic is how tshark finds HTTP on a port no protocol is
// registered for (python's http.server on 8000): a segment whose first
// line, ended by a line break the segment holds, starts or ends with
// "HTTP/1.1" (a request line or a status line of HTTP/1.1; not a line
// of exactly those 8 bytes). For a first line shorter than that,
// Wireshark's negative offset compares bytes from the segment's end.
func httpHeuristic(b []byte) bool {
	const token = "HTTP/1.1"
	n := bytes.IndexAny(b, "\r\n")
	if n < 0 || n == len(token) || b[n] == '\r' && n+1 == len(b) {
		return false
	}
	at := n - len(token)
	if at < 0 {
		at += len(b) // a negative offset counts from the end
	}
	eq := func(i int) bool {
		return i >= 0 && i+len(token) <= len(b) && bytes.EqualFold(b[i:i+len(token)], []byte(token))
	}
	return eq(at) || eq(0)
}

// headEnd finds the empty line that ends a message's head in b, looking
// at line ends from offset from: as tshark, a line may end in LF alone
// ("\n\n" and "\n\r\n" end a head, as "\r\n\r\n" does). It returns
// where the head's last line ends and where the body begins.
func headEnd(b []byte, from int) (end, body int, ok bool) {
	for i := from; i < len(b); {
		k := bytes.IndexByte(b[i:], '\n')
		if k < 0 {
			return 0, 0, false
		}
		i += k
		switch {
		case i+1 < len(b) && b[i+1] == '\n':
			return i, i + 2, true
		case i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n':
			return i, i + 3, true
		}
		i++
	}
	return 0, 0, false
}

// feed takes a segment's payload in its direction and returns the
// message it completes, a partial marker, or nil when the segment is
// not HTTP.
func (st *httpState) feed(payload []byte) *HTTP {
	if st.head != nil {
		return st.body(payload)
	}
	if len(st.buf) == 0 && !looksHTTP(payload) {
		return nil
	}
	if len(st.buf) == 0 {
		st.segs = st.segs[:0]
	}
	st.segs = append(st.segs, tcpSeg{frame: st.frame, n: len(payload)})
	// The head's end is looked for in the new bytes only (and the two
	// before them), so a long head is not searched again and again.
	from := max(len(st.buf)-2, 0)
	st.buf = append(st.buf, payload...)
	end, body, ok := headEnd(st.buf, from)
	if !ok {
		if len(st.buf) > maxHead { // not HTTP after all, or hostile
			st.buf = nil
			return nil
		}
		return &HTTP{Partial: true}
	}
	m := parseHead(bytes.TrimSuffix(st.buf[:end], []byte("\r")))
	if m == nil {
		st.buf = nil
		return nil
	}
	m.head = bytes.Clone(st.buf[:body])
	m.toHead = !m.Request && st.toHead != nil && st.toHead()
	if extra := len(st.buf) - body - bodyLength(m); bodyLength(m) >= 0 && extra > 0 && len(st.segs) > 0 {
		// The segment carries more than this message: it takes its part.
		st.segs[len(st.segs)-1].n -= min(extra, st.segs[len(st.segs)-1].n)
	}
	st.head, st.need = m, bodyLength(m)
	st.buf = append(st.buf[:0], st.buf[body:]...)
	if st.need == untilChunks {
		return st.chunksDone()
	}
	if done := st.complete(); done != nil {
		return done
	}
	return &HTTP{Partial: true, FirstLine: m.FirstLine}
}

// chunksEnd reads a chunked body from its start in b: the chunks, each
// a size in hex (extensions after ';' ignored), CRLF, the data and
// CRLF; then the last chunk of size 0 and the trailer up to an empty
// line. It returns the chunks and where the body ends, or ok false while
// b holds only part of it. bad reports a size that is not hex, after
// which tshark stops reading chunks.
func chunksEnd(b []byte) (chunks []httpChunk, end int, ok, bad bool) {
	at := 0
	for {
		k := bytes.IndexByte(b[at:], '\n')
		if k < 0 {
			return chunks, 0, false, false
		}
		line := bytes.TrimRight(b[at:at+k], "\r")
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		size, err := strconv.ParseUint(string(bytes.TrimSpace(line)), 16, 31)
		if err != nil {
			return chunks, 0, false, true
		}
		data := at + k + 1
		if size == 0 {
			// The trailer: header lines up to an empty one.
			for i := data; ; {
				j := bytes.IndexByte(b[i:], '\n')
				if j < 0 {
					return chunks, 0, false, false
				}
				if len(bytes.TrimRight(b[i:i+j], "\r")) == 0 {
					return append(chunks, httpChunk{off: at}), i + j + 1, true, false
				}
				i += j + 1
			}
		}
		chunks = append(chunks, httpChunk{off: at, size: int(size)})
		next := data + int(size)
		if next+2 > len(b) {
			return chunks, 0, false, false
		}
		if b[next] == '\r' {
			next++
		}
		if b[next] == '\n' {
			next++
		}
		at = next
	}
}

// bodyLength says how many body bytes follow a head, or untilFIN.
func bodyLength(m *HTTP) int {
	switch {
	case m.toHead:
		return 0
	case m.chunked:
		return untilChunks
	case m.ContentLength >= 0 && m.ContentLength <= maxContentLength:
		return m.ContentLength
	case m.Request:
		return 0 // without a length a request has no body
	case m.Code/100 == 1 || m.Code == 204 || m.Code == 304:
		return 0
	}
	return untilFIN
}

// body takes a segment of the awaited body.
func (st *httpState) body(payload []byte) *HTTP {
	if st.need == untilChunks {
		return st.chunk(payload)
	}
	take := len(payload)
	if st.need != untilFIN {
		take = min(take, st.need-len(st.buf))
	}
	st.segs = append(st.segs, tcpSeg{frame: st.frame, n: take})
	st.buf = append(st.buf, payload[:take]...)
	if done := st.complete(); done != nil {
		if rest := payload[take:]; looksHTTP(rest) {
			st.buf = append(st.buf, rest...)
		}
		return done
	}
	return &HTTP{Partial: true}
}

// chunk takes a segment of an awaited chunked body.
func (st *httpState) chunk(payload []byte) *HTTP {
	st.segs = append(st.segs, tcpSeg{frame: st.frame, n: len(payload)})
	st.buf = append(st.buf, payload...)
	return st.chunksDone()
}

// maxChunked is how many bytes of a chunked body are gathered before the
// direction is taken for something else, or hostile.
const maxChunked = 64 << 20

// chunksDone completes the awaited chunked message once its last chunk
// is in; the last segment takes only its part of the bytes. Until then
// each segment shows the message's first line, as tshark dissects the
// message again with each segment it asks for. A chunk size that is not
// hex ends the body where the bytes end.
func (st *httpState) chunksDone() *HTTP {
	chunks, end, ok, bad := chunksEnd(st.buf)
	switch {
	case bad:
		end = len(st.buf)
	case !ok && len(st.buf) > maxChunked:
		st.head, st.buf, st.need = nil, nil, 0
		return nil
	case !ok:
		return &HTTP{Partial: true, FirstLine: st.head.FirstLine}
	}
	if last := &st.segs[len(st.segs)-1]; len(st.buf) > end {
		last.n -= min(len(st.buf)-end, last.n)
	}
	m := st.head
	m.raw = bytes.Clone(st.buf[:end])
	m.chunks = chunks
	for _, c := range chunks {
		if c.size > 0 {
			data := c.off + bytes.IndexByte(m.raw[c.off:], '\n') + 1
			m.Body = append(m.Body, m.raw[data:min(data+c.size, len(m.raw))]...)
		}
	}
	st.done(m)
	rest := st.buf[end:]
	st.head, st.need, st.buf = nil, 0, nil
	if looksHTTP(rest) {
		st.buf = append([]byte(nil), rest...)
	}
	return m
}

// complete returns the awaited message once its body is whole, and
// makes the state ready for the next message with the bytes after it.
func (st *httpState) complete() *HTTP {
	if st.need < 0 || len(st.buf) < st.need {
		return nil
	}
	m := st.head
	m.Body = append([]byte(nil), st.buf[:st.need]...)
	st.done(m)
	rest := st.buf[st.need:]
	st.head, st.need = nil, 0
	st.buf = nil
	if looksHTTP(rest) {
		st.buf = append([]byte(nil), rest...)
	}
	return m
}

// fin ends the direction: a body that runs until the connection closes
// is whole now, as tshark shows on the FIN's frame.
func (st *httpState) fin() *HTTP {
	if st.head == nil || st.need != untilFIN {
		return nil
	}
	m := st.head
	m.Body = st.buf
	st.segs = append(st.segs, tcpSeg{frame: st.frame})
	st.done(m)
	st.head, st.buf, st.need = nil, nil, 0
	return m
}

// done gives a whole message the segments it was gathered from, when
// there were more than one.
func (st *httpState) done(m *HTTP) {
	if len(st.segs) > 1 {
		m.segs = slices.Clone(st.segs)
	}
	st.segs = st.segs[:0]
}

// buffered is how many bytes the state holds.
func (st *httpState) buffered() int { return len(st.buf) }

func parseHead(head []byte) *HTTP {
	lines := strings.Split(string(head), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
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
		case "transfer-encoding":
			m.chunked = m.chunked || strings.Contains(strings.ToLower(h.Value), "chunked")
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
	if len(h.Body) == 0 || h.ContentType == "" || h.body == bodyData {
		return buf // the data dissector names no type
	}
	if h.JSON() {
		buf = append(buf, ", JavaScript Object Notation"...)
	}
	buf = append(buf, " ("...)
	buf = append(buf, h.MediaType()...)
	return append(buf, ')')
}

// httpDecoder reassembles the messages of each direction of each stream
// on an HTTP port, and numbers each connection's requests.
type httpDecoder struct {
	dirs  map[tcpDir]*httpState
	convs map[int]*httpConv // by TCP stream
	// The protocols' indexes in the table: HTTP's, and those of the
	// bodies tshark dissects further.
	http, json, text, media, data uint8
}

// httpConv is what one connection's messages refer to: its requests
// still unanswered, how many it has made, and the last of each kind.
type httpConv struct {
	waiting           []httpReq
	n                 int
	lastReq, lastResp int
}

// httpReq is a request awaiting its response.
type httpReq struct {
	num, frame, prev int
	at               time.Time
	uri, method      string
}

func newHTTPDecoder(r *registry) *httpDecoder {
	d := &httpDecoder{dirs: make(map[tcpDir]*httpState), convs: make(map[int]*httpConv)}
	for i, pr := range r.protos {
		switch pr.name {
		case "http":
			d.http = uint8(i)
		case "json":
			d.json = uint8(i)
		case "data-text-lines":
			d.text = uint8(i)
		case "media":
			d.media = uint8(i)
		case "data":
			d.data = uint8(i)
		}
	}
	return d
}

// decode takes a segment's payload, or a FIN, in its direction. A
// segment of a message still to be completed, or a payload that is not
// HTTP, is no HTTP layer of its own (tshark lists it under TCP alone);
// a message whose body tshark dissects further gets the body's layer.
func (d *httpDecoder) decode(b []byte, p *Packet) (selector, []byte, bool) {
	k := tcpDir{stream: p.TCP.Stream, from: netip.AddrPortFrom(p.Src, p.SrcPort)}
	st := d.dirs[k]
	if st == nil {
		st = new(httpState)
		stream := p.TCP.Stream
		st.toHead = func() bool {
			c := d.convs[stream]
			return c != nil && len(c.waiting) > 0 && c.waiting[0].method == "HEAD"
		}
		d.dirs[k] = st
	}
	st.frame = p.Number
	if len(b) > 0 {
		p.HTTP = st.feed(b)
	}
	if p.TCP.Has(FlagFIN) {
		if m := st.fin(); m != nil {
			p.HTTP = m
		}
	}
	h := p.HTTP
	if h == nil || h.Partial {
		if h != nil {
			p.TCP.Reassembling = true
		}
		if p.nlayers > 0 && p.layers[p.nlayers-1].proto == d.http {
			p.nlayers--
		}
		return selector{}, nil, h != nil
	}
	p.TCP.Reassembling = len(h.segs) > 0
	d.number(p)
	h.body = kindOf(h)
	for _, proto := range d.bodyLayers(h.body) {
		if proto == 0 || p.nlayers == 0 || p.nlayers >= maxLayers {
			continue
		}
		off := p.layers[p.nlayers-1].off
		if h.segs == nil && p.layers[p.nlayers-1].proto == d.http {
			off = uint16(min(int(off)+len(h.head), len(p.Data), 0xffff))
		}
		p.layers[p.nlayers] = layerAt{proto: proto, off: off}
		p.nlayers++
	}
	return selector{}, nil, true
}

// bodyLayers are the protocols that frame.protocols lists above HTTP
// for a body of the kind: JSON that is not JSON shows as text too.
func (d *httpDecoder) bodyLayers(k bodyKind) [2]uint8 {
	switch k {
	case bodyJSON:
		return [2]uint8{d.json}
	case bodyJSONText:
		return [2]uint8{d.json, d.text}
	case bodyText:
		return [2]uint8{d.text}
	case bodyData, bodyDataInside:
		return [2]uint8{d.data}
	case bodyMedia:
		return [2]uint8{d.media}
	}
	return [2]uint8{}
}

// number gives a whole message its place among its connection's
// requests and responses: a request its number, a response its
// request's (the oldest unanswered, as HTTP/1.1 answers in order).
func (d *httpDecoder) number(p *Packet) {
	h := p.HTTP
	c := d.convs[p.TCP.Stream]
	if c == nil {
		c = new(httpConv)
		d.convs[p.TCP.Stream] = c
	}
	if h.Request {
		c.n++
		h.num, h.total, h.prevReq = c.n, c.n, c.lastReq
		uri := h.URI
		if host, ok := h.Get("Host"); ok {
			uri = "http://" + host + h.URI
		}
		c.waiting = append(c.waiting, httpReq{num: c.n, frame: p.Number, prev: c.lastReq, at: p.Time, uri: uri, method: h.Method})
		c.lastReq = p.Number
		return
	}
	if len(c.waiting) > 0 {
		r := c.waiting[0]
		c.waiting = c.waiting[1:]
		h.num, h.total, h.prevReq, h.prevResp = r.num, c.n, r.prev, c.lastResp
		h.reqFrame, h.sinceReq, h.reqURI = r.frame, p.Time.Sub(r.at), r.uri
	}
	c.lastResp = p.Number
}

// httpColumn is the Protocol column: "HTTP", "HTTP/JSON" when tshark's
// JSON dissector reads the body, and "TCP" for a segment of a message
// still to be completed.
func httpColumn(p *Packet) string {
	switch {
	case p.HTTP.Partial:
		return TransportTCP.String()
	case p.HTTP.JSON():
		return "HTTP/JSON"
	}
	return "HTTP"
}

// httpInfo is the Info column of a whole message, or of a segment of one
// still to be completed: the first line once the head is in, else TCP's
// text, and TCP's mark.
func httpInfo(buf []byte, p *Packet) []byte {
	h := p.HTTP
	if !h.Partial {
		return appendHTTPInfo(buf, h)
	}
	if h.FirstLine != "" {
		buf = append(buf, h.FirstLine...)
		return append(buf, "  [TCP segment of a reassembled PDU]"...)
	}
	buf = tcpInfo(buf, p)
	return append(buf, " [TCP segment of a reassembled PDU]"...)
}

func isHTTP(p *Packet) bool { return p.HTTP != nil && !p.HTTP.Partial }

func isHTTPRequest(p *Packet) bool  { return isHTTP(p) && p.HTTP.Request }
func isHTTPResponse(p *Packet) bool { return isHTTP(p) && !p.HTTP.Request }

// header is an HTTP header as a field: present when the message has it.
func header(name string) fieldDef {
	return fieldDef{kind: KindString, fmt: fmtText, get: func(p *Packet, out []Value) []Value {
		if !isHTTP(p) {
			return out
		}
		if v, ok := p.HTTP.Get(name); ok {
			out = append(out, Value{S: v})
		}
		return out
	}}
}

func httpFields() []field {
	return []field{
		{"http.request", present(isHTTPRequest)},
		{"http.response", present(isHTTPResponse)},
		{"http.request.method", text(isHTTPRequest, func(p *Packet) string { return p.HTTP.Method })},
		{"http.request.uri", text(isHTTPRequest, func(p *Packet) string { return p.HTTP.URI })},
		{"http.request.version", text(isHTTPRequest, func(p *Packet) string { return p.HTTP.Version })},
		{"http.response.version", text(isHTTPResponse, func(p *Packet) string { return p.HTTP.Version })},
		{"http.response.code", dec(isHTTPResponse, func(p *Packet) uint64 { return uint64(p.HTTP.Code) })},
		{"http.response.phrase", text(isHTTPResponse, func(p *Packet) string { return p.HTTP.Phrase })},
		{"http.host", header("Host")},
		{"http.user_agent", header("User-Agent")},
		{"http.content_type", header("Content-Type")},
		{"http.content_length", fieldDef{kind: KindUint, fmt: fmtDec, get: func(p *Packet, out []Value) []Value {
			if isHTTP(p) && p.HTTP.ContentLength >= 0 {
				out = append(out, Value{U: uint64(p.HTTP.ContentLength)})
			}
			return out
		}}},
		{"http.location", header("Location")},
		{"http.server", header("Server")},
		{"http.connection", header("Connection")},
		{"http.authorization", header("Authorization")},
		{"http.file_data", fieldDef{kind: KindBytes, fmt: fmtEscaped, get: func(p *Packet, out []Value) []Value {
			if isHTTP(p) && len(p.HTTP.Body) > 0 {
				out = append(out, Value{B: p.HTTP.Body})
			}
			return out
		}}},
	}
}
