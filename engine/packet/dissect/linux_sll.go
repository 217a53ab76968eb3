package dissect

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Linux cooked-capture header sizes.
const (
	sllHeader  = 16
	sll2Header = 20
)

// linuxSLLProtocol is the Linux cooked capture (LINKTYPE_LINUX_SLL) that
// `tcpdump -i any` writes. wiretutor shows none of its fields; a frame
// too short for its header is "[Malformed Packet: SLL]".
func linuxSLLProtocol() protocol {
	return protocol{
		on:         []selector{{space: linkType, num: uint16(layers.LinkTypeLinuxSLL)}},
		newDecoder: func(*Dissector) decoder { return new(sllDecoder) },
		details:    sllDetails, ethertype: true, listed: "sll",
		column: named("SLL"),
	}
}

type sllDecoder struct{ sll layers.LinuxSLL }

func (s *sllDecoder) decode(data []byte, p *Packet) (selector, []byte, bool) {
	if len(data) < sllHeader || s.sll.DecodeFromBytes(data, gopacket.NilDecodeFeedback) != nil {
		p.Malformed, p.cut = "SLL", len(data)
		return selector{}, nil, true
	}
	return selector{space: etherType, num: uint16(s.sll.EthernetType)}, s.sll.Payload, false
}

// linuxSLL2Protocol is the second version of the cooked capture
// (LINKTYPE_LINUX_SLL2), which tshark also calls SLL.
func linuxSLL2Protocol() protocol {
	return protocol{
		on:         []selector{{space: linkType, num: uint16(layers.LinkTypeLinuxSLL2)}},
		newDecoder: func(*Dissector) decoder { return new(sll2Decoder) },
		details:    sll2Details, ethertype: true, listed: "sll",
		column: named("SLL"),
	}
}

type sll2Decoder struct{ sll layers.LinuxSLL2 }

func (s *sll2Decoder) decode(data []byte, p *Packet) (selector, []byte, bool) {
	if len(data) < sll2Header || s.sll.DecodeFromBytes(data, gopacket.NilDecodeFeedback) != nil {
		p.Malformed, p.cut = "SLL", len(data)
		return selector{}, nil, true
	}
	return selector{space: etherType, num: uint16(s.sll.ProtocolType)}, s.sll.Payload, false
}
