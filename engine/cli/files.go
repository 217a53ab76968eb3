package cli

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"wiretutor/engine/internal/atomicfile"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/text/message"
	"wiretutor/engine/text/render"
	"wiretutor/servers/files"
)

// defaultFilesAddr is where get and send look for the file server.
func defaultFilesAddr() string { return "127.0.0.1:" + strconv.Itoa(files.DefaultPort) }

func (a *app) filesServeCmd() *cobra.Command {
	var listen, dir string
	var port int
	var readOnly bool
	var maxSize int64
	cmd := &cobra.Command{
		Use:   "files",
		Short: a.tx.T("cmd.serve_files.short", nil),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.serveFiles(listen, port, dir, readOnly, maxSize)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1", a.tx.T("flag.listen", nil))
	cmd.Flags().IntVar(&port, "port", files.DefaultPort, a.tx.T("flag.files.port", nil))
	cmd.Flags().StringVar(&dir, "dir", ".", a.tx.T("flag.files.dir", nil))
	cmd.Flags().BoolVar(&readOnly, "read-only", false, a.tx.T("flag.files.read_only", nil))
	cmd.Flags().Int64Var(&maxSize, "max-size", files.DefaultMaxSize, a.tx.T("flag.files.max_size", nil))
	return cmd
}

func (a *app) serveFiles(listen string, port int, dir string, readOnly bool, maxSize int64) error {
	if port < 0 || port > 65535 {
		return errBadValue{flag: "--port", value: strconv.Itoa(port), want: "0–65535"}
	}
	if maxSize < 1 {
		return errBadValue{flag: "--max-size", value: strconv.FormatInt(maxSize, 10), want: "N ≥ 1"}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if st, err := os.Stat(abs); err != nil {
		return err
	} else if !st.IsDir() {
		return errNotDir{path: dir}
	}
	t := a.tx
	var mu sync.Mutex
	srv := &files.Server{
		Net: netenv.Kernel{}, Host: listen, Port: port, Dir: abs, ReadOnly: readOnly, MaxSize: maxSize,
		OnEvent: func(e files.Event) {
			d := map[string]any{"Remote": addrString(e.Remote), "Name": e.Name, "Size": a.size(e.Bytes)}
			var line string
			switch e.Kind {
			case files.Sent:
				line = t.T("files.served.sent", d)
			case files.Stored:
				line = t.T("files.served.stored", d)
			case files.Listed:
				if e.Name == "" {
					d["Name"] = "/"
				}
				line = t.T("files.served.listed", d)
			case files.Refused:
				d["Why"] = t.Msg(remoteMessage(e.Reason))
				line = t.T("files.served.refused", d)
			case files.Failed:
				d["Cause"] = t.Msg(cause(e.Err))
				line = t.T("files.served.failed", d)
			}
			mu.Lock()
			fmt.Fprintln(a.out(), line)
			mu.Unlock()
		},
	}
	if err := srv.Start(a.ctx); err != nil {
		return withPortFlag(err, "--port", "")
	}
	defer srv.Close()
	ready := "files.ready"
	if readOnly {
		ready = "files.ready_read_only"
	}
	fmt.Fprintln(a.out(), t.T(ready, map[string]any{"Addr": addrString(srv.Addr()), "Dir": abs}))
	if ip := net.ParseIP(listen); ip == nil || !ip.IsLoopback() {
		fmt.Fprintln(a.env.Stderr, t.T("serve.exposed", map[string]any{"Addr": listen}))
	}
	fmt.Fprintln(a.out(), t.T("serve.stop_hint", nil))
	<-a.ctx.Done()
	srv.Close()
	fmt.Fprintln(a.out(), t.T("files.stopped", nil))
	return nil
}

// remoteMessage is the sentence of an ERR word.
func remoteMessage(reason string) message.Msg {
	id, data := (&files.RemoteError{Reason: reason}).Message()
	return message.Msg{ID: id, Data: data}
}

func (a *app) getCmd() *cobra.Command {
	var output string
	var force, list bool
	cmd := &cobra.Command{
		Use:     "get [HOST:]NAME",
		Short:   a.tx.T("cmd.get.short", nil),
		Long:    a.tx.T("cmd.get.long", nil),
		Example: "  wiretutor serve files --dir ~/share\n  wiretutor get notes.txt\n  wiretutor get 127.0.0.1:9000:photos/cat.jpg -o cat.jpg\n  wiretutor get --list",
		Args:    cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			target := ""
			if len(args) == 1 {
				target = args[0]
			}
			addr, name, err := splitTarget(target)
			if err != nil {
				return err
			}
			if list {
				return a.listFiles(addr, name)
			}
			if name == "" {
				return errMissingFlag{flag: "NAME"}
			}
			return a.getFile(addr, name, output, force)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", a.tx.T("flag.files.output", nil))
	cmd.Flags().BoolVar(&force, "force", false, a.tx.T("flag.files.force", nil))
	cmd.Flags().BoolVar(&list, "list", false, a.tx.T("flag.files.list", nil))
	return cmd
}

func (a *app) sendCmd() *cobra.Command {
	var to, as string
	cmd := &cobra.Command{
		Use:     "send FILE",
		Short:   a.tx.T("cmd.send.short", nil),
		Example: "  wiretutor serve files --dir /tmp/inbox\n  wiretutor send report.pdf\n  wiretutor send report.pdf --as homework/report.pdf",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := hostPort(to)
			if err != nil {
				return err
			}
			return a.sendFile(addr, args[0], as)
		},
	}
	cmd.Flags().StringVar(&to, "to", defaultFilesAddr(), a.tx.T("flag.files.to", nil))
	cmd.Flags().StringVar(&as, "as", "", a.tx.T("flag.files.as", nil))
	return cmd
}

// errTarget is a [HOST:]NAME that does not parse.
type errTarget struct{ target string }

func (e errTarget) Error() string { return "bad target " + e.target }

// Message names the sentence.
func (e errTarget) Message() (string, map[string]any) {
	return "files.bad_target", map[string]any{"Target": e.target}
}

// splitTarget reads [HOST:]NAME: HOST is host, host:port or [v6]:port
// (port 9000 when none). A name has no ":" of its own, so the last ":"
// ends the host.
func splitTarget(s string) (addr, name string, err error) {
	i := strings.LastIndex(s, ":")
	if i < 0 || strings.HasSuffix(s, "]") {
		return defaultFilesAddr(), s, nil
	}
	addr, err = hostPort(s[:i])
	if err != nil {
		return "", "", errTarget{s}
	}
	return addr, s[i+1:], nil
}

// hostPort is host with port 9000 when it names none.
func hostPort(host string) (string, error) {
	if h, p, err := net.SplitHostPort(host); err == nil {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 || h == "" {
			return "", errTarget{host}
		}
		return host, nil
	}
	h := host
	if v6, ok := strings.CutPrefix(host, "["); ok {
		h, ok = strings.CutSuffix(v6, "]")
		if ip := net.ParseIP(h); !ok || ip == nil || ip.To4() != nil {
			return "", errTarget{host}
		}
	} else if h == "" || strings.ContainsAny(h, ":[]") {
		return "", errTarget{host} // an IPv6 address is written in brackets
	}
	return net.JoinHostPort(h, strconv.Itoa(files.DefaultPort)), nil
}

func (a *app) client(addr string) *files.Client {
	return &files.Client{Net: netenv.Kernel{}, Addr: addr}
}

func (a *app) listFiles(addr, folder string) error {
	es, err := a.client(addr).List(a.ctx, folder)
	if err != nil {
		return filesError(err, addr, folder)
	}
	if len(es) == 0 {
		fmt.Fprintln(a.out(), a.tx.T("files.list_empty", nil))
		return nil
	}
	width := 0
	sizes := make([]string, len(es))
	for i, e := range es {
		sizes[i] = "-"
		if !e.Folder {
			sizes[i] = a.size(e.Size)
		}
		width = max(width, render.Width(sizes[i]))
	}
	for i, e := range es {
		name := e.Name
		if e.Folder {
			name += "/"
		}
		fmt.Fprintf(a.out(), "%s%s  %s\n", strings.Repeat(" ", width-render.Width(sizes[i])), sizes[i], name)
	}
	return nil
}

// errExists is an output file that is there already.
type errExists struct{ path string }

func (e errExists) Error() string { return e.path + " exists" }

// Message names the sentence.
func (e errExists) Message() (string, map[string]any) {
	return "files.exists", map[string]any{"File": e.path}
}

func (a *app) getFile(addr, name, output string, force bool) error {
	if output == "" {
		output = path.Base(name)
	}
	var w io.Writer
	var f *atomicfile.File
	if output == "-" {
		w = a.out()
	} else {
		if _, err := os.Lstat(output); err == nil && !force {
			return errExists{output}
		}
		var err error
		if f, err = atomicfile.Create(output, 0o666); err != nil {
			return err
		}
		defer f.Abort() // nothing under the final name unless Commit ran
		w = f
	}
	m := a.meter(name)
	n, err := a.client(addr).Get(a.ctx, name, w, m.update)
	m.stop()
	if err != nil {
		return filesError(err, addr, name)
	}
	if f != nil {
		if _, err := os.Lstat(output); err == nil && !force {
			return errExists{output} // it appeared while we were getting it
		}
		if err := f.Commit(); err != nil {
			return err
		}
	}
	d := m.summary(n)
	d["File"] = output
	id := "files.got"
	if output == "-" {
		id = "files.got_stdout"
	}
	a.say(a.tx.T(id, d))
	return nil
}

func (a *app) sendFile(addr, file, as string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return errNotFile{path: file}
	}
	if as == "" {
		as = filepath.Base(file)
	}
	if files.CheckName(as) != nil {
		return errRefused{as, &files.RemoteError{Reason: files.ErrBadName}}
	}
	m := a.meter(as)
	err = a.client(addr).Put(a.ctx, as, f, st.Size(), m.update)
	m.stop()
	if err != nil {
		return filesError(err, addr, as)
	}
	d := m.summary(st.Size())
	d["Addr"] = addr
	a.say(a.tx.T("files.sent", d))
	return nil
}

// errNotFile is a path that is no regular file.
type errNotFile struct{ path string }

func (e errNotFile) Error() string { return e.path + " is not a file" }

// Message names the sentence.
func (e errNotFile) Message() (string, map[string]any) {
	return "files.not_file", map[string]any{"File": e.path}
}

// errNoServer is a server that does not answer: the file server's, or
// another whose sentence id names (with the command that starts it).
type errNoServer struct {
	addr string
	err  error
	id   string // "" for the file server's sentence
}

func (e errNoServer) Error() string { return e.err.Error() }
func (e errNoServer) Unwrap() error { return e.err }

// Message names the sentence, with the hint to start the server.
func (e errNoServer) Message() (string, map[string]any) {
	id := e.id
	if id == "" {
		id = "files.no_server"
	}
	return id, map[string]any{"Addr": e.addr}
}

// errNotProtocol is a peer that does not speak the file protocol.
type errNotProtocol struct {
	addr string
	err  error
}

func (e errNotProtocol) Error() string { return e.err.Error() }
func (e errNotProtocol) Unwrap() error { return e.err }

// Message names the sentence.
func (e errNotProtocol) Message() (string, map[string]any) {
	return "files.not_protocol", map[string]any{"Addr": e.addr}
}

// errRefused is an ERR reply to a request for a file.
type errRefused struct {
	name string
	err  *files.RemoteError
}

func (e errRefused) Error() string { return e.err.Error() }
func (e errRefused) Unwrap() error { return e.err }

// Message names the sentence: the name, and the server's reason.
func (e errRefused) Message() (string, map[string]any) {
	id, data := e.err.Message()
	return "files.refused", map[string]any{"Name": e.name, "Why": message.Msg{ID: id, Data: data}}
}

// filesError says which of the known failures err is, for the file or
// folder name.
func filesError(err error, addr, name string) error {
	var op *net.OpError
	var re *files.RemoteError
	switch {
	case errors.As(err, &re):
		if name == "" {
			name = "/"
		}
		return errRefused{name, re}
	case errors.As(err, &op) && op.Op == "dial":
		return errNoServer{addr: addr, err: err}
	case errors.Is(err, files.ErrProtocol):
		return errNotProtocol{addr, err}
	}
	return err
}

// meter shows a transfer's progress on a terminal: a bar, the bytes,
// the rate and the time left, drawn when the transfer starts and then
// ten times a second, so that a stalled transfer is seen to stall. Off
// a terminal it draws nothing; the command prints one line at the end.
type meter struct {
	a     *app
	name  string
	tty   *os.File
	start time.Time

	mu          sync.Mutex
	done, total int64
	started     bool
	stopTick    chan struct{}
	ticked      sync.WaitGroup
}

func (a *app) meter(name string) *meter {
	m := &meter{a: a, name: name, start: time.Now()}
	if f, ok := a.env.Stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		m.tty = f
	}
	return m
}

// redraw is the time between two drawings.
const redraw = 100 * time.Millisecond

// update is the transfer's Progress: it records where the transfer is,
// and starts the drawing at the first call.
func (m *meter) update(done, total int64) {
	if m.tty == nil {
		return
	}
	m.mu.Lock()
	m.done, m.total = done, total
	first := !m.started
	m.started = true
	m.mu.Unlock()
	if !first {
		return
	}
	m.draw()
	m.stopTick = make(chan struct{})
	m.ticked.Add(1)
	go func() {
		defer m.ticked.Done()
		tick := time.NewTicker(redraw)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				m.draw()
			case <-m.stopTick:
				return
			}
		}
	}()
}

func (m *meter) draw() {
	m.mu.Lock()
	done, total := m.done, m.total
	m.mu.Unlock()
	width := render.Detect(m.tty, m.a.env.Getenv).Width
	fmt.Fprint(m.tty, "\r"+m.a.progressLine(width, done, total, time.Since(m.start))+"\x1b[K")
}

// stop ends the drawing and clears the bar.
func (m *meter) stop() {
	if m.stopTick == nil {
		return
	}
	close(m.stopTick)
	m.ticked.Wait()
	fmt.Fprint(m.tty, "\r\x1b[K")
}

// summary is the data of the final line: name, size, time, rate.
func (m *meter) summary(n int64) map[string]any {
	el := time.Since(m.start)
	return map[string]any{"Name": m.name, "Size": m.a.size(n), "Time": m.a.seconds(el), "Rate": m.a.rate(n, el)}
}

// progressLine is one line of a transfer's progress, width columns at
// most: the bar, then what the catalog says of the bytes, the rate and
// the time left. On a narrow terminal the bar goes first, then the
// words are cut.
func (a *app) progressLine(width int, done, total int64, el time.Duration) string {
	left := "…"
	if done > 0 && el > 0 && total >= done {
		rest := time.Duration(float64(total-done) / float64(done) * float64(el))
		left = clock(rest)
	}
	text := a.tx.T("files.progress", map[string]any{
		"Done": a.size(done), "Total": a.size(total), "Rate": a.rate(done, el), "Left": left,
	})
	frac := 1.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	return render.ProgressLine(width, frac, text)
}

// clock writes a duration as m:ss, or h:mm:ss from an hour.
func clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// size writes a byte count in the learner's units.
func (a *app) size(n int64) string { return a.tx.Size(n) }

// rate is bytes per second, as a size per second.
func (a *app) rate(n int64, el time.Duration) string {
	if el <= 0 {
		el = time.Microsecond
	}
	return a.tx.Rate(float64(n) / el.Seconds())
}

// seconds writes a duration in seconds with one decimal.
func (a *app) seconds(d time.Duration) string { return a.tx.Seconds(d.Seconds(), 1) }
