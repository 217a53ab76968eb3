package dissect

import (
	"encoding/binary"
	"net/netip"
	"slices"
)

// ndmpProtocol is what tshark makes of TCP port 10000, where Wireshark
// registers its dissector of the Network Data Management Protocol, and
// where our echo lessons listen.
//
// NDMP frames its messages as ONC RPC does: each record follows a
// 4-byte mark whose top bit says "last fragment" and whose other 31
// bits are the record's length. Before anything else tshark's dissector
// checks the mark of the bytes it is given (check_ndmp_rm): a length of
// 0 or above 1,000,000 is not NDMP, and those bytes are shown as Data;
// fewer than 4 bytes it cannot check, so it asks TCP for the next
// segment ("[TCP segment of a reassembled PDU]"). An echo client's "a"
// is therefore held until 4 bytes have come, then shown with the bytes
// after it as Data, reassembled. A sane mark is a record, gathered
// until its last byte has come.
//
// wiretutor reads the marks, the records' reassembly and NDMP's
// fragment header, as tshark shows them. It does not dissect NDMP's
// messages (a last fragment of 24 bytes or more whose header looks
// like one) nor join fragments into messages: such a record shows as
// a last fragment too short to be a message does, with no NDMP tree.
func ndmpProtocol() protocol {
	return protocol{
		name: "ndmp", has: ndmpFragment,
		on:         []selector{{space: tcpPort, num: 10000}},
		newDecoder: func(*Dissector) decoder { return &ndmpDecoder{dirs: make(map[tcpDir]*ndmpState)} },
		details:    ndmpDetails,
		column:     ndmpColumn,
		info:       ndmpInfo,
		fields: []field{
			{"ndmp.lastfrag", ndmpMark(KindBool, func(m uint32) uint64 { return uint64(m >> 31) })},
			{"ndmp.fraglen", ndmpMark(KindUint, func(m uint32) uint64 { return uint64(m & ndmpLenMask) })},
			{"ndmp.fragment_data", fieldDef{kind: KindBytes, fmt: fmtHexDump, get: func(p *Packet, out []Value) []Value {
				for _, r := range ndmpRecords(p) {
					if r.fragment() && len(r.data) > 0 {
						out = append(out, Value{B: r.data})
					}
				}
				return out
			}}},
		},
	}
}

// ndmpLenMask keeps a record mark's length; the top bit is "last fragment".
const ndmpLenMask = 0x7fffffff

// NDMP is what tshark's NDMP dissector made of a segment to or from
// port 10000.
type NDMP struct {
	// Partial marks a segment whose bytes wait for more: a record mark
	// not yet whole, or a record not yet complete, and no record ended
	// in it ("[TCP segment of a reassembled PDU]").
	Partial bool
	// NotNDMP marks bytes whose mark is not sane: tshark shows them,
	// with the bytes held before them, as Data (other).
	NotNDMP bool
	other   []byte

	records []ndmpRecord // the records the segment completes
	// segs and data are the segments the first record (or the Data)
	// was gathered from, when more than one, and its bytes.
	segs []tcpSeg
	data []byte
}

// ndmpRecord is one record: its mark and the bytes after the mark.
type ndmpRecord struct {
	mark uint32
	data []byte
}

// fragment reports a record that is not a message's last fragment,
// which tshark shows as "[NDMP fragment]".
func (r *ndmpRecord) fragment() bool { return r.mark>>31 == 0 }

// Reassembled returns the bytes gathered from several segments, which
// tshark shows as the "Reassembled TCP" data source; nil otherwise.
func (n *NDMP) Reassembled() []byte {
	if len(n.segs) < 2 {
		return nil
	}
	return n.data
}

// ndmpState holds one direction's bytes that wait for more.
type ndmpState struct {
	pend []byte
	segs []tcpSeg
}

// ndmpDecoder keeps each direction of each stream's waiting bytes.
type ndmpDecoder struct {
	dirs map[tcpDir]*ndmpState
}

// decode reads a segment's payload. A segment that only waits, or
// whose bytes are not NDMP, is no NDMP layer of its own: tshark lists it
// under TCP alone (with Data for bytes that are not NDMP).
func (d *ndmpDecoder) decode(b []byte, p *Packet) (selector, []byte, bool) {
	if len(b) == 0 {
		p.dropLayer()
		return selector{}, nil, false
	}
	k := tcpDir{stream: p.TCP.Stream, from: netip.AddrPortFrom(p.Src, p.SrcPort)}
	st := d.dirs[k]
	if st == nil && !saneMark(b) {
		// Nothing held and no sane mark: not NDMP, the common case of
		// text on port 10000, which needs no state. tshark offers the
		// bytes to its heuristic dissectors.
		p.dropLayer()
		return selector{space: tcpHeuristic}, b, false
	}
	if st == nil {
		st = new(ndmpState)
	}
	n := st.feed(p.Number, b)
	// Only a direction with bytes held keeps a state, so that a capture
	// of many conversations keeps none for the ones that hold nothing.
	if len(st.pend) > 0 {
		d.dirs[k] = st
	} else {
		delete(d.dirs, k)
	}
	p.NDMP = n
	p.TCP.Reassembling = n.Partial || len(n.segs) > 1
	if len(n.records) == 0 {
		p.dropLayer() // waiting, or Data gathered from several segments
		return selector{}, nil, n.Partial
	}
	return selector{}, nil, true
}

// dropLayer forgets the layer just recorded: the protocol decoding it
// found it is not there.
func (p *Packet) dropLayer() {
	if p.nlayers > 0 {
		p.nlayers--
	}
}

// saneMark is check_ndmp_rm: the bytes are too few to tell, or start
// with a record length of 1 to 1,000,000.
func saneMark(b []byte) bool {
	if len(b) < 4 {
		return true
	}
	n := binary.BigEndian.Uint32(b) & ndmpLenMask
	return n >= 1 && n <= 1000000
}

// feed takes the next segment's payload, frame its frame number, and
// returns what tshark shows of it.
func (st *ndmpState) feed(frame int, b []byte) *NDMP {
	n := &NDMP{}
	buf, segs := b, []tcpSeg{{frame: frame, n: len(b)}}
	held := len(st.pend)
	if held > 0 {
		buf = append(st.pend, b...)
		segs = append(st.segs, segs[0])
	}
	st.pend, st.segs = nil, nil
	// fresh is a new call of tshark's dissector, which checks the mark;
	// the records after the first in the same bytes it does not check.
	fresh := true
	for len(buf) > 0 {
		if fresh && !saneMark(buf) {
			n.NotNDMP, n.other = true, slices.Clone(buf)
			if len(n.records) == 0 {
				n.data, n.segs = n.other, segs
			}
			return n
		}
		fresh = false
		size := 0
		if len(buf) >= 4 {
			size = int(binary.BigEndian.Uint32(buf)&ndmpLenMask) + 4
		}
		if size == 0 || len(buf) < size {
			st.pend, st.segs = slices.Clone(buf), segs
			n.Partial = len(n.records) == 0
			return n
		}
		rec := buf[:size]
		n.records = append(n.records, ndmpRecord{mark: binary.BigEndian.Uint32(rec), data: slices.Clone(rec[4:])})
		if held > 0 {
			// The record TCP reassembled: its last segment gave what the
			// record still lacked, and TCP hands the rest on anew.
			segs[len(segs)-1].n = size - held
			n.segs, n.data = segs, slices.Clone(rec)
			fresh, held = true, 0
		}
		buf = buf[size:]
		segs = []tcpSeg{{frame: frame, n: len(buf)}}
	}
	return n
}

// ndmpRecords are the records a packet's segment completes.
func ndmpRecords(p *Packet) []ndmpRecord {
	if p.NDMP == nil {
		return nil
	}
	return p.NDMP.records
}

// ndmpMark is a field of each record's mark.
func ndmpMark(kind Kind, get func(uint32) uint64) fieldDef {
	return fieldDef{kind: kind, fmt: fmtDec, get: func(p *Packet, out []Value) []Value {
		for _, r := range ndmpRecords(p) {
			if r.fragment() {
				out = append(out, Value{U: get(r.mark)})
			}
		}
		return out
	}}
}

// ndmpFragment reports whether a segment completes an NDMP fragment,
// which names the Protocol and Info columns; tshark adds NDMP's tree,
// which the filter "ndmp" finds, for fragments alone.
func ndmpFragment(p *Packet) bool {
	for _, r := range ndmpRecords(p) {
		if r.fragment() {
			return true
		}
	}
	return false
}

// ndmpColumn is NDMP for a segment with a fragment, TCP otherwise.
func ndmpColumn(p *Packet) string {
	if ndmpFragment(p) {
		return "NDMP"
	}
	return TransportTCP.String()
}

// ndmpInfo is "[NDMP fragment] " for a fragment, TCP's text otherwise,
// with TCP's reassembly mark on a segment that only waits.
func ndmpInfo(buf []byte, p *Packet) []byte {
	if ndmpFragment(p) {
		return append(buf, "[NDMP fragment] "...)
	}
	buf = tcpInfo(buf, p)
	if p.NDMP != nil && p.NDMP.Partial {
		buf = append(buf, " [TCP segment of a reassembled PDU]"...)
	}
	return buf
}

// ndmpDetails writes the reassembly of a record several segments
// carried, then NDMP's tree of each fragment.
func ndmpDetails(t *tree, p *Packet, _ []byte, _ *Details) {
	n := p.NDMP
	if n == nil {
		return
	}
	if len(n.segs) > 1 {
		reassemblyDetails(t, n.segs, n.data)
	}
	for _, r := range n.records {
		if !r.fragment() {
			continue
		}
		t.line("Network Data Management Protocol")
		t.in()
		size := int(r.mark & ndmpLenMask)
		t.start().s("Fragment header: ").i(size).s(plural(size, " byte", " bytes")).end()
		t.in()
		t.start().bits(uint64(r.mark), 1<<31, 32).s("Last Fragment: No").end()
		t.start().bits(uint64(r.mark), ndmpLenMask, 32).s("Fragment Length: ").i(size).end()
		t.out()
		t.start().s("NDMP fragment data: ")
		t.b = appendBytesField(t.b, r.data)
		t.end()
		t.out()
	}
}

// ndmpDataDetails writes, before the Data of bytes that are not NDMP,
// the segments they were gathered from.
func ndmpDataDetails(t *tree, p *Packet) {
	if n := p.NDMP; n != nil && n.NotNDMP && len(n.records) == 0 && len(n.segs) > 1 {
		reassemblyDetails(t, n.segs, n.data)
	}
}
