package wsnames_test

import (
	"fmt"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"

	_ "embed"

	"wiretutor/engine/packet/wsnames"
	"wiretutor/engine/testkit/testenv"
)

func TestProtocol(t *testing.T) {
	for _, tt := range []struct {
		name, want string
		ok         bool
	}{
		{"dns.qry.name", "dns", true},
		{"dns", "dns", true},
		{"tls.handshake.extensions_server_name", "tls", true},
		{"wlan.fc.type", "wlan", true},
		{"nosuch.field", "", false},
		{"", "", false},
		{"dnsx", "", false},
	} {
		got, ok := wsnames.Protocol(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Protocol(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

//go:embed protocols.txt
var committed string

// TestProtocolsMatchTshark: the embedded list is tshark's own.
func TestProtocolsMatchTshark(t *testing.T) {
	out, err := exec.Command(testenv.Tshark(t), "-G", "protocols").Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if c := strings.Split(l, "\t"); len(c) == 3 {
			want = append(want, c[2])
		}
	}
	sort.Strings(want)
	var got []string
	for _, l := range strings.Split(committed, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			got = append(got, l)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("protocols.txt has %d names, tshark %d: regenerate it as its first lines say", len(got), len(want))
	}
}

func ExampleProtocol() {
	fmt.Println(wsnames.Protocol("dns.qry.name"))
	// Output: dns true
}
