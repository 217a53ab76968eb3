package cli

import (
	"errors"
	"os"
	"strings"

	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/net/nsenter"
	"wiretutor/servers/httpd"
)

// pickNet resolves --net, --impair and --seed (nil: none) into the
// lesson's network, and says which network auto took and why. When the
// choice is the private namespace and this process is outside it, the
// command runs again there (see enterPrivate) and pickNet returns its
// exit status as an exitStatus error.
func (a *app) pickNet(choice string, impair []string, seed *uint64) (*course.Network, error) {
	return a.pickNetWant(choice, impair, course.Want{Seed: seed})
}

// lessonWant is what lesson l asks of its network with the seed (nil:
// none): the segments it loses (Impair), its hosts.
func lessonWant(l *course.Lesson, seed *uint64) course.Want {
	w := course.Want{Seed: seed, Hosts: l.Hosts}
	if l.Impair != nil {
		w.Imp.Rules = l.Impair()
	}
	return w
}

// pickNetWant is pickNet for a run that wants more of its network: a
// lesson that loses the segments of its choosing (w.Imp.Rules) takes
// the sandbox under auto, one between two hosts (w.Hosts) the kernel's
// namespaces or the sandbox's pair, and says so. --impair's values are
// added to w.Imp.
func (a *app) pickNetWant(choice string, impair []string, w course.Want) (*course.Network, error) {
	imp, err := netenv.ParseImpairments(impair)
	if err != nil {
		return nil, err
	}
	imp.Rules = w.Imp.Rules
	w.Imp = imp
	if err := checkNetName(choice); err != nil {
		return nil, err
	}
	name, why, err := course.ChooseNetwork(choice, w, course.ThisHost())
	if err != nil {
		return nil, err
	}
	var noPrivate *nsenter.Error
	if name == course.NetPrivate && !nsenter.Inside() {
		err := a.enterPrivate()
		if choice != course.NetAuto || !errors.As(err, &noPrivate) {
			return nil, err
		}
		name, why = course.NetSandbox, course.NetAutoNoPrivate
	}
	n, err := course.OpenChosen(name, why, w)
	if err != nil {
		return nil, err
	}
	switch {
	case w.Hosts > 1 && name != course.NetSandbox:
		a.say(a.tx.T("net.kernel_hosts", map[string]any{"Client": netenv.PairClientIP, "Server": netenv.PairServerIP}))
	case n.Reason == course.NetAutoKernel:
		a.say(a.tx.T("net.auto_kernel", nil))
	case n.Reason == course.NetAutoPrivate:
		a.say(a.tx.T("net.auto_private", nil))
	case n.Reason == course.NetAutoLesson:
		a.say(a.tx.T("net.auto_sandbox_lesson", nil))
	case n.Reason == course.NetAutoHosts:
		a.say(a.tx.T("net.auto_sandbox_hosts", nil))
	case n.Reason == course.NetAutoImpair:
		a.say(a.tx.T("net.auto_sandbox_impair", nil))
	case n.Reason == course.NetAutoSeed:
		a.say(a.tx.T("net.auto_sandbox_seed", map[string]any{"Seed": *w.Seed}))
	case n.Reason == course.NetAutoNoPrivate:
		detail := ""
		if noPrivate == nil {
			noPrivate, _ = nsenter.Allowed().(*nsenter.Error)
		}
		if noPrivate != nil {
			detail = noPrivate.Detail
		}
		a.say(a.tx.T("net.auto_sandbox_linux", map[string]any{"Exe": exePath(), "Detail": detail}))
	case n.Reason == course.NetAutoNoCapture:
		a.say(a.tx.T("net.auto_sandbox", nil))
	}
	return n, nil
}

// lostFrame is the packet a lesson's text invites the learner to lose
// (0: none): the sandbox drops that frame of the lesson's exchange once,
// as --impair drop=N does. It is the client's first data segment of the
// TCP echo, which TCP sends again (the handshake lesson), and the first
// datagram of the UDP echo, which nothing sends again (udp-echo).
func lostFrame(l *course.Lesson) int {
	if l == nil {
		return 0
	}
	switch l.Script {
	case "echo-tcp":
		return 4
	case "udp-echo":
		return 1
	}
	return 0
}

// checkNetName refuses a --net that names no network.
func checkNetName(choice string) error {
	for _, n := range course.NetNames {
		if choice == n {
			return nil
		}
	}
	return errBadValue{flag: "--net", value: choice, want: strings.Join(course.NetNames, ", ")}
}

// menuPrivate runs the whole menu in the private namespace when its
// lessons' network (--net) would be the private one, so every lesson
// runs there: done is true when it did, err then its exit status.
// Where the system forbids the namespace, auto stays here (each lesson
// takes the sandbox and says why); --net private is an error.
func (a *app) menuPrivate() (done bool, err error) {
	if nsenter.Inside() {
		return false, nil
	}
	if err := checkNetName(a.menuNet); err != nil {
		return true, err
	}
	name, _, err := course.ChooseNetwork(a.menuNet, course.Want{}, course.ThisHost())
	if err != nil {
		return true, err
	}
	if name != course.NetPrivate {
		return false, nil
	}
	err = a.enterPrivate()
	var noPrivate *nsenter.Error
	if a.menuNet == course.NetAuto && errors.As(err, &noPrivate) {
		return false, nil
	}
	return true, err
}

// envRead are the variables the command line reads through Env.Getenv.
var envRead = []string{"XDG_STATE_HOME", "LC_ALL", "LC_MESSAGES", "LANG", "TERM", "NO_COLOR", "COLUMNS", httpd.TokenEnv}

// privateArgs is how this program is run again in the namespace: its
// arguments and any variables to add. Tests replace it, since their
// binary is not wiretutor.
var privateArgs = func(args []string) (argv, env []string) { return args, nil }

// enterPrivate runs this command again, with the same arguments and
// streams, in wiretutor's private namespace, and returns its exit
// status as an exitStatus (nil for 0). An *nsenter.Error says the
// namespace could not be made: the child printed nothing.
func (a *app) enterPrivate() error {
	if err := a.ctx.Err(); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	argv, env := privateArgs(a.env.Args)
	// The child reads the process's environment: give it the view of
	// the variables this command line was given (the same, outside tests).
	for _, k := range envRead {
		if v := a.env.Getenv(k); v != os.Getenv(k) {
			env = append(env, k+"="+v)
		}
	}
	code, err := nsenter.Run(exe, argv, env, a.env.Stdin, a.env.Stdout, a.env.Stderr)
	if err != nil {
		return err
	}
	return exitStatus(code)
}
