// Package httpd is the course's web server: a small HTML site (with a
// page that moved, answered by 301) and a Gitea-like JSON API that needs
// a token, as in the HTTP part of the sockets lab. The token is compared
// in constant time and never logged. What its pages and the API's
// errors say to people is Server.Pages, English unless the caller words
// it in its reader's language; the protocol (status lines, headers, the
// API's fields) is the same in every language.
package httpd

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
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

// Pages are the words of the server's own pages and of the API's error
// messages (the "message" of its JSON), what a person reads. A field
// left empty is the English default written beside it, which `wiretutor
// serve http` serves; a lesson words them in the learner's language.
// Text is text, never HTML: the server escapes it.
type Pages struct {
	Heading string // the home page's heading: "Hello from wiretutor"
	Intro   string // under it: "This page came to you over HTTP, on top of TCP."
	// API names the API's address, APIPath, which becomes its link: "The
	// API needs a token: /api/v1/user". One without it gets the link
	// at its end.
	API      string
	NotFound string // the 404 page's text: "There is no such page here."
	// NotFoundTitle heads the 404 page: "404 Not Found".
	NotFoundTitle string

	TokenRequired string // a call without the token: "token is required"
	TooLarge      string // a body over MaxBody: "request body too large"
	// NotJSON: a body that is not the JSON of a repository:
	// `body must be JSON: {"name": ..., "description": ...}`.
	NotJSON    string
	BadName    string // a name empty or too long: "name must be 1 to 100 characters"
	RepoExists string // a name that is taken: "repository already exists"
}

// or is s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// withDefaults is p with every empty field the English default.
func (p Pages) withDefaults() Pages {
	return Pages{
		Heading:       or(p.Heading, "Hello from wiretutor"),
		Intro:         or(p.Intro, "This page came to you over HTTP, on top of TCP."),
		API:           or(p.API, "The API needs a token: "+APIPath),
		NotFound:      or(p.NotFound, "There is no such page here."),
		NotFoundTitle: or(p.NotFoundTitle, "404 Not Found"),
		TokenRequired: or(p.TokenRequired, "token is required"),
		TooLarge:      or(p.TooLarge, "request body too large"),
		NotJSON:       or(p.NotJSON, `body must be JSON: {"name": ..., "description": ...}`),
		BadName:       or(p.BadName, "name must be 1 to 100 characters"),
		RepoExists:    or(p.RepoExists, "repository already exists"),
	}
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
	// Pages words the pages and the API's errors; the zero value is
	// English.
	Pages Pages

	words    Pages  // Pages with its defaults
	homePage string // the home page, as served
	lostPage string // the 404 page, as served
	ln       net.Listener
	srv      *http.Server
	mu       sync.Mutex
	repos    []Repo
	done     chan struct{}
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

// routes is the server's handler, its pages worded once.
func (s *Server) routes() http.Handler {
	s.words = s.Pages.withDefaults()
	s.homePage, s.lostPage = homePage(s.words), notFoundPage(s.words)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET "+APIPath, s.auth(s.user))
	mux.HandleFunc("GET /api/v1/user/repos", s.auth(s.listRepos))
	mux.HandleFunc("POST /api/v1/user/repos", s.auth(s.createRepo))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, s.lostPage)
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

// APIPath is where the API's user is, the home page's link.
const APIPath = "/api/v1/user"

// linked is text, escaped, with its first APIPath (else its end) a link
// to it.
func linked(text string) string {
	t, link := html.EscapeString(text), `<a href="`+APIPath+`">`+APIPath+`</a>`
	if before, after, ok := strings.Cut(t, APIPath); ok {
		return before + link + after
	}
	return t + " " + link
}

// homePage is the site's one page, in p's words.
func homePage(p Pages) string {
	return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>wiretutor</title></head>
<body><h1>` + html.EscapeString(p.Heading) + `</h1>
<p>` + html.EscapeString(p.Intro) + `</p>
<p>` + linked(p.API) + `</p>
</body></html>
`
}

// notFoundPage answers a path the site does not have, in p's words.
func notFoundPage(p Pages) string {
	t := html.EscapeString(p.NotFoundTitle)
	return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>` + t + `</title></head>
<body><h1>` + t + `</h1><p>` + html.EscapeString(p.NotFound) + `</p></body></html>
`
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, s.homePage)
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
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": s.words.TokenRequired})
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
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"message": s.words.TooLarge})
			return
		}
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": s.words.NotJSON})
		return
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 100 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": s.words.BadName})
		return
	}
	s.mu.Lock()
	for _, rp := range s.repos {
		if strings.EqualFold(rp.Name, in.Name) {
			s.mu.Unlock()
			writeJSON(w, http.StatusConflict, map[string]string{"message": s.words.RepoExists})
			return
		}
	}
	repo := Repo{ID: len(s.repos) + 1, Name: in.Name, FullName: "student/" + in.Name, Description: in.Description}
	s.repos = append(s.repos, repo)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, repo)
}
