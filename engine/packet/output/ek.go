package output

import (
	"strconv"
	"strings"

	"wiretutor/engine/packet/dissect"
)

// AppendEK appends one packet of `tshark -T ek` (newline-delimited JSON
// for Elasticsearch's bulk API) to buf: the index line, then the
// packet's line, each ending in a newline. The packet's "timestamp" is
// its time in milliseconds since 1970 and its layers are named as EK
// names them, dots turned into underscores.
//
// With -e fields the layers are exactly tshark's: each field the packet
// has, in the order given, as an array of strings
// ({"ip_src":["127.0.0.1"]}). Without, they hold every field wiretutor
// knows, grouped by protocol as -T json groups them, each named after
// its protocol and itself ("tcp":{"tcp_tcp_srcport":"41544"}): a subset
// of tshark's full tree in the same shape, flags as true or false,
// fields that are only there or not (tcp.analysis.*) as null, a field
// with several values (tcp.port) as an array.
func AppendEK(buf []byte, p *dissect.Packet, fields []string) []byte {
	buf = append(buf, `{"index":{"_index":"packets-`...)
	buf = p.Time.Local().AppendFormat(buf, "2006-01-02")
	buf = append(buf, `","_type":"doc"}}`+"\n"+`{"timestamp":"`...)
	buf = strconv.AppendInt(buf, p.Time.UnixMilli(), 10)
	buf = append(buf, `","layers":{`...)
	var tmp []byte
	if len(fields) > 0 {
		n := 0
		for _, name := range fields {
			i := 0
			tmp = eachValue(tmp, p, name, func(v []byte) {
				if i == 0 {
					if n > 0 {
						buf = append(buf, ',')
					}
					n++
					buf = appendEKName(buf, "", name)
					buf = append(buf, ":["...)
				} else {
					buf = append(buf, ',')
				}
				i++
				buf = appendJSONString(buf, v)
			})
			if i > 0 {
				buf = append(buf, ']')
			}
		}
		return append(buf, "}}\n"...)
	}
	proto := ""
	var scratch [4]dissect.Value
	for _, name := range dissect.FieldNames() {
		if strings.HasPrefix(name, "_ws.col.") {
			continue // columns, which tshark's EK leaves out
		}
		vals := dissect.Getter(name)(p, scratch[:0])
		if len(vals) == 0 {
			continue
		}
		pr, _, _ := strings.Cut(name, ".")
		if pr != proto {
			if proto != "" {
				buf = append(buf, "},"...)
			}
			buf = appendJSONString(buf, pr)
			buf = append(buf, ":{"...)
			proto = pr
		} else {
			buf = append(buf, ',')
		}
		buf = appendEKName(buf, pr, name)
		buf = append(buf, ':')
		kind, _ := dissect.FieldKind(name)
		if len(vals) > 1 {
			buf = append(buf, '[')
		}
		i := 0
		tmp = eachValue(tmp, p, name, func(v []byte) {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendEKValue(buf, name, kind, vals[min(i, len(vals)-1)], v)
			i++
		})
		if len(vals) > 1 {
			buf = append(buf, ']')
		}
	}
	if proto != "" {
		buf = append(buf, '}')
	}
	return append(buf, "}}\n"...)
}

// appendEKName appends a field's EK name, quoted: the protocol, if
// given, then an underscore and the field's name with its dots as
// underscores (tcp_tcp_srcport, or ip_src with -e).
func appendEKName(buf []byte, proto, name string) []byte {
	buf = append(buf, '"')
	if proto != "" {
		buf = append(buf, proto...)
		buf = append(buf, '_')
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '.' {
			c = '_'
		}
		buf = append(buf, c)
	}
	return append(buf, '"')
}

// appendEKValue writes one value as tshark's full EK tree types it:
// single bits true or false, http.request and http.response (booleans
// in Wireshark) true, other fields that only mark a packet (-T fields'
// "1") null, the rest the string text gives.
func appendEKValue(buf []byte, name string, kind dissect.Kind, v dissect.Value, text []byte) []byte {
	switch kind {
	case dissect.KindBool:
		return strconv.AppendBool(buf, v.U != 0)
	case dissect.KindNone:
		if string(text) != "1" {
			break // a text, as _ws.malformed's
		}
		if name == "http.request" || name == "http.response" {
			return append(buf, "true"...)
		}
		return append(buf, "null"...)
	}
	return appendJSONString(buf, text)
}
