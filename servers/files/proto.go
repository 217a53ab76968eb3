// Package files is the course's file server and its client, for the
// file-transfer lessons: a small protocol of our own over one TCP
// connection per request, simple enough for the lab's kind of Python
// client.
//
// The client sends one request line, ended by "\n":
//
//	GET name         the file's bytes
//	LIST [folder]    the files and folders in the folder (the top one when none)
//	PUT size name    store size bytes under name
//
// Every reply starts with a line too: "OK n" followed by exactly n bytes
// of content, or "ERR reason" and nothing more. The reasons are words:
// not-found, bad-name, bad-request, not-a-file, exists, too-big,
// read-only, busy, no-space, failed. A PUT is answered "READY" once the
// server will take the file (making the folders its name needs); the
// client sends the size bytes after it, and the server answers "OK 0"
// when they are stored (or ERR). After the reply the server closes the
// connection.
//
// A name is a path of folders and a file, separated by "/", relative to
// the server's folder. Names that leave the folder ("..", an absolute
// path, a symbolic link pointing outside) are refused, and so are hidden
// names (a part starting with "."). A listing line is "size name" for a
// file and "- name/" for a folder.
package files

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultPort is the file server's port.
const DefaultPort = 9000

// MaxLine is the longest request or reply line, "\n" included.
const MaxLine = 4096

// MaxName is the longest name, in bytes.
const MaxName = 1024

// The request verbs.
const (
	VerbGet  = "GET"
	VerbList = "LIST"
	VerbPut  = "PUT"
)

// The reply words.
const (
	replyOK    = "OK"
	replyErr   = "ERR"
	replyReady = "READY"
)

// The reasons an ERR reply gives.
const (
	ErrNotFound   = "not-found"
	ErrBadName    = "bad-name"
	ErrBadRequest = "bad-request"
	ErrNotAFile   = "not-a-file"
	ErrExists     = "exists"
	ErrTooBig     = "too-big"
	ErrReadOnly   = "read-only"
	ErrBusy       = "busy"
	ErrNoSpace    = "no-space"
	ErrFailed     = "failed"
)

// known reports whether reason is one of the ERR words this package knows.
func known(reason string) bool {
	switch reason {
	case ErrNotFound, ErrBadName, ErrBadRequest, ErrNotAFile, ErrExists, ErrTooBig, ErrReadOnly, ErrBusy, ErrNoSpace, ErrFailed:
		return true
	}
	return false
}

// Request is one request line.
type Request struct {
	Verb string // VerbGet, VerbList or VerbPut
	Name string // the file (GET, PUT) or folder (LIST; empty for the top)
	Size int64  // PUT: the bytes that follow READY
}

// String is the request line, "\n" included.
func (r Request) String() string {
	switch r.Verb {
	case VerbPut:
		return fmt.Sprintf("%s %d %s\n", r.Verb, r.Size, r.Name)
	case VerbList:
		if r.Name == "" {
			return VerbList + "\n"
		}
	}
	return r.Verb + " " + r.Name + "\n"
}

// RemoteError is an ERR reply: the server's reason, one of the Err words
// (or another word a newer server sent).
type RemoteError struct{ Reason string }

// Error names the reason.
func (e *RemoteError) Error() string { return "file server: " + e.Reason }

// Message names the sentence that tells a person the reason.
func (e *RemoteError) Message() (string, map[string]any) {
	if known(e.Reason) {
		return "files.err." + e.Reason, nil
	}
	return "files.err.unknown", map[string]any{"Reason": e.Reason}
}

// ErrProtocol is wrapped by every error about a reply that does not
// follow the protocol.
var ErrProtocol = errors.New("not the file protocol")

// errRequest is a request line the server cannot take; reason is the
// word to answer with.
type errRequest struct{ reason string }

func (e *errRequest) Error() string { return "bad request: " + e.reason }

// readLine reads one line of at most MaxLine bytes and returns it
// without its "\n" (and a "\r" before it, for clients that send CRLF).
func readLine(br *bufio.Reader) (string, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > MaxLine {
			return "", errTooLong
		}
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) && len(line) > 0 {
			return "", io.ErrUnexpectedEOF
		}
		return "", err
	}
	line = bytes.TrimSuffix(line[:len(line)-1], []byte{'\r'})
	return string(line), nil
}

// errTooLong is a line longer than MaxLine.
var errTooLong = errors.New("line too long")

// ParseRequest reads a request line. The error is an *errRequest for a
// line the server should answer with ERR, or the connection's error; a
// name the server refuses comes back in the request beside the error.
func ParseRequest(br *bufio.Reader) (Request, error) {
	line, err := readLine(br)
	if errors.Is(err, errTooLong) {
		return Request{}, &errRequest{ErrBadRequest}
	}
	if err != nil {
		return Request{}, err
	}
	verb, rest, _ := strings.Cut(line, " ")
	var r Request
	switch verb {
	case VerbGet:
		r = Request{Verb: VerbGet, Name: rest}
	case VerbList:
		r = Request{Verb: VerbList, Name: rest}
		if rest == "" {
			return r, nil
		}
	case VerbPut:
		size, name, ok := strings.Cut(rest, " ")
		n, err := strconv.ParseInt(size, 10, 64)
		if !ok || err != nil || n < 0 || size != strconv.FormatInt(n, 10) {
			return Request{}, &errRequest{ErrBadRequest}
		}
		r = Request{Verb: VerbPut, Name: name, Size: n}
	default:
		return Request{}, &errRequest{ErrBadRequest}
	}
	if err := CheckName(r.Name); err != nil {
		return r, &errRequest{ErrBadName} // the name, for the server's log
	}
	return r, nil
}

// ErrBadNameSyntax is returned by CheckName.
var ErrBadNameSyntax = errors.New("not a file name the server takes")

// CheckName reports whether name is one the server takes: non-empty,
// valid UTF-8 without control characters, at most MaxName bytes,
// relative, with no empty, ".", ".." or hidden part. Whether it stays
// inside the server's folder once symbolic links are followed is the
// server's to check.
func CheckName(name string) error {
	if name == "" || len(name) > MaxName || !utf8.ValidString(name) {
		return ErrBadNameSyntax
	}
	for _, c := range name {
		if unicode.IsControl(c) || c == '\\' {
			return ErrBadNameSyntax
		}
	}
	for part := range strings.SplitSeq(strings.TrimSuffix(name, "/"), "/") {
		if part == "" || strings.HasPrefix(part, ".") || strings.HasSuffix(part, " ") || strings.ContainsRune(part, ':') {
			return ErrBadNameSyntax
		}
	}
	return nil
}

// ReadReply reads a reply line: the length of the content that follows
// an OK, or a *RemoteError for an ERR. ready is true for READY.
func ReadReply(br *bufio.Reader) (size int64, ready bool, err error) {
	line, err := readLine(br)
	if err != nil {
		if errors.Is(err, errTooLong) {
			return 0, false, fmt.Errorf("%w: reply line too long", ErrProtocol)
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return 0, false, fmt.Errorf("read the reply: %w", err)
	}
	word, rest, _ := strings.Cut(line, " ")
	switch word {
	case replyReady:
		if rest == "" {
			return 0, true, nil
		}
	case replyErr:
		if rest != "" {
			return 0, false, &RemoteError{Reason: rest}
		}
	case replyOK:
		n, err := strconv.ParseInt(rest, 10, 64)
		if err == nil && n >= 0 {
			return n, false, nil
		}
	}
	return 0, false, fmt.Errorf("%w: %q", ErrProtocol, truncate(line, 40))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Entry is one line of a listing.
type Entry struct {
	Name   string // the file or folder, without the folder listed
	Size   int64  // bytes, for a file
	Folder bool
}

// String is the listing line, without its "\n".
func (e Entry) String() string {
	if e.Folder {
		return "- " + e.Name + "/"
	}
	return strconv.FormatInt(e.Size, 10) + " " + e.Name
}

// ParseListing reads a listing's content.
func ParseListing(b []byte) ([]Entry, error) {
	var es []Entry
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSuffix(line, "\n")
		size, name, ok := strings.Cut(line, " ")
		if !ok || name == "" {
			return nil, fmt.Errorf("%w: listing line %q", ErrProtocol, truncate(line, 40))
		}
		if size == "-" {
			if !strings.HasSuffix(name, "/") || len(name) == 1 {
				return nil, fmt.Errorf("%w: listing line %q", ErrProtocol, truncate(line, 40))
			}
			es = append(es, Entry{Name: strings.TrimSuffix(name, "/"), Folder: true})
			continue
		}
		n, err := strconv.ParseInt(size, 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%w: listing line %q", ErrProtocol, truncate(line, 40))
		}
		es = append(es, Entry{Name: name, Size: n})
	}
	return es, nil
}
