package cli_test

import (
	"strings"
	"testing"
)

// TestViewNeedsATerminal: view and capture --view, run without a
// terminal, say so in the learner's language and point to the command
// that prints instead; a file that is no capture is told as read tells
// it, before any screen.
func TestViewNeedsATerminal(t *testing.T) {
	tests := []struct {
		lang string
		args []string
		want string
	}{
		{"en", []string{"view", testdata("echo-lab.pcap")}, "needs a terminal. To print the capture instead: wiretutor read -r " + testdata("echo-lab.pcap")},
		{"ru", []string{"view", testdata("echo-lab.pcap")}, "нужен терминал"},
		{"zh", []string{"capture", "--view"}, "不加 --view 时"},
		{"en", []string{"view"}, "accepts 1 arg"},
	}
	for _, tt := range tests {
		code, _, errs := run(t, map[string]string{"LANG": tt.lang}, tt.args...)
		if code == 0 || !strings.Contains(errs, tt.want) {
			t.Errorf("%s %v: exit %d, %q; want it to say %q", tt.lang, tt.args, code, errs, tt.want)
		}
	}
}
