// Package capture supplies packets: live from the Linux loopback, from
// pcap and pcapng files, and from in-memory recordings; and it writes
// pcapng files that tshark and Wireshark open.
package capture

import (
	"errors"
	"io"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Errors a caller can tell apart with errors.Is to explain them to a
// person.
var (
	// ErrPermission: live capture needs CAP_NET_RAW (or root).
	ErrPermission error = &problem{"live capture needs CAP_NET_RAW", "error.capture_permission"}
	// ErrUnsupported: live capture is not available on this system.
	ErrUnsupported error = &problem{"live capture is not supported on this system", "error.capture_unsupported"}
	// ErrNotCapture: the file is neither pcap nor pcapng.
	ErrNotCapture = errors.New("not a pcap or pcapng file")
	// ErrTruncated: the file ends in the middle of a packet or block.
	ErrTruncated = errors.New("capture file is truncated")
	// ErrCorrupt: the file's structure is damaged past the header.
	ErrCorrupt = errors.New("capture file is damaged")
)

// problem is an error with the message id of the sentence that tells a
// person.
type problem struct{ text, id string }

// Error says what happened in English.
func (p *problem) Error() string { return p.text }

// Message names the sentence (the command line fills in Exe, the
// program to give the capability).
func (p *problem) Message() (string, map[string]any) { return p.id, nil }

// Source yields frames in capture order. ReadPacketData returns io.EOF
// after the last frame.
type Source interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	LinkType() layers.LinkType
}

// Frame is one captured frame that owns its bytes.
type Frame struct {
	Info gopacket.CaptureInfo
	Data []byte
}

// Recording is a list of frames held in memory, of one link type.
type Recording struct {
	Link   layers.LinkType
	Frames []Frame
	// Precision is the number of decimal digits of the timestamps, which
	// tshark's time column shows (6 for microseconds, 9 for nanoseconds).
	Precision int
	// Comment is the pcapng section's comment: what made the capture
	// (wiretutor verify writes its lesson, role and moments there).
	Comment string
}

// Add appends a copy of data.
func (r *Recording) Add(ci gopacket.CaptureInfo, data []byte) {
	r.Frames = append(r.Frames, Frame{Info: ci, Data: append([]byte(nil), data...)})
}

// Source returns a Source that replays the recording from its start.
func (r *Recording) Source() Source { return &replay{rec: r} }

type replay struct {
	rec *Recording
	i   int
}

func (s *replay) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	if s.i >= len(s.rec.Frames) {
		return nil, gopacket.CaptureInfo{}, io.EOF
	}
	f := s.rec.Frames[s.i]
	s.i++
	return f.Data, f.Info, nil
}

func (s *replay) LinkType() layers.LinkType { return s.rec.Link }

// precision turns a timestamp resolution into the decimal digits tshark
// shows for it.
func precision(r gopacket.TimestampResolution) int {
	switch {
	case r.Base == 10 && r.Exponent < 0:
		return min(-r.Exponent, 9)
	case r.Base == 2 && r.Exponent <= -30:
		return 9
	}
	return 6
}
