package grade_test

import (
	"errors"
	"io/fs"
	"testing"

	"wiretutor/engine/course"
	"wiretutor/engine/course/grade"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/testkit/testenv"
)

// file walks a committed capture.
func file(t *testing.T, name string) grade.Packets {
	prec := testenv.Recording(t, name).Precision
	pkts := testenv.Packets(t, name)
	return func(fn func(p *dissect.Packet, prec int) error) error {
		for i := range pkts {
			if err := fn(&pkts[i], prec); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestCapture(t *testing.T) {
	reqs := []course.Requirement{
		{ID: "syn", Filter: "tcp.flags.syn == 1 && tcp.flags.ack == 0", Min: 1},
		{ID: "fin", Filter: "tcp.flags.fin == 1", Min: 2},
		{ID: "udp", Filter: "udp", Min: 3},
		{ID: "none", Filter: "tcp.port == 1", Min: 0},
	}
	res, err := grade.Capture(reqs, file(t, "echo-lab.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		matched int
		met     bool
		first   string
	}{
		{1, true, "    1   0.000000    127.0.0.1 → 127.0.0.1    TCP 74 41950 → 10000 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=1519446612 TSecr=0 WS=1024"},
		{2, true, ""},
		{2, false, ""},
		{0, true, ""},
	}
	if res.Packets != 12 || len(res.Checks) != len(tests) || res.Failed() != 1 {
		t.Fatalf("%d packets, %d checks, %d failed", res.Packets, len(res.Checks), res.Failed())
	}
	for i, tt := range tests {
		c := res.Checks[i]
		if c.ID != reqs[i].ID || c.Matched != tt.matched || c.Met() != tt.met || tt.first != "" && string(c.First) != tt.first || c.Matched == 0 && c.First != nil {
			t.Errorf("%s: matched %d, met %v, first %q", c.ID, c.Matched, c.Met(), c.First)
		}
	}
}

func TestCaptureErrors(t *testing.T) {
	_, err := grade.Capture([]course.Requirement{{ID: "bad", Filter: "tcp.prot == 1", Min: 1}}, file(t, "echo-lab.pcap"))
	var de *filter.DisplayError
	if !errors.As(err, &de) || de.Arg != "tcp.prot" {
		t.Errorf("a bad filter: %v", err)
	}
	missing := func(func(*dissect.Packet, int) error) error {
		return &fs.PathError{Op: "open", Path: "none.pcap", Err: fs.ErrNotExist}
	}
	if _, err = grade.Capture([]course.Requirement{{ID: "syn", Filter: "tcp", Min: 1}}, missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}
