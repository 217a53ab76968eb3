//go:build linux

package nsenter

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// inside: this process is the namespace child and its loopback is up.
var inside bool

// exitSetup is the child's status when it could not set the namespace up
// (it has said why on the pipe and printed nothing).
const exitSetup = 125

func init() {
	v, ok := os.LookupEnv(Var)
	if !ok {
		return
	}
	// A program this child starts (a learner's own) is no namespace child.
	os.Unsetenv(Var)
	fd, err := strconv.Atoi(v)
	if err != nil || fd < 3 {
		return
	}
	report := os.NewFile(uintptr(fd), "nsenter")
	if detail, err := setup(); err != nil {
		fmt.Fprintf(report, "%s\n%v", detail, err)
		report.Close()
		os.Exit(exitSetup)
	}
	report.WriteString("ok")
	report.Close()
	inside = true
	// A signal reaches this child twice, from the terminal and forwarded
	// by the parent: the copies must not take the default action and end
	// it before it has saved the learner's place. The parent ends it for
	// good on a second signal of its own.
	absorb := make(chan os.Signal, 4)
	signal.Notify(absorb, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		for range absorb {
		}
	}()
}

// setup brings the namespace's loopback up and checks that this process
// may capture on it; detail names the step that failed.
func setup() (detail string, err error) {
	if detail, err := loopbackUp(); err != nil {
		return detail, err
	}
	p, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return "AF_PACKET", err
	}
	unix.Close(p)
	return "", nil
}

// LoopbackUp brings up the loopback of the network namespace this
// process is in (a new namespace's starts down).
func LoopbackUp() error {
	if detail, err := loopbackUp(); err != nil {
		return fmt.Errorf("%s: %w", detail, err)
	}
	return nil
}

// loopbackUp is LoopbackUp, with the step that failed named apart.
func loopbackUp() (detail string, err error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return "socket", err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return "lo", err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return "SIOCGIFFLAGS lo", err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return "SIOCSIFFLAGS lo", err
	}
	return "", nil
}

// Inside reports whether this process runs in wiretutor's private
// namespace, its loopback up and capturable.
func Inside() bool { return inside }

var (
	mu     sync.Mutex
	failed error // why an earlier Run could not make the namespace
)

// Allowed says whether the private network may work here: nil, or an
// *Error when the system forbids unprivileged user namespaces (or an
// earlier Run found it could not make one).
func Allowed() error {
	mu.Lock()
	defer mu.Unlock()
	if failed != nil {
		return failed
	}
	if os.Geteuid() != 0 && sysctl("kernel/unprivileged_userns_clone") == "0" {
		return &Error{Why: Forbidden, Detail: "kernel.unprivileged_userns_clone = 0", Err: os.ErrPermission}
	}
	if sysctl("user/max_user_namespaces") == "0" {
		return &Error{Why: Forbidden, Detail: "user.max_user_namespaces = 0", Err: os.ErrPermission}
	}
	return nil
}

// sysctl reads /proc/sys/name, "" when there is no such setting.
func sysctl(name string) string {
	b, err := os.ReadFile("/proc/sys/" + name)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// Run runs exe with args in a new user and network namespace, where
// this user is root over a loopback of its own, with the same streams,
// the environment plus env, and returns its exit status (128 plus the
// signal that ended it, as a shell says). The child's first step is to
// set the namespace up: if the system forbids it, or setting up fails,
// Run returns an *Error and the child has printed nothing.
//
// While the child runs, INT, TERM and HUP sent to this process are
// passed on; a second one ends the child at once (as a second Ctrl-C
// ends wiretutor even if cleaning up hangs).
func Run(exe string, args, env []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	if err := Allowed(); err != nil {
		return 0, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	cmd := exec.Command(exe, args...)
	cmd.Env = append(append(os.Environ(), env...), Var+"=3")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNET,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
		// The child ends with this thread: held until Wait returns.
		Pdeathsig: syscall.SIGKILL,
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	err = cmd.Start()
	w.Close()
	if err != nil {
		var why = Failed
		if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EINVAL) {
			why = Forbidden
		}
		return 0, remember(&Error{Why: why, Detail: "clone(CLONE_NEWUSER|CLONE_NEWNET)", Err: err})
	}
	defer Forward(sigs, cmd.Process)()
	msg, _ := io.ReadAll(r)
	if string(msg) != "ok" {
		cmd.Wait()
		detail, why, _ := strings.Cut(string(msg), "\n")
		if detail == "" {
			detail, why = "setup", "the child ended before it was ready"
		}
		kind := Failed
		if strings.Contains(why, "operation not permitted") || strings.Contains(why, "permission denied") {
			kind = Forbidden
			// Ubuntu's AppArmor lets the namespace be made but holds back
			// its capabilities.
			if sysctl("kernel/apparmor_restrict_unprivileged_userns") == "1" {
				detail = "kernel.apparmor_restrict_unprivileged_userns = 1"
			}
		}
		return 0, remember(&Error{Why: kind, Detail: detail, Err: errors.New(why)})
	}
	err = cmd.Wait()
	st := cmd.ProcessState
	if st == nil {
		return 0, err
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal()), nil
	}
	return st.ExitCode(), nil
}

// Forward passes the first signal from sigs on to p and kills p on a
// second (as a second Ctrl-C ends a program even if its cleaning up
// hangs), until the stop it returns is called.
func Forward(sigs <-chan os.Signal, p *os.Process) (stop func()) {
	done := make(chan struct{})
	go func() {
		n := 0
		for {
			select {
			case s := <-sigs:
				n++
				if n == 1 {
					p.Signal(s)
				} else {
					p.Kill()
				}
			case <-done:
				return
			}
		}
	}()
	return func() { close(done) }
}

// remember keeps err for Allowed, so a menu tries once.
func remember(err error) error {
	mu.Lock()
	failed = err
	mu.Unlock()
	return err
}

// CanMakeNetns says whether this process may make network namespaces
// itself: nil for root and inside the private namespace (whose user
// namespace gives the right), else why not.
func CanMakeNetns() error {
	if inside || os.Geteuid() == 0 {
		return nil
	}
	return &Error{Why: Forbidden, Detail: "network namespaces need root or the private namespace", Err: os.ErrPermission}
}
