// Package explorer is the model of wiretutor view, the full-screen
// explorer of a capture: what it shows of the frames, apart from the
// screens that draw it, so that it is tested without a terminal. This
// far it holds Wireshark's default colouring rules, which pick each
// frame's colours in the packet list as Wireshark's do.
package explorer
