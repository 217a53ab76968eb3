package doc

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"text/template/parse"

	"wiretutor/engine/text/message"
)

// Grammar is what a content template may hold besides text. Content is
// written by translators, so it never reaches text/template: it is
// parsed with text/template/parse, every node is checked against the
// grammar, and what passes is run by this package's own small
// interpreter, which has no loops, no calls and no way to name another
// template. Its output is the text plus the values, never more.
type Grammar int

const (
	// Fields is the grammar of ui.toml messages: placeholders {{.Name}}
	// and quoted text ({{"{{"}} writes two braces).
	Fields Grammar = iota
	// Conditions is the grammar of lesson sections: Fields, and
	// {{if C}}…{{else if C}}…{{else}}…{{end}} where C is .Name,
	// not .Name, eq .Name "text" or ne .Name "text" (a number or true
	// or false in place of the text).
	Conditions
)

// Template is a content template that passed its grammar.
type Template struct {
	nodes  []node
	fields []Field
}

// Field is one placeholder of a template: its name and its line.
type Field struct {
	Name string
	Line int // within the template's text, from 1
}

// TemplateError is a template that cannot be used. What is set when the
// template holds a construct its grammar refuses, written as in a
// template ("{{range}}", "|", "{{/* */}}"); Err is set when it does not
// parse at all, or when a value it names is missing at run time: Code
// then says what is wrong (one of the Template* codes; empty when only
// the parser's own words, Err, say it), with Arg and Got.
type TemplateError struct {
	Line int // within the template's text, from 1
	What string
	Err  string
	Code string
	Arg  string
	Got  string
}

// The codes of TemplateError: each is ui.toml's
// content_check.template.<code>.
const (
	TemplateUnclosed     = "unclosed"     // {{ without its }}
	TemplateBadChar      = "bad_char"     // Arg cannot stand in an action ("{{.Port}" gives "}")
	TemplateEOF          = "eof"          // the text ends inside {{if}}: no {{end}}
	TemplateUnexpected   = "unexpected"   // Arg ({{end}}, {{else}}) with no {{if}} open
	TemplateUnterminated = "unterminated" // a quoted text without its closing quote
	TemplateEmpty        = "empty"        // {{Arg}} with nothing to test: {{if}}
	TemplateExpected     = "expected"     // Got where Arg is expected: a second {{else}}
	TemplateNoValue      = "no_value"     // {{.Arg}} has no value at run time
	TemplateCompare      = "compare"      // {{.Arg}} cannot be compared with Got
	templateParser       = "parser"       // only the parser's words, Err
)

// parseCodes read text/template/parse's messages that a translator's
// slip makes into codes, with their Arg and Got.
var parseCodes = []struct {
	re   *regexp.Regexp
	code string
	arg  func(m []string) (arg, got string)
}{
	{regexp.MustCompile(`^unclosed action`), TemplateUnclosed, nil},
	{regexp.MustCompile(`^(?:bad|unrecognized) character (?:in action: )?U\+[0-9A-F]+ '(.*)'$`), TemplateBadChar, func(m []string) (string, string) { return m[1], "" }},
	{regexp.MustCompile(`^unexpected EOF$`), TemplateEOF, nil},
	{regexp.MustCompile(`^unexpected (\{\{\w+\}\})`), TemplateUnexpected, func(m []string) (string, string) { return m[1], "" }},
	{regexp.MustCompile(`^unterminated (quoted|raw quoted) string`), TemplateUnterminated, nil},
	{regexp.MustCompile(`^missing value for (\w+)`), TemplateEmpty, func(m []string) (string, string) { return "{{" + m[1] + "}}", "" }},
	{regexp.MustCompile(`^expected (\w+); found (.*)$`), TemplateExpected, func(m []string) (string, string) { return "{{" + m[1] + "}}", m[2] }},
}

// classify gives a parse error its code.
func (e *TemplateError) classify() {
	e.Code = templateParser
	for _, pc := range parseCodes {
		if m := pc.re.FindStringSubmatch(e.Err); m != nil {
			e.Code = pc.code
			if pc.arg != nil {
				e.Arg, e.Got = pc.arg(m)
			}
			return
		}
	}
}

// Reason is the sentence that says what is wrong with a template that
// does not parse, or cannot run, as a message of ui.toml
// (content_check.template.*) with its data: Arg, Got, and Detail, the
// parser's own words.
func (e *TemplateError) Reason() message.Msg {
	code := e.Code
	if code == "" {
		code = templateParser
	}
	return message.Msg{ID: "content_check.template." + code, Data: map[string]any{"Arg": e.Arg, "Got": e.Got, "Detail": e.Err}}
}

// Error says where the problem is and what it is.
func (e *TemplateError) Error() string {
	if e.What != "" {
		return fmt.Sprintf("line %d: %s is not allowed in a text, only placeholders such as {{.Name}}", e.Line, e.What)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Err)
}

// node is one piece of a compiled template.
type node struct {
	kind  nodeKind
	text  string // text, or the field's name
	line  int
	cond  *cond
	then  []node
	other []node // the else branch
}

type nodeKind int

const (
	textNode nodeKind = iota
	fieldNode
	ifNode
)

// cond is an if's condition: the field's truth, or its comparison with
// a constant.
type cond struct {
	op    string // "", "not", "eq", "ne"
	field string
	line  int
	value any // string, int64, float64 or bool, for eq and ne
}

// parseErrRE takes the line and message out of text/template/parse's
// "template: NAME:LINE: MESSAGE".
var parseErrRE = regexp.MustCompile(`^template: [^:]*:(\d+):(?:\d+:)? ?(.*)$`)

// Compile checks src against the grammar and prepares it to run.
func Compile(src string, g Grammar) (*Template, error) {
	if !strings.Contains(src, "{{") {
		// No action: parse would find only text (and "}}" alone is text).
		return &Template{nodes: []node{{kind: textNode, text: src}}}, nil
	}
	tr := parse.New("t")
	// Comments are kept to be refused, and any function name parses, to
	// be refused by name rather than as a syntax error.
	tr.Mode = parse.ParseComments | parse.SkipFuncCheck
	set := map[string]*parse.Tree{}
	if _, err := tr.Parse(src, "{{", "}}", set); err != nil {
		te := &TemplateError{Line: 1, Err: err.Error()}
		if m := parseErrRE.FindStringSubmatch(err.Error()); m != nil {
			te.Line, _ = strconv.Atoi(m[1])
			te.Err = m[2]
		}
		te.classify()
		return nil, te
	}
	for _, t := range set {
		if t != tr {
			// {{define}} or {{block}}: a template of its own.
			return nil, &TemplateError{Line: lineAt(src, t.Root.Position()), What: "{{define}}"}
		}
	}
	c := &compiler{src: src, g: g}
	nodes, err := c.list(tr.Root)
	if err != nil {
		return nil, err
	}
	return &Template{nodes: nodes, fields: c.fields}, nil
}

// lineAt is the line of byte offset pos in src, from 1.
func lineAt(src string, pos parse.Pos) int {
	p := min(max(int(pos), 0), len(src))
	return strings.Count(src[:p], "\n") + 1
}

type compiler struct {
	src    string
	g      Grammar
	fields []Field
}

func (c *compiler) refuse(n parse.Node, what string) error {
	return &TemplateError{Line: lineAt(c.src, n.Position()), What: what}
}

func (c *compiler) list(l *parse.ListNode) ([]node, error) {
	if l == nil {
		return nil, nil
	}
	var out []node
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			out = append(out, node{kind: textNode, text: string(n.Text)})
		case *parse.ActionNode:
			nd, err := c.action(n)
			if err != nil {
				return nil, err
			}
			out = append(out, nd)
		case *parse.IfNode:
			if c.g != Conditions {
				return nil, c.refuse(n, "{{if}}")
			}
			cd, err := c.cond(n.Pipe)
			if err != nil {
				return nil, err
			}
			then, err := c.list(n.List)
			if err != nil {
				return nil, err
			}
			other, err := c.list(n.ElseList)
			if err != nil {
				return nil, err
			}
			out = append(out, node{kind: ifNode, line: cd.line, cond: cd, then: then, other: other})
		case *parse.RangeNode:
			return nil, c.refuse(n, "{{range}}")
		case *parse.WithNode:
			return nil, c.refuse(n, "{{with}}")
		case *parse.TemplateNode:
			return nil, c.refuse(n, "{{template}}")
		case *parse.CommentNode:
			return nil, c.refuse(n, "{{/* */}}")
		case *parse.BreakNode:
			return nil, c.refuse(n, "{{break}}")
		case *parse.ContinueNode:
			return nil, c.refuse(n, "{{continue}}")
		default:
			return nil, c.refuse(n, n.String())
		}
	}
	return out, nil
}

// action allows {{.Name}} and {{"text"}}, nothing else.
func (c *compiler) action(a *parse.ActionNode) (node, error) {
	arg, err := c.single(a.Pipe)
	if err != nil {
		return node{}, err
	}
	switch arg := arg.(type) {
	case *parse.FieldNode:
		f, err := c.field(arg)
		if err != nil {
			return node{}, err
		}
		return node{kind: fieldNode, text: f, line: lineAt(c.src, arg.Position())}, nil
	case *parse.StringNode:
		return node{kind: textNode, text: arg.Text}, nil
	}
	return node{}, c.refuse(arg, what(arg))
}

// single returns the one argument of a pipeline that is neither a
// declaration, nor a pipe, nor a call.
func (c *compiler) single(p *parse.PipeNode) (parse.Node, error) {
	if len(p.Decl) > 0 {
		return nil, c.refuse(p, "$")
	}
	if len(p.Cmds) != 1 {
		return nil, c.refuse(p, "|")
	}
	args := p.Cmds[0].Args
	if len(args) != 1 {
		if f, ok := args[0].(*parse.FieldNode); ok {
			// A method called with arguments.
			return nil, c.refuse(f, "{{"+f.String()+" …}}")
		}
		return nil, c.refuse(args[0], what(args[0]))
	}
	return args[0], nil
}

// field allows a single name: .Name, not .A.B.
func (c *compiler) field(f *parse.FieldNode) (string, error) {
	if len(f.Ident) != 1 {
		return "", c.refuse(f, "{{"+f.String()+"}}")
	}
	c.fields = append(c.fields, Field{Name: f.Ident[0], Line: lineAt(c.src, f.Position())})
	return f.Ident[0], nil
}

// what names a refused argument as it is written.
func what(n parse.Node) string {
	switch n := n.(type) {
	case *parse.IdentifierNode:
		return "{{" + n.Ident + "}}"
	case *parse.VariableNode:
		return "$"
	case *parse.DotNode:
		return "{{.}}"
	case *parse.PipeNode:
		return "( )"
	}
	return "{{" + n.String() + "}}"
}

// cond allows .Name, not .Name, eq .Name CONST and ne .Name CONST.
func (c *compiler) cond(p *parse.PipeNode) (*cond, error) {
	if len(p.Decl) > 0 {
		return nil, c.refuse(p, "$")
	}
	if len(p.Cmds) != 1 {
		return nil, c.refuse(p, "|")
	}
	args := p.Cmds[0].Args
	line := lineAt(c.src, p.Position())
	if len(args) == 1 {
		f, ok := args[0].(*parse.FieldNode)
		if !ok {
			return nil, c.refuse(args[0], what(args[0]))
		}
		name, err := c.field(f)
		return &cond{field: name, line: line}, err
	}
	id, ok := args[0].(*parse.IdentifierNode)
	if !ok {
		return nil, c.refuse(args[0], what(args[0]))
	}
	switch {
	case id.Ident == "not" && len(args) == 2:
		f, ok := args[1].(*parse.FieldNode)
		if !ok {
			return nil, c.refuse(args[1], what(args[1]))
		}
		name, err := c.field(f)
		return &cond{op: "not", field: name, line: line}, err
	case (id.Ident == "eq" || id.Ident == "ne") && len(args) == 3:
		f, k := args[1], args[2]
		if _, ok := f.(*parse.FieldNode); !ok {
			f, k = k, f
		}
		fn, ok := f.(*parse.FieldNode)
		if !ok {
			return nil, c.refuse(args[1], what(args[1]))
		}
		var v any
		switch k := k.(type) {
		case *parse.StringNode:
			v = k.Text
		case *parse.BoolNode:
			v = k.True
		case *parse.NumberNode:
			switch {
			case k.IsInt:
				v = k.Int64
			case k.IsFloat:
				v = k.Float64
			default:
				return nil, c.refuse(k, what(k))
			}
		default:
			return nil, c.refuse(k, what(k))
		}
		name, err := c.field(fn)
		return &cond{op: id.Ident, field: name, line: line, value: v}, err
	}
	return nil, c.refuse(id, what(id))
}

// Fields returns the template's placeholders in the order they appear,
// those of conditions included.
func (t *Template) Fields() []Field { return t.fields }

// Execute fills the template from data, a map with string keys or a
// struct. A placeholder data has no value for is an error, never
// "<no value>".
func (t *Template) Execute(data any) (string, error) {
	var b strings.Builder
	if err := run(&b, t.nodes, reflect.ValueOf(data)); err != nil {
		return "", err
	}
	return b.String(), nil
}

func run(b *strings.Builder, nodes []node, data reflect.Value) error {
	for i := range nodes {
		n := &nodes[i]
		switch n.kind {
		case textNode:
			b.WriteString(n.text)
		case fieldNode:
			v, err := lookup(data, n.text, n.line)
			if err != nil {
				return err
			}
			fmt.Fprint(b, printable(v))
		case ifNode:
			ok, err := n.cond.eval(data)
			if err != nil {
				return err
			}
			branch := n.other
			if ok {
				branch = n.then
			}
			if err := run(b, branch, data); err != nil {
				return err
			}
		}
	}
	return nil
}

// printable is v as fmt prints it: the value an interface holds, or nil.
func printable(v reflect.Value) any {
	if !v.IsValid() || !v.CanInterface() {
		return nil
	}
	return v.Interface()
}

// lookup finds .name in data.
func lookup(data reflect.Value, name string, line int) (reflect.Value, error) {
	missing := &TemplateError{Line: line, Err: "no value for {{." + name + "}}", Code: TemplateNoValue, Arg: name}
	for data.IsValid() && (data.Kind() == reflect.Pointer || data.Kind() == reflect.Interface) {
		if data.IsNil() {
			return reflect.Value{}, missing
		}
		data = data.Elem()
	}
	if !data.IsValid() {
		return reflect.Value{}, missing
	}
	switch data.Kind() {
	case reflect.Map:
		if data.Type().Key().Kind() != reflect.String {
			return reflect.Value{}, missing
		}
		v := data.MapIndex(reflect.ValueOf(name).Convert(data.Type().Key()))
		if !v.IsValid() {
			return reflect.Value{}, missing
		}
		return v, nil
	case reflect.Struct:
		sf, ok := data.Type().FieldByName(name)
		if !ok || !sf.IsExported() {
			return reflect.Value{}, missing
		}
		v, err := data.FieldByIndexErr(sf.Index)
		if err != nil {
			return reflect.Value{}, missing
		}
		return v, nil
	}
	return reflect.Value{}, missing
}

func (c *cond) eval(data reflect.Value) (bool, error) {
	v, err := lookup(data, c.field, c.line)
	if err != nil {
		return false, err
	}
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	switch c.op {
	case "":
		return truth(v), nil
	case "not":
		return !truth(v), nil
	}
	eq, ok := equal(v, c.value)
	if !ok {
		return false, &TemplateError{Line: c.line, Err: fmt.Sprintf("{{.%s}} cannot be compared with %v", c.field, c.value), Code: TemplateCompare, Arg: c.field, Got: fmt.Sprint(c.value)}
	}
	return eq == (c.op == "eq"), nil
}

// truth is text/template's: false for a zero number, an empty string,
// slice or map, nil and false.
func truth(v reflect.Value) bool {
	if !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0
	case reflect.Bool:
		return v.Bool()
	case reflect.Complex64, reflect.Complex128:
		return v.Complex() != 0
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.Interface:
		return !v.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() != 0
	case reflect.Float32, reflect.Float64:
		return v.Float() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() != 0
	}
	return true
}

// equal compares a value with a template's constant; ok is false when
// they are of kinds that do not compare.
func equal(v reflect.Value, k any) (eq, ok bool) {
	switch k := k.(type) {
	case string:
		if v.Kind() == reflect.String {
			return v.String() == k, true
		}
	case bool:
		if v.Kind() == reflect.Bool {
			return v.Bool() == k, true
		}
	case int64:
		switch v.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return v.Int() == k, true
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return k >= 0 && v.Uint() == uint64(k), true
		case reflect.Float32, reflect.Float64:
			return v.Float() == float64(k), true
		}
	case float64:
		switch v.Kind() {
		case reflect.Float32, reflect.Float64:
			return v.Float() == k, true
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return float64(v.Int()) == k, true
		}
	}
	return false, false
}
