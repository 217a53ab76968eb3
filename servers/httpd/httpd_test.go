package httpd_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/servers/httpd"
)

const token = "0123456789abcdef0123456789abcdef01234567"

func start(t *testing.T) (*httpd.Server, *[]string) {
	t.Helper()
	var mu sync.Mutex
	logs := &[]string{}
	s := &httpd.Server{Net: netenv.Kernel{}, Token: token, Log: func(m, p string, st int) {
		mu.Lock()
		*logs = append(*logs, fmt.Sprintf("%s %s %d", m, p, st))
		mu.Unlock()
	}}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, logs
}

func TestPages(t *testing.T) {
	s, _ := start(t)
	base := "http://" + s.Addr().String()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		method, path, auth, body string
		code                     int
		has                      string
	}{
		{"GET", "/", "", "", 200, "Hello from wiretutor"},
		{"GET", "/old", "", "", 301, ""},
		{"GET", "/nope", "", "", 404, "404 Not Found"},
		{"GET", "/api/v1/user", "", "", 401, "token is required"},
		{"GET", "/api/v1/user", "token wrong", "", 401, "token is required"},
		{"GET", "/api/v1/user", "token " + token, "", 200, `"login":"student"`},
		{"GET", "/api/v1/user/repos", "token " + token, "", 200, `"name":"labs"`},
		{"POST", "/api/v1/user/repos", "token " + token, `{"name":"chat","description":"homework"}`, 201, `"full_name":"student/chat"`},
		{"POST", "/api/v1/user/repos", "token " + token, `{"name":"chat"}`, 409, "already exists"},
		{"POST", "/api/v1/user/repos", "token " + token, `not json`, 422, "must be JSON"},
		{"POST", "/api/v1/user/repos", "token " + token, `{"name":"` + strings.Repeat("x", 70000) + `"}`, 413, "too large"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, base+tt.path, strings.NewReader(tt.body))
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.code || !strings.Contains(string(body), tt.has) {
			t.Errorf("%s %s: %d %q", tt.method, tt.path, resp.StatusCode, body)
		}
		if tt.code == 301 && resp.Header.Get("Location") != "/" {
			t.Errorf("301 to %q", resp.Header.Get("Location"))
		}
	}
}

// TestByHand sends requests over a bare socket, as the lab did: HTTP/1.0
// closes after the answer; HTTP/1.1 keeps the connection for a second.
func TestByHand(t *testing.T) {
	s, _ := start(t)
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\nGET /old HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
	all, _ := io.ReadAll(c)
	if n := strings.Count(string(all), "HTTP/1.1 "); n != 2 || !strings.Contains(string(all), "301 Moved Permanently") {
		t.Errorf("two requests on one connection gave:\n%s", all)
	}
	c2, _ := net.Dial("tcp", s.Addr().String())
	defer c2.Close()
	c2.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprint(c2, "GET / HTTP/1.0\r\n\r\n")
	r := bufio.NewReader(c2)
	status, _ := r.ReadString('\n')
	rest, err := io.ReadAll(r) // HTTP/1.0: the server closes
	if !strings.HasPrefix(status, "HTTP/1.0 200") || err != nil || !strings.Contains(string(rest), "Hello") {
		t.Errorf("HTTP/1.0: %q %v", status, err)
	}
}

// TestSlowClients: 150 clients that dribble their headers do not keep a
// normal request from being served.
func TestSlowClients(t *testing.T) {
	s, _ := start(t)
	for range 150 {
		c, err := net.Dial("tcp", s.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + s.Addr().String() + "/")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("a normal request was starved: %v", err)
	}
	resp.Body.Close()
}

func TestTokenNeverLogged(t *testing.T) {
	s, logs := start(t)
	req, _ := http.NewRequest("GET", "http://"+s.Addr().String()+"/api/v1/user", nil)
	req.Header.Set("Authorization", "token "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var u httpd.User
	json.NewDecoder(resp.Body).Decode(&u)
	resp.Body.Close()
	if u.Login != "student" || len(*logs) != 1 || *logs != nil && strings.Contains((*logs)[0], token) {
		t.Errorf("user %+v, logs %q", u, *logs)
	}
}

// TestPythonClient: the lab's way, from Python: a redirect followed (by
// urllib, or requests where installed) and the API with the token taken
// from the environment.
func TestPythonClient(t *testing.T) {
	py := testenv.Python3(t)
	s, _ := start(t)
	base := "http://" + s.Addr().String()
	script := `import os, json
try:
    import requests
    r = requests.get("` + base + `/old")
    print(r.status_code, r.url, r.history[0].status_code)
    print(requests.get("` + base + `/api/v1/user", headers={"Authorization": "token " + os.environ["WIRETUTOR_API_TOKEN"]}).json()["login"])
except ImportError:
    import urllib.request
    r = urllib.request.urlopen("` + base + `/old")
    print(r.status, r.url, 301)
    req = urllib.request.Request("` + base + `/api/v1/user", headers={"Authorization": "token " + os.environ["WIRETUTOR_API_TOKEN"]})
    print(json.load(urllib.request.urlopen(req))["login"])
`
	cmd := exec.Command(py, "-c", script)
	cmd.Env = append(cmd.Environ(), httpd.TokenEnv+"="+token)
	out, err := cmd.CombinedOutput()
	if err != nil || string(out) != "200 "+base+"/ 301\nstudent\n" {
		t.Fatalf("%v: %s", err, out)
	}
}

// TestLogEscapes: control characters, invalid UTF-8 and a token in the
// URL reach the request log escaped or hidden, never raw.
func TestLogEscapes(t *testing.T) {
	s, logs := start(t)
	tests := []struct{ target, want string }{
		{"/%1b[31mred%1b[0m", `GET /\x1b[31mred\x1b[0m 404`},
		{"/a%00b%ffc%e2%80%aed%07", `GET /a\x00b\xffc\u202ed\a 404`},
		{"/back%5cslash%0d%0a", `GET /back\\slash\r\n 404`},
		{"/%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82 x", "GET /привет x 404"},
		{"/api/v1/" + token, "GET /api/v1/" + httpd.Redacted + " 404"},
	}
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, tt := range tests {
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", strings.ReplaceAll(tt.target, " ", "%20"))
	}
	fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	io.ReadAll(c)
	if len(*logs) != len(tests)+1 {
		t.Fatalf("logs %q", *logs)
	}
	for i, tt := range tests {
		if got := (*logs)[i]; got != tt.want {
			t.Errorf("GET %s logged as %q, want %q", tt.target, got, tt.want)
		}
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"/plain": "/plain", "\x1b[2J": `\x1b[2J`, "\xff\xfe": `\xff\xfe`, `a\b`: `a\\b`,
		"\u009b31m": `\u009b31m`, "tab\there": `tab\there`, "小明 Алиса": "小明 Алиса", "\u200b": `\u200b`,
	} {
		if got := httpd.Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPagesWorded: Pages words every page and API error, escaped as
// text; the fields left empty stay English, and Content-Length counts
// the bytes of what was worded, not its characters.
func TestPagesWorded(t *testing.T) {
	s := &httpd.Server{Net: netenv.Kernel{}, Token: token, Pages: httpd.Pages{
		Heading: "Привет от wiretutor",
		// API left English
		Intro:         "Эта страница пришла по HTTP <поверх> TCP.",
		NotFound:      "Такой страницы здесь нет.",
		NotFoundTitle: "404 — не найдено",
		TokenRequired: "нужен токен",
		RepoExists:    "такой репозиторий уже есть",
	}}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base := "http://" + s.Addr().String()
	for _, tt := range []struct {
		method, path, auth, body string
		code                     int
		has, hasNot              []string
	}{
		{"GET", "/", "", "", 200, []string{"<h1>Привет от wiretutor</h1>", "HTTP &lt;поверх&gt; TCP", `The API needs a token: <a href="/api/v1/user">/api/v1/user</a></p>`}, []string{"Hello from", "<поверх>"}},
		{"GET", "/nope", "", "", 404, []string{"<title>404 — не найдено</title>", "Такой страницы здесь нет."}, []string{"Not Found", "no such page"}},
		{"GET", "/api/v1/user", "", "", 401, []string{`"message":"нужен токен"`}, []string{"required"}},
		{"POST", "/api/v1/user/repos", "token " + token, `{"name":"labs"}`, 409, []string{`"message":"такой репозиторий уже есть"`}, []string{"exists"}},
		{"POST", "/api/v1/user/repos", "token " + token, `{"name":""}`, 422, []string{"name must be 1 to 100 characters"}, nil},
	} {
		req, _ := http.NewRequest(tt.method, base+tt.path, strings.NewReader(tt.body))
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.code {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.path, resp.StatusCode, tt.code)
		}
		for _, h := range tt.has {
			if !strings.Contains(string(body), h) {
				t.Errorf("%s %s: %q lacks %q", tt.method, tt.path, body, h)
			}
		}
		for _, h := range tt.hasNot {
			if strings.Contains(string(body), h) {
				t.Errorf("%s %s: %q has %q", tt.method, tt.path, body, h)
			}
		}
		if resp.ContentLength >= 0 && resp.ContentLength != int64(len(body)) {
			t.Errorf("%s %s: Content-Length %d for %d bytes", tt.method, tt.path, resp.ContentLength, len(body))
		}
	}
}

// TestAPILink: the home page's API sentence links the API's address
// where it names it, else at its end.
func TestAPILink(t *testing.T) {
	for _, tt := range []struct{ api, want string }{
		{"使用 API 需要令牌：" + httpd.APIPath + "。", `<p>使用 API 需要令牌：<a href="/api/v1/user">/api/v1/user</a>。</p>`},
		{"API & token:", `<p>API &amp; token: <a href="/api/v1/user">/api/v1/user</a></p>`},
	} {
		s := &httpd.Server{Net: netenv.Kernel{}, Pages: httpd.Pages{API: tt.api}}
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get("http://" + s.Addr().String() + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		s.Close()
		if !strings.Contains(string(body), tt.want) {
			t.Errorf("%q: the page is %q, want it to hold %q", tt.api, body, tt.want)
		}
	}
}
