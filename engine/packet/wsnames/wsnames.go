// Package wsnames knows the names of the protocols Wireshark dissects,
// so that a filter or a field of a protocol wiretutor does not dissect
// yet (dns.qry.name) is told as such, not as a name Wireshark lacks.
// The list is tshark 4.0's (protocols.txt, embedded).
package wsnames

import (
	_ "embed"
	"sort"
	"strings"
	"sync"
)

//go:embed protocols.txt
var list string

// names is the sorted list, read once.
var names = sync.OnceValue(func() []string {
	var out []string
	for _, l := range strings.Split(list, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
})

// Protocol returns the Wireshark protocol a display-filter name belongs
// to: the longest of its dot-separated prefixes (the name itself
// included) that names a protocol tshark dissects, and whether there is
// one. Protocol("dns.qry.name") is "dns"; a field of that protocol may
// or may not exist in Wireshark, only its protocol is known.
func Protocol(name string) (string, bool) {
	for p := name; p != ""; {
		if has(p) {
			return p, true
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return "", false
}

func has(name string) bool {
	n := names()
	i := sort.SearchStrings(n, name)
	return i < len(n) && n[i] == name
}
