package quiz

import (
	"errors"
	"strings"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"

	"wiretutor/engine/text/render"
)

// listPrompt is survey's Select with the hint under the question in the
// learner's language. Survey words that hint in English inside its
// package-wide SelectQuestionTemplate, and a Select has no field to
// change it, so this prompt draws with a template of its own (through
// survey's renderer, as Select does) and moves through the options the
// way Select does: arrows or Tab, typing filters, Ctrl-W or Ctrl-X
// clears the filter, Esc toggles j/k, Enter picks.
type listPrompt struct {
	survey.Renderer
	message  string
	options  []string
	hint     string // "" shows none
	pageSize int
	width    int // the terminal's: options wrap to it; 0 wraps none

	sel    int    // the highlighted option, an index into the filtered options
	filter string // what was typed to narrow the options
	vim    bool   // j and k move
}

// errNoDefault: a list's default is not one of its options (or it has
// none).
var errNoDefault = errors.New("list: the default is not among the options")

// listData is what listTemplate draws: survey's own Select data, so
// its renderer places the cursor as for a Select, and the hint.
type listData struct {
	survey.SelectTemplateData
	Hint    string
	HintSep string // what goes between the question and the hint
}

// listTemplate is survey's SelectQuestionTemplate (v2.3.7) with the
// hint (and no help line: the course's lists have no help) taken from
// the data.
const listTemplate = `
{{- define "option"}}
    {{- if eq .SelectedIndex .CurrentIndex }}{{color .Config.Icons.SelectFocus.Format }}{{ .Config.Icons.SelectFocus.Text }} {{else}}{{color "default"}}  {{end}}
    {{- .CurrentOpt.Value}}
    {{- color "reset"}}
{{end}}
{{- color .Config.Icons.Question.Format }}{{ .Config.Icons.Question.Text }} {{color "reset"}}
{{- color "default+hb"}}{{ .Message }}{{ .FilterMessage }}{{color "reset"}}
{{- if .ShowAnswer}}{{color "cyan"}} {{.Answer}}{{color "reset"}}{{"\n"}}
{{- else}}
  {{- if .Hint}}{{- .HintSep}}{{- color "cyan"}}{{ .Hint }}{{color "reset"}}{{end}}
  {{- "\n"}}
  {{- range $ix, $option := .PageEntries}}
    {{- template "option" $.IterateOption $ix $option}}
  {{- end}}
{{- end}}`

// Prompt draws the list and reads keys until Enter (or Ctrl-D, which
// survey's Select also takes for Enter); it returns the option picked as
// a core.OptionAnswer, which survey writes to an int as its index.
func (p *listPrompt) Prompt(config *survey.PromptConfig) (any, error) {
	if p.sel < 0 || p.sel >= len(p.options) {
		return nil, errNoDefault
	}
	cursor := p.NewCursor()
	cursor.Save()
	cursor.Hide()
	defer cursor.Show()
	defer cursor.Restore()
	if err := p.draw(config); err != nil {
		return nil, err
	}
	rr := p.NewRuneReader()
	_ = rr.SetTermMode()
	defer func() { _ = rr.RestoreTermMode() }()
	for {
		r, _, err := rr.ReadRune()
		if err != nil {
			return nil, err
		}
		if r == terminal.KeyInterrupt {
			return nil, terminal.InterruptErr
		}
		if r == terminal.KeyEndTransmission || p.key(r, config) {
			break
		}
		_ = p.draw(config)
	}
	opts := p.filtered(config)
	p.filter = ""
	switch {
	case p.sel < len(opts):
		return opts[p.sel], nil
	case len(opts) > 0:
		return opts[0], nil
	}
	return core.OptionAnswer{Value: p.options[0]}, nil // Ctrl-D with nothing left by the filter
}

// Cleanup draws the question again with the answer instead of the list.
func (p *listPrompt) Cleanup(config *survey.PromptConfig, val any) error {
	p.NewCursor().Restore()
	ans, _ := val.(core.OptionAnswer)
	d := listData{SelectTemplateData: survey.SelectTemplateData{
		Select: survey.Select{Message: p.message}, Answer: ans.Value, ShowAnswer: true, Config: config}}
	return p.Render(listTemplate, d)
}

// key applies one key; it reports whether the key picks the option.
func (p *listPrompt) key(r rune, config *survey.PromptConfig) bool {
	opts := p.filtered(config)
	old := p.filter
	switch {
	case r == terminal.KeyEnter || r == '\n':
		return len(opts) > 0 && p.sel < len(opts)
	case (r == terminal.KeyArrowUp || p.vim && r == 'k') && len(opts) > 0:
		p.sel = (p.sel + len(opts) - 1) % len(opts)
	case (r == terminal.KeyTab || r == terminal.KeyArrowDown || p.vim && r == 'j') && len(opts) > 0:
		p.sel = (p.sel + 1) % len(opts)
	case r == terminal.KeyEscape:
		p.vim = !p.vim
	case r == terminal.KeyDeleteWord || r == terminal.KeyDeleteLine:
		p.filter = ""
	case r == terminal.KeyDelete || r == terminal.KeyBackspace:
		if f := []rune(p.filter); len(f) > 0 {
			p.filter = string(f[:len(f)-1])
		}
	case r >= terminal.KeySpace:
		p.filter += string(r)
		p.vim = false
	}
	if p.filter != old {
		if opts = p.filtered(config); len(opts) > 0 && p.sel >= len(opts) {
			p.sel = len(opts) - 1
		}
	}
	return false
}

// filtered returns the options the filter keeps, each with its index
// among all the options.
func (p *listPrompt) filtered(config *survey.PromptConfig) []core.OptionAnswer {
	all := core.OptionAnswerList(p.options)
	if p.filter == "" {
		return all
	}
	var out []core.OptionAnswer
	for _, o := range all {
		if config.Filter(p.filter, o.Value, o.Index) {
			out = append(out, o)
		}
	}
	return out
}

// draw shows the question, the hint and the page of options around the
// highlighted one.
func (p *listPrompt) draw(config *survey.PromptConfig) error {
	page, idx := paginate(p.pageSize, p.filtered(config), p.sel)
	msg := ""
	if p.filter != "" {
		msg = " " + p.filter
	}
	sep, hint := "  ", p.hint
	if p.width > 0 && render.Width(p.message+msg)+surveyMark+len(sep)+render.Width(p.hint) >= p.width {
		// The hint on lines of its own, under the question.
		sep, hint = "\n  ", strings.ReplaceAll(render.Wrap(p.hint, p.width-surveyMark-1), "\n", "\n  ")
	}
	d := listData{Hint: hint, HintSep: sep, SelectTemplateData: survey.SelectTemplateData{
		Select:        survey.Select{Message: p.message, FilterMessage: msg},
		PageEntries:   p.wrapped(page),
		SelectedIndex: idx,
		Config:        config,
	}}
	return p.RenderWithCursorOffset(listTemplate, d, d.PageEntries, idx)
}

// wrapped is the page with each option wrapped to the terminal, its
// lines after the first under its text (the two cells of the marker).
func (p *listPrompt) wrapped(page []core.OptionAnswer) []core.OptionAnswer {
	if p.width <= 0 {
		return page
	}
	out := make([]core.OptionAnswer, len(page))
	for i, o := range page {
		o.Value = strings.ReplaceAll(render.Wrap(o.Value, p.width-surveyMark-1), "\n", "\n  ")
		out[i] = o
	}
	return out
}

// paginate returns the page of size options around sel, and sel's
// place on it, as survey's Select pages its options.
func paginate(size int, opts []core.OptionAnswer, sel int) ([]core.OptionAnswer, int) {
	switch {
	case len(opts) < size:
		return opts, sel
	case sel < size/2:
		return opts[:size], sel
	case len(opts)-sel-1 < size/2:
		start := len(opts) - size
		return opts[start:], sel - start
	}
	start := sel - size/2
	return opts[start : start+size], size / 2
}
