package dissect

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// ErrLinkType is returned by New for a link type the dissector cannot
// read (as a *LinkTypeError, which errors.Is matches to it).
var ErrLinkType = errors.New("unsupported link type")

// LinkTypeError is a capture whose link type the dissector cannot read.
type LinkTypeError struct{ Link layers.LinkType }

// Error names the link type, in English.
func (e *LinkTypeError) Error() string { return fmt.Sprintf("%v: %d", ErrLinkType, e.Link) }

// Is makes the error ErrLinkType.
func (e *LinkTypeError) Is(target error) bool { return target == ErrLinkType }

// Message is error.link_type; the command line fills in Err.
func (e *LinkTypeError) Message() (string, map[string]any) { return "error.link_type", nil }

// Dissector decodes frames of one capture, in order, keeping the state
// that Wireshark's fields need across frames. It is not safe for
// concurrent use.
type Dissector struct {
	frame    frameState
	link     *stage          // the file's link layer
	linkType layers.LinkType // and its type
	stages   []stage
	// bound lists, for each space, which stage each number selects.
	// The lists are short (ten HTTP ports at most), so a search beats
	// a map.
	bound [spaces][]binding
	// details says the decoders keep what the packet details need of
	// the frames before (TCP's TCPTrack): see KeepDetails.
	details bool
	// heuristics are the stages with a tcpHeuristic, in table order;
	// claimed the stage each TCP stream was claimed for by one of them.
	heuristics []int
	claimed    map[int]int
}

// KeepDetails makes the Dissector keep, from now on, what the packet
// details (Details) show of a stream's history: the acknowledged
// frame, the bytes in flight, the completeness (TCP.Track). Without it
// TCP.Track stays zero, and reading without details costs nothing for it.
func (d *Dissector) KeepDetails() { d.details = true }

// stage is one protocol's decoder in a Dissector.
type stage struct {
	dec   decoder
	proto uint8 // the protocol's index in the table, for Packet.top
}

// binding says that a number selects a stage.
type binding struct {
	num   uint16
	stage int
}

// New returns a Dissector for frames of the given link type.
func New(link layers.LinkType) (*Dissector, error) {
	d := &Dissector{}
	for i, pr := range table().protos {
		if pr.newDecoder == nil {
			continue
		}
		// Every link layer is bound, the file's and the others: a pcapng
		// file's interfaces may each have their own.
		on := pr.on
		if len(on) == 0 {
			continue
		}
		d.stages = append(d.stages, stage{proto: uint8(i)})
		n := len(d.stages) - 1
		if pr.tcpHeuristic != nil {
			d.heuristics = append(d.heuristics, n)
		}
		for _, s := range on {
			d.bound[s.space] = append(d.bound[s.space], binding{num: s.num, stage: n})
		}
	}
	// Decoders are made once every stage is in place, so that one may
	// find another's (ICMP the UDP conversations its quotes belong to).
	for i := range d.stages {
		d.stages[i].dec = table().protos[d.stages[i].proto].newDecoder(d)
	}
	if d.link = d.find(selector{space: linkType, num: uint16(link)}); d.link == nil {
		return nil, &LinkTypeError{Link: link}
	}
	d.linkType = link
	return d, nil
}

// find returns the stage a selector selects, or nil.
func (d *Dissector) find(s selector) *stage {
	for _, b := range d.bound[s.space] {
		if b.num == s.num {
			return &d.stages[b.stage]
		}
	}
	if s.space == tcpPort {
		for _, b := range d.bound[s.space] {
			if b.num == s.alt {
				return &d.stages[b.stage]
			}
		}
	}
	return nil
}

// decoderFor returns the decoder a selector selects, or nil.
func (d *Dissector) decoderFor(s selector) decoder {
	if st := d.find(s); st != nil {
		return st.dec
	}
	return nil
}

// Dissect decodes one frame into p, overwriting it. ci gives the
// frame's timestamp and lengths. p.Payload and p.TCP.Options alias
// memory that the next call reuses or that belongs to data: Clone
// makes a packet to keep.
//
// Every frame becomes a packet, as in tshark: a frame that ends inside
// a header (a runt shorter than its link header, a cut IPv4, IPv6, TCP
// or UDP header) keeps the layers below it and the fields of the cut
// header that were captured, and names that header in p.Malformed.
// The error result is always nil; it remains so that callers need not
// change.
func (d *Dissector) Dissect(data []byte, ci gopacket.CaptureInfo, p *Packet) error {
	d.frame.begin(data, ci, p)
	p.Data, p.Link = data, d.linkType
	st, b := d.link, data
	if len(ci.AncillaryData) > 0 {
		// A pcapng frame of an interface whose link type is not the
		// file's (capture.File says so): that link layer, or none that
		// wiretutor decodes, and the frame is the frame alone.
		if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
			p.Link = lt
			if st = d.find(selector{space: linkType, num: uint16(lt)}); st == nil {
				return nil
			}
		}
	}
	for {
		if p.nlayers < maxLayers {
			p.layers[p.nlayers] = layerAt{proto: st.proto, off: uint16(min(len(data)-len(b), 0xffff))}
			if off := cap(data) - cap(b); off >= 0 && off <= len(data) {
				p.layers[p.nlayers].off = uint16(min(off, 0xffff))
			}
			p.nlayers++
		}
		next, payload, top := st.dec.decode(b, p)
		if top {
			p.top = st.proto
		}
		if next.space == endOfFrame {
			return nil
		}
		if st = d.next(next, payload, p); st == nil {
			return nil
		}
		b = payload
	}
}

// next finds the stage a selector hands the payload to. A TCP segment
// goes to the protocol a heuristic claimed its stream for, then to the
// one registered on its ports, then to the heuristics; so does one that
// the port's protocol refused (tcpHeuristic), as tshark tries its
// heuristic dissectors when a port's dissector turns the bytes down.
func (d *Dissector) next(s selector, payload []byte, p *Packet) *stage {
	switch s.space {
	case tcpPort:
		if n, ok := d.claimed[p.TCP.Stream]; ok && p.Transport == TransportTCP {
			return &d.stages[n]
		}
		if st := d.find(s); st != nil {
			return st
		}
		return d.heuristic(payload, p)
	case tcpHeuristic:
		return d.heuristic(payload, p)
	}
	return d.find(s)
}

// heuristic finds the stage for a TCP segment no port's protocol took:
// the first whose heuristic accepts its payload, which claims the
// stream from this segment on; nil when none does.
func (d *Dissector) heuristic(payload []byte, p *Packet) *stage {
	if p.Transport != TransportTCP {
		return nil
	}
	if len(payload) == 0 {
		return nil
	}
	for _, n := range d.heuristics {
		if table().protos[d.stages[n].proto].tcpHeuristic(payload) {
			if d.claimed == nil {
				d.claimed = make(map[int]int)
			}
			d.claimed[p.TCP.Stream] = n
			return &d.stages[n]
		}
	}
	return nil
}

// convKey names a conversation by its two endpoints, ordered so that
// both directions find it.
type convKey struct {
	a, b netip.AddrPort
}

// key orders the two endpoints so both directions find one conversation;
// dir is 0 when src is the first endpoint.
func key(src, dst netip.AddrPort) (k convKey, dir int) {
	if c := src.Addr().Compare(dst.Addr()); c < 0 || (c == 0 && src.Port() <= dst.Port()) {
		return convKey{src, dst}, 0
	}
	return convKey{dst, src}, 1
}

// MayReassemble reports whether a frame may carry part of a message a
// protocol above TCP gathers from several segments (HTTP on its ports):
// false only when the frame is surely not TCP on such a port. A reader
// that needs nothing but reassembled messages (read -x) dissects those
// frames alone, in order; the others' bytes it can show as they are.
func (d *Dissector) MayReassemble(data []byte) bool {
	if table().protos[d.link.proto].name != "eth" {
		return true // only Ethernet is read here; another link is dissected
	}
	if len(data) < ethHeader {
		return false
	}
	b := data[ethHeader:]
	var proto uint8
	switch binary.BigEndian.Uint16(data[12:]) {
	case 0x0800:
		if len(b) < ipv4Header {
			return false
		}
		proto, b = b[9], b[min(int(b[0]&15)*4, len(b)):]
		if binary.BigEndian.Uint16(data[ethHeader+6:])&0x3fff != 0 {
			return true // a fragment
		}
	case 0x86dd:
		if len(b) < 40 {
			return false
		}
		proto, b = b[6], b[40:]
	default:
		return false
	}
	if proto != 6 {
		return proto != 17 && proto != 1 && proto != 58 // extension headers: dissect
	}
	if len(b) < 4 {
		return false
	}
	s := selector{space: tcpPort, num: binary.BigEndian.Uint16(b), alt: binary.BigEndian.Uint16(b[2:])}
	// A heuristic may claim a stream on any port.
	return d.find(s) != nil || len(d.heuristics) > 0
}
