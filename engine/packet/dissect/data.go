package dissect

// dataProtocol is what tshark shows as "data": a payload that no
// protocol above the transport claims.
func dataProtocol() protocol {
	return protocol{
		name: "data", has: hasPayload,
		fields: []field{
			{"data.data", fieldDef{kind: KindBytes, fmt: fmtHexDump, get: func(p *Packet, out []Value) []Value {
				if !hasPayload(p) {
					return out
				}
				return append(out, Value{B: dataBytes(p)})
			}}},
			{"data.len", dec(hasPayload, func(p *Packet) uint64 { return uint64(len(dataBytes(p))) })},
		},
	}
}

// hasPayload reports whether tshark would show the payload as "data":
// TCP and UDP payloads and ICMP and ICMPv6 echo data, but not a retransmitted
// segment, which Wireshark keeps from the protocols above TCP.
func hasPayload(p *Packet) bool {
	if len(p.Payload) == 0 || p.HTTP != nil {
		return false
	}
	if p.NDMP != nil {
		return p.NDMP.NotNDMP
	}
	switch p.Transport {
	case TransportTCP:
		// Wireshark keeps retransmitted and out-of-order segments from
		// the dissectors above TCP; fast retransmissions it passes on.
		return p.TCP.Analysis&(AnalysisRetransmission|AnalysisSpuriousRetransmission|AnalysisOutOfOrder) == 0
	case TransportUDP:
		return true
	case TransportICMP, TransportICMPv6:
		return p.ICMP.IsEcho
	}
	return false
}

// dataBytes is what tshark shows as Data: the payload, or the bytes a
// protocol gathered from several segments and then found not its own.
func dataBytes(p *Packet) []byte {
	if p.NDMP != nil && p.NDMP.NotNDMP {
		return p.NDMP.other
	}
	return p.Payload
}
