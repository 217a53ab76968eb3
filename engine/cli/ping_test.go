package cli_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/testkit/testenv"
)

// replyLine is iputils' line for one reply, in each language. The time
// has three significant digits as iputils prints it (0.053, 1.27, 12.4,
// 123): a slow round trip on a busy machine is no failure.
var replyLine = map[string]*regexp.Regexp{
	"en": regexp.MustCompile(`^64 bytes from 127\.0\.0\.1: icmp_seq=(\d+) ttl=64 time=(?:0\.\d{3}|\d\.\d{2}|\d\d\.\d|\d{3,}) ms$`),
	"ru": regexp.MustCompile(`^64 байта от 127\.0\.0\.1: icmp_seq=(\d+) ttl=64 время=(?:0\.\d{3}|\d\.\d{2}|\d\d\.\d|\d{3,}) мс$`),
	"zh": regexp.MustCompile(`^64 字节，来自 127\.0\.0\.1：icmp_seq=(\d+) ttl=64 时间=(?:0\.\d{3}|\d\.\d{2}|\d\d\.\d|\d{3,}) 毫秒$`),
}

var statsLine = map[string]string{
	"en": "3 packets transmitted, 3 received, 0% packet loss, time ",
	"ru": "3 пакета отправлено, получено: 3, потеряно 0%, время ",
	"zh": "已发送 3 个数据包，收到 3 个，丢失 0%，用时 ",
}

func TestPingSandbox(t *testing.T) {
	for lang, re := range replyLine {
		t.Run(lang, func(t *testing.T) {
			code, out, errs := run(t, map[string]string{"LANG": lang}, "ping", "--net", "sandbox", "-c", "3", "-i", "0.01", "127.0.0.1")
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			checkPing(t, lang, re, out)
		})
	}
}

// TestPingKernel pings through the host: a raw socket as root (CI), a
// ping socket where the sysctl allows it.
func TestPingKernel(t *testing.T) {
	k := netenv.Kernel{}
	if c, err := k.ListenICMPRaw(context.Background()); err == nil {
		c.Close()
	} else if c, err := k.ListenICMP(context.Background()); err == nil {
		c.Close()
	} else {
		testenv.NeedCapture(t) // root, as in CI, always has a raw socket
		t.Skip("no ICMP socket for this user:", err)
	}
	code, out, errs := run(t, map[string]string{"LANG": "en"}, "ping", "--net", "kernel", "-c", "3", "-i", "0.01", "127.0.0.1")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	checkPing(t, "en", replyLine["en"], out)
}

func checkPing(t *testing.T, lang string, re *regexp.Regexp, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 8 {
		t.Fatalf("want 8 lines, got:\n%s", out)
	}
	for i, l := range lines[1:4] {
		m := re.FindStringSubmatch(l)
		if m == nil || m[1] != string(rune('1'+i)) {
			t.Errorf("reply line %d = %q", i+1, l)
		}
	}
	if !strings.HasPrefix(lines[6], statsLine[lang]) {
		t.Errorf("stats line %q, want prefix %q", lines[6], statsLine[lang])
	}
	if !regexp.MustCompile(`= \d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3} `).MatchString(lines[7]) {
		t.Errorf("rtt line %q", lines[7])
	}
}

func TestPingErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"negative count", []string{"-c", "-1", "127.0.0.1"}, `-c does not take "-1"`},
		{"tiny interval", []string{"-i", "0.001", "127.0.0.1"}, `-i does not take "0.001"`},
		{"huge size", []string{"-s", "70000", "127.0.0.1"}, `-s does not take "70000"`},
		{"ttl out of range", []string{"-t", "256", "127.0.0.1"}, `-t does not take "256"`},
		{"zero wait", []string{"-W", "0", "127.0.0.1"}, `-W does not take "0"`},
		{"bad net", []string{"--net", "wifi", "127.0.0.1"}, `--net does not take "wifi"`},
		{"ipv6", []string{"--net", "sandbox", "::1"}, "::1: no such host, or it has no IPv4 address"},
		{"unknown host", []string{"no-such-host.invalid"}, "no-such-host.invalid: no such host"},
		{"sandbox is loopback only", []string{"--net", "sandbox", "192.0.2.1"}, "The sandbox network holds only 127.0.0.1, so 192.0.2.1"},
		{"no host", nil, "Wrong command line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, map[string]string{"LANG": "en"}, append([]string{"ping"}, tt.args...)...)
			if code != 1 || out != "" || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, tt.want)
			}
		})
	}
}
