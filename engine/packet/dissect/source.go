package dissect

import (
	"errors"
	"io"
	"iter"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Source yields a capture's frames in order, as capture.File,
// capture.Live and a capture.Recording's Source do. ReadPacketData
// returns io.EOF after the last frame; the frame it returns may be
// valid only until the next call.
type Source interface {
	LinkType() layers.LinkType
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// All dissects every frame of src and yields each packet as one the
// caller may keep: it shares no memory with the frame or the Dissector
// (see Clone). The sequence ends after the last frame. An error, from
// New for a link type it cannot read or from reading a frame, is
// yielded once, with a nil packet, and ends the sequence.
func All(src Source) iter.Seq2[*Packet, error] {
	return func(yield func(*Packet, error) bool) {
		for p, err := range Scan(src) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(p.Clone(), nil) {
				return
			}
		}
	}
}

// Scan is All for a caller that keeps no packet: it yields one Packet
// that each step overwrites, and which aliases the frame, so it copies
// nothing. Clone a packet to keep it.
func Scan(src Source) iter.Seq2[*Packet, error] { return scan(src, false) }

// ScanDetailed is Scan with a Dissector that keeps what the packet
// details need (KeepDetails): for a reader that writes them.
func ScanDetailed(src Source) iter.Seq2[*Packet, error] { return scan(src, true) }

func scan(src Source, details bool) iter.Seq2[*Packet, error] {
	return func(yield func(*Packet, error) bool) {
		d, err := New(src.LinkType())
		if err != nil {
			yield(nil, err)
			return
		}
		if details {
			d.KeepDetails()
		}
		var p Packet
		for {
			data, ci, err := src.ReadPacketData()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if err := d.Dissect(data, ci, &p); err != nil {
				yield(nil, err)
				return
			}
			if !yield(&p, nil) {
				return
			}
		}
	}
}

// Collect dissects every frame of src into packets the caller owns, as
// All yields them. After an error it returns the packets before it.
func Collect(src Source) ([]Packet, error) { return collect(Scan(src)) }

// CollectDetailed is Collect with what the packet details show of each
// stream's history kept (TCP.Track), as ScanDetailed keeps it.
func CollectDetailed(src Source) ([]Packet, error) { return collect(ScanDetailed(src)) }

func collect(seq iter.Seq2[*Packet, error]) ([]Packet, error) {
	var pkts []Packet
	for p, err := range seq {
		if err != nil {
			return pkts, err
		}
		pkts = append(pkts, Packet{})
		p.cloneTo(&pkts[len(pkts)-1])
	}
	return pkts, nil
}
