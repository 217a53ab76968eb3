package dissect

import (
	"slices"
	"sync"

	"wiretutor/engine/packet/wsnames"
)

// protocols lists every protocol the dissector knows, one line each,
// the frame first (a packet's highest layer starts as the frame) and
// then from the link up. Each protocol's file says where it sits, how
// it decodes, its fields and its columns; the Dissector, the field
// lookup and the summary read nothing else. A new protocol is its file
// and its line here. The summary's columns, which are fields too, read r.
func protocols(r *registry) []protocol {
	return []protocol{
		frameProtocol(),
		wiresharkProtocol(r),
		ethernetProtocol(),
		arpProtocol(),
		linuxSLLProtocol(),
		linuxSLL2Protocol(),
		nullProtocol(),
		rawIPProtocol(),
		ipv4Protocol(),
		ipv6Protocol(),
		tcpProtocol(),
		udpProtocol(),
		icmpProtocol(),
		icmpv6Protocol(),
		httpProtocol(r),
		ndmpProtocol(),
		jsonProtocol(),
		textLinesProtocol(),
		mediaProtocol(),
		dataProtocol(),
	}
}

// protocol is what the dissector knows of one protocol.
type protocol struct {
	// name is the display-filter name ("tcp"); has, when set, says
	// whether a packet carries the protocol for a filter that names it
	// alone.
	name string
	has  func(*Packet) bool

	// on lists the numbers of the layer below that hand this protocol
	// its payload; newDecoder makes a decoder with fresh state for each
	// Dissector. Both are empty for what no header selects (the frame,
	// the payload as "data").
	on         []selector
	newDecoder func(d *Dissector) decoder
	// tcpHeuristic, when set, claims a TCP conversation on ports no
	// protocol is registered for, as tshark's heuristic dissectors do:
	// from the first segment whose payload it accepts, every segment of
	// the conversation, both ways, is this protocol's.
	tcpHeuristic func(payload []byte) bool

	// fields are the protocol's Wireshark fields. outerOnly marks
	// fields that describe the frame itself, which an ICMP error's
	// quote does not repeat.
	fields    []field
	outerOnly bool

	// column and info write the Protocol and Info columns of a packet
	// whose highest layer is this protocol; info may be nil for none.
	column func(p *Packet) string
	info   func(buf []byte, p *Packet) []byte

	// details writes the protocol's subtree of the packet details
	// (tshark -V) from b, the frame from the protocol's first byte;
	// nil for a protocol that has none of its own. ethertype marks a
	// link layer whose type field tshark lists as "ethertype" in
	// frame.protocols.
	details   func(t *tree, p *Packet, b []byte, d *Details)
	ethertype bool
	// listed is the protocol's name in frame.protocols where it has
	// no display-filter name of its own ("sll", "null", "raw").
	listed string

	// addr, when set, writes the Source (src) or Destination address
	// column and reports whether the packet has that address at this
	// layer. The highest layer that has one fills the column.
	addr func(buf []byte, p *Packet, src bool) ([]byte, bool)
}

// named is a Protocol column that is always the same name.
func named(name string) func(*Packet) string {
	return func(*Packet) string { return name }
}

// field is one named field of a protocol.
type field struct {
	name string
	def  fieldDef
}

// space is what kind of number selects a protocol: the header field of
// the layer below that says what its payload holds.
type space uint8

const (
	endOfFrame   space = iota // nothing further is decoded
	linkType                  // the capture's link type (LINKTYPE_*)
	etherType                 // an EtherType: Ethernet's and SLL's type field, or raw IP's version
	ipProto                   // IPv4's protocol field, IPv6's next header
	tcpPort                   // a TCP port at either end
	tcpHeuristic              // a TCP payload the port's protocol refused: try the heuristics
	spaces                    // how many there are
)

// selector is a number in a space. A TCP segment offers both its ports:
// num (the source) is tried first, then alt.
type selector struct {
	space    space
	num, alt uint16
}

// decoder decodes one protocol for one Dissector, keeping the state the
// protocol needs across the frames of a capture.
type decoder interface {
	// decode reads the protocol's header at the start of b into p. It
	// returns what the payload holds and the payload, and whether the
	// protocol is now the packet's highest layer, whose Protocol and
	// Info columns the summary shows.
	decode(b []byte, p *Packet) (next selector, payload []byte, top bool)
}

// registry is the table of protocols with the indexes the lookups use.
type registry struct {
	protos  []protocol
	fields  map[string]*fieldEntry
	names   []string                      // field names, sorted
	present map[string]func(*Packet) bool // protocol names a filter may test alone
	addrs   []*protocol                   // protocols with address columns, highest first
}

// fieldEntry is a field with the getter Getter returns for it.
type fieldEntry struct {
	fieldDef
	get func(p *Packet, out []Value) []Value
}

// table returns the registry, built from protocols on first use and
// never changed after: the functions that take no Dissector (Field,
// Summary) need it.
var table = sync.OnceValue(newRegistry)

func newRegistry() *registry {
	r := &registry{
		fields:  make(map[string]*fieldEntry),
		present: make(map[string]func(*Packet) bool),
	}
	r.protos = protocols(r)
	for i := range r.protos {
		pr := &r.protos[i]
		if pr.has != nil {
			r.present[pr.name] = pr.has
		}
		if pr.addr != nil {
			r.addrs = append(r.addrs, pr)
		}
		for _, f := range pr.fields {
			r.fields[f.name] = &fieldEntry{fieldDef: f.def, get: withQuote(f.def.get, pr.outerOnly)}
			r.names = append(r.names, f.name)
		}
	}
	slices.Reverse(r.addrs)
	slices.Sort(r.names)
	return r
}

// withQuote extends a getter to the packet an ICMP error quotes: its
// values follow the packet's own, as tshark prints both.
func withQuote(get func(*Packet, []Value) []Value, outerOnly bool) func(*Packet, []Value) []Value {
	if outerOnly {
		return get
	}
	return func(p *Packet, out []Value) []Value {
		out = get(p, out)
		if p.Inner != nil {
			out = get(p.Inner, out)
		}
		return out
	}
}

// top returns the protocol whose columns the summary shows for p.
func (r *registry) top(p *Packet) *protocol {
	if int(p.top) < len(r.protos) && r.protos[p.top].column != nil {
		return &r.protos[p.top]
	}
	return &r.protos[0]
}

// FieldNames lists the Wireshark fields Field knows, sorted (protocol
// names, which filters also know, are not fields to print).
func FieldNames() []string { return slices.Clone(table().names) }

// KnownField reports whether Field knows the named field.
func KnownField(name string) bool {
	_, ok := table().fields[name]
	return ok
}

// FieldKind returns the kind of a field or protocol name, and whether
// the name is known at all.
func FieldKind(name string) (Kind, bool) {
	r := table()
	if f, ok := r.fields[name]; ok {
		return f.kind, true
	}
	if _, ok := r.present[name]; ok {
		return KindNone, true
	}
	return 0, false
}

// Getter returns a function that appends the values of a field or
// protocol name in p to out (outer packet first, then the one an ICMP
// error quotes); nil for an unknown name. A protocol yields one empty
// value when present.
func Getter(name string) func(p *Packet, out []Value) []Value {
	r := table()
	if f, ok := r.fields[name]; ok {
		return f.get
	}
	if has, ok := r.present[name]; ok {
		return func(p *Packet, out []Value) []Value {
			if has(p) || p.Inner != nil && has(p.Inner) {
				out = append(out, Value{})
			}
			return out
		}
	}
	return nil
}

// Field returns a field's value exactly as `tshark -T fields -e NAME`
// prints it, and whether the packet has it at all.
func Field(p *Packet, name string) (string, bool) {
	b, ok := AppendField(nil, p, name)
	return string(b), ok
}

// AppendField appends what Field returns to buf. For a field the packet
// lacks, or an unknown field, buf comes back unchanged and false.
func AppendField(buf []byte, p *Packet, name string) ([]byte, bool) {
	f, ok := table().fields[name]
	if !ok {
		return buf, false
	}
	var scratch [4]Value
	vals := f.get(p, scratch[:0])
	for i, v := range vals {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = f.appendValue(buf, v)
	}
	return buf, len(vals) > 0
}

// NotDissected returns the Wireshark protocol of a name that belongs to
// a protocol Wireshark dissects and this dissector does not yet
// (dns.qry.name: dns), and whether the name is such a one. A misspelt
// field of a protocol the dissector knows (tcp.prot) is not: it is no
// field at all.
func NotDissected(name string) (string, bool) {
	proto, ok := wsnames.Protocol(name)
	if !ok {
		return "", false
	}
	if _, known := FieldKind(proto); known || IsLayer(proto) {
		return "", false
	}
	return proto, true
}

// IsLayer reports whether name is a protocol the dissector records as a
// layer of a frame, which Packet.Layers names and LayerBytes reads.
func IsLayer(name string) bool {
	for _, pr := range table().protos {
		if pr.name == name {
			return true
		}
	}
	return false
}
