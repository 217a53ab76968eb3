package filter

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// Offsets in an Ethernet frame.
const (
	offEtherType = 12
	offIP        = 14
	etherIPv4    = 0x0800
	etherIPv6    = 0x86dd
)

type label int

// insn is an instruction whose jumps name labels, resolved at the end.
type insn struct {
	ins    bpf.Instruction
	cond   bool // a JumpIf whose targets are jt and jf
	jt, jf label
	here   []label // labels placed at this instruction
}

type gen struct {
	code   []insn
	labels int
	where  map[label]int
	ahead  []label // labels placed before the next instruction
}

func (g *gen) label() label { g.labels++; return label(g.labels) }

func (g *gen) place(l label) { g.ahead = append(g.ahead, l) }

func (g *gen) emit(ins bpf.Instruction) {
	g.code = append(g.code, insn{ins: ins, here: g.ahead})
	g.ahead = nil
}

// jump emits "if A cond val goto t else goto f".
func (g *gen) jump(cond bpf.JumpTest, val uint32, t, f label) {
	g.code = append(g.code, insn{ins: bpf.JumpIf{Cond: cond, Val: val}, cond: true, jt: t, jf: f, here: g.ahead})
	g.ahead = nil
}

func (g *gen) resolve() ([]bpf.Instruction, error) {
	g.where = map[label]int{}
	for i, c := range g.code {
		for _, l := range c.here {
			g.where[l] = i
		}
	}
	out := make([]bpf.Instruction, len(g.code))
	for i, c := range g.code {
		if !c.cond {
			out[i] = c.ins
			continue
		}
		j := c.ins.(bpf.JumpIf)
		t, f := g.where[c.jt]-i-1, g.where[c.jf]-i-1
		if t < 0 || f < 0 || t > 255 || f > 255 {
			return nil, fmt.Errorf("capture filter too long for one jump (%d, %d)", t, f)
		}
		j.SkipTrue, j.SkipFalse = uint8(t), uint8(f)
		out[i] = j
	}
	return out, nil
}

// node emits code that goes to t when n matches and to f when not.
func (g *gen) node(n node, t, f label) {
	switch n := n.(type) {
	case andNode:
		mid := g.label()
		g.node(n.l, mid, f)
		g.place(mid)
		g.node(n.r, t, f)
	case orNode:
		mid := g.label()
		g.node(n.l, t, mid)
		g.place(mid)
		g.node(n.r, t, f)
	case notNode:
		g.node(n.n, f, t)
	case protoNod:
		g.proto(n.proto, t, f)
	case portNode:
		v6 := g.label()
		g.portV4(n, t, v6)
		g.place(v6)
		g.portV6(n, t, f)
	case hostNode:
		g.host(n, t, f)
	}
}

// host matches an IPv4 or IPv6 source and/or destination address.
func (g *gen) host(n hostNode, t, f label) {
	isIP := g.label()
	var srcOff, dstOff uint32 = offIP + 12, offIP + 16
	words := 1
	ether := uint32(etherIPv4)
	if n.addr.Is6() {
		srcOff, dstOff, words, ether = offIP+8, offIP+24, 4, etherIPv6
	}
	g.etherType(ether, isIP, f)
	g.place(isIP)
	raw := n.addr.AsSlice()
	match := func(off uint32, t, f label) {
		for i := 0; i < words; i++ {
			g.emit(bpf.LoadAbsolute{Off: off + uint32(4*i), Size: 4})
			w := uint32(raw[4*i])<<24 | uint32(raw[4*i+1])<<16 | uint32(raw[4*i+2])<<8 | uint32(raw[4*i+3])
			if i == words-1 {
				g.jump(bpf.JumpEqual, w, t, f)
				return
			}
			next := g.label()
			g.jump(bpf.JumpEqual, w, next, f)
			g.place(next)
		}
	}
	switch n.dir {
	case "src":
		match(srcOff, t, f)
	case "dst":
		match(dstOff, t, f)
	default:
		other := g.label()
		match(srcOff, t, other)
		g.place(other)
		match(dstOff, t, f)
	}
}

func (g *gen) etherType(typ uint32, t, f label) {
	g.emit(bpf.LoadAbsolute{Off: offEtherType, Size: 2})
	g.jump(bpf.JumpEqual, typ, t, f)
}

// ipProto checks the IPv4 protocol or IPv6 next header byte at off.
func (g *gen) protoIs(off uint32, protos []uint32, t, f label) {
	g.emit(bpf.LoadAbsolute{Off: off, Size: 1})
	for i, p := range protos {
		if i == len(protos)-1 {
			g.jump(bpf.JumpEqual, p, t, f)
			return
		}
		next := g.label()
		g.jump(bpf.JumpEqual, p, t, next)
		g.place(next)
	}
}

var protoNumbers = map[string]uint32{"tcp": 6, "udp": 17, "icmp": 1}

func (g *gen) proto(name string, t, f label) {
	switch name {
	case "ip":
		g.etherType(etherIPv4, t, f)
	case "ip6":
		g.etherType(etherIPv6, t, f)
	case "icmp":
		ok := g.label()
		g.etherType(etherIPv4, ok, f)
		g.place(ok)
		g.protoIs(offIP+9, []uint32{1}, t, f)
	default: // tcp, udp: IPv4 or IPv6
		v4, v6, v6ok := g.label(), g.label(), g.label()
		g.etherType(etherIPv4, v4, v6)
		g.place(v4)
		g.protoIs(offIP+9, []uint32{protoNumbers[name]}, t, f)
		g.place(v6)
		g.etherType(etherIPv6, v6ok, f)
		g.place(v6ok)
		g.protoIs(offIP+6, []uint32{protoNumbers[name]}, t, f)
	}
}

func portProtos(proto string) []uint32 {
	if proto == "" {
		return []uint32{6, 17}
	}
	return []uint32{protoNumbers[proto]}
}

// portV4 matches a port of an unfragmented (or first-fragment) IPv4 packet.
func (g *gen) portV4(n portNode, t, f label) {
	isIP, isProto, first := g.label(), g.label(), g.label()
	g.etherType(etherIPv4, isIP, f)
	g.place(isIP)
	g.protoIs(offIP+9, portProtos(n.proto), isProto, f)
	g.place(isProto)
	// Fragment offset must be 0: later fragments carry no ports.
	g.emit(bpf.LoadAbsolute{Off: offIP + 6, Size: 2})
	g.jump(bpf.JumpBitsSet, 0x1fff, f, first)
	g.place(first)
	g.emit(bpf.LoadMemShift{Off: offIP})
	g.ports(n, true, t, f)
}

// portV6 matches a port right after the fixed IPv6 header.
func (g *gen) portV6(n portNode, t, f label) {
	isIP, isProto := g.label(), g.label()
	g.etherType(etherIPv6, isIP, f)
	g.place(isIP)
	g.protoIs(offIP+6, portProtos(n.proto), isProto, f)
	g.place(isProto)
	g.ports(n, false, t, f)
}

// ports compares the source and/or destination port; for IPv4 the X
// register holds the IP header length.
func (g *gen) ports(n portNode, indirect bool, t, f label) {
	load := func(off uint32) {
		if indirect {
			g.emit(bpf.LoadIndirect{Off: offIP + off, Size: 2})
		} else {
			g.emit(bpf.LoadAbsolute{Off: offIP + 40 + off, Size: 2})
		}
	}
	// test compares the loaded port with the port or the range.
	test := func(t, f label) {
		if n.hiPort == 0 {
			g.jump(bpf.JumpEqual, uint32(n.port), t, f)
			return
		}
		inLow := g.label()
		g.jump(bpf.JumpGreaterOrEqual, uint32(n.port), inLow, f)
		g.place(inLow)
		g.jump(bpf.JumpGreaterThan, uint32(n.hiPort), f, t)
	}
	switch n.dir {
	case "src":
		load(0)
		test(t, f)
	case "dst":
		load(2)
		test(t, f)
	default:
		dst := g.label()
		load(0)
		test(t, dst)
		g.place(dst)
		load(2)
		test(t, f)
	}
}
