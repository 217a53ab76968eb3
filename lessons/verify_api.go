package lessons

import (
	"context"
	"io"
	"strings"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/servers/httpd"
)

// tokenServerPeer is the lesson's Gitea-like API on port 8080, for a
// learner's client: its token is fresh for each run and reaches the
// program in the variable the lab keeps it in (httpd.TokenEnv), never
// on the screen.
func tokenServerPeer() course.Peer {
	return serving(course.Ports{TCP: []int{httpd.DefaultPort}}, func(ctx context.Context, n netenv.Net) (io.Closer, []string, error) {
		srv, token, err := startTokenAPI(ctx, n, httpd.Pages{}) // English: a peer is not told the learner's language
		if err != nil {
			return nil, nil, err
		}
		return srv, []string{httpd.TokenEnv + "=" + token}, nil
	})
}

// apiCall is one request of the learner's client and the answer to it.
type apiCall struct {
	req, resp httpHead
	frame     int // the request's first packet
	answer    int // the answer's first packet, -1 when none came
}

// apiCalls are the requests on every connection to the API, in order
// (one per connection, or several on one kept alive).
func apiCalls(e *course.Evidence) []apiCall {
	var out []apiCall
	for _, c := range labConns(e) {
		up, down := flowOf(e.Packets, c, true), flowOf(e.Packets, c, false)
		for off, doff := 0, 0; off < len(up.data); {
			req := headOf(&flow{data: up.data[off:]})
			if len(req.lines) == 0 || req.end < 0 {
				break
			}
			call := apiCall{req: req, answer: -1}
			call.frame, _ = up.at(off)
			if doff < len(down.data) {
				call.resp = headOf(&flow{data: down.data[doff:]})
				call.answer, _ = down.at(doff)
				if call.resp.end >= 0 {
					n := 0
					if v, ok := call.resp.header("Content-Length"); ok {
						n = atoiOr(v, 0)
					}
					doff += call.resp.end + n
				} else {
					doff = len(down.data)
				}
			}
			n := 0
			if v, ok := req.header("Content-Length"); ok {
				n = atoiOr(v, 0)
			}
			off += req.end + n
			out = append(out, call)
		}
	}
	return out
}

// apiSendsToken: the learner's client sends its token in the
// Authorization header, the way the API asks, and not in the URL,
// where servers' logs keep it.
func apiSendsToken(e *course.Evidence) course.Finding {
	d := map[string]any{"Port": httpd.DefaultPort, "Header": "Authorization: token …", "Env": httpd.TokenEnv}
	calls := apiCalls(e)
	if len(calls) == 0 {
		return found(false, "http.no_request", nil, d)
	}
	for _, c := range calls {
		line := strings.ToLower(c.req.lines[0])
		if strings.Contains(line, "token=") {
			d["Request"] = quoted([]byte(redactQuery(c.req.lines[0])), 60)
			return found(false, "api.token_in_url", &e.Packets[c.frame], d)
		}
	}
	for _, c := range calls {
		if v, ok := c.req.header("Authorization"); ok {
			scheme, _, _ := strings.Cut(v, " ")
			d["Scheme"] = quoted([]byte(scheme), 20)
			if !strings.EqualFold(scheme, "token") && !strings.EqualFold(scheme, "bearer") {
				return found(false, "api.scheme", &e.Packets[c.frame], d)
			}
			return found(true, "api.token_sent", &e.Packets[c.frame], d)
		}
	}
	return found(false, "api.no_token", &e.Packets[calls[0].frame], d)
}

// apiAuthorized: the API accepted a call of the learner's client (a 2xx
// answer to a request under /api/).
func apiAuthorized(e *course.Evidence) course.Finding {
	d := map[string]any{"Port": httpd.DefaultPort}
	calls := apiCalls(e)
	if len(calls) == 0 {
		return found(false, "http.no_request", nil, d)
	}
	var refused *apiCall
	for i, c := range calls {
		parts := strings.Fields(c.req.lines[0])
		if len(parts) < 2 || !strings.HasPrefix(parts[1], "/api/") || c.answer < 0 {
			continue
		}
		d["Request"] = quoted([]byte(redactQuery(c.req.lines[0])), 60)
		d["Status"] = quoted([]byte(first(c.resp.lines)), 50)
		switch code := c.resp.status(); {
		case code >= 200 && code < 300:
			return found(true, "api.authorized", &e.Packets[c.answer], d)
		case code == 401 && refused == nil:
			refused = &calls[i]
		}
	}
	if refused != nil {
		return found(false, "api.unauthorized", &e.Packets[refused.answer], d)
	}
	return found(false, "api.no_call", nil, d)
}

// redactQuery hides the value of a token in a request line's query:
// the grade is shown and saved, the token must not be.
func redactQuery(line string) string {
	lower := strings.ToLower(line)
	i := strings.Index(lower, "token=")
	if i < 0 {
		return line
	}
	j := i + len("token=")
	k := j
	for k < len(line) && line[k] != '&' && line[k] != ' ' {
		k++
	}
	return line[:j] + httpd.Redacted + line[k:]
}

// first is the first of lines, "" when none.
func first(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return lines[0]
}

// atoiOr is s as a number, or or when it is none.
func atoiOr(s string, or int) int {
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if r < '0' || r > '9' || n > 1<<30 {
			return or
		}
		n = n*10 + int(r-'0')
	}
	return n
}
