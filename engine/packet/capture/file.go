package capture

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// File reads a pcap or pcapng file, streaming: it holds one frame at a
// time, however large the file.
type File struct {
	path string
	f    *os.File
	src  interface {
		ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	link layers.LinkType
	prec int
	n    int
	// comment is the pcapng section comment.
	comment string
	ng      *pcapgo.NgReader // nil for a pcap file
}

// Open opens a capture file, telling pcap from pcapng by its magic
// number. Errors wrap ErrNotCapture, ErrTruncated or the os error.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	c, err := NewReader(f)
	if err != nil {
		f.Close()
		return nil, &FileError{Path: path, Err: err}
	}
	c.f, c.path = f, path
	return c, nil
}

// FileError is a problem reading a capture file: where, and after how
// many good frames.
type FileError struct {
	Path  string
	After int // frames read before the problem
	Err   error
}

// Error names the file and the problem.
func (e *FileError) Error() string {
	if e.After > 0 {
		return fmt.Sprintf("%s: after frame %d: %v", e.Path, e.After, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

// Unwrap returns the problem, for errors.Is with ErrTruncated and the like.
func (e *FileError) Unwrap() error { return e.Err }

// Message names the sentence that tells a person what is wrong with the
// file; none (an empty id) for a problem that is not the file's content.
func (e *FileError) Message() (string, map[string]any) {
	switch {
	case errors.Is(e.Err, ErrNotCapture):
		return "error.not_capture", map[string]any{"File": e.Path}
	case errors.Is(e.Err, ErrTruncated):
		return "error.truncated", map[string]any{"File": e.Path, "After": e.After}
	case errors.Is(e.Err, ErrCorrupt):
		return "error.corrupt", map[string]any{"File": e.Path, "Err": strings.TrimPrefix(e.Error(), e.Path+": ")}
	}
	return "", nil
}

// NewReader reads a pcap or pcapng stream from r.
func NewReader(r io.Reader) (*File, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, err := br.Peek(4)
	if err != nil {
		if errors.Is(err, io.EOF) && len(magic) == 0 {
			return nil, fmt.Errorf("%w: the file is empty", ErrNotCapture)
		}
		return nil, fmt.Errorf("%w: too short for a capture header", ErrNotCapture)
	}
	c := &File{}
	if bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		// The first interface's link type is the file's, read from the
		// start the buffer holds; the frames are read with every
		// interface's own, as tshark keeps a frame of any interface.
		first := pcapgo.DefaultNgReaderOptions
		head, _ := br.Peek(br.Size())
		ng, err := pcapgo.NewNgReader(bytes.NewReader(head), first)
		if err != nil {
			return nil, classify(err)
		}
		c.link, c.prec = ng.LinkType(), precision(ng.Resolution())
		mixed := pcapgo.DefaultNgReaderOptions
		mixed.WantMixedLinkType = true
		if ng, err = pcapgo.NewNgReader(br, mixed); err != nil {
			return nil, classify(err)
		}
		c.src, c.ng = ng, ng
		c.comment = ng.SectionInfo().Comment
		return c, nil
	}
	switch string(magic) {
	case "\xd4\xc3\xb2\xa1", "\xa1\xb2\xc3\xd4", "\x4d\x3c\xb2\xa1", "\xa1\xb2\x3c\x4d":
	default:
		return nil, ErrNotCapture
	}
	pr, err := pcapgo.NewReader(br)
	if err != nil {
		return nil, classify(err)
	}
	// Like tcpdump and Wireshark, read frames longer than a too-small
	// snap length rather than stop at them.
	if pr.Snaplen() < 262144 {
		pr.SetSnaplen(262144)
	}
	c.src, c.link, c.prec = pr, pr.LinkType(), precision(pr.Resolution())
	return c, nil
}

// classify maps a pcapgo error onto this package's errors.
func classify(err error) error {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%w: %w", ErrTruncated, err)
	}
	return fmt.Errorf("%w: %w", ErrCorrupt, err)
}

// LinkType returns the link type of the file's (first) interface.
func (c *File) LinkType() layers.LinkType { return c.link }

// Comment returns the pcapng section's comment ("" in a pcap file).
func (c *File) Comment() string { return c.comment }

// InterfaceName returns the name of a pcapng file's interface, as
// tshark shows it ("unknown" for one without a name), and false for a
// pcap file, which names no interfaces.
func (c *File) InterfaceName(index int) (string, bool) {
	if c.ng == nil {
		return "", false
	}
	if i, err := c.ng.Interface(index); err == nil && i.Name != "" {
		return i.Name, true
	}
	return "unknown", true
}

// Progress is how far reading has got into a file Open opened, and the
// file's size, both in bytes (what is read ahead counts as read); both
// are 0 for a File read from a stream.
func (c *File) Progress() (done, size int64) {
	if c.f == nil {
		return 0, 0
	}
	done, err := c.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, 0
	}
	st, err := c.f.Stat()
	if err != nil {
		return 0, 0
	}
	return done, st.Size()
}

// Precision returns the decimal digits of the file's timestamps.
func (c *File) Precision() int { return c.prec }

// ReadPacketData returns the next frame, valid until the next call, and
// io.EOF after the last one.
func (c *File) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, err := c.src.ZeroCopyReadPacketData()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, ci, io.EOF
		}
		return nil, ci, &FileError{Path: c.path, After: c.n, Err: classify(err)}
	}
	c.n++
	// A pcapng frame names its interface's link type: kept only where it
	// is not the file's (Dissector.Dissect reads it there), in memory of
	// its own, as the reader reuses its own.
	if len(ci.AncillaryData) > 0 {
		lt, ok := ci.AncillaryData[0].(layers.LinkType)
		ci.AncillaryData = nil
		if ok && lt != c.link {
			ci.AncillaryData = []any{lt}
		}
	}
	return data, ci, nil
}

// Close closes the underlying file, if Open opened one.
func (c *File) Close() error {
	if c.f == nil {
		return nil
	}
	return c.f.Close()
}

// ReadAll reads every frame of a source into a Recording, with the
// source's comment where it has one.
func ReadAll(src Source, prec int) (*Recording, error) {
	rec := &Recording{Link: src.LinkType(), Precision: prec}
	if c, ok := src.(interface{ Comment() string }); ok {
		rec.Comment = c.Comment()
	}
	for {
		data, ci, err := src.ReadPacketData()
		if errors.Is(err, io.EOF) {
			return rec, nil
		}
		if err != nil {
			return rec, err
		}
		rec.Add(ci, data)
	}
}
