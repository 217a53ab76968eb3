package lessons

import (
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

// repoName is the repository the lesson creates.
const repoName = "wiretutor-notes"

// httpToken calls the API with and without its token, which crosses
// the network in the clear.
func httpToken() course.Script {
	return course.Script{
		Run:    tokenExchange,
		Done:   func(pkts []dissect.Packet) bool { return httpDone(pkts, 4) },
		Focus:  firstHandshake,
		Facts:  tokenFacts,
		Secret: true, // the capture holds the API token in the clear
	}
}

// startTokenAPI starts the lesson's API on the lab's port with a fresh
// token, its pages in the words of pages.
func startTokenAPI(ctx context.Context, n netenv.Net, pages httpd.Pages) (*httpd.Server, string, error) {
	token, err := httpd.NewToken()
	if err != nil {
		return nil, "", err
	}
	srv, err := startHTTP(ctx, n, token, pages)
	return srv, token, err
}

// tokenExchange calls the API four times on one keep-alive connection:
// without the token, with it, to create a repository, to list them.
func tokenExchange(ctx context.Context, n netenv.Net, h course.Hooks) error {
	srv, token, err := startTokenAPI(ctx, n, HTTPPages(words(h)))
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := h.Ready(course.Ports{TCP: []int{httpd.DefaultPort}}); err != nil {
		return err
	}
	base := "http://" + srv.Addr().String()
	cl := httpClient(n)
	defer cl.CloseIdleConnections()
	call := func(method, path, auth, body string) error {
		req, err := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
		if err != nil {
			return err
		}
		if auth != "" {
			req.Header.Set("Authorization", "token "+auth)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := cl.Do(req)
		if err != nil {
			return failed("http_request", map[string]any{"Method": method, "Path": path}, err)
		}
		// Nothing is said of the answer: the learner predicts the
		// methods and the status codes before the capture is shown.
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil
	}
	for _, c := range []struct{ method, path, auth, body string }{
		{"GET", "/api/v1/user", "", ""},
		{"GET", "/api/v1/user", token, ""},
		{"POST", "/api/v1/user/repos", token, `{"name":"` + repoName + `","description":"made in the lesson"}`},
		{"GET", "/api/v1/user/repos", token, ""},
	} {
		if err := call(c.method, c.path, c.auth, c.body); err != nil {
			return err
		}
	}
	cl.CloseIdleConnections()
	time.Sleep(20 * time.Millisecond)
	return nil
}

func tokenFacts(c *quiz.Capture, _ quiz.Texts) map[string]any {
	f := map[string]any{"Env": httpd.TokenEnv, "Repo": repoName}
	reqs, resps := httpMessages(c, true), httpMessages(c, false)
	if len(reqs) > 0 {
		f["Port"] = c.Packets[reqs[0]].DstPort
	}
	if len(resps) > 1 {
		f["Code1"], f["Frame1"] = c.Packets[resps[0]].HTTP.Code, c.Packets[resps[0]].Number
		f["Code2"], f["Frame2"] = c.Packets[resps[1]].HTTP.Code, c.Packets[resps[1]].Number
	}
	for _, i := range reqs {
		p := &c.Packets[i]
		if a, ok := p.HTTP.Get("Authorization"); ok {
			if _, seen := f["TokenFrame"]; !seen {
				f["TokenFrame"], f["Authorization"], f["Stream"] = p.Number, a, p.TCP.Stream
			}
		}
	}
	if p := createRequest(c); p != nil {
		f["CreateFrame"], f["CreateLine"], f["CreateLength"] = p.Number, p.HTTP.FirstLine, p.HTTP.ContentLength
		if r := responseTo(c, p); r != nil {
			f["CreatedFrame"], f["CreatedCode"] = r.Number, r.HTTP.Code
		}
	}
	return f
}

func nthResponse(c *quiz.Capture, n int) *dissect.Packet {
	if r := httpMessages(c, false); len(r) > n {
		return &c.Packets[r[n]]
	}
	return nil
}

// statusWithout asks for the status of the call without a token.
func statusWithout(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	p := nthResponse(c, 0)
	if p == nil {
		return nil, false
	}
	return quiz.FieldQuestion("api-status-no-token", p, "http.response.code", quiz.KindNumber, tx, "api_status_without",
		map[string]any{"Frame": p.Number, "Code": p.HTTP.Code}), true
}

// statusWith asks for the status of the same call with the token.
func statusWith(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	p := nthResponse(c, 1)
	if p == nil {
		return nil, false
	}
	return quiz.FieldQuestion("api-status-token", p, "http.response.code", quiz.KindNumber, tx, "api_status_with",
		map[string]any{"Frame": p.Number, "Code": p.HTTP.Code}), true
}

// tokenFrame asks which frame carries the token first.
func tokenFrame(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	for _, i := range httpMessages(c, true) {
		p := &c.Packets[i]
		if _, ok := p.HTTP.Get("Authorization"); ok {
			q := quiz.FieldQuestion("api-token-frame", p, "frame.number", quiz.KindNumber, tx, "api_token_frame",
				map[string]any{"Frame": p.Number, "Line": p.HTTP.FirstLine})
			q.Clue = tx.T("quiz.api_token_frame.clue", nil) // the list shows no token to look for
			return q, true
		}
	}
	return nil, false
}

func createRequest(c *quiz.Capture) *dissect.Packet {
	for _, i := range httpMessages(c, true) {
		if p := &c.Packets[i]; p.HTTP.Method == "POST" {
			return p
		}
	}
	return nil
}

// createMethod asks for the method of the request that made the repository.
func createMethod(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	p := createRequest(c)
	if p == nil {
		return nil, false
	}
	return quiz.FieldQuestion("api-create-method", p, "http.request.method", quiz.KindText, tx, "api_create_method",
		map[string]any{"Frame": p.Number, "Method": p.HTTP.Method}), true
}

// responseTo returns the first complete response after the request p
// on its connection: on a keep-alive connection each answer follows its
// request.
func responseTo(c *quiz.Capture, p *dissect.Packet) *dissect.Packet {
	for _, i := range httpMessages(c, false) {
		if r := &c.Packets[i]; r.Number > p.Number && r.TCP.Stream == p.TCP.Stream {
			return r
		}
	}
	return nil
}

// createStatus asks for the status of the answer to the create call.
func createStatus(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	p := createRequest(c)
	if p == nil {
		return nil, false
	}
	r := responseTo(c, p)
	if r == nil {
		return nil, false
	}
	return quiz.FieldQuestion("api-create-status", r, "http.response.code", quiz.KindNumber, tx, "api_create_status",
		map[string]any{"Frame": r.Number, "RequestFrame": p.Number, "Code": r.HTTP.Code, "Phrase": r.HTTP.Phrase}), true
}

// otherRepoName is the name of the create call's what-if.
const otherRepoName = "lab-notes"

// repoNameRE finds the repository's name in the create call's JSON body.
var repoNameRE = regexp.MustCompile(`"name"\s*:\s*"([^"\\]*)"`)

// createLength asks what Content-Length the create call would have
// carried had the repository been called otherRepoName: the body's
// bytes, the name's difference added.
func createLength(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	p := createRequest(c)
	if p == nil || p.HTTP.ContentLength < 0 {
		return nil, false
	}
	m := repoNameRE.FindSubmatch(p.HTTP.Body)
	if m == nil || string(m[1]) == otherRepoName {
		return nil, false
	}
	name := string(m[1])
	diff := len(otherRepoName) - len(name)
	q := quiz.FieldQuestion("api-create-length", p, "http.content_length", quiz.KindNumber, tx, "api_create_length",
		map[string]any{"Frame": p.Number, "Length": p.HTTP.ContentLength, "Name": name, "NameLen": len(name),
			"Other": otherRepoName, "OtherLen": len(otherRepoName), "Answer": p.HTTP.ContentLength + diff})
	return q.WhatIf(int64(diff)), true
}
