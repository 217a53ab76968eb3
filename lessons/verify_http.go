package lessons

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/servers/httpd"
	"wiretutor/servers/listen"
)

// httpServerPeer is the lab's web server on port 8080, for a learner's
// request written by hand. Its pages are English: a peer is not told
// the learner's language.
func httpServerPeer() course.Peer {
	return serving(course.Ports{TCP: []int{httpd.DefaultPort}}, func(ctx context.Context, n netenv.Net) (io.Closer, []string, error) {
		srv, err := startHTTP(ctx, n, "", httpd.Pages{})
		return srv, nil, err
	})
}

// httpBrowserPeer asks a learner's web server on port 8080 for / and
// for /old, one connection each, as a browser would.
func httpBrowserPeer() course.Peer {
	return course.Peer{
		Ports:  course.Ports{TCP: []int{httpd.DefaultPort}},
		Listen: []course.Listen{{Proto: "tcp", Port: httpd.DefaultPort}},
		Run: func(ctx context.Context, n netenv.Net, ready func(env ...string), say func(string)) error {
			ready()
			for _, path := range []string{"/", "/old"} {
				line, err := getOnce(ctx, n, path)
				if err != nil {
					say("GET " + path + ": " + err.Error())
					continue
				}
				say("GET " + path + " → " + quoted([]byte(line), 60))
			}
			return nil
		},
	}
}

// getOnce sends one GET on its own connection and reads the answer: its
// head, then Content-Length bytes of body, or to the server's close.
func getOnce(ctx context.Context, n netenv.Net, path string) (string, error) {
	addr := listen.Addr("", httpd.DefaultPort)
	c, err := n.Dial(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("connect to %s: %w", addr, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(peerWait))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, addr)
	r := bufio.NewReader(io.LimitReader(c, 1<<20))
	status, err := r.ReadString('\n')
	if err != nil {
		return strings.TrimSpace(status), err
	}
	length := -1
	for {
		h, err := r.ReadString('\n')
		if err != nil {
			return strings.TrimSpace(status), err
		}
		h = strings.TrimRight(h, "\r\n")
		if h == "" {
			break
		}
		if k, v, ok := strings.Cut(h, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "Content-Length") {
			length, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if length >= 0 {
		_, err = io.CopyN(io.Discard, r, int64(length))
	} else {
		_, err = io.Copy(io.Discard, r)
	}
	return strings.TrimSpace(status), err
}

// httpHead is an HTTP message's head as one side of a connection sent
// it: its lines, and where it ends in the flow (-1: it never ended).
type httpHead struct {
	lines []string
	end   int // offset of the body in the flow
}

// headOf reads the head at the start of a flow, accepting bare LF line
// ends (a check says whether they were CRLF).
func headOf(f *flow) httpHead {
	h := httpHead{end: -1}
	data := f.data
	for off := 0; off < len(data); {
		k := bytes.IndexByte(data[off:], '\n')
		if k < 0 {
			break
		}
		line := string(bytes.TrimRight(data[off:off+k], "\r"))
		off += k + 1
		if line == "" {
			h.end = off
			break
		}
		h.lines = append(h.lines, line)
	}
	return h
}

// header returns the value of a header of the head.
func (h httpHead) header(name string) (string, bool) {
	for _, l := range h.lines[min(1, len(h.lines)):] {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// httpRequestCRLF: the learner's request ends every line of its head
// with CR LF, as HTTP requires, and ends the head with an empty line.
func httpRequestCRLF(e *course.Evidence) course.Finding {
	d := map[string]any{"Port": httpd.DefaultPort}
	cv := firstConn(e)
	if cv == nil {
		return found(false, "client.no_syn", nil, d)
	}
	up := flowOf(e.Packets, cv.c, true)
	if len(up.data) == 0 {
		return found(false, "http.no_request", nil, d)
	}
	line := 1
	for off, b := range up.data {
		if b != '\n' {
			continue
		}
		if off == 0 || up.data[off-1] != '\r' {
			i, at := up.at(off)
			d["Line"], d["Byte"] = line, at
			return found(false, "http.bare_lf", &e.Packets[i], d)
		}
		if off >= 3 && string(up.data[off-3:off+1]) == "\r\n\r\n" {
			d["Request"] = quoted(up.data[:bytes.IndexByte(up.data, '\r')], 50)
			return found(true, "http.crlf", &e.Packets[up.frames[0]], d)
		}
		line++
	}
	return found(false, "http.head_unfinished", &e.Packets[up.frames[len(up.frames)-1]], d)
}

// httpRequestHost: the learner's request line is METHOD PATH VERSION,
// and an HTTP/1.1 request names the Host.
func httpRequestHost(e *course.Evidence) course.Finding {
	d := map[string]any{"Port": httpd.DefaultPort}
	cv := firstConn(e)
	if cv == nil {
		return found(false, "client.no_syn", nil, d)
	}
	up := flowOf(e.Packets, cv.c, true)
	h := headOf(up)
	if len(h.lines) == 0 {
		return found(false, "http.no_request", nil, d)
	}
	p := &e.Packets[up.frames[0]]
	parts := strings.Fields(h.lines[0])
	d["Request"] = quoted([]byte(h.lines[0]), 50)
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "HTTP/") {
		return found(false, "http.bad_request_line", p, d)
	}
	host, ok := h.header("Host")
	if !ok && parts[2] != "HTTP/1.0" {
		return found(false, "http.no_host", p, d)
	}
	d["Host"] = quoted([]byte(host), 40)
	return found(true, "http.host", p, d)
}

// answerFor finds the connection whose request asks for path, and the
// answer the server sent on it.
func answerFor(e *course.Evidence, path string) (req, resp *flow, ans httpHead, cv *connView) {
	for _, c := range labConns(e) {
		up := flowOf(e.Packets, c, true)
		if h := headOf(up); len(h.lines) > 0 && strings.HasPrefix(h.lines[0], "GET "+path+" ") {
			down := flowOf(e.Packets, c, false)
			return up, down, headOf(down), &connView{e: e, c: c}
		}
	}
	return nil, nil, httpHead{end: -1}, nil
}

// status is the status code of an answer's head, 0 when it has none.
func (h httpHead) status() int {
	if len(h.lines) == 0 {
		return 0
	}
	parts := strings.Fields(h.lines[0])
	if len(parts) < 2 || !strings.HasPrefix(parts[0], "HTTP/") {
		return 0
	}
	n, _ := strconv.Atoi(parts[1])
	return n
}

// answered finds the learner's server's answer to the lesson's GET of
// path and holds its status to want. When it is not that, fail is the
// finding that says so (ok false).
type answered struct {
	resp *flow
	ans  httpHead
	cv   *connView
	p    *dissect.Packet // the answer's first packet
	d    map[string]any
}

func answerWith(e *course.Evidence, path string, want int) (a answered, fail course.Finding, ok bool) {
	a.d = map[string]any{"Port": httpd.DefaultPort, "Path": path, "Want": want}
	req, resp, ans, cv := answerFor(e, path)
	switch {
	case req == nil:
		return a, found(false, "http.peer_no_request", nil, a.d), false
	case len(resp.frames) == 0 || len(ans.lines) == 0:
		return a, found(false, "http.no_answer", nil, a.d), false
	}
	a.resp, a.ans, a.cv, a.p = resp, ans, cv, &e.Packets[resp.frames[0]]
	a.d["Status"] = quoted([]byte(ans.lines[0]), 50)
	if ans.status() != want {
		return a, found(false, "http.status", a.p, a.d), false
	}
	return a, course.Finding{}, true
}

// httpAnswersGet: the learner's server answered GET / with 200 and a
// body whose end the client can find: a Content-Length that matches it,
// or the server's close.
func httpAnswersGet(e *course.Evidence) course.Finding {
	a, fail, ok := answerWith(e, "/", 200)
	if !ok {
		return fail
	}
	resp, ans, cv, p, d := a.resp, a.ans, a.cv, a.p, a.d
	body := 0
	if ans.end >= 0 {
		body = len(resp.data) - ans.end
	}
	d["Sent"] = body
	if v, ok := ans.header("Content-Length"); ok {
		n, err := strconv.Atoi(v)
		d["Said"] = v
		if err != nil || n != body {
			return found(false, "http.length_wrong", p, d)
		}
		return found(true, "http.answered", p, d)
	}
	if v, _ := ans.header("Transfer-Encoding"); strings.EqualFold(v, "chunked") {
		return found(true, "http.answered", p, d)
	}
	for _, i := range cv.c.Frames {
		q := &e.Packets[i]
		if !cv.c.FromClient(q) && q.TCP.Has(dissect.FlagFIN) && !e.AfterStop(i) {
			return found(true, "http.answered_close", p, d)
		}
	}
	return found(false, "http.no_length", p, d)
}

// httpRedirects: the learner's server answered GET /old with 301 and
// the page's new place (Location).
func httpRedirects(e *course.Evidence) course.Finding {
	a, fail, ok := answerWith(e, "/old", 301)
	if !ok {
		return fail
	}
	ans, p, d := a.ans, a.p, a.d
	loc, ok := ans.header("Location")
	if !ok {
		return found(false, "http.no_location", p, d)
	}
	d["Location"] = quoted([]byte(loc), 50)
	return found(true, "http.redirected", p, d)
}
