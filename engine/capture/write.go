package capture

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Writer writes a pcapng file atomically: frames go to a temporary file
// beside the target, which Close renames into place, so a reader never
// sees half a file and an interrupted capture leaves no debris.
type Writer struct {
	tmp    *os.File
	path   string
	ng     *pcapgo.NgWriter
	closed bool
}

// Create starts a pcapng file at path for frames of the given link type
// captured on the named interface.
func Create(path string, link layers.LinkType, ifname string) (*Writer, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, err
	}
	intf := pcapgo.NgInterface{
		Name:                ifname,
		OS:                  runtime.GOOS,
		LinkType:            link,
		SnapLength:          0,
		TimestampResolution: 9,
	}
	opts := pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{
		Hardware:    runtime.GOARCH,
		OS:          runtime.GOOS,
		Application: "wiretutor",
	}}
	ng, err := pcapgo.NewNgWriterInterface(tmp, intf, opts)
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("pcapng header: %w", err)
	}
	return &Writer{tmp: tmp, path: path, ng: ng}, nil
}

// WritePacket appends one frame.
func (w *Writer) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	ci.InterfaceIndex = 0
	ci.CaptureLength = len(data)
	if ci.Length < len(data) {
		ci.Length = len(data)
	}
	return w.ng.WritePacket(ci, data)
}

// Close flushes, syncs and renames the file into place.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	err := w.ng.Flush()
	if err == nil {
		err = w.tmp.Sync()
	}
	if cerr := w.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// CreateTemp makes the file private; a capture is an ordinary file.
		err = os.Chmod(w.tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(w.tmp.Name(), w.path)
	}
	if err != nil {
		os.Remove(w.tmp.Name())
	}
	return err
}

// Abort discards the file.
func (w *Writer) Abort() {
	if w.closed {
		return
	}
	w.closed = true
	w.tmp.Close()
	os.Remove(w.tmp.Name())
}

// WriteFile writes a whole recording to path as pcapng.
func WriteFile(path string, rec *Recording, ifname string) error {
	w, err := Create(path, rec.Link, ifname)
	if err != nil {
		return err
	}
	for _, f := range rec.Frames {
		if err := w.WritePacket(f.Info, f.Data); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}
