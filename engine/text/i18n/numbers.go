package i18n

import (
	"strconv"
	"strings"
)

// Decimal writes v with digits digits after the language's decimal mark
// (number.decimal_mark: 1.5 in English, 1,5 in Russian).
func (c *Catalog) Decimal(v float64, digits int) string {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if mark := c.T("number.decimal_mark", nil); mark != "." && mark != "" {
		s = strings.Replace(s, ".", mark, 1)
	}
	return s
}

// Size writes a byte count in the language's units (number.units):
// 512 B, 1.5 KB, 20.0 MB, in powers of 1000 as disks and networks count.
func (c *Catalog) Size(n int64) string {
	units := strings.Fields(c.T("number.units", nil))
	if len(units) < 4 {
		units = []string{"B", "KB", "MB", "GB"}
	}
	if n < 1000 && n > -1000 {
		return strconv.FormatInt(n, 10) + " " + units[0]
	}
	v, u := float64(n)/1000, 1
	for (v >= 1000 || v <= -1000) && u < len(units)-1 {
		v /= 1000
		u++
	}
	return c.Decimal(v, 1) + " " + units[u]
}

// Rate writes bytes per second as a size per second (number.per_second).
func (c *Catalog) Rate(perSecond float64) string {
	return c.T("number.per_second", map[string]any{"Size": c.Size(int64(perSecond))})
}

// Seconds writes a time in seconds with digits decimals (number.seconds).
func (c *Catalog) Seconds(s float64, digits int) string {
	return c.T("number.seconds", map[string]any{"N": c.Decimal(s, digits)})
}
