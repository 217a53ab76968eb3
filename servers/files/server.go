package files

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"
	"time"

	"wiretutor/servers/listen"
)

// The defaults of a Server's limits.
const (
	DefaultMaxSize    = 1 << 30 // the largest file a PUT may store
	DefaultMaxClients = 64
	DefaultTimeout    = 30 * time.Second
)

// chunk is how much is copied between two renewals of a deadline.
const chunk = 4 << 20

// EventKind says what the server did.
type EventKind int

// The events a Server reports.
const (
	Sent    EventKind = iota // a file was sent (GET)
	Stored                   // a file was stored (PUT)
	Listed                   // a folder was listed (LIST)
	Refused                  // a request was answered ERR; Reason says why
	Failed                   // a connection failed midway; Err says why
)

// Event is one request served, for a log or a lesson to show.
type Event struct {
	Kind   EventKind
	Remote net.Addr
	Verb   string
	Name   string
	Bytes  int64  // the file's bytes sent or stored
	Reason string // Refused: the ERR word
	Err    error  // Failed: the cause
}

// Server serves the files under a folder. Set the fields, then Start.
type Server struct {
	Net  listen.Listener
	Host string // the address to bind; 127.0.0.1 when empty
	Port int    // 0 picks a free port
	// Dir is the folder served. Nothing outside it can be read or
	// written, even through a symbolic link.
	Dir      string
	ReadOnly bool  // refuse PUT
	MaxSize  int64 // the largest file a PUT may store; 0 means DefaultMaxSize
	// MaxClients caps the connections served at once; one more is
	// answered ERR busy. 0 means DefaultMaxClients.
	MaxClients int
	// Timeout bounds each wait on a client: for its request, for each
	// part of a file it sends, and for it to take each part sent to it.
	// 0 means DefaultTimeout.
	Timeout time.Duration
	// OnEvent, if set, is called for every request, from many goroutines.
	OnEvent func(Event)

	root *os.Root
	ln   net.Listener
	loop listen.Loop
}

// Start opens the folder, binds the port and serves in the background
// until Close.
func (s *Server) Start(ctx context.Context) error {
	root, err := os.OpenRoot(s.Dir)
	if err != nil {
		return fmt.Errorf("open the folder to serve: %w", err)
	}
	ln, err := listen.TCP(ctx, s.Net, s.Host, s.Port)
	if err != nil {
		root.Close()
		return err
	}
	s.root, s.ln = root, ln
	s.loop.Handle = s.serve
	s.loop.Max = orDefault(s.MaxClients, DefaultMaxClients)
	s.loop.Refuse = func(c net.Conn) {
		c.SetWriteDeadline(time.Now().Add(s.timeout()))
		io.WriteString(c, replyErr+" "+ErrBusy+"\n")
	}
	s.loop.Serve(ln)
	return nil
}

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// Addr is the bound address, or nil before Start.
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Close stops listening, ends every transfer and waits for them; a file
// being stored is dropped, never left half written under its name.
func (s *Server) Close() error {
	if s.ln == nil {
		return nil
	}
	s.loop.Close()
	return s.root.Close()
}

func (s *Server) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return DefaultTimeout
}

func (s *Server) emit(e Event) {
	if s.OnEvent != nil {
		s.OnEvent(e)
	}
}

// serve answers one request; the loop closes c after it.
func (s *Server) serve(c net.Conn) {
	br := bufio.NewReaderSize(c, MaxLine)
	c.SetReadDeadline(time.Now().Add(s.timeout()))
	req, err := ParseRequest(br)
	var bad *errRequest
	switch {
	case errors.As(err, &bad):
		s.refuse(c, req, bad.reason)
		return
	case err != nil:
		if !errors.Is(err, io.EOF) {
			s.emit(Event{Kind: Failed, Remote: c.RemoteAddr(), Err: err})
		}
		return
	}
	var ev Event
	switch req.Verb {
	case VerbGet:
		ev, err = s.get(c, req.Name)
	case VerbList:
		ev, err = s.list(c, req.Name)
	case VerbPut:
		ev, err = s.put(c, br, req)
	}
	ev.Remote, ev.Verb, ev.Name = c.RemoteAddr(), req.Verb, req.Name
	var r *refusal
	switch {
	case errors.As(err, &r):
		s.refuse(c, req, r.reason)
	case err != nil:
		ev.Kind, ev.Err = Failed, err
		s.emit(ev)
	default:
		s.emit(ev)
	}
}

// refusal is a request answered ERR.
type refusal struct{ reason string }

func (r *refusal) Error() string { return r.reason }

func (s *Server) refuse(c net.Conn, req Request, reason string) {
	c.SetWriteDeadline(time.Now().Add(s.timeout()))
	io.WriteString(c, replyErr+" "+reason+"\n")
	s.emit(Event{Kind: Refused, Remote: c.RemoteAddr(), Verb: req.Verb, Name: req.Name, Reason: reason})
}

// openError is the ERR word for a name the folder cannot open.
func openError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrPermission):
		return &refusal{ErrNotFound}
	case errors.Is(err, syscall.ENOTDIR):
		return &refusal{ErrNotFound}
	}
	// What is left is a name that leaves the folder (through "..", or a
	// symbolic link that points outside), or a loop of links.
	return &refusal{ErrBadName}
}

// osName is name as the folder's Root takes it.
func osName(name string) string { return strings.TrimSuffix(name, "/") }

func (s *Server) get(c net.Conn, name string) (Event, error) {
	f, err := s.root.Open(osName(name))
	if err != nil {
		return Event{}, openError(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Event{}, &refusal{ErrFailed}
	}
	if !st.Mode().IsRegular() {
		return Event{}, &refusal{ErrNotAFile}
	}
	size := st.Size()
	c.SetWriteDeadline(time.Now().Add(s.timeout()))
	if _, err := fmt.Fprintf(c, "%s %d\n", replyOK, size); err != nil {
		return Event{}, fmt.Errorf("send the reply: %w", err)
	}
	n, err := copyTimed(c, f, size, func() { c.SetWriteDeadline(time.Now().Add(s.timeout())) })
	if err != nil {
		return Event{Bytes: n}, fmt.Errorf("send %s: %w", name, err)
	}
	return Event{Kind: Sent, Bytes: n}, nil
}

// copyTimed copies n bytes in chunks, calling renew before each: a
// deadline then bounds each chunk, not the whole file. A *net.TCPConn
// destination still sends a file's chunks with sendfile.
func copyTimed(dst io.Writer, src io.Reader, n int64, renew func()) (int64, error) {
	var done int64
	for done < n {
		renew()
		k, err := io.CopyN(dst, src, min(chunk, n-done))
		done += k
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF // the file shrank, or the client stopped
			}
			return done, err
		}
	}
	return done, nil
}

func (s *Server) list(c net.Conn, folder string) (Event, error) {
	dir := "."
	if folder != "" {
		dir = osName(folder)
	}
	if dir != "." {
		st, err := s.root.Stat(dir)
		if err != nil {
			return Event{}, openError(err)
		}
		if !st.IsDir() {
			return Event{}, &refusal{ErrNotFound}
		}
	}
	des, err := fs.ReadDir(s.root.FS(), dir)
	if err != nil {
		return Event{}, openError(err)
	}
	var b strings.Builder
	names := make([]string, 0, len(des))
	for _, de := range des {
		if !strings.HasPrefix(de.Name(), ".") {
			names = append(names, de.Name())
		}
	}
	slices.Sort(names)
	for _, n := range names {
		st, err := s.root.Stat(path.Join(dir, n)) // follows links that stay inside
		if err != nil || CheckName(n) != nil {
			continue
		}
		switch {
		case st.IsDir():
			b.WriteString(Entry{Name: n, Folder: true}.String() + "\n")
		case st.Mode().IsRegular():
			b.WriteString(Entry{Name: n, Size: st.Size()}.String() + "\n")
		}
	}
	c.SetWriteDeadline(time.Now().Add(s.timeout()))
	if _, err := fmt.Fprintf(c, "%s %d\n%s", replyOK, b.Len(), b.String()); err != nil {
		return Event{}, fmt.Errorf("send the listing: %w", err)
	}
	return Event{Kind: Listed, Bytes: int64(b.Len())}, nil
}

func (s *Server) put(c net.Conn, br *bufio.Reader, req Request) (Event, error) {
	limit := s.MaxSize
	if limit <= 0 {
		limit = DefaultMaxSize
	}
	switch {
	case s.ReadOnly:
		return Event{}, &refusal{ErrReadOnly}
	case req.Size > limit:
		return Event{}, &refusal{ErrTooBig}
	case strings.HasSuffix(req.Name, "/"):
		return Event{}, &refusal{ErrBadName}
	}
	name := req.Name
	if _, err := s.root.Lstat(name); err == nil {
		return Event{}, &refusal{ErrExists}
	}
	dir, base := path.Split(name)
	if dir != "" {
		if err := s.root.MkdirAll(strings.TrimSuffix(dir, "/"), 0o777); err != nil {
			if errors.Is(err, fs.ErrExist) || errors.Is(err, syscall.ENOTDIR) {
				return Event{}, &refusal{ErrExists} // a file is where a folder would go
			}
			return Event{}, openError(err)
		}
	}
	tmp := path.Join(dir, "."+base+"."+rand.Text()+".part")
	f, err := s.root.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
	if err != nil {
		return Event{}, openError(err)
	}
	stored := false
	defer func() {
		if !stored {
			f.Close()
			s.root.Remove(tmp)
		}
	}()
	c.SetWriteDeadline(time.Now().Add(s.timeout()))
	if _, err := io.WriteString(c, replyReady+"\n"); err != nil {
		return Event{}, fmt.Errorf("send the reply: %w", err)
	}
	n, err := copyTimed(f, br, req.Size, func() { c.SetReadDeadline(time.Now().Add(s.timeout())) })
	if err != nil {
		if errors.Is(err, syscall.ENOSPC) {
			return Event{Bytes: n}, &refusal{ErrNoSpace}
		}
		return Event{Bytes: n}, fmt.Errorf("receive %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return Event{Bytes: n}, storeError(err)
	}
	if err := f.Close(); err != nil {
		return Event{Bytes: n}, storeError(err)
	}
	// Link, unlike Rename, never replaces a file that appeared meanwhile.
	if err := s.root.Link(tmp, name); err != nil {
		if errors.Is(err, fs.ErrExist) {
			s.root.Remove(tmp)
			stored = true
			return Event{Bytes: n}, &refusal{ErrExists}
		}
		if err := s.root.Rename(tmp, name); err != nil {
			return Event{Bytes: n}, storeError(err)
		}
	} else {
		s.root.Remove(tmp)
	}
	stored = true
	c.SetWriteDeadline(time.Now().Add(s.timeout()))
	if _, err := io.WriteString(c, replyOK+" 0\n"); err != nil {
		return Event{Kind: Stored, Bytes: n}, nil // stored; the client left first
	}
	return Event{Kind: Stored, Bytes: n}, nil
}

func storeError(err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return &refusal{ErrNoSpace}
	}
	return &refusal{ErrFailed}
}
