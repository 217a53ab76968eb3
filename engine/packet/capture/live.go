package capture

import (
	"golang.org/x/net/bpf"
)

// PacketOutgoing is the packet type Linux gives a frame that this host
// sends (PACKET_OUTGOING). On the loopback every frame is both sent and
// received, so a packet socket sees it twice; dropping the outgoing copy
// shows each packet once, as tcpdump does.
const PacketOutgoing = 4

// DropOutgoing is a classic BPF prefix that drops outgoing frames and
// falls through to the instructions after it for the rest. Place it
// before a compiled capture filter (or before Accept).
func DropOutgoing() []bpf.Instruction {
	return []bpf.Instruction{
		bpf.LoadExtension{Num: bpf.ExtType},
		bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: PacketOutgoing, SkipTrue: 1},
		bpf.RetConstant{Val: 0},
	}
}

// Accept is the program that keeps whole frames.
func Accept() []bpf.Instruction {
	return []bpf.Instruction{bpf.RetConstant{Val: MaxFrame}}
}

// MaxFrame is the longest frame kept whole: libpcap's MAXIMUM_SNAPLEN,
// enough for the merged frames segmentation offload hands the loopback.
const MaxFrame = 262144
