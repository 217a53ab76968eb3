package filter

import "strings"

// A bytes literal, as tshark 4.0 reads one after a bytes field or a
// slice: udp.payload[0] == 3, tcp.payload[0:2] == 01:0c, frame[0:3] ==
// 3.a.0, data.data == 030a.

// bytesLiteral reads s as Wireshark's bytes literals: hex digits taken
// two at a time from the left, a digit left alone before a separator or
// the end standing for one byte (3 is 03), groups parted by one '.' or
// '-' (a '-' may end it too); or pairs parted by ':' (01:0c), whose
// pairs must be whole; or 0x and two digits for one byte. A tail that
// tshark's scanner takes for a token of its own ("3:0a" ends at the 3)
// is reported by its offset in s, tail >= 0; ok is false when s is no
// bytes at all.
func bytesLiteral(s string) (b []byte, tail int, ok bool) {
	if len(s) == 4 && (s[:2] == "0x" || s[:2] == "0X") && isHex(s[2]) && isHex(s[3]) {
		return []byte{unhex(s[2])<<4 | unhex(s[3])}, -1, true
	}
	if c := colonPairs(s); c > 0 {
		if c < len(s) {
			return nil, c, false
		}
		b = make([]byte, 0, (len(s)+1)/3)
		for i := 0; i < len(s); i += 3 {
			b = append(b, unhex(s[i])<<4|unhex(s[i+1]))
		}
		return b, -1, true
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		return nil, i, false
	}
	if strings.HasSuffix(s, ".") {
		return nil, len(s) - 1, false // a '.' with nothing after it is an operator's
	}
	for i := 0; i < len(s); {
		if !isHex(s[i]) {
			return nil, -1, false
		}
		if i+1 < len(s) && isHex(s[i+1]) {
			b = append(b, unhex(s[i])<<4|unhex(s[i+1]))
			i += 2
		} else {
			b = append(b, unhex(s[i]))
			i++
		}
		if i < len(s) && (s[i] == '.' || s[i] == '-') {
			i++ // one separator; a second is no hex digit
		}
	}
	return b, -1, len(b) > 0
}

// colonPairs is the length of the longest start of s made of two-digit
// pairs joined by ':', at least two of them; 0 if s starts otherwise.
func colonPairs(s string) int {
	n := 0
	for n+2 <= len(s) && isHex(s[n]) && isHex(s[n+1]) {
		if n+2 == len(s) || s[n+2] != ':' || n+5 > len(s) || !isHex(s[n+3]) || !isHex(s[n+4]) {
			n += 2
			break
		}
		n += 3
	}
	if n < 5 {
		return 0
	}
	return n
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
