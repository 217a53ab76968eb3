package netenv_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
)

// TestWriteAnalysisCaptures writes the sandbox captures under testdata
// that exercise TCP analysis (run with WIRETUTOR_WRITE_TESTDATA=1, then
// testdata/regen.sh). Otherwise it only checks the transfers complete.
func TestWriteAnalysisCaptures(t *testing.T) {
	// edits turn a clean capture into one a capture point could see:
	// a frame the capture missed, or two frames swapped on the way.
	cut := func(r *capture.Recording) {
		r.Frames = append(r.Frames[:4:4], r.Frames[5:]...) // frame 5 never captured
	}
	swap := func(r *capture.Recording) {
		f := r.Frames
		f[4].Data, f[5].Data = f[5].Data, f[4].Data // frames 5 and 6 arrive swapped
	}
	for _, tc := range []struct {
		name string
		imp  netenv.Impairment
		edit func(*capture.Recording)
	}{
		{"analysis-sandbox-drop.pcapng", netenv.Impairment{Drop: map[int]bool{6: true}}, nil},
		{"analysis-cut.pcapng", netenv.Impairment{}, cut},
		{"analysis-swap.pcapng", netenv.Impairment{}, swap},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := transfer(t, tc.imp)
			if tc.edit != nil {
				tc.edit(rec)
			}
			if os.Getenv("WIRETUTOR_WRITE_TESTDATA") == "1" {
				if err := capture.WriteFile(filepath.Join("..", "..", "..", "testdata", tc.name), rec, "lo"); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// transfer sends 8 KB in 1000-byte writes over a sandbox and returns the
// capture.
func transfer(t *testing.T, imp netenv.Impairment) *capture.Recording {
	sb, err := netenv.NewSandbox(imp)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	r := record(sb)
	ctx := context.Background()
	ln, err := sb.Listen(ctx, "tcp", "127.0.0.1:10000")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan int)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- -1
			return
		}
		n, _ := io.Copy(io.Discard, c)
		c.Close()
		done <- int(n)
	}()
	c, err := sb.Dial(ctx, "tcp", "127.0.0.1:10000")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 8; i++ {
		c.Write(make([]byte, 1000))
	}
	c.Close()
	if n := <-done; n != 8000 {
		t.Fatalf("the server got %d bytes", n)
	}
	ln.Close()
	return r.stop(t)
}
