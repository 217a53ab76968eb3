// Package nsenter runs wiretutor again inside a user and network
// namespace of its own (the private network, Linux only): there an
// unprivileged user holds CAP_NET_RAW and CAP_NET_ADMIN over a loopback
// of its own, so the real kernel's packets are captured with no rights.
//
// The parent calls Run with its own arguments; the child, marked by the
// variable Var, brings its loopback up before main runs (this package's
// init) and reports through an inherited pipe whether the namespace is
// ready, so a namespace the system forbids is known before the child
// prints anything, and auto can still fall back to the sandbox.
package nsenter

import (
	"errors"
	"fmt"
)

// Var marks the namespace child: its value is the file descriptor of the
// pipe it reports on.
const Var = "WIRETUTOR_PRIVATE_NET"

// Why says why the private network cannot be made here.
type Why int

// The reasons.
const (
	NotLinux  Why = iota + 1 // namespaces are Linux's
	Forbidden                // the system forbids unprivileged user namespaces
	Failed                   // the namespace was made but could not be set up
)

// Error: the private network cannot be made here.
type Error struct {
	Why    Why
	Detail string // the setting or system call that said no
	Err    error
}

// Error names the setting or call that said no, in English.
func (e *Error) Error() string {
	return fmt.Sprintf("private network: %s: %v", e.Detail, e.Err)
}

// Unwrap is the system's own error.
func (e *Error) Unwrap() error { return e.Err }

// Message names the sentence that tells the learner.
func (e *Error) Message() (string, map[string]any) {
	switch e.Why {
	case NotLinux:
		return "error.private_not_linux", nil
	case Forbidden:
		return "error.private_forbidden", map[string]any{"Detail": e.Detail}
	}
	return "error.private_failed", map[string]any{"Detail": e.Detail, "Err": fmt.Sprint(e.Err)}
}

// errNotLinux is Allowed's answer off Linux.
var errNotLinux = &Error{Why: NotLinux, Detail: "user namespaces", Err: errors.ErrUnsupported}
