// Package lessons holds the course's traffic scripts and quiz makers,
// registered by name, and builds the lessons of a course file from them:
// content/course.toml says which lessons there are, in which order, and
// what each one's steps, requirements, quiz and tasks are; the scripts
// here say what each exchange does on the network and which live values
// its capture gives the text. The text lives in content/<lang>/<id>.md.
package lessons

import (
	"io/fs"
	"maps"
	"slices"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/course/syllabus"
)

// ManifestFile is the course's manifest in a content tree.
const ManifestFile = "course.toml"

// Registry is every traffic script and quiz maker by the name a course
// file uses. Its zero value is ready.
type Registry struct{}

// scripts are the traffic scripts by name; each call makes fresh ones.
func scripts() map[string]func() course.Script {
	return map[string]func() course.Script{
		"echo-tcp":   echoTCP,
		"one-shot":   oneShot,
		"teardown":   teardown,
		"files":      fileTransfer,
		"loss":       loss,
		"chat":       chatScript,
		"udp-echo":   udpEcho,
		"http-raw":   httpRaw,
		"http-token": httpToken,
		"ping":       pingScript,
		"mixed":      mixed,
		"game":       gameScript,
	}
}

// makers are the quiz makers by name.
func makers() map[string]quiz.Maker {
	return map[string]quiz.Maker{
		"ephemeral-port":      quiz.EphemeralPort,
		"syn-ack-flags":       quiz.SynAckFlags,
		"first-data-seq":      quiz.FirstDataSeq,
		"next-ack":            quiz.NextAck,
		"raw-to-relative":     quiz.RawToRelative,
		"close-frame":         quiz.CloseFrame,
		"close-flags":         quiz.CloseFlags,
		"bound-port":          quiz.BoundPort,
		"hs-ack-what-if":      ackWhatIf,
		"hs-fin-ack":          finAck,
		"accepted-port":       acceptedPort,
		"client-socket-port":  clientSocketPort,
		"fin-seq-what-if":     finSeqWhatIf,
		"second-fin-ack":      quiz.SecondFinAck,
		"time-wait-port":      quiz.TimeWaitPort,
		"reset-frame":         quiz.ResetFrame,
		"refused-flags":       quiz.RefusedFlags,
		"chat-connections":    chatConnections,
		"chat-message-frame":  messageFrame,
		"chat-message-len":    messageLen,
		"chat-message-ack":    messageAck,
		"chat-relay-len":      relayLen,
		"chat-jack-stream":    jackStream,
		"chat-ack-whatif":     chatAckWhatIf,
		"udp-client-port":     quiz.UDPClientPort,
		"udp-length":          quiz.UDPLength,
		"udp-reply-port":      quiz.UDPReplyPort,
		"udp-reply-frame":     quiz.UDPReplyFrame,
		"udp-boundary":        quiz.UDPBoundary,
		"udp-empty-length":    quiz.UDPEmptyLength,
		"http-request-len":    requestLen,
		"http-request-ack":    requestAck,
		"http-redirect-code":  redirectCode,
		"http-content-length": contentLength,
		"http10-stream":       http10Stream,
		"http-answer-len":     answerLen,
		"http-whatif-stream":  keepAliveWhatIf,
		"api-status-without":  statusWithout,
		"api-status-with":     statusWith,
		"api-token-frame":     tokenFrame,
		"api-create-method":   createMethod,
		"api-create-status":   createStatus,
		"api-create-length":   createLength,
		"icmp-paper-checksum": paperChecksum,
		"icmp-reply-type":     replyType,
		"icmp-ttl-routers":    ttlRouters,
		"icmp-reply-seq":      replySeq,
		"icmp-reply-answers":  replyAnswers,
		"icmp-unreach-code":   unreachCode,
		"filters-tcp-len":     filtersTCPLen,
		"filters-udp-length":  filtersUDPLength,
		"filters-icmp-reply":  filtersICMPReply,
		"filters-reply-frame": filtersReplyFrame,

		// tcp-teardown's states and what-ifs (lessons/teardown.go)
		"teardown-closer-fin":      closerAfterFIN,
		"teardown-other-fin":       otherAfterFIN,
		"teardown-other-fin2":      otherAfterOwnFIN,
		"teardown-closer-last":     closerAfterLastACK,
		"teardown-half-close":      halfCloseState,
		"teardown-fin-ack-what-if": finAckWhatIf,
		"teardown-server-first":    serverFirstPort,
		// file-transfer's segments, ACKs and window (lessons/filetransfer.go)
		"transfer-segment-seq":    transferSegmentSeq,
		"transfer-cumulative-ack": transferCumulativeAck,
		"transfer-in-flight":      transferInFlight,
		"transfer-zero-window":    transferZeroWindow,
		"transfer-window-update":  transferWindowUpdate,
		"transfer-what-if":        transferWhatIf,
		// game-traffic's protocol, read off the bytes (lessons/game.go)
		"game-arp-dst":       gameArpDst,
		"game-arp-reply":     gameArpReply,
		"game-arp-reply-dst": gameArpReplyDst,
		"game-name-length":   gameNameLength,
		"game-move-type":     gameMoveType,
		"game-player-id":     gameMoveID,
		"game-move-x":        gameMoveX,
		"game-next-seq":      gameNextSeq,
		"game-check":         gameCheck,
		// loss's retransmissions (lessons/loss.go)
		"loss-syn-backoff": lossSYNBackoff,
		"loss-rto":         lossRTO,
		"loss-dup-acks":    lossDupAcks,
		"loss-sack":        lossSACK,
		"loss-last-ack":    lossLastACK,

		// headers: a frame's IPv4, TCP and UDP headers byte by byte
		// (engine/course/quiz/headers.go)
		"headers-ip-hdr-len":    quiz.HeadersIPHdrLen,
		"headers-tcp-hdr-len":   quiz.HeadersTCPHdrLen,
		"headers-ip-len":        quiz.HeadersIPLen,
		"headers-syn-hdr-len":   quiz.HeadersSYNHdrLen,
		"headers-tcp-flags":     quiz.HeadersTCPFlags,
		"headers-window-raw":    quiz.HeadersWindowRaw,
		"headers-window-scaled": quiz.HeadersWindowScaled,
		"headers-ip-id":         quiz.HeadersIPID,
		"headers-ip-df":         quiz.HeadersIPDF,
		"headers-ip-ttl":        quiz.HeadersTTL,
		"headers-ip-checksum":   quiz.HeadersIPChecksum,
		"headers-urgent":        quiz.HeadersUrgent,
		"headers-ip-proto":      quiz.HeadersIPProto,
		"headers-udp-length":    quiz.HeadersUDPLength,
	}
}

// Script returns a fresh script of the name.
func (Registry) Script(name string) (course.Script, bool) {
	mk, ok := scripts()[name]
	if !ok {
		return course.Script{}, false
	}
	return mk(), true
}

// Maker returns the quiz maker of the name.
func (Registry) Maker(name string) (quiz.Maker, bool) {
	m, ok := makers()[name]
	return m, ok
}

// Scripts lists the scripts' names, sorted.
func (Registry) Scripts() []string { return slices.Sorted(maps.Keys(scripts())) }

// Makers lists the quiz makers' names, sorted.
func (Registry) Makers() []string { return slices.Sorted(maps.Keys(makers())) }

// ManifestError is a problem in a content tree's course.toml.
type ManifestError struct {
	File string // the manifest, as named in the content tree
	Err  error  // a *syllabus.Error, or why the file could not be read
}

// Error is the problem for logs and tests, in English.
func (e *ManifestError) Error() string { return e.File + ": " + e.Err.Error() }

// Unwrap is the syllabus error, or why the file could not be read.
func (e *ManifestError) Unwrap() error { return e.Err }

// Load builds the course of a content tree: the lessons its course.toml
// defines, in order.
func Load(fsys fs.FS) ([]*course.Lesson, error) {
	data, err := fs.ReadFile(fsys, ManifestFile)
	if err != nil {
		return nil, &ManifestError{File: ManifestFile, Err: err}
	}
	s, err := syllabus.ParseManifest(data)
	if err != nil {
		return nil, &ManifestError{File: ManifestFile, Err: err}
	}
	ls, err := course.Build(s, Registry{})
	if err != nil {
		return nil, &ManifestError{File: ManifestFile, Err: err}
	}
	return ls, nil
}

// All is the course as shipped: the lessons of the embedded
// content/course.toml. The embedded manifest is checked by the tests;
// should it ever be broken, the error says where.
func All() ([]*course.Lesson, error) { return Load(content.FS) }

// Find returns the lesson with the id among ls, or nil.
func Find(ls []*course.Lesson, id string) *course.Lesson {
	for _, l := range ls {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// Plan reads an instructor's course file against the course ls: its
// title, and its lessons in the order it names them, each either one of
// ls or an entry of the file's own (which takes the place of a lesson
// of ls with its id); own lists the ids of those it defines. The error
// is a *syllabus.Error.
func Plan(data []byte, ls []*course.Lesson) (p course.Plan, own []string, err error) {
	s, err := syllabus.Parse(data, func(id string) bool { return Find(ls, id) != nil })
	if err != nil {
		return course.Plan{}, nil, err
	}
	mine, err := course.Build(s, Registry{})
	if err != nil {
		return course.Plan{}, nil, err
	}
	for _, l := range mine {
		own = append(own, l.ID)
	}
	p.Title = s.Title
	for _, id := range s.Lessons {
		l := Find(mine, id)
		if l == nil {
			l = Find(ls, id)
		}
		p.Lessons = append(p.Lessons, l)
	}
	return p, own, nil
}
