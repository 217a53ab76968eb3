// Package ping builds and reads ICMP echo messages by hand, byte by byte,
// and runs a ping session over any socket that sends them, the way
// iputils ping does.
package ping

import (
	"encoding/binary"
	"errors"
	"fmt"

	"wiretutor/engine/packet/icmp"
)

// ICMP message types the course talks about, in ping's words; package
// icmp defines them and their names.
const (
	TypeEchoReply       = icmp.EchoReply
	TypeDestUnreachable = icmp.DestUnreachable
	TypeEchoRequest     = icmp.EchoRequest
	TypeTimeExceeded    = icmp.TimeExceeded
)

// HeaderLen is the size of an echo message's header: type, code,
// checksum, identifier and sequence number.
const HeaderLen = 8

// ErrShort reports a message too short for an ICMP echo header.
var ErrShort = errors.New("icmp message shorter than its 8-byte header")

// Sum is the plain sum of b's 16-bit big-endian words, carries kept
// above bit 15: the checksum's first step (icmp.Sum).
func Sum(b []byte) uint32 { return icmp.Sum(b) }

// Checksum returns the Internet checksum of b (RFC 1071), as
// icmp.Checksum does.
func Checksum(b []byte) uint16 { return icmp.Checksum(b) }

// Message is an ICMP echo request or reply.
type Message struct {
	Type icmp.Type
	Code uint8
	// Checksum is the value on the wire; Marshal computes it.
	Checksum uint16
	Ident    uint16
	Seq      uint16
	Data     []byte
}

// Marshal appends m to buf with its checksum computed over the whole
// message, and stores that checksum in m.
func (m *Message) Marshal(buf []byte) []byte {
	start := len(buf)
	buf = append(buf, byte(m.Type), m.Code, 0, 0)
	buf = binary.BigEndian.AppendUint16(buf, m.Ident)
	buf = binary.BigEndian.AppendUint16(buf, m.Seq)
	buf = append(buf, m.Data...)
	m.Checksum = Checksum(buf[start:])
	binary.BigEndian.PutUint16(buf[start+2:], m.Checksum)
	return buf
}

// Parse reads an ICMP message with an echo header. Data aliases b.
func Parse(b []byte) (Message, error) {
	if len(b) < HeaderLen {
		return Message{}, fmt.Errorf("parse icmp: %w (%d bytes)", ErrShort, len(b))
	}
	return Message{
		Type:     icmp.Type(b[0]),
		Code:     b[1],
		Checksum: binary.BigEndian.Uint16(b[2:]),
		Ident:    binary.BigEndian.Uint16(b[4:]),
		Seq:      binary.BigEndian.Uint16(b[6:]),
		Data:     b[HeaderLen:],
	}, nil
}

// Valid reports whether b's checksum is right: summed with it, the
// message folds to all ones, so Checksum returns 0.
func Valid(b []byte) bool { return Checksum(b) == 0 }
