package cli

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"strings"
	"syscall"

	"wiretutor/engine/course"
	"wiretutor/engine/course/syllabus"
	"wiretutor/engine/text/message"
	"wiretutor/lessons"
	"wiretutor/servers/listen"
)

// messenger is an error that says what to tell the learner: a message id
// of ui.toml and its data, where a value may be a message.Msg rendered
// in turn. An empty id passes the word to the error it wraps. What only
// the command line knows it fills in wherever a message lacks it: Exe
// (the binary, as setcap wants it), Have (the lessons), Err (the whole
// error in English) and Cause (what the system said, as a message: see
// causeOf).
type messenger interface {
	error
	Message() (id string, data map[string]any)
}

// Errors the commands return with what a person needs to hear.
type (
	// errUnknownLesson: no lesson has that id.
	errUnknownLesson struct{ id string }
	// errUnknownField: -e names a field we do not know.
	errUnknownField struct{ name string }
	// errBadValue: a flag's value is not one it takes.
	errBadValue struct{ flag, value, want string }
	// errMissingFlag: a flag the command cannot do without.
	errMissingFlag struct{ flag string }
	// errPortFlag: a port in use, and the flag that changes it.
	errPortFlag struct {
		proto, flag string
		port        int
		err         error
	}
)

func (e errUnknownLesson) Error() string { return "unknown lesson " + e.id }
func (e errUnknownField) Error() string  { return "unknown field " + e.name }
func (e errBadValue) Error() string      { return "bad value for " + e.flag }
func (e errMissingFlag) Error() string   { return "missing " + e.flag }
func (e errPortFlag) Error() string      { return e.err.Error() }
func (e errPortFlag) Unwrap() error      { return e.err }

// The sentences of the command line's own errors.

func (e errUnknownLesson) Message() (string, map[string]any) {
	return "error.unknown_lesson", map[string]any{"ID": e.id}
}

func (e errUnknownField) Message() (string, map[string]any) {
	return "error.unknown_field", map[string]any{"Field": e.name}
}

func (e errBadValue) Message() (string, map[string]any) {
	return "error.bad_value", map[string]any{"Flag": e.flag, "Value": e.value, "Want": e.want}
}

func (e errMissingFlag) Message() (string, map[string]any) {
	return "error.missing_flag", map[string]any{"Flag": e.flag}
}

// Message names the flag for a port in use; for another cause the bind
// error itself speaks.
func (e errPortFlag) Message() (string, map[string]any) {
	if !errors.Is(e.err, syscall.EADDRINUSE) {
		return "", nil
	}
	return "error.port_in_use", map[string]any{"Port": e.port, "Proto": strings.ToUpper(e.proto), "Flag": e.flag}
}

func (e usageError) Message() (string, map[string]any) {
	return "error.usage", map[string]any{"Err": e.err.Error()}
}

func (e errNoRequirements) Message() (string, map[string]any) {
	return "error.no_requirements", map[string]any{"ID": e.id}
}

func (e errNotDir) Message() (string, map[string]any) {
	return "error.not_dir", map[string]any{"Path": e.path}
}

// Message says where in the course file the syllabus error is; a file
// that cannot be read is the OS's error to tell.
func (e errCourseFile) Message() (string, map[string]any) {
	var sy *syllabus.Error
	if !errors.As(e.err, &sy) {
		return "", nil
	}
	id, data := sy.Message()
	return "error.course_file", map[string]any{"File": e.path, "Line": sy.Line, "Why": message.Msg{ID: id, Data: data}}
}

// errManifest: the content tree's course.toml is wrong, or unreadable.
type errManifest struct {
	path string // as the person named the content folder
	err  error
}

func (e errManifest) Error() string { return e.path + ": " + e.err.Error() }
func (e errManifest) Unwrap() error { return e.err }

// Message says where in the manifest the syllabus error is, or that the
// file could not be read.
func (e errManifest) Message() (string, map[string]any) {
	var sy *syllabus.Error
	if !errors.As(e.err, &sy) {
		return "error.manifest_read", map[string]any{"File": e.path, "Err": e.err.Error()}
	}
	id, data := sy.Message()
	return "error.manifest", map[string]any{"File": e.path, "Line": sy.Line, "Why": message.Msg{ID: id, Data: data}}
}

// courseWhy is what a syllabus error says, in the learner's language.
func (a *app) courseWhy(sy *syllabus.Error) string {
	id, data := sy.Message()
	return a.tx.Msg(a.fill(message.Msg{ID: id, Data: data}, sy))
}

// withPortFlag names the flag that moves a server off a port it could
// not bind: tcpFlag for a TCP port, udpFlag for a UDP one.
func withPortFlag(err error, tcpFlag, udpFlag string) error {
	var be *listen.BindError
	if !errors.As(err, &be) {
		return err
	}
	flag := tcpFlag
	if be.Proto == "udp" {
		flag = udpFlag
	}
	return errPortFlag{proto: be.Proto, port: be.Port, flag: flag, err: be}
}

// explain turns an error into one line in the learner's language that
// says what happened and what to do: the sentence of the first error in
// its chain that names one, else the operating system's few we know: a
// file, a server's port, a connection. error.generic, which shows the
// error in English, is the last resort.
func (a *app) explain(err error) string {
	t := a.tx
	var se *course.SectionError
	if errors.As(err, &se) {
		return t.T("error.no_section", map[string]any{"Lesson": se.Lesson, "Section": se.Section})
	}
	if m, at, ok := messageOf(err); ok {
		_, own := m.Data["Cause"]
		if m.ID == "error.content_doc" {
			m = docFile(m, err, at)
		}
		m = a.fill(m, err)
		if inner := errors.Unwrap(at); inner != nil && !own {
			// What the system said is below the error that speaks.
			m.Data["Cause"] = cause(inner)
		}
		return t.Msg(m)
	}
	var pe *fs.PathError
	var be *listen.BindError
	switch {
	case errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist):
		return t.T("error.no_file", map[string]any{"File": pe.Path})
	case errors.As(err, &pe) && errors.Is(err, fs.ErrPermission):
		return t.T("error.file_permission", map[string]any{"File": pe.Path})
	case errors.As(err, &pe):
		return t.Msg(a.fill(message.Msg{ID: "error.file", Data: map[string]any{"File": pe.Path, "Cause": cause(pe.Err)}}, err))
	case errors.As(err, &be):
		return t.Msg(a.fill(message.Msg{ID: "error.listen", Data: map[string]any{"Proto": strings.ToUpper(be.Proto), "Port": be.Port, "Cause": cause(be.Err)}}, err))
	}
	if c, ok := causeOf(err); ok {
		return t.Msg(message.Msg{ID: "error.network", Data: map[string]any{"Cause": c}})
	}
	return t.T("error.generic", map[string]any{"Err": err.Error()})
}

// docFile names the file of a broken lesson text: a *doc.Error knows
// only its line, and whoever read the file put its name in front
// ("ru/chat.md: line 3: …"). With no name the sentence names the line
// alone.
func docFile(m message.Msg, err, at error) message.Msg {
	prefix, ok := strings.CutSuffix(err.Error(), ": "+at.Error())
	if i := strings.LastIndex(prefix, ": "); i >= 0 {
		prefix = prefix[i+2:]
	}
	data := map[string]any{"File": prefix}
	for k, v := range m.Data {
		data[k] = v
	}
	if !ok || prefix == "" {
		return message.Msg{ID: "error.content_line", Data: data}
	}
	return message.Msg{ID: m.ID, Data: data}
}

// causeOf names what the system said in err's chain, as a message of
// ui.toml's error.cause: a connection refused or reset, no answer in
// time, an address that is not this computer's, no such host, too many
// open files, a full disk, no right. It reports false for a cause it
// does not know.
func causeOf(err error) (message.Msg, bool) {
	var dns *net.DNSError
	var op *net.OpError
	m := func(id string, data map[string]any) (message.Msg, bool) {
		return message.Msg{ID: "error.cause." + id, Data: data}, true
	}
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return m("no_host", map[string]any{"Host": dns.Name})
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		if errors.As(err, &op) && op.Addr != nil {
			return m("not_local", map[string]any{"Addr": op.Addr.String()})
		}
		return m("not_local_any", nil)
	case errors.Is(err, syscall.ECONNREFUSED):
		return m("refused", nil)
	case errors.Is(err, syscall.ECONNRESET):
		return m("reset", nil)
	case errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return m("closed", nil)
	case errors.Is(err, syscall.ETIMEDOUT), errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return m("timeout", nil)
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return m("unreachable", nil)
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return m("files", nil)
	case errors.Is(err, syscall.ENOSPC):
		return m("disk_full", nil)
	case errors.Is(err, fs.ErrPermission):
		return m("denied", nil)
	}
	return message.Msg{}, false
}

// cause is causeOf's message, else the system's own words (English, as
// the system gives them) in error.cause.system.
func cause(err error) message.Msg {
	if c, ok := causeOf(err); ok {
		return c
	}
	return message.Msg{ID: "error.cause.system", Data: map[string]any{"Detail": err.Error()}}
}

// messageOf is the message of the first messenger in err's chain whose
// id is not empty, and that messenger.
func messageOf(err error) (message.Msg, error, bool) {
	var m messenger
	for errors.As(err, &m) {
		if id, data := m.Message(); id != "" {
			return message.Msg{ID: id, Data: data}, m, true
		}
		err = errors.Unwrap(m)
	}
	return message.Msg{}, nil, false
}

// fill adds Exe, Have, Exchanges, Makers, Peers, Checks, Steps and Err to every level
// of m that lacks them.
func (a *app) fill(m message.Msg, err error) message.Msg {
	reg := lessons.Registry{}
	data := map[string]any{
		"Exe": exePath(), "Have": a.lessonIDs(), "Err": err.Error(), "Cause": cause(err),
		"Exchanges": strings.Join(reg.Scripts(), ", "),
		"Makers":    strings.Join(reg.Makers(), ", "),
		"Peers":     strings.Join(reg.Peers(), ", "),
		"Checks":    strings.Join(reg.Checks(), ", "),
		"Steps":     strings.Join(course.StepKindNames(), ", "),
	}
	for k, v := range m.Data {
		if sub, ok := v.(message.Msg); ok {
			v = a.fill(sub, err)
		}
		data[k] = v
	}
	return message.Msg{ID: m.ID, Data: data}
}

// exePath is the running binary as a person would type it in setcap:
// under `go run` it is a temporary file, so name the installed one.
func exePath() string {
	exe, _ := os.Executable()
	if exe == "" || strings.Contains(exe, "go-build") {
		return "$(command -v wiretutor)"
	}
	return exe
}

func (a *app) lessonIDs() string {
	var ids []string
	for _, l := range a.lessons {
		ids = append(ids, l.ID)
	}
	return strings.Join(ids, ", ")
}
