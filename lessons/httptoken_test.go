package lessons_test

import (
	"strings"
	"testing"
)

// TestTokenAsksWhereItTeaches: the method and two status codes are
// predicted before the capture is shown, and nothing printed before
// them tells how the calls went; then the token is found, and the
// what-if counts the body: 61 bytes with wiretutor-notes, 55 with
// lab-notes.
func TestTokenAsksWhereItTeaches(t *testing.T) {
	p := checkFlow(t, "http-api-token", []want{
		{"api-create-method", "POST", 0, true},
		{"api-status-no-token", "401", 0, true},
		{"api-create-status", "201", 0, true},
		{"api-status-token", "200", 0, false},
		{"api-token-frame", "", 0, false},
		{"api-create-length", "55", -6, false},
	}, 2)
	ran := p.before(t, 1)
	ran = ran[max(strings.Index(ran, "Starting the lesson"), 0):] // the tables before teach the codes
	for _, told := range []string{"401", "201", "Unauthorized", "Created", "POST"} {
		if strings.Contains(ran, told) {
			t.Errorf("from the run to the predictions the lesson says %q:\n%s", told, ran)
		}
	}
	if len(p.qs) > 4 {
		// The token's frame is the second request: the first had no token.
		if q := p.qs[4]; !strings.Contains(p.out, "Frame "+q.Expect+" is the first to carry it.") {
			t.Errorf("the token's frame %s is not the one the text shows after the question", q.Expect)
		}
	}
}
