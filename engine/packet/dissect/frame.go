package dissect

import (
	"time"

	"github.com/gopacket/gopacket"
)

// frameState numbers the frames and remembers the first one's time,
// which frame.time_relative counts from.
type frameState struct {
	first   time.Time
	prev    time.Time
	started bool
	frames  int
}

// begin starts p as the next frame: its number, times and lengths, and
// nothing else.
func (f *frameState) begin(data []byte, ci gopacket.CaptureInfo, p *Packet) {
	f.frames++
	// Wall-clock time only: a timestamp straight from time.Now carries a
	// monotonic reading, which Sub would prefer, and a file keeps none.
	ci.Timestamp = ci.Timestamp.Round(0)
	if !f.started {
		f.first, f.started = ci.Timestamp, true
	}
	*p = Packet{
		Number: f.frames,
		Time:   ci.Timestamp,
		Rel:    ci.Timestamp.Sub(f.first),
		Delta:  ci.Timestamp.Sub(f.prev),
		Iface:  ci.InterfaceIndex,
		Len:    ci.Length,
		CapLen: ci.CaptureLength,
	}
	if f.frames == 1 {
		p.Delta = 0
	}
	f.prev = ci.Timestamp
	if p.Len == 0 {
		p.Len = len(data)
	}
	if p.CapLen == 0 {
		p.CapLen = len(data)
	}
}

// frameProtocol is the frame itself (frame.*). Its columns are a
// packet's whose link layer hands on nothing wiretutor decodes: the
// Protocol column then says "Ethernet", as it always has (tshark names
// the protocol it finds there, which wiretutor does not decode).
func frameProtocol() protocol {
	return protocol{
		name: "frame", has: always, outerOnly: true,
		column: named("Ethernet"),
		fields: []field{
			{"frame.number", dec(always, func(p *Packet) uint64 { return uint64(p.Number) })},
			{"frame.len", dec(always, func(p *Packet) uint64 { return uint64(p.Len) })},
			{"frame.cap_len", dec(always, func(p *Packet) uint64 { return uint64(p.CapLen) })},
			{"frame.time_relative", seconds(func(p *Packet) time.Duration { return p.Rel })},
			{"frame.time_epoch", seconds(func(p *Packet) time.Duration { return time.Duration(p.Time.UnixNano()) })},
		},
	}
}

// wiresharkProtocol holds what tshark adds of its own (_ws.*): the
// malformed-packet mark and the summary's columns as fields, which r
// gives.
func wiresharkProtocol(r *registry) protocol {
	return protocol{
		outerOnly: true,
		fields: []field{
			// tshark prints the protocol's text, then the expert item's name.
			{"_ws.malformed", fieldDef{kind: KindNone, fmt: fmtText, get: func(p *Packet, out []Value) []Value {
				if p.Malformed == "" {
					return out
				}
				if p.Malformed == "IPv6" {
					// tshark 4.0 adds the expert item once more for IPv6.
					out = append(out, Value{S: "_ws.malformed"})
				}
				return append(out, Value{S: "[Malformed Packet: " + p.Malformed + "]"}, Value{S: "_ws.malformed"})
			}}},
			{"_ws.col.Protocol", text(always, func(p *Packet) string { return r.top(p).column(p) })},
			{"_ws.col.Info", text(always, func(p *Packet) string { return string(appendInfo(nil, r.top(p), p)) })},
		},
	}
}

func always(*Packet) bool { return true }
