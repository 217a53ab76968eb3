package gamescreen

import (
	tea "charm.land/bubbletea/v2"

	"wiretutor/servers/game"
)

// ServerMsg is what the screen gets when the server's next message (or
// its error) arrives.
func ServerMsg(m game.Message, err error) tea.Msg { return serverMsg{m, err} }

// LostMsg is what the screen gets when the sent-th move went unanswered.
func LostMsg(sent int) tea.Msg { return lostMsg{sent} }
