package lessons

import (
	"context"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/stream"
)

// The verify side of the course: the peers wiretutor verify runs beside
// a learner's program, and the checks of its capture, registered by the
// names the manifest's [lesson.verify.ROLE] tables use. Each check looks
// at the packets alone and says what it found in ui.toml's words
// (verify.found.KEY), naming the frame that proves it or shows what is
// wrong. The peers live beside their protocol's checks:
// verify_tcp.go, verify_udp.go, verify_chat.go, verify_http.go,
// verify_ping.go and verify_game.go.

// peers are the verify peers by name.
func peers() map[string]course.Peer {
	return map[string]course.Peer{
		"echo-server":       echoServerPeer(),
		"echo-client":       echoClientPeer(),
		"one-shot-receiver": receiverPeer(),
		"one-shot-sender":   senderPeer(),
		"udp-echo-server":   udpServerPeer(),
		"udp-echo-client":   udpClientPeer(),
		"chat-server":       chatServerPeer(),
		"chat-members":      chatMembersPeer(),
		"http-server":       httpServerPeer(),
		"http-browser":      httpBrowserPeer(),
		"kernel-echo":       kernelEchoPeer(),
		"token-api-server":  tokenServerPeer(),
		"game-server":       gameServerPeer(),
	}
}

// checks are the verify checks by name.
func checks() map[string]func(*course.Evidence) course.Finding {
	return map[string]func(*course.Evidence) course.Finding{
		"tcp-connects":      tcpConnects,
		"tcp-sends":         tcpSends,
		"tcp-echoes":        tcpEchoes,
		"tcp-closes":        tcpCloses,
		"udp-sends":         udpSendsData,
		"udp-gets-echo":     udpGetsEcho,
		"udp-replies":       udpReplies,
		"chat-gives-nick":   chatGivesNick,
		"chat-says":         chatSays,
		"chat-asks-nick":    chatAsksNick,
		"chat-announces":    chatAnnounces,
		"chat-relays":       chatRelays,
		"http-request-crlf": httpRequestCRLF,
		"http-request-host": httpRequestHost,
		"http-answers-get":  httpAnswersGet,
		"http-redirects":    httpRedirects,
		"icmp-request":      icmpRequest,
		"icmp-checksum":     icmpChecksum,
		"icmp-reply":        icmpReply,
		"icmp-sequence":     icmpSequence,
		"api-sends-token":   apiSendsToken,
		"api-authorized":    apiAuthorized,
		"game-logs-in":      gameLogsIn,
		"game-joins":        gameJoins,
		"game-moves":        gameMovesCheck,
		"game-counts":       gameCounts,
		"game-checks":       gameChecks,
		"game-takes-coin":   gameTakesCoin,
	}
}

// Peer returns the verify peer of the name.
func (Registry) Peer(name string) (course.Peer, bool) {
	p, ok := peers()[name]
	return p, ok
}

// Check returns the verify check of the name.
func (Registry) Check(name string) (course.Check, bool) {
	f, ok := checks()[name]
	return course.Check{ID: name, Run: f}, ok
}

// Peers lists the verify peers' names, sorted.
func (Registry) Peers() []string { return slices.Sorted(maps.Keys(peers())) }

// Checks lists the verify checks' names, sorted.
func (Registry) Checks() []string { return slices.Sorted(maps.Keys(checks())) }

// serving is a peer of the client role: start opens the lesson's
// server, which serves until the learner's program is done; what start
// returns besides goes into the program's environment.
func serving(ports course.Ports, start func(ctx context.Context, n netenv.Net) (io.Closer, []string, error)) course.Peer {
	return course.Peer{
		Ports: ports,
		Run: func(ctx context.Context, n netenv.Net, ready func(env ...string), say func(string)) error {
			srv, env, err := start(ctx, n)
			if err != nil {
				return err
			}
			if srv != nil {
				defer srv.Close()
			}
			ready(env...)
			<-ctx.Done()
			return nil
		},
	}
}

// found is a check's outcome about frame p (nil: no frame), with the
// data its sentence uses; Frame is added.
func found(ok bool, key string, p *dissect.Packet, data map[string]any) course.Finding {
	f := course.Finding{OK: ok, Key: key, Data: data}
	if f.Data == nil {
		f.Data = map[string]any{}
	}
	if p != nil {
		f.Frame = p.Number
		f.Data["Frame"] = p.Number
	}
	return f
}

// tcpLabPort is the lab's TCP port of a run: the first the peer
// captures.
func tcpLabPort(e *course.Evidence) int {
	if len(e.Ports.TCP) == 0 {
		return 0
	}
	return e.Ports.TCP[0]
}

// labConns are the TCP connections to the lab's port, in order.
func labConns(e *course.Evidence) []*stream.Conn {
	port := tcpLabPort(e)
	var out []*stream.Conn
	for _, c := range e.Conns {
		if int(c.Server.Port()) == port {
			out = append(out, c)
		}
	}
	return out
}

// fromProgram reports whether packet p of connection c was sent by the
// learner's program: the client's side in the client role, the
// server's in the server role.
func fromProgram(e *course.Evidence, c *stream.Conn, p *dissect.Packet) bool {
	return c.FromClient(p) == (e.Role == course.RoleClient)
}

// flow is the bytes one side of a connection sent, in order, with the
// frame each byte came in.
type flow struct {
	data   []byte
	frames []int // the packet index of each segment, in order
	starts []int // where each segment's payload begins in data
}

// flowOf gathers what one side of c sent (fromClient: the client's),
// skipping segments that repeat bytes already had (retransmissions).
func flowOf(pkts []dissect.Packet, c *stream.Conn, fromClient bool) *flow {
	f := &flow{}
	var next uint32
	first := true
	for _, i := range c.Frames {
		p := &pkts[i]
		if c.FromClient(p) != fromClient || len(p.Payload) == 0 {
			continue
		}
		if !first && p.TCP.Seq != next {
			if int32(p.TCP.Seq-next) < 0 {
				continue // a retransmission
			}
		}
		first = false
		next = p.TCP.Seq + uint32(len(p.Payload))
		f.frames = append(f.frames, i)
		f.starts = append(f.starts, len(f.data))
		f.data = append(f.data, p.Payload...)
	}
	return f
}

// at returns the packet index holding byte off of the flow and off's
// offset in that segment's payload; -1 when off is past the end.
func (f *flow) at(off int) (pkt, inSeg int) {
	for j := len(f.starts) - 1; j >= 0; j-- {
		if off >= f.starts[j] {
			if off >= len(f.data) {
				return -1, 0
			}
			return f.frames[j], off - f.starts[j]
		}
	}
	return -1, 0
}

// quoted shows bytes a program sent as a short quoted string: printable
// text as it is, anything else escaped, cut at max runes.
func quoted(b []byte, max int) string {
	var sb strings.Builder
	n := 0
	for len(b) > 0 && n < max {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == '\r':
			sb.WriteString(`\r`)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == utf8.RuneError && size <= 1, r < 0x20, r == 0x7f:
			sb.WriteString(`\x` + strconv.FormatUint(uint64(b[0])|0x100, 16)[1:])
			size = 1
		default:
			sb.WriteRune(r)
		}
		b = b[size:]
		n++
	}
	if len(b) > 0 {
		sb.WriteString("…")
	}
	return `"` + sb.String() + `"`
}
