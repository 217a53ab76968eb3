package output

import (
	"strconv"
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
		for _, name := range fields {
			v, ok := dissect.Field(p, name)
			if !ok {
				continue
			}
			if n > 0 {
				buf = append(buf, ',')
			}
			n++
			buf = append(buf, "\n        "...)
			buf = strconv.AppendQuote(buf, name)
			buf = append(buf, ": ["...)
			parts := []string{v} // a column is one value, commas and all
			if !strings.HasPrefix(name, "_ws.col.") {
				parts = strings.Split(v, ",")
			}
			for i, part := range parts {
				if i > 0 {
					buf = append(buf, ',')
				}
				buf = append(buf, "\n          "...)
				buf = strconv.AppendQuote(buf, part)
			}
			buf = append(buf, "\n        ]"...)
		}
		if n > 0 {
			buf = append(buf, "\n      "...)
		}
		return append(buf, "}\n    }\n  }"...)
	}
	n := 0
	proto := ""
	for _, name := range dissect.FieldNames() {
		if strings.HasPrefix(name, "_ws.col.") {
			continue // columns, which tshark's JSON leaves out
		}
		v, ok := dissect.Field(p, name)
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
			buf = strconv.AppendQuote(buf, pr)
			buf = append(buf, ": {"...)
			proto = pr
			n++
		} else {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n          "...)
		buf = strconv.AppendQuote(buf, name)
		buf = append(buf, ": "...)
		buf = strconv.AppendQuote(buf, v)
	}
	if proto != "" {
		buf = append(buf, "\n        }\n      "...)
	}
	return append(buf, "}\n    }\n  }"...)
}
