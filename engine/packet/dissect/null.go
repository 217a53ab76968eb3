package dissect

import "github.com/gopacket/gopacket/layers"

// nullHeader is the size of the BSD loopback header: the address family.
const nullHeader = 4

// nullProtocol is BSD loopback encapsulation (LINKTYPE_NULL and
// LINKTYPE_LOOP): a 4-byte address family, then IP. wiretutor reads the
// IP version rather than the family, whose values differ between
// systems.
func nullProtocol() protocol {
	return protocol{
		on: []selector{
			{space: linkType, num: uint16(layers.LinkTypeNull)},
			{space: linkType, num: uint16(layers.LinkTypeLoop)},
		},
		newDecoder: func(*Dissector) decoder { return nullDecoder{} },
		details:    nullDetails, listed: "null",
		column: named("Null"),
	}
}

type nullDecoder struct{}

func (nullDecoder) decode(data []byte, p *Packet) (selector, []byte, bool) {
	if len(data) < nullHeader {
		p.Malformed, p.cut = "Null", len(data)
		return selector{}, nil, true
	}
	return byVersion(data[nullHeader:]), data[nullHeader:], false
}
