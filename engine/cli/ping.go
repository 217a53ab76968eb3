package cli

import (
	"fmt"
	"math"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"wiretutor/engine/net/ping"
)

// pingFlags are ping's options, named as iputils names them.
type pingFlags struct {
	count    int
	interval float64
	size     int
	ttl      int
	wait     float64
	net      string
}

func (a *app) pingCmd() *cobra.Command {
	t := a.tx
	var f pingFlags
	cmd := &cobra.Command{
		Use:   "ping HOST",
		Short: t.T("cmd.ping.short", nil),
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.ping(args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.IntVarP(&f.count, "count", "c", 0, t.T("flag.ping_count", nil))
	fl.Float64VarP(&f.interval, "interval", "i", 1, t.T("flag.ping_interval", nil))
	fl.IntVarP(&f.size, "size", "s", 56, t.T("flag.ping_size", nil))
	fl.IntVarP(&f.ttl, "ttl", "t", 0, t.T("flag.ping_ttl", nil))
	fl.Float64VarP(&f.wait, "timeout", "W", 10, t.T("flag.ping_wait", nil))
	fl.StringVar(&f.net, "net", "auto", t.T("flag.ping_net", nil))
	return cmd
}

// exitStatus ends a command with a status and nothing more to say, as
// ping exits 1 when no reply came.
type exitStatus int

func (e exitStatus) Error() string { return "exit status " + strconv.Itoa(int(e)) }

func (a *app) ping(host string, f pingFlags) error {
	switch {
	case f.count < 0:
		return errBadValue{flag: "-c", value: strconv.Itoa(f.count), want: "N ≥ 0"}
	case f.interval < 0.01 || math.IsInf(f.interval, 0) || math.IsNaN(f.interval):
		return errBadValue{flag: "-i", value: strconv.FormatFloat(f.interval, 'g', -1, 64), want: "≥ 0.01"}
	case f.size < 0 || f.size > ping.MaxData:
		return errBadValue{flag: "-s", value: strconv.Itoa(f.size), want: "0…" + strconv.Itoa(ping.MaxData)}
	case f.ttl < 0 || f.ttl > 255:
		return errBadValue{flag: "-t", value: strconv.Itoa(f.ttl), want: "1…255"}
	case f.wait <= 0 || math.IsInf(f.wait, 0) || math.IsNaN(f.wait):
		return errBadValue{flag: "-W", value: strconv.FormatFloat(f.wait, 'g', -1, 64), want: "> 0"}
	case f.net != ping.Auto && f.net != ping.Kernel && f.net != ping.Sandbox:
		return errBadValue{flag: "--net", value: f.net, want: "auto, kernel, sandbox"}
	}
	ip, err := ping.Resolve4(a.ctx, host)
	if err != nil {
		return err
	}
	sock, err := ping.Open(a.ctx, ip, f.net)
	if err != nil {
		return err
	}
	defer sock.Close()
	if f.ttl > 0 {
		if err := sock.Conn.SetTTL(f.ttl); err != nil {
			return fmt.Errorf("set ttl: %w", err)
		}
	}
	a.say(a.tx.T("ping.path_"+sock.Path, nil))
	t := a.tx
	fmt.Fprintln(a.out(), t.T("ping.header", map[string]any{
		"Host": host, "IP": ip.String(), "Size": f.size, "Total": f.size + ping.HeaderLen + 20,
	}))
	opt := ping.Options{
		Count:    f.count,
		Interval: time.Duration(f.interval * float64(time.Second)),
		Size:     f.size,
		Wait:     time.Duration(f.wait * float64(time.Second)),
		Ident:    uint16(os.Getpid()),
	}
	st, err := ping.Run(a.ctx, sock.Conn, sock.Dst, opt, func(r ping.Reply) {
		data := map[string]any{"From": hostOf(r.From), "Seq": r.Seq, "TTL": r.TTL, "Time": pingMillis(r.RTT)}
		line := t.N("ping.reply", r.Bytes, data)
		if r.TTL < 0 {
			line = t.N("ping.reply_nottl", r.Bytes, data)
		}
		if r.Dup {
			line += t.T("ping.dup", nil)
		}
		fmt.Fprintln(a.out(), line)
	})
	if err != nil {
		return fmt.Errorf("ping %s: %w", host, err)
	}
	a.pingStats(host, st)
	if st.Received == 0 {
		return exitStatus(1)
	}
	return nil
}

func (a *app) pingStats(host string, st ping.Stats) {
	t := a.tx
	w := a.out()
	fmt.Fprintln(w)
	fmt.Fprintln(w, t.T("ping.stats_title", map[string]any{"Host": host}))
	data := map[string]any{
		"Sent": st.Sent, "Received": st.Received, "Loss": st.Loss(),
		"Dups": st.Dups, "Ms": st.Elapsed.Milliseconds(),
	}
	key := "ping.stats"
	if st.Dups > 0 {
		key = "ping.stats_dups"
	}
	fmt.Fprintln(w, t.N(key, st.Sent, data))
	if st.Received > 0 {
		fmt.Fprintln(w, t.T("ping.rtt", map[string]any{
			"Min": statMillis(st.Min), "Avg": statMillis(st.Avg), "Max": statMillis(st.Max), "Mdev": statMillis(st.Mdev),
		}))
	}
}

func hostOf(a net.Addr) string {
	switch a := a.(type) {
	case *net.IPAddr:
		return a.IP.String()
	case *net.UDPAddr:
		return a.IP.String()
	}
	return a.String()
}

// statMillis formats a statistic of the closing rtt line as iputils
// does: milliseconds with three decimals, however large.
func statMillis(d time.Duration) string {
	us := d.Microseconds()
	return fmt.Sprintf("%d.%03d", us/1000, us%1000)
}

// pingMillis formats a round trip as iputils does: three significant
// decimals under 1 ms, fewer as it grows, none from 100 ms.
func pingMillis(d time.Duration) string {
	us := d.Microseconds()
	switch {
	case us >= 100000:
		return strconv.FormatInt(us/1000, 10)
	case us >= 10000:
		return fmt.Sprintf("%d.%01d", us/1000, us%1000/100)
	case us >= 1000:
		return fmt.Sprintf("%d.%02d", us/1000, us%1000/10)
	}
	return fmt.Sprintf("%d.%03d", us/1000, us%1000)
}
