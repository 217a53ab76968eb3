package capture

import (
	"fmt"

	"runtime"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"wiretutor/engine/internal/atomicfile"
)

// Writer writes a pcapng file atomically: frames go to a temporary file
// beside the target, which Close renames into place, so a reader never
// sees half a file and an interrupted capture leaves no debris.
type Writer struct {
	f  *atomicfile.File
	ng *pcapgo.NgWriter
}

// Create starts a pcapng file at path for frames of the given link type
// captured on the named interface. The file is an ordinary one: 0666
// less the umask.
func Create(path string, link layers.LinkType, ifname string) (*Writer, error) {
	f, err := atomicfile.Create(path, 0o666)
	if err != nil {
		return nil, err
	}
	return newWriter(f, link, ifname, "")
}

// CreatePrivate is Create for a capture that holds a secret (a token, a
// password): the file is 0600 whatever the umask.
func CreatePrivate(path string, link layers.LinkType, ifname string) (*Writer, error) {
	f, err := atomicfile.CreatePrivate(path)
	if err != nil {
		return nil, err
	}
	return newWriter(f, link, ifname, "")
}

func newWriter(f *atomicfile.File, link layers.LinkType, ifname, comment string) (*Writer, error) {
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
		Comment:     comment,
	}}
	ng, err := pcapgo.NewNgWriterInterface(f, intf, opts)
	if err != nil {
		f.Abort()
		return nil, fmt.Errorf("pcapng header: %w", err)
	}
	return &Writer{f: f, ng: ng}, nil
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
	if err := w.ng.Flush(); err != nil {
		w.f.Abort()
		return err
	}
	return w.f.Commit()
}

// Abort discards the file.
func (w *Writer) Abort() { w.f.Abort() }

// WriteFile writes a whole recording to path as pcapng.
func WriteFile(path string, rec *Recording, ifname string) error {
	f, err := atomicfile.Create(path, 0o666)
	if err != nil {
		return err
	}
	w, err := newWriter(f, rec.Link, ifname, rec.Comment)
	if err != nil {
		return err
	}
	return writeAll(w, rec)
}

// WritePrivateFile writes a whole recording that holds a secret (a
// token in the clear) to path as pcapng, readable by its owner alone
// whatever the umask.
func WritePrivateFile(path string, rec *Recording, ifname string) error {
	f, err := atomicfile.CreatePrivate(path)
	if err != nil {
		return err
	}
	w, err := newWriter(f, rec.Link, ifname, rec.Comment)
	if err != nil {
		return err
	}
	return writeAll(w, rec)
}

func writeAll(w *Writer, rec *Recording) error {
	for _, f := range rec.Frames {
		if err := w.WritePacket(f.Info, f.Data); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}
