// Package httpd is the course's web server: a small HTML site (with a
// page that moved, answered by 301) and a Gitea-like JSON API that needs
// a token, as in the HTTP part of the sockets lab. The token is compared
// in constant time and never logged.
package httpd

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"wiretutor/servers/listen"
)

// DefaultPort is the lab's HTTP port.
const DefaultPort = 8080

// TokenEnv is the environment variable the token comes from.
const TokenEnv = "WIRETUTOR_API_TOKEN"

// MaxBody caps a request body.
const MaxBody = 64 << 10

// Network is what the server listens on (netenv.Net satisfies it).
type Network interface {
	Listen(ctx context.Context, network, address string) (net.Listener, error)
}

// NewToken makes a fresh random token: 40 hex digits, like Gitea's.
func NewToken() (string, error) { return NewTokenFrom(rand.Reader) }

// NewTokenFrom makes a token of 40 hex digits from the random bytes of
// r: a seeded network's (see Clocked), so that a seeded lesson's
// capture, token included, is the same on every run.
func NewTokenFrom(r io.Reader) (string, error) {
	b := make([]byte, 20)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("make a token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// Clocked is a Network with a clock of its own (a seeded sandbox's):
// the server's Date headers then come from it, not from the system.
type Clocked interface {
	Now() time.Time
}

// Repo is a repository of the API.
type Repo struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	FullName    string `json:"full_name"`
	Description string `json:"description"`
	Private     bool   `json:"private"`
}

// User is the API's one user.
type User struct {
	ID    int    `json:"id"`
	Login string `json:"login"`
	Email string `json:"email"`
}

// Server is the web server. Set the fields, then Start.
type Server struct {
	Net   Network
	Host  string // 127.0.0.1 when empty
	Port  int    // 0 picks a free port
	Token string // required by the API; empty refuses every API call
	// Log, if set, receives one line per request: method, path, status.
	// Method and path come escaped (see Printable), so control
	// characters from the URL cannot reach a terminal; the Authorization
	// header never reaches it, nor the token where a path holds it.
	Log func(method, path string, status int)

	ln    net.Listener
	srv   *http.Server
	mu    sync.Mutex
	repos []Repo
	done  chan struct{}
}

// Start listens and serves in the background until Close.
func (s *Server) Start(ctx context.Context) error {
	ln, err := listen.TCP(ctx, s.Net, s.Host, s.Port)
	if err != nil {
		return err
	}
	s.ln = ln
	s.repos = []Repo{{ID: 1, Name: "labs", FullName: "student/labs", Description: "network programming labs"}}
	s.srv = &http.Server{
		Handler: s.routes(),
		// A client that dribbles its headers is cut off, so 150 of them
		// cannot starve a normal request.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		s.srv.Serve(ln)
	}()
	return nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close stops the server and closes every connection.
func (s *Server) Close() error {
	err := s.srv.Close()
	<-s.done
	return err
}

// statusWriter remembers the status for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Redacted stands for the token where a logged path held it.
const Redacted = "***"

// Printable makes s safe to print on a terminal: control characters,
// invalid UTF-8 and other runes that are not graphic become Go escapes
// (\x1b, \xff, \u200b, as %q writes them) and a backslash is doubled,
// so what is shown says exactly what was sent; the rest, spaces and
// letters of any script included, stays as it is.
func Printable(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case unicode.IsGraphic(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRune(r) // '\x1b', '\u200b'
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
	}
	return b.String()
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /api/v1/user", s.auth(s.user))
	mux.HandleFunc("GET /api/v1/user/repos", s.auth(s.listRepos))
	mux.HandleFunc("POST /api/v1/user/repos", s.auth(s.createRepo))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, notFoundPage)
	})
	clock, _ := s.Net.(Clocked)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if clock != nil {
			w.Header().Set("Date", clock.Now().UTC().Format(http.TimeFormat))
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		mux.ServeHTTP(sw, r)
		if s.Log != nil {
			path := r.URL.Path
			if s.Token != "" {
				path = strings.ReplaceAll(path, s.Token, Redacted)
			}
			s.Log(Printable(r.Method), Printable(path), sw.status)
		}
	})
}

const homePage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>wiretutor</title></head>
<body><h1>Hello from wiretutor</h1>
<p>This page came to you over HTTP, on top of TCP.</p>
<p><a href="/api/v1/user">The API</a> needs a token.</p>
</body></html>
`

const notFoundPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>404 Not Found</title></head>
<body><h1>404 Not Found</h1><p>There is no such page here.</p></body></html>
`

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, homePage)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// auth lets a request through only with "Authorization: token <T>".
func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		given, ok := strings.CutPrefix(h, "token ")
		if !ok {
			given, ok = strings.CutPrefix(h, "Bearer ")
		}
		if !ok || s.Token == "" || subtle.ConstantTimeCompare([]byte(given), []byte(s.Token)) != 1 {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "token is required"})
			return
		}
		next(w, r)
	}
}

func (s *Server) user(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, User{ID: 1, Login: "student", Email: "student@example.com"})
}

func (s *Server) listRepos(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	repos := append([]Repo(nil), s.repos...)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, repos)
}

func (s *Server) createRepo(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	if err := dec.Decode(&in); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"message": "request body too large"})
			return
		}
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "body must be JSON: {\"name\": ..., \"description\": ...}"})
		return
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 100 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "name must be 1 to 100 characters"})
		return
	}
	s.mu.Lock()
	for _, rp := range s.repos {
		if strings.EqualFold(rp.Name, in.Name) {
			s.mu.Unlock()
			writeJSON(w, http.StatusConflict, map[string]string{"message": "repository already exists"})
			return
		}
	}
	repo := Repo{ID: len(s.repos) + 1, Name: in.Name, FullName: "student/" + in.Name, Description: in.Description}
	s.repos = append(s.repos, repo)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, repo)
}
