package files

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// Dialer opens a TCP connection; netenv.Net is one.
type Dialer interface {
	Dial(ctx context.Context, network, address string) (net.Conn, error)
}

// Progress is told, as a transfer goes on, how many of the total bytes
// have crossed so far; it is called from the transfer's goroutine.
type Progress func(done, total int64)

// Client asks a file server for files, one connection per request.
type Client struct {
	Net  Dialer
	Addr string // host:port of the server
	// Timeout bounds each wait on the server: to connect, for a reply,
	// for each part of a file. 0 means DefaultTimeout.
	Timeout time.Duration
}

func (c *Client) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// dial connects; the connection is closed when ctx ends, so that a
// cancelled transfer returns at once.
func (c *Client) dial(ctx context.Context) (net.Conn, func(), error) {
	dctx, cancel := context.WithTimeout(ctx, c.timeout())
	conn, err := c.Net.Dial(dctx, "tcp", c.Addr)
	cancel()
	if err != nil {
		return nil, nil, fmt.Errorf("connect to the file server at %s: %w", c.Addr, err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	return conn, func() { stop(); conn.Close() }, nil
}

// ctxErr prefers the context's error to the closed connection's.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// deadlined renews a connection's deadline before every read or write,
// so that Timeout bounds each wait, not the whole transfer.
type deadlined struct {
	net.Conn
	d time.Duration
}

func (d deadlined) Read(b []byte) (int, error) {
	d.Conn.SetReadDeadline(time.Now().Add(d.d))
	return d.Conn.Read(b)
}

func (d deadlined) Write(b []byte) (int, error) {
	d.Conn.SetWriteDeadline(time.Now().Add(d.d))
	return d.Conn.Write(b)
}

// Get writes the file name's bytes to w and returns how many there were.
// progress, when set, follows the transfer. An ERR reply is a
// *RemoteError; a server that stops early gives io.ErrUnexpectedEOF.
func (c *Client) Get(ctx context.Context, name string, w io.Writer, progress Progress) (int64, error) {
	conn, done, err := c.dial(ctx)
	if err != nil {
		return 0, err
	}
	defer done()
	size, body, err := Open(deadlined{conn, c.timeout()}, name)
	if err != nil {
		return 0, ctxErr(ctx, err)
	}
	n, err := copyProgress(w, body, size, progress)
	if err != nil || ctx.Err() != nil {
		return n, ctxErr(ctx, err)
	}
	return n, nil
}

// Open sends a GET for name on rw and reads the reply: the file's size
// and a reader of exactly its bytes. It is the step a lesson takes when
// it reads the bytes its own way (slowly, say).
func Open(rw io.ReadWriter, name string) (int64, io.Reader, error) {
	if _, err := io.WriteString(rw, Request{Verb: VerbGet, Name: name}.String()); err != nil {
		return 0, nil, fmt.Errorf("send the request: %w", err)
	}
	br := bufio.NewReaderSize(rw, 64<<10)
	size, ready, err := ReadReply(br)
	if err == nil && ready {
		err = fmt.Errorf("%w: READY to a GET", ErrProtocol)
	}
	if err != nil {
		return 0, nil, err
	}
	return size, io.LimitReader(br, size), nil
}

// copyProgress copies size bytes from r to w, telling progress.
func copyProgress(w io.Writer, r io.Reader, size int64, progress Progress) (int64, error) {
	buf := make([]byte, 256<<10)
	var done int64
	if progress != nil {
		progress(0, size)
	}
	for done < size {
		k, err := r.Read(buf[:min(int64(len(buf)), size-done)])
		if k > 0 {
			if _, werr := w.Write(buf[:k]); werr != nil {
				return done, werr
			}
			done += int64(k)
			if progress != nil {
				progress(done, size)
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				if done < size {
					return done, io.ErrUnexpectedEOF
				}
				break
			}
			return done, err
		}
	}
	return done, nil
}

// List returns the files and folders in folder ("" for the top one).
func (c *Client) List(ctx context.Context, folder string) ([]Entry, error) {
	conn, done, err := c.dial(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	rw := deadlined{conn, c.timeout()}
	if _, err := io.WriteString(rw, Request{Verb: VerbList, Name: folder}.String()); err != nil {
		return nil, ctxErr(ctx, fmt.Errorf("send the request: %w", err))
	}
	br := bufio.NewReader(rw)
	size, ready, err := ReadReply(br)
	if err == nil && (ready || size > maxListing) {
		err = fmt.Errorf("%w: a listing of %d bytes", ErrProtocol, size)
	}
	if err != nil {
		return nil, ctxErr(ctx, err)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(br, b); err != nil {
		return nil, ctxErr(ctx, fmt.Errorf("read the listing: %w", err))
	}
	return ParseListing(b)
}

// maxListing bounds the listing a client takes.
const maxListing = 64 << 20

// Put stores size bytes read from r under name; the server refuses a
// name that exists. progress, when set, follows the transfer.
func (c *Client) Put(ctx context.Context, name string, r io.Reader, size int64, progress Progress) error {
	conn, done, err := c.dial(ctx)
	if err != nil {
		return err
	}
	defer done()
	rw := deadlined{conn, c.timeout()}
	if _, err := io.WriteString(rw, Request{Verb: VerbPut, Name: name, Size: size}.String()); err != nil {
		return ctxErr(ctx, fmt.Errorf("send the request: %w", err))
	}
	br := bufio.NewReader(rw)
	if _, ready, err := ReadReply(br); err != nil || !ready {
		if err == nil {
			err = fmt.Errorf("%w: no READY to a PUT", ErrProtocol)
		}
		return ctxErr(ctx, err)
	}
	if _, err := copyProgress(rw, r, size, progress); err != nil {
		return ctxErr(ctx, err)
	}
	if _, _, err := ReadReply(br); err != nil {
		return ctxErr(ctx, err)
	}
	return nil
}
