package game_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"wiretutor/servers/game"
)

// TestFrames: each message's bytes, written out by hand from the
// format, and read back.
func TestFrames(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  game.Message
		hex  string
	}{
		// 01 type, 0a length 10, 0001 seq 1, 00 no id yet, 03 "ada", check
		{"login", game.LoginMessage(1, "ada"), "010a00010003616461" + "35"},
		// x 0x0102 and y 7, little-endian
		{"move", game.MoveMessage(0x0203, 5, game.Point{X: 0x0102, Y: 7}), "030a020305" + "02010700" + "21"},
		{"join", game.JoinMessage(2, 1, game.Token{0xde, 0xad, 0xbe, 0xef}), "020a000201deadbeef" + "47"},
		{"welcome", game.WelcomeMessage(1, 1, game.Welcome{Token: game.Token{1, 2, 3, 4}, At: game.Point{X: 3, Y: 4}, HP: 100, Width: 16, Height: 8}),
			"811100010101020304030004006410" + "08" + "21"},
		{"state", game.StateMessage(9, 2, game.State{Players: []game.Player{{ID: 2, At: game.Point{X: 1, Y: 2}, HP: 100, Score: 3}}, Coins: []game.Point{{X: 5, Y: 6}}}),
			"901300090201020100020064030105000600" + "27"},
		{"pickup", game.PickupMessage(3, 2, game.Pickup{At: game.Point{X: 5, Y: 6}, Score: 1}), "910b0003020500060001" + "ad"},
	} {
		b := tc.msg.Bytes()
		if got := hex.EncodeToString(b); got != tc.hex {
			t.Errorf("%s: wrote %s, want %s", tc.name, got, tc.hex)
		}
		if b[len(b)-1] != game.Checksum(b[:len(b)-1]) {
			t.Errorf("%s: check byte", tc.name)
		}
		m, err := game.Parse(b)
		if err != nil || m.Type != tc.msg.Type || m.Seq != tc.msg.Seq || m.Player != tc.msg.Player || !bytes.Equal(m.Body, tc.msg.Body) {
			t.Errorf("%s: read back %+v %v", tc.name, m, err)
		}
	}
}

// TestParseErrors: what Parse says of bytes that are not a message.
func TestParseErrors(t *testing.T) {
	good := game.MoveMessage(1, 1, game.Point{}).Bytes()
	badSum := append([]byte{}, good...)
	badSum[len(badSum)-1] ^= 1
	for _, tc := range []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, game.ErrShort},
		{"five", good[:5], game.ErrShort},
		{"length", good[:len(good)-1], game.ErrLength},
		{"check", badSum, game.ErrChecksum},
		{"type", game.Message{Type: 0x44}.Bytes(), game.ErrType},
		{"move body", game.Message{Type: game.TypeMove, Body: []byte{1, 2}}.Bytes(), game.ErrBody},
		{"login name length", game.Message{Type: game.TypeLogin, Body: []byte{5, 'a'}}.Bytes(), game.ErrBody},
		{"login empty", game.Message{Type: game.TypeLogin}.Bytes(), game.ErrBody},
		{"state counts", game.Message{Type: game.TypeState, Body: []byte{9, 0}}.Bytes(), game.ErrBody},
		{"state one count", game.Message{Type: game.TypeState, Body: []byte{0}}.Bytes(), game.ErrBody},
	} {
		if _, err := game.Parse(tc.b); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

// FuzzParse: any bytes are a message that writes back to the same bytes
// and whose body reads without a panic, or an error.
func FuzzParse(f *testing.F) {
	for _, m := range []game.Message{
		game.LoginMessage(1, "ada"), game.MoveMessage(3, 1, game.Point{X: 2}), game.JoinMessage(2, 1, game.Token{}),
		game.StateMessage(4, 1, game.State{Players: []game.Player{{ID: 1}}, Coins: []game.Point{{}}}),
		game.WelcomeMessage(1, 1, game.Welcome{}), game.PickupMessage(5, 1, game.Pickup{}), game.RefusedMessage(1, 2),
	} {
		f.Add(m.Bytes())
	}
	f.Add([]byte{0x90, 6, 0, 0, 0, 0x96})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := game.Parse(b)
		if err != nil {
			return
		}
		if back := m.Bytes(); !bytes.Equal(back, b) {
			t.Fatalf("%x read as %+v, wrote %x", b, m, back)
		}
		switch m.Type {
		case game.TypeLogin:
			_ = m.Name()
		case game.TypeWelcome:
			_ = m.Welcome()
		case game.TypeState:
			s := m.State()
			if back := game.StateMessage(m.Seq, m.Player, s).Bytes(); !bytes.Equal(back, b) {
				t.Fatalf("%x: state %+v wrote %x", b, s, back)
			}
		case game.TypePickup:
			_ = m.Pickup()
		case game.TypeMove:
			_ = m.Point()
		case game.TypeJoin:
			_ = m.Token()
		case game.TypeRefused:
			_ = m.Reason()
		}
	})
}

// FuzzReadMessage: a stream of any bytes gives a message or an error.
func FuzzReadMessage(f *testing.F) {
	f.Add(game.LoginMessage(1, "ada").Bytes())
	f.Add([]byte{1, 255})
	f.Fuzz(func(t *testing.T, b []byte) {
		game.ReadMessage(bytes.NewReader(b))
	})
}

// ExampleMoveMessage: a move's bytes, the check byte last.
func ExampleMoveMessage() {
	m := game.MoveMessage(3, 1, game.Point{X: 5, Y: 2})
	fmt.Printf("% x\n", m.Bytes())
	// Output: 03 0a 00 03 01 05 00 02 00 18
}
