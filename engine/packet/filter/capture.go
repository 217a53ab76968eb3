// Package filter compiles capture filters (pcap-filter syntax) to classic
// BPF that the kernel runs on the capture socket.
//
// This first grammar covers what the lessons need: the primitives tcp,
// udp, icmp, ip, ip6, [tcp|udp] [src|dst] port N, joined by and/or/not
// (&&, ||, !) with parentheses. Anything else is refused with the
// position of the problem, never silently widened.
package filter

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/bpf"

	"wiretutor/engine/text/message"
)

// SyntaxError is a capture filter that does not parse.
type SyntaxError struct {
	Filter string
	Pos    int    // byte offset of the problem
	Code   string // what is wrong, for a translated message: see the Code* constants
	Msg    string // the same in English, for logs and tests
}

// What a SyntaxError can say, as codes a user interface translates.
const (
	CodeMissing       = "missing"        // an expression is missing
	CodeParen         = "paren"          // ")" expected
	CodeUnsupported   = "unsupported"    // outside the grammar this version knows
	CodePort          = "port"           // a port number expected
	CodeUnexpected    = "unexpected"     // a word where none can stand
	CodeHost          = "host"           // an IP address expected
	CodePortRange     = "portrange"      // a range like 1024-2048 expected
	CodeDisplaySyntax = "display_syntax" // a display filter where a capture filter belongs
)

// Error gives the filter, the position and the problem in English.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("capture filter %q, at %d: %s", e.Filter, e.Pos+1, e.Msg)
}

// ErrSyntax is wrapped by every SyntaxError, for errors.Is.
var ErrSyntax = errors.New("capture filter syntax")

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// Message names the sentence that tells a person: the filter, the
// character at fault (from 1) and why.
func (e *SyntaxError) Message() (string, map[string]any) {
	return "error.capture_filter", map[string]any{"Filter": e.Filter, "Pos": e.Pos + 1, "Why": e.Reason()}
}

// Reason is what is wrong, without the filter: "filter.<code>".
func (e *SyntaxError) Reason() message.Msg { return message.Msg{ID: "filter." + e.Code} }

// node is a parsed filter expression.
type node interface{}

type (
	andNode  struct{ l, r node }
	orNode   struct{ l, r node }
	notNode  struct{ n node }
	protoNod struct{ proto string } // tcp udp icmp ip ip6 arp
	portNode struct {
		proto  string // "", "tcp" or "udp"
		dir    string // "", "src" or "dst"
		port   uint16
		hiPort uint16 // portrange: the last port; 0 for a single port
	}
	hostNode struct {
		dir  string // "", "src" or "dst"
		addr netip.Addr
	}
)

type token struct {
	s   string
	pos int
}

func lex(s string) []token {
	var toks []token
	for i := 0; i < len(s); {
		c := rune(s[i])
		switch {
		case unicode.IsSpace(c):
			i++
		case strings.HasPrefix(s[i:], "&&"), strings.HasPrefix(s[i:], "||"):
			toks = append(toks, token{s[i : i+2], i})
			i += 2
		case c == '(' || c == ')' || c == '!':
			toks = append(toks, token{s[i : i+1], i})
			i++
		default:
			j := i
			for j < len(s) && !unicode.IsSpace(rune(s[j])) && !strings.ContainsRune("()!&|", rune(s[j])) {
				j++
			}
			if j == i {
				j++
			}
			toks = append(toks, token{s[i:j], i})
			i = j
		}
	}
	return toks
}

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() string {
	if p.i < len(p.toks) {
		return strings.ToLower(p.toks[p.i].s)
	}
	return ""
}

func (p *parser) pos() int {
	if p.i < len(p.toks) {
		return p.toks[p.i].pos
	}
	return len(p.src)
}

func (p *parser) fail(code, msg string) error {
	return &SyntaxError{Filter: p.src, Pos: p.pos(), Code: code, Msg: msg}
}

func (p *parser) or() (node, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peek() == "or" || p.peek() == "||" {
		p.i++
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = orNode{l, r}
	}
	return l, nil
}

func (p *parser) and() (node, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.peek() == "and" || p.peek() == "&&" {
		p.i++
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = andNode{l, r}
	}
	return l, nil
}

func (p *parser) unary() (node, error) {
	switch p.peek() {
	case "not", "!":
		p.i++
		n, err := p.unary()
		return notNode{n}, err
	case "(":
		p.i++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, p.fail(CodeParen, `")" expected`)
		}
		p.i++
		return n, nil
	case "":
		return nil, p.fail(CodeMissing, "an expression is missing here")
	}
	return p.primitive()
}

func (p *parser) primitive() (node, error) {
	// tcp.port == 10000 is a display filter: say so, rather than only
	// that the word is unknown.
	if w := p.peek(); strings.Contains(w, "==") || (strings.Contains(w, ".") && strings.IndexFunc(w, unicode.IsLetter) >= 0) {
		return nil, p.fail(CodeDisplaySyntax, "this is display filter syntax; capture filters read like tcp port 10000")
	}
	proto := ""
	switch w := p.peek(); w {
	case "tcp", "udp":
		proto = w
		p.i++
		switch p.peek() {
		case "port", "portrange", "src", "dst":
		default:
			return protoNod{proto}, nil
		}
	case "icmp", "ip", "ip6", "arp":
		p.i++
		return protoNod{w}, nil
	}
	dir := ""
	if w := p.peek(); w == "src" || w == "dst" {
		dir = w
		p.i++
	}
	switch p.peek() {
	case "host":
		if proto != "" {
			return nil, p.fail(CodeUnsupported, "host takes no tcp or udp before it")
		}
		p.i++
		a, err := netip.ParseAddr(p.peek())
		if err != nil {
			return nil, p.fail(CodeHost, "an IP address expected")
		}
		p.i++
		return hostNode{dir: dir, addr: a.Unmap()}, nil
	case "port":
		p.i++
		n, err := strconv.ParseUint(p.peek(), 10, 16)
		if err != nil {
			return nil, p.fail(CodePort, "a port number from 0 to 65535 expected")
		}
		p.i++
		return portNode{proto: proto, dir: dir, port: uint16(n)}, nil
	case "portrange":
		p.i++
		lo, hi, ok := strings.Cut(p.peek(), "-")
		a, err1 := strconv.ParseUint(lo, 10, 16)
		b, err2 := strconv.ParseUint(hi, 10, 16)
		if !ok || err1 != nil || err2 != nil || a > b {
			return nil, p.fail(CodePortRange, "a port range like 1024-2048 expected")
		}
		p.i++
		return portNode{proto: proto, dir: dir, port: uint16(a), hiPort: uint16(b)}, nil
	}
	return nil, p.fail(CodeUnsupported, "not supported here: this version understands tcp, udp, icmp, ip, ip6, arp, [src|dst] host A, [tcp|udp] [src|dst] port N and portrange N-M")
}

// parse reads a capture filter.
func parse(s string) (node, error) {
	p := &parser{src: s, toks: lex(s)}
	if len(p.toks) == 0 {
		return nil, nil
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, p.fail(CodeUnexpected, "unexpected "+strconv.Quote(p.toks[p.i].s))
	}
	return n, nil
}

// CompileCapture compiles a capture filter for Ethernet frames. An empty
// filter keeps everything. The program returns snap for a kept frame.
func CompileCapture(expr string, snap uint32) ([]bpf.Instruction, error) {
	n, err := parse(expr)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return []bpf.Instruction{bpf.RetConstant{Val: snap}}, nil
	}
	var g gen
	prog, err := g.compile(n, snap)
	var tl *TooLongError
	if errors.As(err, &tl) {
		tl.Filter = expr
	}
	return prog, err
}
