package cli_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"wiretutor/engine/cli"
	"wiretutor/engine/testkit/testenv"
)

// TestReadHex: read -x prints tshark's dump of every frame of every
// capture (NAME.hex.txt), the message a frame completes ("Reassembled
// TCP") after the frame's own where several segments carried it.
func TestReadHex(t *testing.T) {
	files, _ := os.ReadDir(testdata(""))
	n := 0
	for _, f := range files {
		name, ok := strings.CutSuffix(f.Name(), ".hex.txt")
		if !ok {
			continue
		}
		n++
		capture := name + ".pcap"
		if _, err := os.Stat(testdata(capture)); err != nil {
			capture += "ng"
		}
		b, err := os.ReadFile(testdata(f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		want := string(b)
		code, out, errs := run(t, nil, "read", "-r", testdata(capture), "-x")
		if code != 0 || out != want {
			t.Errorf("%s: exit %d %s, -x differs from tshark's:\n%.2000s", name, code, errs, out)
		}
	}
	if n < 15 {
		t.Errorf("%d hex dumps compared", n)
	}
}

// TestReadLikeTshark: -x, -P, -c, -Y and -T ek together print what
// tshark prints with the same flags, on captures whose frames each hold
// one data source.
func TestReadLikeTshark(t *testing.T) {
	ts := testenv.Tshark(t)
	for _, tt := range []struct {
		file string
		args []string
	}{
		{"echo-lab.pcap", []string{"-P", "-x"}},
		{"echo-lab.pcap", []string{"-x", "-c", "3"}},
		{"echo-lab.pcap", []string{"-c", "4"}},
		{"echo-lab.pcap", []string{"-c", "100"}},
		{"echo-lab.pcap", []string{"-Y", "tcp.len > 0", "-x"}},
		{"echo-lab.pcap", []string{"-Y", "tcp.len > 0", "-P", "-x", "-c", "5"}},
		{"http-api.pcap", []string{"-Y", "http", "-c", "5"}},
		{"http-api.pcap", []string{"-Y", "http", "-c", "2"}}, // -c counts frames read: none of the first two is HTTP
		{"http-api.pcap", []string{"-Y", "http.response", "-x"}},
		{"http-api.pcap", []string{"-T", "ek", "-e", "ip.src", "-e", "tcp.port", "-e", "http.file_data", "-c", "9"}},
		{"http-api.pcap", []string{"-T", "ek", "-Y", "http.request", "-e", "http.request.uri", "-e", "_ws.col.Info"}},
		{"http-api.pcap", []string{"-T", "json", "-e", "frame.number", "-e", "http.file_data", "-c", "6"}},
		{"http-api.pcap", []string{"-T", "fields", "-e", "frame.number", "-e", "tcp.len", "-c", "3"}},
		{"runts.pcap", []string{"-x"}},
		{"icmp-unreach.pcap", []string{"-P", "-x", "-T", "text"}},
		{"analysis-sandbox-drop.pcapng", []string{"-Y", "tcp.analysis.flags", "-P", "-x"}},
		// The packet details: -V, with -x, -O and -Y.
		{"echo-lab.pcap", []string{"-V"}},
		{"echo-lab.pcap", []string{"-V", "-x", "-c", "5"}},
		{"echo-lab.pcap", []string{"-O", "ip,data", "-Y", "tcp.len > 0"}},
		{"echo-sll2.pcap", []string{"-O", "tcp"}},
		{"http-python.pcap", []string{"-V", "-x"}}, // the Reassembled TCP sources
		{"http-python.pcap", []string{"-O", "http"}},
		{"http-api.pcap", []string{"-V", "-Y", "http.response", "-P"}},
		{"icmp-unreach.pcap", []string{"-O", "icmp,udp"}},
		{"icmpv6-echo.pcap", []string{"-V", "-x"}},
		{"runts.pcap", []string{"-O", "tcp"}},
		{"sandbox-echo.pcapng", []string{"-V", "-Y", "tcp.flags.fin == 1"}},
		{"analysis-swap.pcapng", []string{"-O", "tcp", "-Y", "tcp.analysis.flags"}},
	} {
		t.Run(tt.file+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			want, err := exec.Command(ts, append([]string{"-r", testdata(tt.file)}, tt.args...)...).Output()
			if err != nil {
				t.Fatal(err)
			}
			code, out, errs := run(t, nil, append([]string{"read", "-r", testdata(tt.file)}, tt.args...)...)
			if code != 0 || out != string(want) {
				t.Errorf("exit %d %s\n got:\n%.1500s\nwant (tshark):\n%.1500s", code, errs, out, want)
			}
		})
	}
}

// TestReadFlagErrors: flags read cannot honour say why in the user's
// language, each on one line.
func TestReadFlagErrors(t *testing.T) {
	file := testdata("echo-lab.pcap")
	for _, tt := range []struct {
		lang string
		args []string
		want string
	}{
		{"en", []string{"-c", "0"}, `-c does not take "0". It takes: N ≥ 1.`},
		{"en", []string{"-c", "-2"}, `-c does not take "-2". It takes: N ≥ 1.`},
		{"ru", []string{"-c", "0"}, "-c не принимает «0»"},
		{"en", []string{"-x", "-T", "fields", "-e", "ip.src"}, "-x belongs to the text output and does not go with -T fields"},
		{"en", []string{"-x", "-T", "json"}, "does not go with -T json"},
		{"ru", []string{"-P", "-T", "ek"}, "-P относится к текстовому выводу и не сочетается с -T ek"},
		{"zh", []string{"-x", "-T", "ek"}, "-x 只用于文本输出，不能与 -T ek 一起使用"},
		{"en", []string{"-T", "xml"}, `-T does not take "xml". It takes: text, fields, json, ek.`},
		{"en", []string{"-T", "ek", "-e", "tcp.prot"}, `Unknown field "tcp.prot"`},
	} {
		t.Run(tt.lang+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := run(t, map[string]string{"LANG": tt.lang}, append([]string{"read", "-r", file}, tt.args...)...)
			if code != cli.ExitError || out != "" || !strings.Contains(errs, tt.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
				t.Errorf("exit %d, stdout %q, stderr %q, want one line with %q", code, out, errs, tt.want)
			}
		})
	}
}

// TestReadFieldNotDissected: -T fields -e of a field of a protocol
// Wireshark dissects and wiretutor does not yet prints empty cells, as
// tshark does for a field no packet has, and says why once, in the
// user's language.
func TestReadFieldNotDissected(t *testing.T) {
	for lang, want := range map[string]string{
		"en": "wiretutor does not dissect dns yet",
		"ru": "wiretutor пока не разбирает dns",
		"zh": "wiretutor 目前还不解析 dns",
	} {
		code, out, errs := run(t, map[string]string{"LANG": lang}, "read", "-r", testdata("echo-lab.pcap"), "-c", "2", "-T", "fields", "-e", "frame.number", "-e", "dns.qry.name")
		if code != 0 || out != "1\t\n2\t\n" || !strings.Contains(errs, want) || !strings.Contains(errs, "dns.qry.name") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q, want empty cells and %q", lang, code, out, errs, want)
		}
	}
}

// TestReadHelp: read --help names every output format and the flags of
// tshark's text output, in the user's language.
func TestReadHelp(t *testing.T) {
	for lang, want := range map[string][]string{
		"en": {"text, fields, json or ek", "-x, --hex", "-P, --print", "-c, --count", "with -T fields, json or ek"},
		"ru": {"text, fields, json или ek", "как tshark -x"},
		"zh": {"text、fields、json 或 ek", "同 tshark -x"},
	} {
		code, out, errs := run(t, map[string]string{"LANG": lang, "COLUMNS": "200"}, "read", "--help")
		for _, w := range want {
			if code != 0 || !strings.Contains(out, w) {
				t.Errorf("%s: exit %d %s, help lacks %q:\n%s", lang, code, errs, w, out)
			}
		}
	}
}

// TestReadHexBadInput: -x alone, which reads frames without dissecting
// them, meets a broken file as read does: the same message, after the
// frames before the break.
func TestReadHexBadInput(t *testing.T) {
	dir := t.TempDir()
	text := dir + "/notes.txt"
	os.WriteFile(text, []byte("these are my notes, not a capture\n"), 0o644)
	lab, _ := os.ReadFile(testdata("echo-lab.pcap"))
	cut := dir + "/cut.pcap"
	os.WriteFile(cut, lab[:300], 0o644)
	for _, tt := range []struct{ file, want string }{
		{text, "is not a capture file"},
		{cut, "cut short after frame 3"},
	} {
		code, out, errs := run(t, nil, "read", "-r", tt.file, "-x")
		_, _, plainErrs := run(t, nil, "read", "-r", tt.file)
		if code != cli.ExitError || !strings.Contains(errs, tt.want) || errs != plainErrs {
			t.Errorf("%s: exit %d, stderr %q (read without -x: %q), want %q", tt.file, code, errs, plainErrs, tt.want)
		}
		if tt.file == cut && strings.Count(out, "\n\n") != 3 {
			t.Errorf("cut: %d frames dumped before the break, want 3:\n%s", strings.Count(out, "\n\n"), out)
		}
	}
}

// TestReadTrackedFields: the fields only the packet details know
// (bytes in flight, push bytes, the frame an ACK acknowledges) print and
// filter as tshark's do, which needs the stream's history kept.
func TestReadTrackedFields(t *testing.T) {
	ts := testenv.Tshark(t)
	for _, capf := range []string{"bulk-zerowin.pcap", "analysis-kernel.pcap", "analysis-sandbox-drop.pcapng", "http-api.pcap", "echo-lab.pcap", "icmpv6-echo.pcap"} {
		for _, args := range [][]string{
			{"-T", "fields", "-e", "frame.number", "-e", "tcp.analysis.bytes_in_flight", "-e", "tcp.analysis.push_bytes_sent", "-e", "tcp.analysis.acks_frame",
				"-e", "tcp.analysis.ack_rtt", "-e", "tcp.analysis.rto", "-e", "tcp.analysis.rto_frame", "-e", "tcp.options.sack_le", "-e", "tcp.options.sack_re", "-e", "tcp.payload", "-e", "udp.payload"},
			{"-Y", "tcp.analysis.bytes_in_flight > 1000 || tcp.analysis.acks_frame == 3 || tcp.analysis.rto > 0.1"},
		} {
			want, err := exec.Command(ts, append([]string{"-r", testdata(capf)}, args...)...).Output()
			if err != nil {
				t.Fatal(err)
			}
			code, got, errs := run(t, nil, append([]string{"read", "-r", testdata(capf)}, args...)...)
			if code != 0 || got != string(want) {
				t.Errorf("%s %q: exit %d %s\ngot:\n%s\ntshark:\n%s", capf, args, code, errs, got, want)
			}
		}
	}
}
