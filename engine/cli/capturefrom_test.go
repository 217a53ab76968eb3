package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"

	"wiretutor/content"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
)

// replayLive is a live source that replays a recording, then reads as a
// closed socket does; it counts its reads.
type replayLive struct {
	capture.Source
	reads int
}

func (r *replayLive) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	r.reads++
	data, ci, err := r.Source.ReadPacketData()
	if err != nil {
		return nil, ci, os.ErrClosed
	}
	return data, ci, nil
}

func (r *replayLive) Stats() (received, dropped uint32, err error) { return 0, 0, nil }
func (r *replayLive) Close() error                                 { return nil }

// TestCaptureFromCount: capture prints (or writes) -c frames and reads
// no more, or every frame until the source closes.
func TestCaptureFromCount(t *testing.T) {
	rec := testenv.Recording(t, "echo-lab.pcap")
	pkts, err := dissect.Collect(rec.Source())
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := range pkts {
		lines = append(lines, string(dissect.Summary(nil, &pkts[i], 9)))
	}
	tx, err := i18n.Load(content.FS, "en")
	if err != nil {
		t.Fatal(err)
	}
	all := len(rec.Frames)
	for _, tc := range []struct {
		name         string
		count        int
		write        bool
		frames, read int
	}{
		{"print all", 0, false, all, all + 1},
		{"print -c 2", 2, false, 2, 2},
		{"write all", 0, true, all, all + 1},
		{"write -c 3", 3, true, 3, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			live := &replayLive{Source: rec.Source()}
			var out, errb bytes.Buffer
			a := &app{env: Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}, ctx: context.Background(), tx: tx}
			df, _ := filter.CompileDisplay("")
			path := ""
			if tc.write {
				path = filepath.Join(t.TempDir(), "out.pcapng")
			}
			if err := a.captureFrom(live, capture.Loopback, df, path, tc.count, 0); err != nil {
				t.Fatal(err)
			}
			if live.reads != tc.read {
				t.Errorf("read %d times, want %d", live.reads, tc.read)
			}
			if !tc.write {
				if got, want := out.String(), strings.Join(lines[:tc.frames], "\n")+"\n"; got != want {
					t.Errorf("printed\n%s\nwant\n%s", got, want)
				}
				return
			}
			f, err := capture.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := capture.ReadAll(f, f.Precision())
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Frames) != tc.frames || out.Len() != 0 {
				t.Errorf("wrote %d frames and printed %q, want %d frames and nothing", len(got.Frames), out.String(), tc.frames)
			}
		})
	}
}
