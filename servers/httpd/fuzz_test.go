package httpd

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"unicode"

	"wiretutor/engine/testkit/testenv"
)

// fuzzToken is the token of the committed HTTP captures.
const fuzzToken = "dummy-token-for-tests"

// clientBytes returns what the client sent in a committed capture, from
// its tshark "follow,raw" listing: each request on its own, and the
// whole stream.
func clientBytes(t testing.TB, name string) [][]byte {
	b, err := os.ReadFile(testenv.Testdata(name))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	var all []byte
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "\t") {
			continue
		}
		p, err := hex.DecodeString(l)
		if err != nil {
			continue // the listing's header
		}
		out = append(out, p)
		all = append(all, p...)
	}
	return append(out, all)
}

// FuzzHandler feeds arbitrary bytes through the server's handler as
// HTTP/1.1 requests: it must not panic, answer with a status it can
// give, and log each request once, printable and without the token.
func FuzzHandler(f *testing.F) {
	for _, name := range []string{"http-api.follow-raw.txt", "http-python.follow-raw.txt"} {
		for _, seed := range clientBytes(f, name) {
			f.Add(seed)
		}
	}
	f.Add([]byte("GET /%1b[31m" + fuzzToken + "%ff HTTP/1.1\r\nHost: x\r\n\r\n"))
	f.Add([]byte("GET /old HTTP/1.0\r\n\r\nGET /api/v1/user/repos HTTP/1.1\r\nAuthorization: Bearer " + fuzzToken + "\r\n\r\n"))
	f.Add([]byte("POST /api/v1/user/repos HTTP/1.1\r\nAuthorization: token " + fuzzToken + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"nam\r\n0\r\n\r\n"))
	allowed := map[int]bool{200: true, 201: true, 301: true, 307: true, 308: true, 400: true, 401: true, 404: true, 405: true, 409: true, 413: true, 422: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		var logged []string
		s := &Server{Token: fuzzToken, repos: []Repo{{ID: 1, Name: "labs", FullName: "student/labs"}},
			Log: func(method, path string, status int) { logged = append(logged, method+" "+path) }}
		h := s.routes()
		r := bufio.NewReader(bytes.NewReader(data))
		for n := 1; n <= 8; n++ {
			req, err := http.ReadRequest(r)
			if err != nil {
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			io.Copy(io.Discard, req.Body)
			if !allowed[rec.Code] {
				t.Fatalf("%s %q: status %d", req.Method, req.URL, rec.Code)
			}
			if len(logged) != n {
				t.Fatalf("%d requests, %d log lines", n, len(logged))
			}
			line := logged[n-1]
			if strings.Contains(line, fuzzToken) {
				t.Fatalf("the token was logged: %q", line)
			}
			for _, c := range line {
				if !unicode.IsGraphic(c) {
					t.Fatalf("log line %q holds %U", line, c)
				}
			}
		}
	})
}
