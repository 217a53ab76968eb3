package cli

import (
	"fmt"
	"net"
	"strconv"
	"sync"

	"wiretutor/engine/net/netenv"
	"wiretutor/lessons"
	"wiretutor/servers/httpd"
)

// serveHTTP runs the course's web server until Ctrl-C. The API token
// comes from WIRETUTOR_API_TOKEN, or is made fresh and shown once.
func (a *app) serveHTTP(listen string, port int) error {
	if port < 0 || port > 65535 {
		return errBadValue{flag: "--port", value: strconv.Itoa(port), want: "0–65535"}
	}
	t := a.tx
	token := a.env.Getenv(httpd.TokenEnv)
	fresh := token == ""
	if fresh {
		var err error
		if token, err = httpd.NewToken(); err != nil {
			return err
		}
	}
	var mu sync.Mutex
	srv := &httpd.Server{Net: netenv.Kernel{}, Host: listen, Port: port, Token: token, Pages: lessons.HTTPPages(a.tx),
		Log: func(method, path string, status int) {
			mu.Lock()
			fmt.Fprintln(a.out(), t.T("http.request", map[string]any{"Method": method, "Path": path, "Status": status}))
			mu.Unlock()
		}}
	if err := srv.Start(a.ctx); err != nil {
		return withPortFlag(err, "--port", "")
	}
	defer srv.Close()
	fmt.Fprintln(a.out(), t.T("http.ready", map[string]any{"URL": "http://" + addrString(srv.Addr()) + "/"}))
	if fresh {
		fmt.Fprintln(a.out(), t.T("http.token_fresh", map[string]any{"Token": token, "Env": httpd.TokenEnv}))
	} else {
		fmt.Fprintln(a.out(), t.T("http.token_env", map[string]any{"Env": httpd.TokenEnv}))
	}
	if ip := net.ParseIP(listen); ip == nil || !ip.IsLoopback() {
		fmt.Fprintln(a.env.Stderr, t.T("serve.exposed", map[string]any{"Addr": listen}))
	}
	fmt.Fprintln(a.out(), t.T("serve.stop_hint", nil))
	<-a.ctx.Done()
	srv.Close()
	fmt.Fprintln(a.out(), t.T("http.stopped", nil))
	return nil
}
