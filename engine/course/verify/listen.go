package verify

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
)

// pollEvery is how often the socket table is read while waiting for
// the learner's server to listen: the kernel tells of no new listener,
// so there is no event to wait on.
const pollEvery = 20 * time.Millisecond

// NotListeningError: the learner's server did not open the lab's port.
type NotListeningError struct {
	Want  course.Listen
	Limit time.Duration
	// Exited is set when the program ended first, with status Code.
	Exited bool
	Code   int
	// Elsewhere are the addresses the program listens on instead.
	Elsewhere []netip.AddrPort
}

// Error says what was awaited, in English.
func (e *NotListeningError) Error() string {
	s := "the program did not open " + e.Want.Proto + " port " + strconv.Itoa(e.Want.Port)
	switch {
	case e.Exited:
		s += ": it exited with status " + strconv.Itoa(e.Code)
	case len(e.Elsewhere) > 0:
		s += ": it listens on " + addrs(e.Elsewhere)
	}
	return s
}

// Message names the sentence that tells the learner.
func (e *NotListeningError) Message() (string, map[string]any) {
	d := map[string]any{"Proto": strings.ToUpper(e.Want.Proto), "Port": e.Want.Port, "Seconds": int(e.Limit.Round(time.Second) / time.Second), "Code": e.Code}
	switch {
	case e.Exited:
		return "verify.error.exited_early", d
	case len(e.Elsewhere) > 0:
		d["Where"] = addrs(e.Elsewhere)
		return "verify.error.listens_elsewhere", d
	}
	return "verify.error.not_listening", d
}

func addrs(as []netip.AddrPort) string {
	var s []string
	for _, a := range as {
		s = append(s, a.String())
	}
	return strings.Join(s, ", ")
}

// socketTable is a network that can list its sockets.
type socketTable interface {
	Sockets() ([]netenv.Socket, error)
}

// waitListen waits until every socket of want is open on a loopback (or
// any) address, the program ends, the deadline passes or ctx is done.
func waitListen(ctx context.Context, n netenv.Net, want []course.Listen, p *process, deadline time.Time) error {
	if len(want) == 0 {
		return nil
	}
	table, ok := n.(socketTable)
	if !ok {
		return nil // nothing to wait on: the peer's clients will tell
	}
	limit := time.Until(deadline)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	end := time.NewTimer(limit)
	defer end.Stop()
	for {
		socks, err := table.Sockets()
		if err != nil {
			return err
		}
		missing := -1
		for i, w := range want {
			if !slices.ContainsFunc(socks, func(s netenv.Socket) bool { return opens(s, w) }) {
				missing = i
				break
			}
		}
		if missing < 0 {
			return nil
		}
		select {
		case <-tick.C:
		case <-p.done:
			return &NotListeningError{Want: want[missing], Limit: limit, Exited: true, Code: p.code()}
		case <-end.C:
			return &NotListeningError{Want: want[missing], Limit: limit, Elsewhere: elsewhere(socks, want[missing], p)}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// opens reports whether s is the socket w asks for: a TCP listener, or
// a UDP socket, on w's port at a loopback or wildcard address.
func opens(s netenv.Socket, w course.Listen) bool {
	if !strings.HasPrefix(s.Proto, w.Proto) || int(s.Local.Port()) != w.Port {
		return false
	}
	if w.Proto == "tcp" && s.State != "LISTEN" {
		return false
	}
	a := s.Local.Addr()
	return a.IsLoopback() || a.IsUnspecified()
}

// elsewhere lists where the program listens (or is bound) instead of
// w: its sockets of w's protocol, found by its process id.
func elsewhere(socks []netenv.Socket, w course.Listen, p *process) []netip.AddrPort {
	pid := "/" + strconv.Itoa(p.cmd.Process.Pid)
	var out []netip.AddrPort
	for _, s := range socks {
		if !strings.HasPrefix(s.Proto, w.Proto) || !strings.HasSuffix(s.Process, pid) {
			continue
		}
		if w.Proto == "tcp" && s.State != "LISTEN" {
			continue
		}
		out = append(out, s.Local)
	}
	return out
}
