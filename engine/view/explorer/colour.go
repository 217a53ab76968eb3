package explorer

import (
	"fmt"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
)

// RGB is a colour as Wireshark's colouring rules write it: 16 bits a
// channel.
type RGB struct{ R, G, B uint16 }

// Hex is the colour as #rrggbb, each channel's high byte (as tshark
// --color prints it).
func (c RGB) Hex() string { return fmt.Sprintf("#%02x%02x%02x", c.R>>8, c.G>>8, c.B>>8) }

// Rule is one colouring rule: the frames its filter picks are drawn in
// its colours.
type Rule struct {
	Name   string // Wireshark's name of the rule
	Filter string // the display filter, as far as wiretutor dissects
	BG, FG RGB
}

// NoRule is the rule index of a frame no rule colours.
const NoRule = 255

// DefaultRules are Wireshark 4.0's default colouring rules (its
// colorfilters file), in their order: the first that picks a frame
// colours it. Rules on protocols wiretutor does not dissect (HSRP,
// spanning tree, OSPF, SCTP, SMB, DCERPC, routing protocols, systemd's
// journal) can pick no frame and are left out; so are checksum errors,
// which Wireshark only finds with validation on, and it is off by
// default. Where a filter names such a protocol among others (the TTL
// rule's !pim, the HTTP rule's http2), the name is dropped as the
// absent protocol it is.
func DefaultRules() []Rule {
	dark := RGB{4718, 10030, 11796}
	return []Rule{
		{"Bad TCP", "tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack", dark, RGB{63479, 34695, 34695}},
		{"ICMP errors", "icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }", dark, RGB{47031, 63479, 29812}},
		{"ARP", "arp", RGB{64250, 61680, 55255}, dark},
		{"ICMP", "icmp || icmpv6", RGB{64764, 57568, 65535}, dark},
		{"TCP RST", "tcp.flags.reset eq 1", RGB{42148, 0, 0}, RGB{65535, 64764, 40092}},
		{"TTL low or unexpected", "(ip.dst != 224.0.0.0/4 && ip.ttl < 5) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1)", RGB{42148, 0, 0}, RGB{60652, 61680, 60395}},
		{"HTTP", "http || tcp.port == 80", RGB{58596, 65535, 51143}, dark},
		{"TCP SYN/FIN", "tcp.flags & 0x02 || tcp.flags.fin == 1", RGB{41026, 41026, 41026}, dark},
		{"TCP", "tcp", RGB{59345, 58980, 65535}, dark},
		{"UDP", "udp", RGB{56026, 61166, 65535}, dark},
		{"Broadcast", "eth[0] & 1", RGB{65535, 65535, 65535}, RGB{47802, 48573, 46774}},
	}
}

// Colourer picks a frame's colouring rule.
type Colourer struct {
	rules   []Rule
	filters []*filter.Display
}

// NewColourer compiles rules (at most 254 of them).
func NewColourer(rules []Rule) (*Colourer, error) {
	if len(rules) >= NoRule {
		return nil, fmt.Errorf("explorer: %d colouring rules, more than %d", len(rules), NoRule-1)
	}
	c := &Colourer{rules: rules}
	for _, r := range rules {
		d, err := filter.CompileDisplay(r.Filter)
		if err != nil {
			return nil, fmt.Errorf("explorer: colouring rule %q: %w", r.Name, err)
		}
		c.filters = append(c.filters, d)
	}
	return c, nil
}

// Rules are the colourer's rules, in order.
func (c *Colourer) Rules() []Rule { return c.rules }

// Pick is the index of the first rule that picks p, or NoRule.
func (c *Colourer) Pick(p *dissect.Packet) uint8 {
	for i, d := range c.filters {
		if d.Match(p) {
			return uint8(i)
		}
	}
	return NoRule
}
