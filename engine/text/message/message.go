// Package message names a sentence to say without saying it: a message
// id of content/<lang>/ui.toml and its data, for a translator to render
// later (i18n.Catalog.Msg does). It imports nothing, so a package far
// below the catalog (a filter, a network) can describe its errors as
// messages, one inside another.
package message

// Msg is a message id and the data its placeholders name. A data value
// that is itself a Msg is rendered first, in the same language: this is
// how a sentence takes a reason ("Display filter: {{.Why}}.") that is a
// message of its own.
type Msg struct {
	ID   string
	Data map[string]any
}
