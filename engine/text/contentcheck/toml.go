package contentcheck

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// pluralKeys are the CLDR plural categories: a table whose keys are
// these is one plural message.
var pluralKeys = []string{"zero", "one", "two", "few", "many", "other"}

// Messages reads a ui.toml into message id -> form -> text. A plain
// message has the one form "other"; a plural message has its CLDR
// forms. Tables nest: [quiz.next_ack] prompt = "…" is quiz.next_ack.prompt.
func Messages(data []byte) (map[string]map[string]string, error) {
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	var walk func(prefix string, m map[string]any) error
	walk = func(prefix string, m map[string]any) error {
		forms := map[string]string{}
		for k, v := range m {
			id := strings.TrimPrefix(prefix+"."+k, ".")
			switch v := v.(type) {
			case string:
				if slices.Contains(pluralKeys, k) && prefix != "" {
					forms[k] = v
				} else {
					out[id] = map[string]string{"other": v}
				}
			case map[string]any:
				if err := walk(id, v); err != nil {
					return err
				}
			default:
				return fmt.Errorf("%s: %w", id, errNotText)
			}
		}
		if len(forms) > 0 {
			out[prefix] = forms
		}
		return nil
	}
	if err := walk("", raw); err != nil {
		return nil, err
	}
	return out, nil
}

var errNotText = fmt.Errorf("a message must be text in quotes")

// keyLines finds the line each key of a TOML file is on: "quiz.hint"
// for hint = … under [quiz], and the table's own line for "quiz". It
// reads the simple TOML translators write (tables, key = value, dotted
// keys, multi-line strings); what it cannot place is simply absent.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	table, multi := "", ""
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if multi != "" {
			if strings.Contains(l, multi) {
				multi = ""
			}
			continue
		}
		switch {
		case l == "" || l[0] == '#':
		case l[0] == '[':
			table = strings.TrimSpace(strings.Trim(l, "[]"))
			table = unquoteKey(table)
			if _, ok := lines[table]; !ok {
				lines[table] = n
			}
		default:
			eq := strings.IndexByte(l, '=')
			if eq < 0 {
				continue
			}
			key := unquoteKey(strings.TrimSpace(l[:eq]))
			id := strings.TrimPrefix(table+"."+key, ".")
			lines[id] = n
			val := strings.TrimSpace(l[eq+1:])
			for _, q := range []string{`"""`, `'''`} {
				if strings.HasPrefix(val, q) && !strings.Contains(val[3:], q) {
					multi = q
				}
			}
		}
	}
	return lines
}

// unquoteKey turns a.b, "a".b and a . b into a.b.
func unquoteKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}
