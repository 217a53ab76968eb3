package dissect

import (
	"encoding/binary"
	"net/netip"
)

// This file writes the link layers' packet details, as tshark -V shows
// them: Ethernet II, Linux cooked captures v1 and v2, BSD loopback and
// raw IP (which has no header of its own).

// ethDetails writes Ethernet II.
func ethDetails(t *tree, p *Packet, b []byte, _ *Details) {
	if len(b) < ethHeader {
		return // tshark shows nothing of a header it cannot finish
	}
	dst, src := [6]byte(b[0:6]), [6]byte(b[6:12])
	t.start().s("Ethernet II, Src: ")
	macLine(t, src)
	t.s(", Dst: ")
	macLine(t, dst)
	t.end()
	t.in()
	for _, a := range []struct {
		name string
		mac  [6]byte
	}{{"Destination: ", dst}, {"Source: ", src}} {
		t.start().s(a.name)
		macLine(t, a.mac)
		t.end()
		t.in()
		t.start().s("Address: ")
		macLine(t, a.mac)
		t.end()
		v := uint64(a.mac[0])<<16 | uint64(a.mac[1])<<8 | uint64(a.mac[2])
		t.start().bits(v, 0x020000, 24).s("LG bit: ")
		if v&0x020000 != 0 {
			t.s("Locally administered address (this is NOT the factory default)").end()
		} else {
			t.s("Globally unique address (factory default)").end()
		}
		t.start().bits(v, 0x010000, 24).s("IG bit: ")
		if v&0x010000 != 0 {
			t.s("Group address (multicast/broadcast)").end()
		} else {
			t.s("Individual address (unicast)").end()
		}
		t.out()
	}
	etherTypeLine(t, "Type: ", binary.BigEndian.Uint16(b[12:]))
	tr := p.EthTrailer()
	if len(tr.Padding) > 0 {
		t.start().s("Padding: ")
		t.b = appendHexBytes(t.b, tr.Padding)
		t.end()
	}
	if len(tr.Trailer) > 0 {
		t.start().s("Trailer: ")
		t.b = appendHexBytes(t.b, tr.Trailer)
		t.end()
		if tr.NoZeros {
			t.in()
			t.expert("Note", "Protocol", "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.")
			t.out()
		}
	}
	if tr.HasFCS {
		t.start().s("Frame check sequence: ").x(uint64(tr.FCS), 8).s(" [unverified]").end()
		t.line("[FCS Status: Unverified]")
	}
	t.out()
}

// etherTypeLine writes an EtherType field: "Type: IPv4 (0x0800)".
func etherTypeLine(t *tree, label string, et uint16) {
	t.start().s(label).s(etherTypeName(et)).s(" (").x(uint64(et), 4).s(")").end()
}

// etherTypeName is Wireshark's name of an EtherType.
func etherTypeName(et uint16) string {
	switch et {
	case 0x0800:
		return "IPv4"
	case 0x86dd:
		return "IPv6"
	case 0x0806:
		return "ARP"
	case 0x8100:
		return "802.1Q Virtual LAN"
	}
	return "Unknown"
}

// macLine writes an address as tshark's details do: its name, then the
// address in brackets (appendMACName says which names it knows).
func macLine(t *tree, m [6]byte) {
	t.b = appendMACName(t.b, m)
	t.s(" (")
	t.b = appendMAC(t.b, m)
	t.s(")")
}

// sllPacketTypes are the Linux packet types the cooked headers carry.
var sllPacketTypes = [...]string{
	"Unicast to us", "Broadcast", "Multicast", "Unicast to another host", "Sent by us",
}

func sllPacketType(v uint16) string {
	if int(v) < len(sllPacketTypes) {
		return sllPacketTypes[v]
	}
	return "Unknown"
}

// arphrdName is the name of a Linux ARPHRD_* link-layer address type.
func arphrdName(v uint16) string {
	switch v {
	case 1:
		return "Ethernet"
	case 772:
		return "Loopback"
	case 776:
		return "IPv6-in-IPv4"
	case 0xfffe:
		return "None"
	}
	return "Unknown"
}

// sllAddr writes a cooked header's link-layer address: a MAC address
// when it is six bytes long, else its bytes in hex.
func sllAddr(t *tree, label string, a []byte) {
	if len(a) == 6 {
		t.start().s(label)
		macLine(t, [6]byte(a))
		t.end()
		return
	}
	t.start().s(label)
	for i, c := range a {
		if i > 0 {
			t.b = append(t.b, ':')
		}
		t.b = appendHex(t.b, uint64(c), 2)
	}
	t.end()
}

// sllDetails writes the Linux cooked capture, version 1.
func sllDetails(t *tree, p *Packet, b []byte, _ *Details) {
	if len(b) < sllHeader {
		return
	}
	t.line("Linux cooked capture v1")
	t.in()
	pt := binary.BigEndian.Uint16(b[0:])
	t.start().s("Packet type: ").s(sllPacketType(pt)).s(" (").u(uint64(pt)).s(")").end()
	ht := binary.BigEndian.Uint16(b[2:])
	t.start().s("Link-layer address type: ").s(arphrdName(ht)).s(" (").u(uint64(ht)).s(")").end()
	n := int(binary.BigEndian.Uint16(b[4:]))
	t.start().s("Link-layer address length: ").i(n).end()
	sllAddr(t, "Source: ", b[6:6+min(n, 8)])
	if n < 8 {
		t.start().s("Unused: ")
		t.b = appendHex(t.b, 0, 2*(8-n))
		t.end()
	}
	etherTypeLine(t, "Protocol: ", binary.BigEndian.Uint16(b[14:]))
	t.out()
}

// sll2Details writes the Linux cooked capture, version 2.
func sll2Details(t *tree, p *Packet, b []byte, _ *Details) {
	if len(b) < sll2Header {
		return
	}
	t.line("Linux cooked capture v2")
	t.in()
	etherTypeLine(t, "Protocol: ", binary.BigEndian.Uint16(b[0:]))
	t.start().s("Interface index: ").u(uint64(binary.BigEndian.Uint32(b[4:]))).end()
	ht := binary.BigEndian.Uint16(b[8:])
	t.start().s("Link-layer address type: ").s(arphrdName(ht)).s(" (").u(uint64(ht)).s(")").end()
	pt := uint16(b[10])
	t.start().s("Packet type: ").s(sllPacketType(pt)).s(" (").u(uint64(pt)).s(")").end()
	n := int(b[11])
	t.start().s("Link-layer address length: ").i(n).end()
	sllAddr(t, "Source: ", b[12:12+min(n, 8)])
	if n < 8 {
		t.start().s("Unused: ")
		t.b = appendHex(t.b, 0, 2*(8-n))
		t.end()
	}
	t.out()
}

// nullDetails writes BSD loopback's address family.
func nullDetails(t *tree, p *Packet, b []byte, _ *Details) {
	if len(b) < nullHeader {
		return
	}
	t.line("Null/Loopback")
	t.in()
	// The family is in the writer's byte order: tshark guesses it from
	// which half is zero.
	fam := binary.LittleEndian.Uint32(b)
	if fam&0xffff == 0 {
		fam = binary.BigEndian.Uint32(b)
	}
	t.start().s("Family: ").s(nullFamily(fam)).s(" (").u(uint64(fam)).s(")").end()
	t.out()
}

// nullFamily names a BSD address family as Wireshark does.
func nullFamily(f uint32) string {
	switch f {
	case 2:
		return "IP"
	case 24, 28, 30:
		return "IPv6"
	}
	return "Unknown"
}

// ipAddrText writes an address as tshark's details do.
func ipAddrText(t *tree, a netip.Addr) *tree {
	t.b = a.AppendTo(t.b)
	return t
}
