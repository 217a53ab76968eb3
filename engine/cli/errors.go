package cli

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"wiretutor/engine/course"
	"wiretutor/engine/course/doc"
	"wiretutor/engine/course/syllabus"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/servers/listen"
)

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
// says what happened and what to do.
func (a *app) explain(err error) string {
	t := a.tx
	var (
		mf  errMissingFlag
		ul  errUnknownLesson
		uf  errUnknownField
		bv  errBadValue
		pf  errPortFlag
		be  *listen.BindError
		se  *filter.SyntaxError
		tl  *filter.TooLongError
		de  *doc.Error
		pe  *fs.PathError
		use usageError
		fe  *capture.FileError
		ie  *netenv.ImpairError
		dfe *filter.DisplayError
		cc  errChatConnect
		cfl errChatFull
		ps  errPingSocket
		uh  errUnknownHost
		sh  errSandboxHost
		cf  errCourseFile
		sy  *syllabus.Error
		nr  errNoRequirements
		nd  errNotDir
	)
	file := ""
	if errors.As(err, &fe) {
		file = fe.Path
	}
	switch {
	case errors.As(err, &cf) && errors.As(err, &sy):
		why := t.T("course_file."+sy.Code, map[string]any{"Arg": sy.Arg, "Have": a.lessonIDs()})
		return t.T("error.course_file", map[string]any{"File": cf.path, "Line": sy.Line, "Why": why})
	case errors.As(err, &nr):
		return t.T("error.no_requirements", map[string]any{"ID": nr.id})
	case errors.As(err, &nd):
		return t.T("error.not_dir", map[string]any{"Path": nd.path})
	case errors.As(err, &ps) && isPingDenied(err):
		return t.T("error.ping_denied", map[string]any{"Exe": exePath()})
	case errors.As(err, &ps):
		return t.T("error.ping_socket", map[string]any{"Err": ps.err.Error()})
	case errors.As(err, &uh):
		return t.T("error.unknown_host", map[string]any{"Host": uh.host})
	case errors.As(err, &sh):
		return t.T("error.sandbox_host", map[string]any{"Host": sh.host, "Exe": exePath()})
	case errors.As(err, &ie):
		return t.T("error.impair", map[string]any{"Spec": ie.Spec, "Why": t.T("impair."+ie.Code, nil)})
	case errors.Is(err, course.ErrImpairKernel):
		return t.T("error.impair_kernel", nil)
	case errors.As(err, &mf):
		return t.T("error.missing_flag", map[string]any{"Flag": mf.flag})
	case errors.As(err, &ul):
		return t.T("error.unknown_lesson", map[string]any{"ID": ul.id, "Have": a.lessonIDs()})
	case errors.As(err, &uf):
		return t.T("error.unknown_field", map[string]any{"Field": uf.name})
	case errors.As(err, &bv):
		return t.T("error.bad_value", map[string]any{"Flag": bv.flag, "Value": bv.value, "Want": bv.want})
	case errors.As(err, &pf) && errors.Is(err, syscall.EADDRINUSE):
		return t.T("error.port_in_use", map[string]any{"Port": pf.port, "Proto": strings.ToUpper(pf.proto), "Flag": pf.flag})
	case errors.As(err, &be) && errors.Is(err, syscall.EADDRINUSE):
		return t.T("error.port_in_use_lesson", map[string]any{"Port": be.Port, "Proto": strings.ToUpper(be.Proto)})
	case errors.As(err, &be) && errors.Is(err, syscall.EACCES):
		return t.T("error.port_denied", map[string]any{"Port": be.Port})
	case errors.As(err, &cfl):
		return t.T("error.chat_full", map[string]any{"Addr": cfl.addr})
	case errors.As(err, &cc):
		return t.T("error.chat_connect", map[string]any{"Addr": cc.addr})
	case errors.Is(err, capture.ErrPermission):
		return t.T("error.capture_permission", map[string]any{"Exe": exePath()})
	case errors.Is(err, capture.ErrUnsupported):
		return t.T("error.capture_unsupported", nil)
	case errors.As(err, &dfe):
		why := t.T("filter."+dfe.Code, map[string]any{"Arg": dfe.Arg, "Want": t.T("want."+dfe.Want, nil)})
		return t.T("error.display_filter", map[string]any{"Why": why}) + "\n    " + dfe.Filter + "\n    " + dfe.Marker()
	case errors.As(err, &tl):
		return t.T("error.capture_filter_long", map[string]any{"Max": filter.MaxInstructions})
	case errors.As(err, &se):
		return t.T("error.capture_filter", map[string]any{
			"Filter": se.Filter, "Pos": se.Pos + 1, "Why": t.T("filter."+se.Code, nil),
		})
	case errors.Is(err, capture.ErrNotCapture):
		return t.T("error.not_capture", map[string]any{"File": file})
	case errors.Is(err, capture.ErrTruncated):
		return t.T("error.truncated", map[string]any{"File": file, "After": fe.After})
	case errors.Is(err, capture.ErrCorrupt):
		return t.T("error.corrupt", map[string]any{"File": file, "Err": strings.TrimPrefix(err.Error(), file+": ")})
	case errors.Is(err, dissect.ErrLinkType):
		return t.T("error.link_type", map[string]any{"Err": err.Error()})
	case errors.As(err, &de):
		return t.T("error.content", map[string]any{"Err": err.Error()})
	case errors.Is(err, course.ErrNoSection):
		return t.T("error.content", map[string]any{"Err": err.Error()})
	case errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist):
		return t.T("error.no_file", map[string]any{"File": pe.Path})
	case errors.As(err, &pe) && errors.Is(err, fs.ErrPermission):
		return t.T("error.file_permission", map[string]any{"File": pe.Path})
	case errors.As(err, &use):
		return t.T("error.usage", map[string]any{"Err": use.err.Error()})
	}
	return t.T("error.generic", map[string]any{"Err": err.Error()})
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
	for _, l := range a.env.Lessons {
		ids = append(ids, l.ID)
	}
	return strings.Join(ids, ", ")
}
