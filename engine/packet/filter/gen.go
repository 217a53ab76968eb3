package filter

import (
	"fmt"
	"net/netip"
	"sort"

	"golang.org/x/net/bpf"

	"wiretutor/engine/text/message"
)

// How a capture filter becomes classic BPF:
//
//  1. The frame is sorted into one of a few cases by its EtherType, IP
//     protocol and (IPv4) fragment offset, which decide every tcp, udp,
//     icmp, ip, ip6 primitive, and whether ports can be read at all.
//  2. For each case the expression is specialised: those primitives
//     become true or false, ports and hosts become tests of one loaded
//     field, negations are pushed down to the tests, constants folded.
//  3. Each case's expression is emitted; tests of the same field in an
//     "or" (or an "and") share one load. A case whose expression is a
//     constant costs no code: its branch goes straight to accept or drop.
//  4. Conditional jumps reach at most 255 instructions ahead. One that
//     must go farther goes through an island: an unconditional "ja" (32
//     bit offset) placed where no instruction falls through, shared by
//     the jumps near it. So any filter whose program fits in
//     MaxInstructions compiles.

// Offsets in an Ethernet frame.
const (
	offEtherType = 12
	offIP        = 14
	etherIPv4    = 0x0800
	etherIPv6    = 0x86dd
	etherARP     = 0x0806
	// The ARP sender's and target's protocol addresses, which "host"
	// tests on an ARP frame as libpcap does.
	offARPSrc = offIP + 14
	offARPDst = offIP + 24
)

// MaxInstructions is the longest program the Linux kernel accepts on a
// socket (BPF_MAXINSNS).
const MaxInstructions = 4096

// maxSkip is how far a conditional jump reaches (an 8-bit offset).
const maxSkip = 255

// field is what a test loads into A.
type field int

const (
	fSrcPort field = iota
	fDstPort
	fSrc4
	fDst4
	fSrc6 // fSrc6+i: word i of the IPv6 source
	fDst6 = fSrc6 + 4
	// An ARP frame's sender and target protocol addresses.
	fARPSrc = fDst6 + 4
	fARPDst = fARPSrc + 1
)

// frameCase is one sort of frame: the facts the dispatch established.
type frameCase struct {
	ip    int    // 4, 6, or 0: not IP
	arp   bool   // an ARP frame (ip is 0)
	proto uint32 // the IP protocol (IPv6 next header); 0 for any other
	first bool   // the transport header is there: not a later IPv4 fragment
}

// expr is a specialised expression: a constant, a test, or an "and" or
// "or" of expressions.
type expr interface{}

type (
	constExpr bool
	test      struct {
		f      field
		lo, hi uint32 // A in [lo, hi]
		neg    bool   // the test is true when A is outside
	}
	andExpr []expr
	orExpr  []expr
	// group is tests of one field, all of which (all) or any of which
	// must hold: emitted after a single load.
	group struct {
		all   bool
		tests []test
	}
)

// specialise turns the parsed filter into an expression for frames of
// case c, with negations pushed down to the tests; simplify it next.
func specialise(n node, c frameCase) expr {
	switch n := n.(type) {
	case andNode:
		return andExpr{specialise(n.l, c), specialise(n.r, c)}
	case orNode:
		return orExpr{specialise(n.l, c), specialise(n.r, c)}
	case notNode:
		return negate(specialise(n.n, c))
	case protoNod:
		switch n.proto {
		case "ip":
			return constExpr(c.ip == 4)
		case "ip6":
			return constExpr(c.ip == 6)
		case "icmp":
			return constExpr(c.ip == 4 && c.proto == 1)
		case "arp":
			return constExpr(c.arp)
		default:
			return constExpr(c.ip != 0 && c.proto == protoNumber(n.proto))
		}
	case portNode:
		ok := false
		for _, p := range portProtos(n.proto) {
			ok = ok || (c.ip != 0 && c.first && c.proto == p)
		}
		if !ok {
			return constExpr(false)
		}
		hi := uint32(n.port)
		if n.hiPort != 0 {
			hi = uint32(n.hiPort)
		}
		src, dst := test{f: fSrcPort, lo: uint32(n.port), hi: hi}, test{f: fDstPort, lo: uint32(n.port), hi: hi}
		switch n.dir {
		case "src":
			return src
		case "dst":
			return dst
		}
		return orExpr{src, dst}
	case hostNode:
		var src, dst expr
		switch {
		case n.addr.Is4() && c.ip == 4:
			w := n.addr.As4()
			v := uint32(w[0])<<24 | uint32(w[1])<<16 | uint32(w[2])<<8 | uint32(w[3])
			src, dst = test{f: fSrc4, lo: v, hi: v}, test{f: fDst4, lo: v, hi: v}
		case n.addr.Is6() && c.ip == 6:
			src, dst = words6(n.addr, fSrc6), words6(n.addr, fDst6)
		case n.addr.Is4() && c.arp:
			w := n.addr.As4()
			v := uint32(w[0])<<24 | uint32(w[1])<<16 | uint32(w[2])<<8 | uint32(w[3])
			src, dst = test{f: fARPSrc, lo: v, hi: v}, test{f: fARPDst, lo: v, hi: v}
		default:
			return constExpr(false)
		}
		switch n.dir {
		case "src":
			return src
		case "dst":
			return dst
		}
		return orExpr{src, dst}
	}
	panic(fmt.Sprintf("filter: unknown node %T", n))
}

// words6 tests the four words of an IPv6 address.
func words6(a netip.Addr, first field) expr {
	raw := a.As16()
	var and andExpr
	for i := 0; i < 4; i++ {
		v := uint32(raw[4*i])<<24 | uint32(raw[4*i+1])<<16 | uint32(raw[4*i+2])<<8 | uint32(raw[4*i+3])
		and = append(and, test{f: first + field(i), lo: v, hi: v})
	}
	return and
}

// negate is "not e", by De Morgan's laws down to the tests.
func negate(e expr) expr {
	switch e := e.(type) {
	case constExpr:
		return !e
	case test:
		e.neg = !e.neg
		return e
	case andExpr:
		var or orExpr
		for _, x := range e {
			or = append(or, negate(x))
		}
		return or
	case orExpr:
		var and andExpr
		for _, x := range e {
			and = append(and, negate(x))
		}
		return and
	case group:
		n := group{all: !e.all}
		for _, x := range e.tests {
			x.neg = !x.neg
			n.tests = append(n.tests, x)
		}
		return n
	}
	panic(fmt.Sprintf("filter: negate %T", e))
}

// simplify flattens nested "and"s (and "or"s), folds constants and
// gathers the tests of each field into a group.
func simplify(e expr) expr {
	var kids []expr
	all := false
	switch e := e.(type) {
	case andExpr:
		kids, all = e, true
	case orExpr:
		kids = e
	default:
		return e
	}
	var flat []expr
	// add puts x in flat, false when x alone decides the whole. raw: x
	// is not simplified yet.
	var add func(x expr, raw bool) bool
	add = func(x expr, raw bool) bool {
		switch x := x.(type) {
		case constExpr:
			return bool(x) == all // true in an and, false in an or: no effect
		case test:
			flat = append(flat, x)
			return true
		case andExpr:
			if all {
				for _, y := range x {
					if !add(y, raw) {
						return false
					}
				}
				return true
			}
		case orExpr:
			if !all {
				for _, y := range x {
					if !add(y, raw) {
						return false
					}
				}
				return true
			}
		case group:
			if x.all == all {
				for _, y := range x.tests {
					flat = append(flat, y)
				}
				return true
			}
		}
		if raw {
			return add(simplify(x), false)
		}
		flat = append(flat, x)
		return true
	}
	for _, k := range kids {
		if !add(k, true) {
			return constExpr(!all)
		}
	}
	// Tests of one field, in the order their fields first appear, then
	// everything else.
	var out []expr
	groups := map[field]int{}
	for _, x := range flat {
		t, ok := x.(test)
		if !ok {
			continue
		}
		if i, ok := groups[t.f]; ok {
			g := out[i].(group)
			g.tests = append(g.tests, t)
			out[i] = g
			continue
		}
		groups[t.f] = len(out)
		out = append(out, group{all: all, tests: []test{t}})
	}
	for _, x := range flat {
		if _, ok := x.(test); !ok {
			out = append(out, x)
		}
	}
	switch {
	case len(out) == 0:
		return constExpr(all)
	case len(out) == 1:
		return out[0]
	case all:
		return andExpr(out)
	}
	return orExpr(out)
}

// usesPorts reports whether e reads a port.
func usesPorts(e expr) bool {
	switch e := e.(type) {
	case test:
		return e.f == fSrcPort || e.f == fDstPort
	case group:
		return usesPorts(e.tests[0])
	case andExpr:
		for _, x := range e {
			if usesPorts(x) {
				return true
			}
		}
	case orExpr:
		for _, x := range e {
			if usesPorts(x) {
				return true
			}
		}
	}
	return false
}

type label int

// The kinds of instruction before their jumps are resolved.
const (
	plain = iota // no jump
	cond         // a JumpIf to jt or jf
	jump         // a Jump (ja) to jt
)

// insn is an instruction whose jumps name labels, resolved at the end.
type insn struct {
	ins    bpf.Instruction
	kind   int
	jt, jf label
	here   []label // labels placed at this instruction
}

type gen struct {
	code   []insn
	labels int
	ahead  []label  // labels placed before the next instruction
	bodies []target // the cases' code, to emit after the dispatch
}

func (g *gen) label() label { g.labels++; return label(g.labels) }

func (g *gen) place(l label) { g.ahead = append(g.ahead, l) }

func (g *gen) emit(ins bpf.Instruction) {
	g.code = append(g.code, insn{ins: ins, here: g.ahead})
	g.ahead = nil
}

// jump emits "if A cond val goto t else goto f".
func (g *gen) jump(c bpf.JumpTest, val uint32, t, f label) {
	g.code = append(g.code, insn{ins: bpf.JumpIf{Cond: c, Val: val}, kind: cond, jt: t, jf: f, here: g.ahead})
	g.ahead = nil
}

// target is where a branch of the dispatch goes: a label with the code
// to emit there, or (emit nil) accept or drop.
type target struct {
	l    label
	emit func()
	body bool // the code of a case, emitted after all the dispatch
}

// queue has t's code emitted after the dispatch, once.
func (g *gen) queue(t target) {
	for _, q := range g.bodies {
		if q.l == t.l {
			return
		}
	}
	g.bodies = append(g.bodies, t)
}

// arm is one test of a dispatch: if A cond val, go to to.
type arm struct {
	cond bpf.JumpTest
	val  uint32
	to   target
}

// choose is a dispatch: load, then the arms in order, else other. The
// arms must exclude each other (tests for different values), so an arm
// that leads where other does is left out; when every way leads to the
// same constant target, it costs nothing.
func (g *gen) choose(load bpf.Instruction, all []arm, other target) target {
	var arms []arm
	for _, a := range all {
		if a.to.emit != nil || other.emit != nil || a.to.l != other.l {
			arms = append(arms, a)
		}
	}
	if len(arms) == 0 {
		return other
	}
	return target{l: g.label(), emit: func() {
		g.emit(load)
		for i, a := range arms {
			next := other.l
			if i < len(arms)-1 {
				next = g.label()
			}
			g.jump(a.cond, a.val, a.to.l, next)
			if next != other.l {
				g.place(next)
			}
		}
		// Dispatches next, bodies after every dispatch: a body may be
		// shared by several, and every jump goes forward.
		for _, t := range append(targets(arms), other) {
			switch {
			case t.emit == nil:
			case t.body:
				g.queue(t)
			default:
				g.place(t.l)
				t.emit()
			}
		}
	}}
}

func targets(arms []arm) []target {
	var ts []target
	for _, a := range arms {
		ts = append(ts, a.to)
	}
	return ts
}

// compile emits the program for the parsed filter n.
func (g *gen) compile(n node, snap uint32) ([]bpf.Instruction, error) {
	accept, drop := g.label(), g.label()
	// Cases of one IP version whose expressions are the same share their
	// code: it loads the same fields the same way.
	bodies := map[string]target{}
	body := func(c frameCase) target {
		e := simplify(specialise(n, c))
		if k, ok := e.(constExpr); ok {
			if k {
				return target{l: accept}
			}
			return target{l: drop}
		}
		key := fmt.Sprintf("%d %v %#v", c.ip, c.arp, e)
		if t, ok := bodies[key]; ok {
			return t
		}
		t := target{l: g.label(), body: true, emit: func() {
			if c.ip == 4 && usesPorts(e) {
				g.emit(bpf.LoadMemShift{Off: offIP})
			}
			g.expr(e, c, accept, drop)
		}}
		bodies[key] = t
		return t
	}
	// IPv4 TCP and UDP: a later fragment has no transport header.
	v4ports := func(proto uint32) target {
		return g.choose(bpf.LoadAbsolute{Off: offIP + 6, Size: 2},
			[]arm{{bpf.JumpBitsSet, 0x1fff, body(frameCase{ip: 4, proto: proto})}},
			body(frameCase{ip: 4, proto: proto, first: true}))
	}
	v4 := g.choose(bpf.LoadAbsolute{Off: offIP + 9, Size: 1}, []arm{
		{bpf.JumpEqual, 6, v4ports(6)},
		{bpf.JumpEqual, 17, v4ports(17)},
		{bpf.JumpEqual, 1, body(frameCase{ip: 4, proto: 1, first: true})},
	}, body(frameCase{ip: 4, first: true}))
	v6 := g.choose(bpf.LoadAbsolute{Off: offIP + 6, Size: 1}, []arm{
		{bpf.JumpEqual, 6, body(frameCase{ip: 6, proto: 6, first: true})},
		{bpf.JumpEqual, 17, body(frameCase{ip: 6, proto: 17, first: true})},
	}, body(frameCase{ip: 6, first: true}))
	root := g.choose(bpf.LoadAbsolute{Off: offEtherType, Size: 2}, []arm{
		{bpf.JumpEqual, etherIPv4, v4},
		{bpf.JumpEqual, etherIPv6, v6},
		{bpf.JumpEqual, etherARP, body(frameCase{arp: true})},
	}, body(frameCase{}))
	if root.emit == nil {
		if root.l == accept {
			return []bpf.Instruction{bpf.RetConstant{Val: snap}}, nil
		}
		return []bpf.Instruction{bpf.RetConstant{Val: 0}}, nil
	}
	root.emit()
	for _, b := range g.bodies {
		g.place(b.l)
		b.emit()
	}
	g.place(accept)
	g.emit(bpf.RetConstant{Val: snap})
	g.place(drop)
	g.emit(bpf.RetConstant{Val: 0})
	return g.resolve()
}

// load puts field f of a frame of case c in A. For IPv4 ports the X
// register holds the IP header's length.
func (g *gen) load(f field, c frameCase) {
	switch {
	case f == fSrcPort || f == fDstPort:
		off := uint32(0)
		if f == fDstPort {
			off = 2
		}
		if c.ip == 4 {
			g.emit(bpf.LoadIndirect{Off: offIP + off, Size: 2})
		} else {
			g.emit(bpf.LoadAbsolute{Off: offIP + 40 + off, Size: 2})
		}
	case f == fSrc4:
		g.emit(bpf.LoadAbsolute{Off: offIP + 12, Size: 4})
	case f == fDst4:
		g.emit(bpf.LoadAbsolute{Off: offIP + 16, Size: 4})
	case f == fARPSrc:
		g.emit(bpf.LoadAbsolute{Off: offARPSrc, Size: 4})
	case f == fARPDst:
		g.emit(bpf.LoadAbsolute{Off: offARPDst, Size: 4})
	case f >= fSrc6 && f < fDst6:
		g.emit(bpf.LoadAbsolute{Off: offIP + 8 + 4*uint32(f-fSrc6), Size: 4})
	default:
		g.emit(bpf.LoadAbsolute{Off: offIP + 24 + 4*uint32(f-fDst6), Size: 4})
	}
}

// test emits one test of the value in A: to t when it holds, else f.
func (g *gen) test(x test, t, f label) {
	if x.neg {
		t, f = f, t
	}
	if x.lo == x.hi {
		g.jump(bpf.JumpEqual, x.lo, t, f)
		return
	}
	inLow := g.label()
	g.jump(bpf.JumpGreaterOrEqual, x.lo, inLow, f)
	g.place(inLow)
	g.jump(bpf.JumpGreaterThan, x.hi, f, t)
}

// expr emits code that goes to t when e holds for a frame of case c,
// and to f when not.
func (g *gen) expr(e expr, c frameCase, t, f label) {
	switch e := e.(type) {
	case test:
		g.load(e.f, c)
		g.test(e, t, f)
	case group:
		g.load(e.tests[0].f, c)
		for i, x := range e.tests {
			if i == len(e.tests)-1 {
				g.test(x, t, f)
				return
			}
			next := g.label()
			if e.all {
				g.test(x, next, f)
			} else {
				g.test(x, t, next)
			}
			g.place(next)
		}
	case andExpr:
		g.chain(e, c, t, f, true)
	case orExpr:
		g.chain(e, c, t, f, false)
	default:
		panic(fmt.Sprintf("filter: emit %T", e))
	}
}

// islandReach is how far ahead of a jump a new island is placed, and how
// far an existing one is shared: short of maxSkip, so that the islands
// added in the same pass between the two rarely push it out of reach
// (the next pass mends it if they do).
const islandReach = 192

// chain emits the terms of an and (all) or an or (!all) in turn: each
// but the last goes on to the next term when it does not yet decide, and
// the last decides for the whole.
func (g *gen) chain(xs []expr, c frameCase, t, f label, all bool) {
	for i, x := range xs {
		if i == len(xs)-1 {
			g.expr(x, c, t, f)
			return
		}
		next := g.label()
		if all {
			g.expr(x, c, next, f)
		} else {
			g.expr(x, c, t, next)
		}
		g.place(next)
	}
}

// resolve turns labels into offsets, adding islands for the jumps that
// reach too far, until every jump fits.
func (g *gen) resolve() ([]bpf.Instruction, error) {
	code := g.code
	for {
		if len(code) > MaxInstructions {
			return nil, &TooLongError{Len: len(code)}
		}
		where := map[label]int{}
		for i, c := range code {
			for _, l := range c.here {
				where[l] = i
			}
		}
		islands := map[label][]int{} // positions of the islands to each label, in order
		var stops []int              // positions after an instruction that never falls through
		for i, c := range code {
			if c.kind == jump && c.here == nil {
				islands[c.jt] = append(islands[c.jt], i)
			}
			if c.kind != plain || isReturn(c.ins) {
				stops = append(stops, i+1)
			}
		}
		type plan struct {
			at int
			to label
		}
		var plans []plan
		planned := map[label][]int{} // positions, by the present layout, of the islands planned
		out := make([]bpf.Instruction, len(code))
		// via finds how the conditional jump at i reaches l: its offset,
		// or false with a new island planned.
		via := func(i int, l label) (uint8, bool) {
			if d := where[l] - i - 1; d <= maxSkip {
				return uint8(d), true
			}
			is := islands[l]
			if k := sort.SearchInts(is, i+1); k < len(is) && is[k]-i-1 <= maxSkip {
				return uint8(is[k] - i - 1), true
			}
			ps := planned[l]
			if k := sort.SearchInts(ps, i+1); k < len(ps) && ps[k]-i-1 <= islandReach {
				return 0, false
			}
			// The farthest stop in reach; the stop right after the jump
			// always is. Stops and plans only grow with i.
			s := sort.SearchInts(stops, i+1+islandReach+1) - 1
			plans = append(plans, plan{at: stops[s], to: l})
			planned[l] = append(ps, stops[s])
			return 0, false
		}
		for i, c := range code {
			switch c.kind {
			case plain:
				out[i] = c.ins
			case jump:
				out[i] = bpf.Jump{Skip: uint32(where[c.jt] - i - 1)}
			case cond:
				j := c.ins.(bpf.JumpIf)
				t, okT := via(i, c.jt)
				f, okF := via(i, c.jf)
				if okT && okF {
					j.SkipTrue, j.SkipFalse = t, f
					out[i] = j
				}
			}
		}
		if len(plans) == 0 {
			return out, nil
		}
		// Insert the islands, from the last so positions hold.
		sort.SliceStable(plans, func(a, b int) bool { return plans[a].at > plans[b].at })
		for _, p := range plans {
			isl := insn{ins: bpf.Jump{}, kind: jump, jt: p.to}
			code = append(code[:p.at], append([]insn{isl}, code[p.at:]...)...)
		}
	}
}

func isReturn(ins bpf.Instruction) bool {
	switch ins.(type) {
	case bpf.RetConstant, bpf.RetA:
		return true
	}
	return false
}

// TooLongError is a capture filter whose program is longer than the
// kernel accepts.
type TooLongError struct {
	Filter string
	Len    int // instructions, at least; compiling stops past MaxInstructions
}

// Error says so in English.
func (e *TooLongError) Error() string {
	return fmt.Sprintf("capture filter compiles to more than %d BPF instructions", MaxInstructions)
}

// Message names the sentence that tells a person.
func (e *TooLongError) Message() (string, map[string]any) {
	return "error.capture_filter_long", map[string]any{"Max": MaxInstructions}
}

// Reason is what is wrong, without the filter.
func (e *TooLongError) Reason() message.Msg {
	id, data := e.Message()
	return message.Msg{ID: id, Data: data}
}

// protoNumber is the IP protocol number of tcp, udp or icmp.
func protoNumber(name string) uint32 {
	switch name {
	case "tcp":
		return 6
	case "udp":
		return 17
	}
	return 1
}

// portProtos are the IP protocols whose ports "[tcp|udp] port" means.
func portProtos(proto string) []uint32 {
	if proto == "" {
		return []uint32{6, 17}
	}
	return []uint32{protoNumber(proto)}
}
