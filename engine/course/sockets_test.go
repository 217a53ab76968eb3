package course_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
)

// samePort is a lesson like the sockets lab, whose receiver binds the
// same port on every run (the first run's, picked by the system, so no
// lab port of another package's tests is taken): the sender, which
// closes first, leaves its socket in TIME_WAIT on that port for the
// next run to find.
type samePort struct {
	port    int
	senders []int // each run's sender port
}

func (sp *samePort) lesson() *course.Lesson {
	return &course.Lesson{
		ID: "same-port",
		Steps: []course.Step{
			{Kind: course.Run},
			{Kind: course.Sockets, Section: "open"},
			{Kind: course.Sockets, Section: course.AfterSnapshot},
		},
		Exchange: sp.exchange,
		Complete: closed,
	}
}

func (sp *samePort) exchange(ctx context.Context, n netenv.Net, h course.Hooks) error {
	ln, err := n.Listen(ctx, "tcp", "127.0.0.1:"+strconv.Itoa(sp.port))
	if err != nil {
		return err
	}
	defer ln.Close()
	sp.port = ln.Addr().(*net.TCPAddr).Port
	if err := h.Ready(course.Ports{TCP: []int{sp.port}}); err != nil {
		return err
	}
	accepted, done := make(chan error, 1), make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		accepted <- err
		if err != nil {
			return
		}
		_, err = io.ReadAll(c) // until the sender's FIN
		c.Close()
		done <- err
	}()
	c, err := n.Dial(ctx, "tcp", ln.Addr().String())
	if err != nil {
		return err
	}
	sp.senders = append(sp.senders, c.LocalAddr().(*net.TCPAddr).Port)
	if err := <-accepted; err != nil {
		c.Close()
		return err
	}
	io.WriteString(c, "x=12 y=7 fire")
	h.Snapshot("open")
	c.Close()
	return <-done
}

// closed: both FINs and the ACK of the second are in the capture.
func closed(pkts []dissect.Packet) bool {
	var fins []*dissect.Packet
	for i := range pkts {
		p := &pkts[i]
		if p.Transport != dissect.TransportTCP {
			continue
		}
		if len(fins) == 2 && p.SrcPort == fins[0].SrcPort && p.TCP.Ack == fins[1].TCP.NextSeq {
			return true
		}
		if p.TCP.Has(dissect.FlagFIN) && len(fins) < 2 {
			fins = append(fins, p)
		}
	}
	return false
}

// rows returns the socket rows of the table under a heading: each row's
// fields (proto, local, remote, state).
func rows(out, heading string) [][]string {
	_, rest, ok := strings.Cut(out, heading)
	if !ok {
		return nil
	}
	var table [][]string
	lines := strings.Split(rest, "\n")[2:] // the heading's end, the column titles
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 3 || !strings.HasPrefix(f[0], "tcp") {
			break
		}
		table = append(table, f)
	}
	return table
}

// TestSocketTablesShowThisRun runs an exchange twice on the same port:
// the second run's tables hold its own sockets only, not the first
// run's sender in TIME_WAIT, on both networks.
func TestSocketTablesShowThisRun(t *testing.T) {
	for _, netName := range []string{"kernel", "sandbox"} {
		t.Run(netName, func(t *testing.T) {
			tx, err := i18n.Load(content.FS, "en")
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{
				"en/ui.toml":      {Data: must(fs.ReadFile(content.FS, "en/ui.toml"))},
				"en/same-port.md": {Data: []byte("+++\nid = \"same-port\"\ntitle = \"Same port\"\n+++\n")},
			}
			o := course.Options{Lang: "en", Content: fsys, NoInput: true, Term: render.Term{Width: 120}}
			if netName == "kernel" {
				testenv.NeedCapture(t)
				o.Net = netenv.Kernel{}
			} else {
				sb, err := netenv.NewSandbox(netenv.Impairment{})
				if err != nil {
					t.Fatal(err)
				}
				defer sb.Close()
				o.Net = sb
				o.Capture = func(p course.Ports) (course.LiveSource, error) {
					prog, err := filter.CompileCapture(course.CaptureFilter(p), capture.MaxFrame)
					if err != nil {
						return nil, err
					}
					return capture.NewTapSource(sb, prog)
				}
			}
			sp := &samePort{}
			var out bytes.Buffer
			for run := range 2 {
				out.Reset()
				o.Out = &out
				if _, err := course.RunLesson(context.Background(), sp.lesson(), o, tx); err != nil {
					t.Fatalf("run %d: %v\n%s", run+1, err, out.String())
				}
			}
			first, second := fmt.Sprint(":", sp.senders[0]), fmt.Sprint(":", sp.senders[1])
			listener := fmt.Sprint("127.0.0.1:", sp.port)
			open := rows(out.String(), tx.T("sockets.title.open", nil))
			after := rows(out.String(), tx.T("sockets.title.after", nil))
			for _, r := range append(open, after...) {
				own := r[3] == "LISTEN" && r[1] == listener || strings.HasSuffix(r[1], second) || strings.HasSuffix(r[2], second)
				if !own || strings.HasSuffix(r[1], first) || strings.HasSuffix(r[2], first) {
					t.Errorf("the second run shows %v, which is not its own (sender %s, the first run's %s)", r, second, first)
				}
			}
			if len(open) != 3 || len(after) == 0 {
				t.Errorf("the second run's tables: open %v, after %v; want 3 rows and the sender's TIME_WAIT\n%s", open, after, out.String())
			}
		})
	}
}
