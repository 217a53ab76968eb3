package dissect

import "github.com/gopacket/gopacket/layers"

// rawIPProtocol is raw IP (LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6,
// and DLT_RAW's numbers 12 and 14, which some systems write in pcap
// files and Wireshark reads as raw IP too): no link header, the IP
// version says which IP follows.
func rawIPProtocol() protocol {
	return protocol{
		on: []selector{
			{space: linkType, num: uint16(layers.LinkTypeRaw)},
			{space: linkType, num: uint16(layers.LinkTypeIPv4)},
			{space: linkType, num: uint16(layers.LinkTypeIPv6)},
			{space: linkType, num: linkTypeDLTRaw12},
			{space: linkType, num: linkTypeDLTRaw14},
		},
		newDecoder: func(*Dissector) decoder { return rawDecoder{} },
		listed:     "raw",
		details:    func(t *tree, _ *Packet, _ []byte, _ *Details) { t.line("Raw packet data") },
	}
}

// DLT_RAW is 12 on most systems and 14 on OpenBSD; pcap files carry
// either where LINKTYPE_RAW (101) was meant.
const (
	linkTypeDLTRaw12 = 12
	linkTypeDLTRaw14 = 14
)

type rawDecoder struct{}

func (rawDecoder) decode(data []byte, _ *Packet) (selector, []byte, bool) {
	return byVersion(data), data, false
}

// byVersion selects IPv4 or IPv6 by the version in the first byte, as
// the EtherType of a link layer that carries IP alone.
func byVersion(b []byte) selector {
	if len(b) == 0 {
		return selector{}
	}
	switch b[0] >> 4 {
	case 4:
		return selector{space: etherType, num: uint16(layers.EthernetTypeIPv4)}
	case 6:
		return selector{space: etherType, num: uint16(layers.EthernetTypeIPv6)}
	}
	return selector{}
}
