package capture_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/capture"
)

// A capture that holds a token is readable by its owner only, whatever
// the umask (the umask cases themselves are in engine/atomicfile).
func TestCreatePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows files have no Unix mode")
	}
	path := filepath.Join(t.TempDir(), "token.pcapng")
	w, err := capture.CreatePrivate(path, layers.LinkTypeEthernet, "lo")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), Length: 3}, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode %#o, want 0600", got)
	}
	f, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec, err := capture.ReadAll(f, f.Precision())
	if err != nil || len(rec.Frames) != 1 {
		t.Errorf("read back: %v, %+v", err, rec)
	}
}
