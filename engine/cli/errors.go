package cli

import (
	"errors"
	"io/fs"
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
// (the binary, as setcap wants it), Have (the lessons) and Err (the
// whole error in English).
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
// its chain that names one, else the operating system's few we know.
func (a *app) explain(err error) string {
	t := a.tx
	if m, ok := messageOf(err); ok {
		return t.Msg(a.fill(m, err))
	}
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist):
		return t.T("error.no_file", map[string]any{"File": pe.Path})
	case errors.As(err, &pe) && errors.Is(err, fs.ErrPermission):
		return t.T("error.file_permission", map[string]any{"File": pe.Path})
	}
	return t.T("error.generic", map[string]any{"Err": err.Error()})
}

// messageOf is the message of the first messenger in err's chain whose
// id is not empty.
func messageOf(err error) (message.Msg, bool) {
	var m messenger
	for errors.As(err, &m) {
		if id, data := m.Message(); id != "" {
			return message.Msg{ID: id, Data: data}, true
		}
		err = errors.Unwrap(m)
	}
	return message.Msg{}, false
}

// fill adds Exe, Have, Exchanges, Makers, Peers, Checks, Steps and Err to every level
// of m that lacks them.
func (a *app) fill(m message.Msg, err error) message.Msg {
	reg := lessons.Registry{}
	data := map[string]any{
		"Exe": exePath(), "Have": a.lessonIDs(), "Err": err.Error(),
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
