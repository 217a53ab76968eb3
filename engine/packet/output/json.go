package output

import (
	"bytes"
	"strings"

	"wiretutor/engine/packet/dissect"
)

// AppendJSON appends one packet of `tshark -T json` to buf, as tshark
// writes it within its array: with -e fields, exactly tshark's "layers"
// of arrays of strings; without, every field wiretutor knows, grouped by
// protocol (a subset of tshark's full tree).
func AppendJSON(buf []byte, p *dissect.Packet, fields []string) []byte {
	buf = append(buf, "  {\n    \"_index\": \"packets-"...)
	buf = p.Time.Local().AppendFormat(buf, "2006-01-02")
	buf = append(buf, "\",\n    \"_type\": \"doc\",\n    \"_score\": null,\n    \"_source\": {\n      \"layers\": {"...)
	if len(fields) > 0 {
		n := 0
		var tmp []byte
		for _, name := range fields {
			i := 0
			tmp = eachValue(tmp, p, name, func(v []byte) {
				if i == 0 {
					if n > 0 {
						buf = append(buf, ',')
					}
					n++
					buf = append(buf, "\n        "...)
					buf = appendJSONString(buf, name)
					buf = append(buf, ": ["...)
				} else {
					buf = append(buf, ',')
				}
				i++
				buf = append(buf, "\n          "...)
				buf = appendJSONString(buf, v)
			})
			if i > 0 {
				buf = append(buf, "\n        ]"...)
			}
		}
		if n > 0 {
			buf = append(buf, "\n      "...)
		}
		return append(buf, "}\n    }\n  }"...)
	}
	n := 0
	proto := ""
	var tmp []byte
	for _, name := range dissect.FieldNames() {
		if strings.HasPrefix(name, "_ws.col.") {
			continue // columns, which tshark's JSON leaves out
		}
		var ok bool
		tmp, ok = dissect.AppendField(tmp[:0], p, name)
		if !ok {
			continue
		}
		pr, _, _ := strings.Cut(name, ".")
		if pr != proto {
			if proto != "" {
				buf = append(buf, "\n        }"...)
			}
			if n > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, "\n        "...)
			buf = appendJSONString(buf, pr)
			buf = append(buf, ": {"...)
			proto = pr
			n++
		} else {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n          "...)
		buf = appendJSONString(buf, name)
		buf = append(buf, ": "...)
		buf = appendJSONString(buf, tmp)
	}
	if proto != "" {
		buf = append(buf, "\n        }\n      "...)
	}
	return append(buf, "}\n    }\n  }"...)
}

// eachValue calls fn with each value of the named field in p, as
// tshark's JSON and EK write an -e field: one string per value (tcp.port
// has two, ip.src two when an ICMP error quotes a packet), a column or a
// text as one string whatever commas it holds, and HTTP's body as its
// own bytes rather than -T fields' escaped text. tmp is scratch space,
// returned for reuse; the bytes given to fn live until the next call.
func eachValue(tmp []byte, p *dissect.Packet, name string, fn func(v []byte)) []byte {
	get := dissect.Getter(name)
	if get == nil {
		return tmp
	}
	var scratch [4]dissect.Value
	vals := get(p, scratch[:0])
	if len(vals) == 0 {
		return tmp
	}
	if name == "http.file_data" { // the one field -T fields escapes
		for _, v := range vals {
			fn(v.B)
		}
		return tmp
	}
	tmp, _ = dissect.AppendField(tmp[:0], p, name)
	rest := tmp
	for range len(vals) - 1 {
		k := bytes.IndexByte(rest, ',')
		if k < 0 {
			break
		}
		fn(rest[:k])
		rest = rest[k+1:]
	}
	fn(rest)
	return tmp
}

// appendJSONString appends s as a JSON string exactly as tshark writes
// it: quotes and backslashes escaped, bytes below 0x20 as above, "</" as
// "<\/" (so a page's </script> survives), every other byte as it is.
func appendJSONString[S ~string | ~[]byte](buf []byte, s S) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20:
			buf = appendJSONControl(buf, c)
		case c == '/' && i > 0 && s[i-1] == '<':
			buf = append(buf, '\\', '/')
		case c == '"' || c == '\\':
			buf = append(buf, '\\', c)
		default:
			buf = append(buf, c)
		}
	}
	return append(buf, '"')
}

// appendJSONControl escapes a byte below 0x20 as Wireshark's JSON
// writer (json_dumper) does: \b \t \n \f \r by name, the others as
// \u00XX.
func appendJSONControl(buf []byte, c byte) []byte {
	switch c {
	case '\b':
		return append(buf, '\\', 'b')
	case '\t':
		return append(buf, '\\', 't')
	case '\n':
		return append(buf, '\\', 'n')
	case '\f':
		return append(buf, '\\', 'f')
	case '\r':
		return append(buf, '\\', 'r')
	}
	return append(buf, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&15])
}
