package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wiretutor/engine/cli"
	"wiretutor/engine/text/render"
)

// TestGraph draws each kind of graph of the zero-window capture at the
// width COLUMNS gives, in English and Chinese, both ways.
func TestGraph(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want []string
	}{
		{[]string{"graph", "-r", testdata("bulk-zerowin.pcap"), "--stream", "0"}, nil,
			[]string{"127.0.0.1:9000 → 127.0.0.1:43824: sequence numbers over time", "Z zero window", "R retransmission", "40.0 KB┤"}},
		{[]string{"graph", "-r", testdata("bulk-zerowin.pcap"), "--stream", "0", "--reverse"}, nil,
			[]string{"127.0.0.1:43824 → 127.0.0.1:9000"}},
		{[]string{"graph", "-r", testdata("bulk-zerowin.pcap"), "--stream", "0", "--kind", "throughput"}, map[string]string{"COLUMNS": "50"},
			[]string{"throughput over time", "# new data (goodput)", "KB/s┤"}},
		{[]string{"--lang", "zh", "graph", "-r", testdata("analysis-sandbox-drop.pcapng"), "--stream", "0", "--kind", "rtt"}, map[string]string{"COLUMNS": "60"},
			[]string{"每个报文段的往返时", "往返时间（毫秒）", "* 从报文段发出"}},
	} {
		t.Run(strings.Join(tc.args[1:], " "), func(t *testing.T) {
			code, out, errs := run(t, tc.env, tc.args...)
			if code != 0 || errs != "" {
				t.Fatalf("exit %d: %s", code, errs)
			}
			joined := strings.ReplaceAll(out, "\n", " ") // a title may wrap
			for _, w := range tc.want {
				if !strings.Contains(out, w) && !strings.Contains(joined, w) {
					t.Errorf("no %q:\n%s", w, out)
				}
			}
			width := 80
			if c := tc.env["COLUMNS"]; c != "" {
				width = map[string]int{"50": 50, "60": 60}[c]
			}
			for _, l := range strings.Split(out, "\n") {
				if w := render.Width(l); w > width {
					t.Errorf("%d cells, over %d: %q", w, width, l)
				}
			}
		})
	}
}

func TestGraphErrors(t *testing.T) {
	text := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(text, []byte("not a capture\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"graph", "--stream", "0"}, "needs -r"},
		{[]string{"graph", "-r", testdata("bulk-zerowin.pcap")}, "needs --stream"},
		{[]string{"graph", "-r", testdata("bulk-zerowin.pcap"), "--stream", "0", "--kind", "pie"}, `--kind does not take "pie". It takes: tcptrace, throughput, rtt.`},
		{[]string{"graph", "-r", testdata("bulk-zerowin.pcap"), "--stream", "4"}, "no TCP stream 4: its only TCP stream is 0"},
		{[]string{"graph", "-r", testdata("http-claim.pcap"), "--stream", "40"}, "numbered 0 to 2"},
		{[]string{"graph", "-r", testdata("icmpv6-echo.pcap"), "--stream", "0"}, "holds no TCP stream"},
		{[]string{"graph", "-r", text, "--stream", "0"}, "is not a capture file"},
		{[]string{"--lang", "ru", "graph", "-r", testdata("bulk-zerowin.pcap"), "--stream", "4"}, "нет TCP-потока 4"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, errs := run(t, nil, tc.args...)
			if code != cli.ExitError || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want %q", code, errs, tc.want)
			}
		})
	}
}
