// Package game is the course's small real-time game and its client, for
// the game-traffic lesson: players log in over TCP, then walk a grid and
// pick up coins over UDP while the server tells every player where
// everyone is. Its protocol is binary and compact, as real games' are,
// and the lesson's point is to discover it from a capture; the learner
// is never pointed at this comment.
//
// Every message, on TCP or UDP, is one frame:
//
//	offset size field
//	0      1    type
//	1      1    length of the whole message, these six bytes included
//	2      2    sequence number, big-endian: the sender's counter, one
//	            more on each message it sends (a client counts across
//	            TCP and UDP, the server counts for each player apart)
//	4      1    player id (0 before the server has given one)
//	5      n    body, by type
//	5+n    1    check: the sum of every byte before it, modulo 256
//
// Coordinates in bodies are little-endian uint16, on purpose: a learner
// meets both byte orders in one message. The types:
//
//	0x01 login    TCP client→server  name length (1), name (UTF-8)
//	0x81 welcome  TCP server→client  token (4), x (2), y (2), hit points (1), width (1), height (1)
//	0x82 refused  TCP server→client  reason (1)
//	0x02 join     UDP client→server  token (4)
//	0x03 move     UDP client→server  x (2), y (2): the cell the player steps to
//	0x90 state    UDP server→client  players (1), then id, x, y, hit points, score (7 each);
//	                                 coins (1), then x, y (4 each)
//	0x91 pickup   UDP server→client  x (2), y (2), score (1)
//
// A player stays in the game while its login connection is open.
package game

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"
)

// The game's default ports.
const (
	DefaultTCPPort = 24001
	DefaultUDPPort = 24002
)

// Type is a message's first byte.
type Type uint8

// The message types.
const (
	TypeLogin   Type = 0x01
	TypeJoin    Type = 0x02
	TypeMove    Type = 0x03
	TypeWelcome Type = 0x81
	TypeRefused Type = 0x82
	TypeState   Type = 0x90
	TypePickup  Type = 0x91
)

// The sizes of a frame.
const (
	HeaderLen  = 5                // type, length, sequence, player
	MinMessage = HeaderLen + 1    // and the check
	MaxMessage = 255              // what the length byte can say
	MaxName    = 16               // the longest name, in bytes
	MaxPlayers = 8                // players at once
	MaxCoins   = 8                // coins a state can carry
	tokenLen   = 4                // a login's secret
	playerLen  = 7                // a player in a state
	coinLen    = 4                // a coin in a state
	welcomeLen = tokenLen + 4 + 3 // token, x, y, hit points, width, height
	pickupLen  = 5                // x, y, score
	moveLen    = 4                // x, y
	joinLen    = tokenLen         // the token
	refusedLen = 1                // the reason
	loginMin   = 1                // the name's length byte
	stateMin   = 2                // the two counts
	maxBody    = MaxMessage - MinMessage
)

// The reasons a login is refused.
const (
	ReasonBadName   uint8 = 1 // empty, too long, not printable UTF-8
	ReasonFull      uint8 = 2 // MaxPlayers are playing
	ReasonNameTaken uint8 = 3 // a player of that name is playing
	ReasonBadLogin  uint8 = 4 // the first message was not a good login
)

// The errors Parse returns, which a server counts apart.
var (
	ErrShort    = errors.New("game: message too short")
	ErrLength   = errors.New("game: length byte does not match the message")
	ErrChecksum = errors.New("game: wrong check byte")
	ErrType     = errors.New("game: unknown message type")
	ErrBody     = errors.New("game: body does not fit its type")
)

// Message is one frame of the protocol.
type Message struct {
	Type   Type
	Seq    uint16
	Player uint8
	Body   []byte
}

// Checksum is the check byte of the bytes before it: their sum modulo 256.
func Checksum(b []byte) uint8 {
	var s uint8
	for _, c := range b {
		s += c
	}
	return s
}

// Append writes m's frame after b. A body longer than the length byte
// allows is an error.
func (m Message) Append(b []byte) ([]byte, error) {
	if len(m.Body) > maxBody {
		return b, fmt.Errorf("game: a %d-byte body does not fit a message", len(m.Body))
	}
	start := len(b)
	b = append(b, byte(m.Type), byte(MinMessage+len(m.Body)))
	b = binary.BigEndian.AppendUint16(b, m.Seq)
	b = append(b, m.Player)
	b = append(b, m.Body...)
	return append(b, Checksum(b[start:])), nil
}

// Bytes is m's frame.
func (m Message) Bytes() []byte {
	b, err := m.Append(nil)
	if err != nil {
		panic(err) // only the package's own constructors call it, with bodies that fit
	}
	return b
}

// Parse reads one frame, which must be all of b. The body shares b's
// memory. The body's size is checked against its type.
func Parse(b []byte) (Message, error) {
	if len(b) < MinMessage {
		return Message{}, ErrShort
	}
	if int(b[1]) != len(b) {
		return Message{}, ErrLength
	}
	if Checksum(b[:len(b)-1]) != b[len(b)-1] {
		return Message{}, ErrChecksum
	}
	m := Message{Type: Type(b[0]), Seq: binary.BigEndian.Uint16(b[2:4]), Player: b[4], Body: b[HeaderLen : len(b)-1]}
	if err := m.checkBody(); err != nil {
		return Message{}, err
	}
	return m, nil
}

// checkBody says whether the body's size is its type's.
func (m Message) checkBody() error {
	n := len(m.Body)
	ok := true
	switch m.Type {
	case TypeLogin:
		ok = n >= loginMin && n == loginMin+int(m.Body[0])
	case TypeJoin:
		ok = n == joinLen
	case TypeMove:
		ok = n == moveLen
	case TypeWelcome:
		ok = n == welcomeLen
	case TypeRefused:
		ok = n == refusedLen
	case TypePickup:
		ok = n == pickupLen
	case TypeState:
		if n < stateMin {
			return ErrBody
		}
		players := int(m.Body[0])
		at := 1 + players*playerLen
		if players > MaxPlayers || n < at+1 {
			return ErrBody
		}
		coins := int(m.Body[at])
		ok = coins <= MaxCoins && n == at+1+coins*coinLen
	default:
		return ErrType
	}
	if !ok {
		return ErrBody
	}
	return nil
}

// Point is a cell of the grid.
type Point struct{ X, Y uint16 }

// Token is the secret a welcome gives and a join shows.
type Token [tokenLen]byte

// Welcome is a welcome's body.
type Welcome struct {
	Token         Token
	At            Point
	HP            uint8
	Width, Height uint8
}

// Player is one player in a state.
type Player struct {
	ID    uint8
	At    Point
	HP    uint8
	Score uint8
}

// State is where everyone is.
type State struct {
	Players []Player
	Coins   []Point
}

// Pickup says the player took the coin at At and now has Score.
type Pickup struct {
	At    Point
	Score uint8
}

func le(b []byte, p Point) []byte {
	b = binary.LittleEndian.AppendUint16(b, p.X)
	return binary.LittleEndian.AppendUint16(b, p.Y)
}

func point(b []byte) Point {
	return Point{binary.LittleEndian.Uint16(b), binary.LittleEndian.Uint16(b[2:])}
}

// CheckName says whether a name may play: 1 to MaxName bytes of UTF-8
// letters, digits, marks and punctuation, no spaces or controls.
func CheckName(name string) bool {
	if name == "" || len(name) > MaxName || !utf8.ValidString(name) {
		return false
	}
	for _, r := range name {
		if !unicode.In(r, unicode.L, unicode.N, unicode.M, unicode.P, unicode.S) {
			return false
		}
	}
	return true
}

// LoginMessage asks to play under name.
func LoginMessage(seq uint16, name string) Message {
	return Message{Type: TypeLogin, Seq: seq, Body: append([]byte{byte(len(name))}, name...)}
}

// Name is a login's name.
func (m Message) Name() string { return string(m.Body[1:]) }

// WelcomeMessage lets player id in.
func WelcomeMessage(seq uint16, id uint8, w Welcome) Message {
	b := append([]byte{}, w.Token[:]...)
	b = le(b, w.At)
	return Message{Type: TypeWelcome, Seq: seq, Player: id, Body: append(b, w.HP, w.Width, w.Height)}
}

// Welcome is a welcome's body.
func (m Message) Welcome() Welcome {
	var w Welcome
	copy(w.Token[:], m.Body)
	w.At = point(m.Body[tokenLen:])
	w.HP, w.Width, w.Height = m.Body[tokenLen+4], m.Body[tokenLen+5], m.Body[tokenLen+6]
	return w
}

// RefusedMessage turns a login away for reason.
func RefusedMessage(seq uint16, reason uint8) Message {
	return Message{Type: TypeRefused, Seq: seq, Body: []byte{reason}}
}

// Reason is a refusal's reason.
func (m Message) Reason() uint8 { return m.Body[0] }

// JoinMessage shows the token on the game's UDP port.
func JoinMessage(seq uint16, id uint8, t Token) Message {
	return Message{Type: TypeJoin, Seq: seq, Player: id, Body: append([]byte{}, t[:]...)}
}

// Token is a join's token.
func (m Message) Token() Token {
	var t Token
	copy(t[:], m.Body)
	return t
}

// MoveMessage steps player id to p.
func MoveMessage(seq uint16, id uint8, p Point) Message {
	return Message{Type: TypeMove, Seq: seq, Player: id, Body: le(nil, p)}
}

// Point is a move's or a pickup's cell.
func (m Message) Point() Point { return point(m.Body) }

// PickupMessage tells player id it took the coin at p.
func PickupMessage(seq uint16, id uint8, p Pickup) Message {
	return Message{Type: TypePickup, Seq: seq, Player: id, Body: append(le(nil, p.At), p.Score)}
}

// Pickup is a pickup's body.
func (m Message) Pickup() Pickup { return Pickup{At: point(m.Body), Score: m.Body[4]} }

// StateMessage tells player id where everyone is. At most MaxPlayers
// players and MaxCoins coins are written.
func StateMessage(seq uint16, id uint8, s State) Message {
	ps, cs := s.Players[:min(len(s.Players), MaxPlayers)], s.Coins[:min(len(s.Coins), MaxCoins)]
	b := []byte{byte(len(ps))}
	for _, p := range ps {
		b = append(le(append(b, p.ID), p.At), p.HP, p.Score)
	}
	b = append(b, byte(len(cs)))
	for _, c := range cs {
		b = le(b, c)
	}
	return Message{Type: TypeState, Seq: seq, Player: id, Body: b}
}

// State is a state's body.
func (m Message) State() State {
	var s State
	n := int(m.Body[0])
	for i := range n {
		p := m.Body[1+i*playerLen:]
		s.Players = append(s.Players, Player{ID: p[0], At: point(p[1:]), HP: p[5], Score: p[6]})
	}
	c := m.Body[1+n*playerLen:]
	for i := range int(c[0]) {
		s.Coins = append(s.Coins, point(c[1+i*coinLen:]))
	}
	return s
}

// Newer reports whether sequence number a comes after b, modulo 2^16
// (serial number arithmetic, as TCP compares its numbers).
func Newer(a, b uint16) bool { return int16(a-b) > 0 }

// ReadMessage reads one frame from a stream (the login connection): the
// type and length bytes, then the rest. Parse's errors say the bytes
// were not a message; any other error is the stream's.
func ReadMessage(r io.Reader) (Message, error) {
	b := make([]byte, 2, MaxMessage)
	if _, err := io.ReadFull(r, b); err != nil {
		return Message{}, err
	}
	if b[1] < MinMessage {
		return Message{}, ErrShort
	}
	b = b[:b[1]]
	if _, err := io.ReadFull(r, b[2:]); err != nil {
		return Message{}, err
	}
	return Parse(b)
}

// isProtocol reports whether err says the bytes were not a message, as
// opposed to a stream that ended or failed.
func isProtocol(err error) bool {
	for _, e := range []error{ErrShort, ErrLength, ErrChecksum, ErrType, ErrBody} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
