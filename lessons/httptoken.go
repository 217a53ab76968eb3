package lessons

import (
	"context"
	"fmt"
	"io"
	"net/http"
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

// tokenExchange calls the API four times on one keep-alive connection:
// without the token, with it, to create a repository, to list them.
func tokenExchange(ctx context.Context, n netenv.Net, h course.Hooks) error {
	token, err := httpd.NewToken()
	if err != nil {
		return err
	}
	srv, err := startHTTP(ctx, n, token)
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
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		h.Say(method + " " + path + " → " + resp.Status)
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
		f["Code2"] = c.Packets[resps[1]].HTTP.Code
	}
	for _, i := range reqs {
		p := &c.Packets[i]
		if a, ok := p.HTTP.Get("Authorization"); ok {
			if _, seen := f["TokenFrame"]; !seen {
				f["TokenFrame"], f["Authorization"], f["Stream"] = p.Number, a, p.TCP.Stream
			}
		}
		if p.HTTP.Method == "POST" {
			f["CreateFrame"], f["CreateLine"] = p.Number, p.HTTP.FirstLine
		}
	}
	for _, i := range resps {
		if p := &c.Packets[i]; p.HTTP.Code == 201 {
			f["CreatedFrame"] = p.Number
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
			return quiz.FieldQuestion("api-token-frame", p, "frame.number", quiz.KindNumber, tx, "api_token_frame",
				map[string]any{"Frame": p.Number, "Line": p.HTTP.FirstLine}), true
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

// createURI asks for its path.
func createURI(c *quiz.Capture, tx quiz.Texts) (*quiz.Question, bool) {
	p := createRequest(c)
	if p == nil {
		return nil, false
	}
	return quiz.FieldQuestion("api-create-path", p, "http.request.uri", quiz.KindText, tx, "api_create_path",
		map[string]any{"Frame": p.Number, "URI": p.HTTP.URI}), true
}
