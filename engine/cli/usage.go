package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"wiretutor/engine/text/render"
)

// usage writes a command's help in the user's language, fitted to the
// terminal: cobra's layout (description, usage lines, commands, flags,
// global flags, examples), but with pflag's value names ("string",
// "stringArray") in the user's words, and the descriptions wrapped
// under their column instead of running past the edge.
func (a *app) usage(c *cobra.Command) error {
	t, width := a.tx, a.term().Width
	var b strings.Builder
	if d := strings.TrimSpace(c.Long); d != "" || c.Short != "" {
		if d == "" {
			d = c.Short
		}
		b.WriteString(render.Wrap(d, min(width, render.Measure)) + "\n\n")
	}
	b.WriteString(t.T("help.usage", nil) + "\n")
	if c.Runnable() {
		line := "  " + c.UseLine()
		if c.HasAvailableFlags() {
			line += " " + t.T("help.flags_use", nil)
		}
		b.WriteString(line + "\n")
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("  " + c.CommandPath() + " " + t.T("help.command_use", nil) + "\n")
		b.WriteString("\n" + t.T("help.commands", nil) + "\n")
		var rows [][]string
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() {
				rows = append(rows, []string{"", sub.Name(), sub.Short})
			}
		}
		a.writeTable(&b, rows, width)
	}
	if c.HasAvailableLocalFlags() {
		b.WriteString("\n" + t.T("help.flags", nil) + "\n")
		a.writeTable(&b, a.flagRows(c.LocalFlags()), width)
	}
	if c.HasAvailableInheritedFlags() {
		b.WriteString("\n" + t.T("help.global_flags", nil) + "\n")
		a.writeTable(&b, a.flagRows(c.InheritedFlags()), width)
	}
	if c.HasExample() {
		b.WriteString("\n" + t.T("help.examples", nil) + "\n" + c.Example + "\n")
	}
	_, err := fmt.Fprint(c.OutOrStdout(), b.String())
	return err
}

// writeTable writes rows as Table lays them out; the first column is
// the indent (an empty heading row keeps Table from taking a row for
// one).
func (a *app) writeTable(b *strings.Builder, rows [][]string, width int) {
	if len(rows) == 0 {
		return
	}
	for _, line := range render.Table(rows, width) {
		b.WriteString(line + "\n")
	}
}

// flagRows are a flag set's lines: "-s, --name value" and what it does.
func (a *app) flagRows(fs *pflag.FlagSet) [][]string {
	var rows [][]string
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name, what := pflag.UnquoteUsage(f)
		if !strings.Contains(f.Usage, "`") {
			name = a.valueName(f.Value.Type())
		}
		flag := "    --" + f.Name
		if f.Shorthand != "" {
			flag = "-" + f.Shorthand + ", --" + f.Name
		}
		if name != "" {
			flag += " " + name
		}
		rows = append(rows, []string{"", flag, what})
	})
	return rows
}

// valueName is what a flag of pflag's type takes, in the user's words;
// "" for a switch.
func (a *app) valueName(typ string) string {
	switch typ {
	case "bool":
		return ""
	case "string":
		return a.tx.T("help.value.text", nil)
	case "stringArray", "stringSlice":
		return a.tx.T("help.value.texts", nil)
	case "int", "uint", "uint64", "int64", "uint16", "uint8", "int32", "uint32", "intSlice":
		return a.tx.T("help.value.number", nil)
	case "duration":
		return a.tx.T("help.value.duration", nil)
	}
	return typ
}
