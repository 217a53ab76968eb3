package verify

import (
	"strings"
	"time"
)

// Comment is what a verify run writes into the pcapng it saves, so that
// check grades the file as verify did: the lesson, the role and the
// moment verify stopped the program (none when it ended by itself).
func Comment(lesson, role string, stopped time.Time) string {
	s := "wiretutor verify " + lesson + " --role " + role
	if !stopped.IsZero() {
		s += "; stopped " + stopped.UTC().Format(time.RFC3339Nano)
	}
	return s
}

// ParseComment reads a Comment back; ok is false for any other text.
func ParseComment(c string) (lesson, role string, stopped time.Time, ok bool) {
	head, when, _ := strings.Cut(c, "; stopped ")
	f := strings.Fields(head)
	if len(f) != 5 || f[0] != "wiretutor" || f[1] != "verify" || f[3] != "--role" {
		return "", "", time.Time{}, false
	}
	if when != "" {
		var err error
		if stopped, err = time.Parse(time.RFC3339Nano, when); err != nil {
			return "", "", time.Time{}, false
		}
	}
	return f[2], f[4], stopped, true
}
