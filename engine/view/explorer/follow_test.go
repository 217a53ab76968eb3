package explorer_test

import (
	"context"
	"encoding/hex"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/view/explorer"
)

// TestFollowUDPMatchesTshark: following the UDP stream of a capture's
// first UDP frame gives the datagrams tshark -z follow,udp,raw,N gives,
// in order, each on its side.
func TestFollowUDPMatchesTshark(t *testing.T) {
	tshark := testenv.Tshark(t)
	followed := 0
	for _, path := range captures(t) {
		first, stream := 0, -1
		for _, p := range testenv.PacketsAt(t, path) {
			if p.Transport == dissect.TransportUDP {
				first, stream = p.Number, p.UDP.Stream
				break
			}
		}
		if first == 0 {
			continue
		}
		followed++
		out, err := exec.Command(tshark, "-r", path, "-q", "-z", "follow,udp,raw,"+strconv.Itoa(stream)).Output()
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, l := range strings.Split(string(out), "\n") {
			if l == "" || strings.HasPrefix(l, "=") || strings.Contains(l, ":") {
				continue // the frame of ====, the Follow, Filter and Node lines
			}
			want = append(want, l)
		}
		turns, proto, err := explorer.Follow(context.Background(), explorer.File(path), first, nil)
		if err != nil || proto != "udp" {
			t.Fatalf("%s: %q, %v", path, proto, err)
		}
		var got []string
		for _, tu := range turns {
			if len(tu.Data) == 0 {
				continue // tshark's raw view has no line for an empty datagram
			}
			l := hex.EncodeToString(tu.Data)
			if !tu.FromClient {
				l = "\t" + l
			}
			got = append(got, l)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: followed\n%s\ntshark\n%s", filepath.Base(path), strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	if followed < 3 {
		t.Fatalf("only %d captures with UDP", followed)
	}
}
