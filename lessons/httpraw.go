package lessons

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/servers/httpd"
)

// rawRequest is the request the learner sees written by hand, to the
// server at addr.
func rawRequest(addr string) string {
	return "GET / HTTP/1.1\r\nHost: " + addr + "\r\nConnection: close\r\n\r\n"
}

// httpRaw sends HTTP requests by hand: a 301, a 200 on keep-alive, and
// an HTTP/1.0 request.
func httpRaw() course.Script {
	return course.Script{Run: httpRawExchange, Done: func(pkts []dissect.Packet) bool { return httpDone(pkts, 4) }, Focus: firstHandshake, Facts: httpRawFacts}
}

// httpDone reports whether the capture holds n HTTP responses and every
// connection has ended.
func httpDone(pkts []dissect.Packet, n int) bool {
	responses, syns, ends := 0, 0, 0
	for i := range pkts {
		p := &pkts[i]
		if p.Transport != dissect.TransportTCP {
			continue
		}
		if p.HTTP != nil && !p.HTTP.Partial && !p.HTTP.Request {
			responses++
		}
		if p.TCP.Has(dissect.FlagSYN) && !p.TCP.Has(dissect.FlagACK) {
			syns++
		}
		if p.TCP.Has(dissect.FlagFIN) || p.TCP.Has(dissect.FlagRST) {
			ends++
		}
	}
	return responses >= n && ends >= 2*syns
}

// startHTTP starts the web server on the lab's port, its pages in the
// words of pages (English when empty).
func startHTTP(ctx context.Context, n netenv.Net, token string, pages httpd.Pages) (*httpd.Server, error) {
	srv := &httpd.Server{Net: n, Port: httpd.DefaultPort, Token: token, Pages: pages}
	if err := srv.Start(ctx); err != nil {
		return nil, err
	}
	return srv, nil
}

// HTTPPages words the web server's pages and its API's errors in the
// learner's language; every count the lesson asks about comes from the
// capture, never from these words.
func HTTPPages(tx quiz.Texts) httpd.Pages {
	return httpd.Pages{
		Heading:       tx.T("http.page.heading", nil),
		Intro:         tx.T("http.page.intro", nil),
		API:           tx.T("http.page.api", map[string]any{"Path": httpd.APIPath}),
		NotFound:      tx.T("http.page.not_found", nil),
		NotFoundTitle: tx.T("http.page.not_found_title", nil),
		TokenRequired: tx.T("http.page.token_required", nil),
		TooLarge:      tx.T("http.page.too_large", nil),
		NotJSON:       tx.T("http.page.not_json", nil),
		BadName:       tx.T("http.page.bad_name", nil),
		RepoExists:    tx.T("http.page.repo_exists", nil),
	}
}

// httpClient is an HTTP client that dials through the lesson's network.
func httpClient(n netenv.Net) *http.Client {
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{DialContext: n.Dial, DisableCompression: true},
	}
}

var tags = regexp.MustCompile(`<[^>]*>`)

func httpRawExchange(ctx context.Context, n netenv.Net, h course.Hooks) error {
	srv, err := startHTTP(ctx, n, "", HTTPPages(words(h)))
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := h.Ready(course.Ports{TCP: []int{httpd.DefaultPort}}); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	addr := srv.Addr().String()

	// 1. By hand, over a bare TCP socket; the terminal browser shows it.
	c, err := n.Dial(ctx, "tcp", addr)
	if err != nil {
		return failed("http_connect", nil, err)
	}
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, rawRequest(addr))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		c.Close()
		return failed("http_answer", nil, err)
	}
	body, _ := io.ReadAll(resp.Body)
	c.Close()
	h.Say(resp.Proto + " " + resp.Status)
	for _, k := range []string{"Content-Type", "Content-Length", "Date"} {
		if v := resp.Header.Get(k); v != "" {
			h.Say(k + ": " + v)
		}
	}
	h.Say("")
	for _, line := range strings.Split(tags.ReplaceAllString(string(body), ""), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			h.Say("  " + line)
		}
	}
	time.Sleep(20 * time.Millisecond)

	// 2. A library: GET /old, the 301 followed on the same connection.
	cl := httpClient(n)
	r2, err := cl.Get("http://" + addr + "/old")
	if err != nil {
		return failed("http_request", map[string]any{"Method": "GET", "Path": "/old"}, err)
	}
	io.Copy(io.Discard, r2.Body)
	r2.Body.Close()
	cl.CloseIdleConnections()
	time.Sleep(20 * time.Millisecond)

	// 3. HTTP/1.0: one request, then the server closes.
	c, err = n.Dial(ctx, "tcp", addr)
	if err != nil {
		return failed("http_connect", nil, err)
	}
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "GET / HTTP/1.0\r\n\r\n")
	io.Copy(io.Discard, c)
	c.Close()
	return nil
}

// httpMessages lists the indexes of complete HTTP messages in order.
func httpMessages(c *quiz.Capture, request bool) []int {
	var out []int
	for i := range c.Packets {
		if h := c.Packets[i].HTTP; h != nil && !h.Partial && h.Request == request {
			out = append(out, i)
		}
	}
	return out
}

// ackAfter returns the first packet after i, in the other direction of
// the same stream, that acknowledges all of packet i; or -1.
func ackAfter(c *quiz.Capture, i int) int {
	p := &c.Packets[i]
	for j := i + 1; j < len(c.Packets); j++ {
		q := &c.Packets[j]
		if q.Transport == dissect.TransportTCP && q.TCP.Stream == p.TCP.Stream && q.SrcPort == p.DstPort &&
			q.TCP.Has(dissect.FlagACK) && int32(q.TCP.Ack-p.TCP.NextSeq) >= 0 {
			return j
		}
	}
	return -1
}

// spelled is a message's bytes as the lesson's indented code block
// shows them: each line on its own, its CR LF (or LF) spelled out.
func spelled(b []byte) string {
	s := strings.ReplaceAll(string(b), "\r\n", `\r\n`+"\x00")
	s = strings.ReplaceAll(s, "\n", `\n`+"\x00")
	return strings.TrimRight(strings.ReplaceAll(s, "\x00", "\n    "), " \n")
}

func httpRawFacts(c *quiz.Capture, _ quiz.Texts) map[string]any {
	f := map[string]any{"Raw": "", "RedirectBody": ""}
	reqs, resps := httpMessages(c, true), httpMessages(c, false)
	if len(reqs) > 0 {
		p := &c.Packets[reqs[0]]
		// What the client wrote, from the capture.
		f["Port"], f["Raw"] = p.DstPort, spelled(p.Payload)
	}
	conns := map[int]bool{}
	for i := range c.Packets {
		if c.Packets[i].Transport == dissect.TransportTCP {
			conns[c.Packets[i].TCP.Stream] = true
		}
	}
	f["Connections"], f["Requests"] = len(conns), len(reqs)
	if len(reqs) > 0 {
		p := &c.Packets[reqs[0]]
		f["ReqFrame"], f["ReqLen"] = p.Number, p.TCP.Len
		if j := ackAfter(c, reqs[0]); j >= 0 {
			f["ReqAckFrame"], f["ReqAck"] = c.Packets[j].Number, c.Packets[j].TCP.Ack
		}
	}
	if len(resps) > 0 {
		p := &c.Packets[resps[0]]
		f["RespFrame"], f["RespLine"], f["RespLength"] = p.Number, p.HTTP.FirstLine, p.HTTP.ContentLength
	}
	if i := redirect(c); i >= 0 {
		p := &c.Packets[i]
		loc, _ := p.HTTP.Get("Location")
		f["RedirectFrame"], f["Location"], f["RedirectStream"] = p.Number, loc, p.TCP.Stream
		f["RedirectBody"], f["RedirectLength"] = spelled(p.HTTP.Body), p.HTTP.ContentLength
	}
	for _, i := range reqs {
		if p := &c.Packets[i]; p.HTTP.Version == "HTTP/1.0" {
			f["OldFrame"], f["OldStream"] = p.Number, p.TCP.Stream
		}
	}
	return f
}

// redirect returns the index of the first 301 answer, or -1.
func redirect(c *quiz.Capture) int {
	for _, i := range httpMessages(c, false) {
		if c.Packets[i].HTTP.Code == 301 {
			return i
		}
	}
	return -1
}

// requestLen asks how many bytes the first request takes on the wire:
// its characters, and two for each line's CR LF.
func requestLen(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	reqs := httpMessages(c, true)
	if len(reqs) == 0 {
		return nil, false
	}
	p := &c.Packets[reqs[0]]
	return quiz.FieldQuestion("http-request-len", p, "tcp.len", quiz.KindNumber, tx, "http_request_len",
		map[string]any{"Frame": p.Number, "Line": p.HTTP.FirstLine, "Len": p.TCP.Len, "Lines": strings.Count(string(p.Payload), "\r\n")}), true
}

// requestAck asks for the Ack that acknowledged the first request.
func requestAck(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	reqs := httpMessages(c, true)
	if len(reqs) == 0 {
		return nil, false
	}
	j := ackAfter(c, reqs[0])
	if j < 0 {
		return nil, false
	}
	p, q := &c.Packets[reqs[0]], &c.Packets[j]
	return quiz.FieldQuestion("http-request-ack", q, "tcp.ack", quiz.KindNumber, tx, "http_request_ack",
		map[string]any{"ReqFrame": p.Number, "Seq": p.TCP.Seq, "Len": p.TCP.Len, "Frame": q.Number, "Ack": q.TCP.Ack}), true
}

// answerLen asks for the length of the first answer, which the packet
// list does not show: the Seq of the server's next packet on that
// connection less its own.
func answerLen(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	resps := httpMessages(c, false)
	if len(resps) == 0 {
		return nil, false
	}
	i := resps[0]
	p := &c.Packets[i]
	for j := i + 1; j < len(c.Packets); j++ {
		q := &c.Packets[j]
		if q.Transport != dissect.TransportTCP || q.TCP.Stream != p.TCP.Stream || q.SrcPort != p.SrcPort {
			continue
		}
		if q.TCP.Seq != p.TCP.NextSeq || p.TCP.Has(dissect.FlagFIN) {
			return nil, false // a FIN in between would count one more
		}
		d := map[string]any{"Frame": p.Number, "Line": p.HTTP.FirstLine, "Seq": p.TCP.Seq, "Len": p.TCP.Len, "NextFrame": q.Number, "NextSeq": q.TCP.Seq}
		a := quiz.FieldQuestion("http-answer-len", p, "tcp.len", quiz.KindNumber, tx, "http_answer_len", d)
		a.Clue = tx.T("quiz.http_answer_len.clue", d) // the list shows no tcp.len to read
		return a, true
	}
	return nil, false
}

// redirectCode asks for the status of the answer to GET /old.
func redirectCode(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i := redirect(c)
	if i < 0 {
		return nil, false
	}
	p := &c.Packets[i]
	loc, _ := p.HTTP.Get("Location")
	return quiz.FieldQuestion("http-status", p, "http.response.code", quiz.KindNumber, tx, "http_redirect",
		map[string]any{"Frame": p.Number, "Code": p.HTTP.Code, "Location": loc, "Path": "/old"}), true
}

// contentLength asks for the Content-Length of the 301, whose short
// body the lesson shows: the learner counts its bytes.
func contentLength(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i := redirect(c)
	if i < 0 {
		return nil, false
	}
	p := &c.Packets[i]
	if p.HTTP.ContentLength < 0 {
		return nil, false
	}
	nl := strings.Count(string(p.HTTP.Body), "\n")
	return quiz.FieldQuestion("http-content-length", p, "http.content_length", quiz.KindNumber, tx, "http_content_length",
		map[string]any{"Frame": p.Number, "Length": p.HTTP.ContentLength, "Body": len(p.HTTP.Body), "Code": p.HTTP.Code,
			"Newlines": nl, "Rest": len(p.HTTP.Body) - nl}), true
}

// http10Request returns the index of the HTTP/1.0 request, or -1.
func http10Request(c *quiz.Capture) int {
	for _, i := range httpMessages(c, true) {
		if c.Packets[i].HTTP.Version == "HTTP/1.0" {
			return i
		}
	}
	return -1
}

// http10Stream asks on which connection (tcp.stream) the HTTP/1.0
// request went: counting connections.
func http10Stream(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i := http10Request(c)
	if i < 0 {
		return nil, false
	}
	p := &c.Packets[i]
	return quiz.FieldQuestion("http-connections", p, "tcp.stream", quiz.KindNumber, tx, "http_stream",
		map[string]any{"Frame": p.Number, "Stream": p.TCP.Stream, "Count": p.TCP.Stream + 1}), true
}

// keepAliveWhatIf asks on which connection the HTTP/1.0 request would
// have gone had the library not kept its connection alive: one more
// opens before it.
func keepAliveWhatIf(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	i := http10Request(c)
	if i < 0 || redirect(c) < 0 {
		return nil, false
	}
	p, r := &c.Packets[i], &c.Packets[redirect(c)]
	return quiz.FieldQuestion("http-whatif-stream", p, "tcp.stream", quiz.KindNumber, tx, "http_whatif_stream",
		map[string]any{"Frame": p.Number, "Stream": p.TCP.Stream, "NewStream": p.TCP.Stream + 1, "LibStream": r.TCP.Stream}).WhatIf(1), true
}
