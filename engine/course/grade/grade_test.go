package grade_test

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"testing"

	"wiretutor/engine/course"
	"wiretutor/engine/course/grade"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
)

// file walks a capture file in testdata.
func file(name string) grade.Packets {
	return func(fn func(p *dissect.Packet, prec int) error) error {
		f, err := capture.Open(filepath.Join("..", "..", "..", "testdata", name))
		if err != nil {
			return err
		}
		defer f.Close()
		d, err := dissect.New(f.LinkType())
		if err != nil {
			return err
		}
		var p dissect.Packet
		for {
			data, ci, err := f.ReadPacketData()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := d.Dissect(data, ci, &p); err != nil {
				return err
			}
			if err := fn(&p, f.Precision()); err != nil {
				return err
			}
		}
	}
}

func TestCapture(t *testing.T) {
	reqs := []course.Requirement{
		{ID: "syn", Filter: "tcp.flags.syn == 1 && tcp.flags.ack == 0", Min: 1},
		{ID: "fin", Filter: "tcp.flags.fin == 1", Min: 2},
		{ID: "udp", Filter: "udp", Min: 3},
		{ID: "none", Filter: "tcp.port == 1", Min: 0},
	}
	res, err := grade.Capture(reqs, file("echo-lab.pcap"))
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
	_, err := grade.Capture([]course.Requirement{{ID: "bad", Filter: "tcp.prot == 1", Min: 1}}, file("echo-lab.pcap"))
	var de *filter.DisplayError
	if !errors.As(err, &de) || de.Arg != "tcp.prot" {
		t.Errorf("a bad filter: %v", err)
	}
	_, err = grade.Capture([]course.Requirement{{ID: "syn", Filter: "tcp", Min: 1}}, file("no-such.pcap"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}
