package chat_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/servers/chat"
)

func start(t *testing.T) *chat.Server {
	t.Helper()
	s := &chat.Server{Net: netenv.Kernel{}, WriteTimeout: 2 * time.Second}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// lineClient joins as a line client and returns a reader of its lines.
func lineClient(t *testing.T, s *chat.Server, nick string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	buf := make([]byte, 4)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "NICK" {
		t.Fatalf("greeting %q, %v", buf, err)
	}
	fmt.Fprintf(c, "%s\n", nick)
	r := bufio.NewReader(c)
	expectLine(t, r, nick+" joined!")
	expectLine(t, r, "Connected to server!")
	return c, r
}

func expectLine(t *testing.T, r *bufio.Reader, want string) {
	t.Helper()
	got, err := r.ReadString('\n')
	if err != nil || strings.TrimRight(got, "\n") != want {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
}

func TestValidNick(t *testing.T) {
	for nick, want := range map[string]bool{
		"jack": true, "Алиса": true, "小明": true, "a_b-1": true, "": false, "has space": false,
		"x\x1b[31m": false, strings.Repeat("a", 32): true, strings.Repeat("a", 33): false, "bob!": false,
	} {
		if got := chat.ValidNick(nick); got != want {
			t.Errorf("ValidNick(%q) = %v", nick, got)
		}
	}
}

func TestRoom(t *testing.T) {
	s := start(t)
	a, ra := lineClient(t, s, "Алиса")
	_, rb := lineClient(t, s, "小明")
	expectLine(t, ra, "小明 joined!")
	fmt.Fprintf(a, "привет, 小明\n")
	expectLine(t, ra, "Алиса: привет, 小明")
	expectLine(t, rb, "Алиса: привет, 小明")
	// Garbage is made harmless: invalid UTF-8 and an escape sequence.
	a.Write([]byte("bad \xff\xfe \x1b[2J end\n"))
	expectLine(t, rb, "Алиса: bad \uFFFD \uFFFD[2J end") // a run of bad bytes is one U+FFFD
	a.Close()
	expectLine(t, rb, "Алиса left!")
}

func TestNicknames(t *testing.T) {
	s := start(t)
	lineClient(t, s, "jack")
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	read := func(n int) string {
		b := make([]byte, n)
		io.ReadFull(r, b)
		return string(b)
	}
	if read(4) != "NICK" {
		t.Fatal("no NICK")
	}
	fmt.Fprintf(c, "JACK\n")
	if line, _ := r.ReadString('\n'); !strings.Contains(line, "is taken") {
		t.Fatalf("duplicate nick: %q", line)
	}
	if read(4) != "NICK" {
		t.Fatal("no second NICK")
	}
	fmt.Fprintf(c, "no spaces allowed\n")
	if line, _ := r.ReadString('\n'); !strings.Contains(line, "1 to 32") {
		t.Fatalf("invalid nick: %q", line)
	}
	read(4)
	fmt.Fprintf(c, "molly\n")
	line, _ := r.ReadString('\n')
	if line != "molly joined!\n" {
		t.Fatalf("third try: %q", line)
	}
}

// TestStalledClient: one client never reads; 100 others each send 10
// messages and every one of them gets all 1,000, each sender's in order.
func TestStalledClient(t *testing.T) {
	s := start(t)
	staller, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer staller.Close()
	io.ReadFull(staller, make([]byte, 4))
	staller.Write([]byte("staller\n")) // and never reads again

	const clients, msgs = 100, 10
	type member struct {
		c net.Conn
		r *bufio.Reader
	}
	ms := make([]member, clients)
	for i := range ms {
		c, r := lineClient(t, s, "c"+strconv.Itoa(i))
		ms[i] = member{c, r}
	}
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := make([]int, clients) // the next message number expected from each sender
			got := 0
			for got < clients*msgs {
				line, err := m.r.ReadString('\n')
				if err != nil {
					errs <- fmt.Errorf("c%d after %d messages: %w", i, got, err)
					return
				}
				var from, n int
				if _, err := fmt.Sscanf(line, "c%d: m%d\n", &from, &n); err != nil {
					continue // joins and the staller's departure
				}
				if n != next[from] {
					errs <- fmt.Errorf("c%d got m%d from c%d, expected m%d", i, n, from, next[from])
					return
				}
				next[from]++
				got++
			}
		}()
	}
	for _, m := range ms {
		go func() {
			for k := 0; k < msgs; k++ {
				fmt.Fprintf(m.c, "m%d\n", k)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestClassicClient runs the homework's own client code (three of them:
// jack, molly and bob) against the server. Each step waits for what the
// clients print, never for time: a client sends a line of its standard
// input as one message, as the homework's write() does with input().
func TestClassicClient(t *testing.T) {
	py := testenv.Python3(t)
	s := start(t)
	port := s.Addr().(*net.TCPAddr).Port
	script := `import socket, sys, threading
nickname = sys.argv[1]
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(('127.0.0.1', ` + strconv.Itoa(port) + `))
def receive():
    while True:
        message = client.recv(1024).decode('ascii')
        if message == 'NICK': client.send(nickname.encode('ascii'))
        elif message == '': break
        else: print(message, flush=True)
threading.Thread(target=receive, daemon=True).start()
for line in sys.stdin:
    client.send(f'{nickname}: {line.strip()}'.encode('ascii'))
client.close()
`
	nicks := []string{"jack", "molly", "bob"}
	clients := make([]*pyClient, len(nicks))
	for i, nick := range nicks {
		clients[i] = startPy(t, py, script, nick)
		clients[i].waitFor(t, "Connected to server!")
		clients[i].waitFor(t, nick+" joined!")
		for _, earlier := range clients[:i] {
			earlier.waitFor(t, nick+" joined!")
		}
	}
	for i, c := range clients {
		fmt.Fprintf(c.stdin, "hello from %s\n", nicks[i])
	}
	for _, c := range clients {
		for _, nick := range nicks {
			c.waitFor(t, nick+": hello from "+nick)
		}
	}
	for _, c := range clients {
		c.stdin.Close()
		c.waitEnd()
		if err := c.cmd.Wait(); err != nil {
			t.Errorf("%v:\n%s", err, c.output())
		}
	}
}

// pyClient is a running Python client and what it has printed.
type pyClient struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	mu    sync.Mutex
	cond  sync.Cond
	out   strings.Builder
	ended bool // its output is closed
}

func startPy(t *testing.T, py, script string, args ...string) *pyClient {
	t.Helper()
	c := &pyClient{cmd: exec.Command(py, append([]string{"-c", script}, args...)...)}
	c.cond.L = &c.mu
	var err error
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.cmd.Stderr = c.cmd.Stdout
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.cmd.Process.Kill() })
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := out.Read(buf)
			c.mu.Lock()
			c.out.Write(buf[:n])
			c.ended = err != nil
			c.cond.Broadcast()
			c.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return c
}

// waitFor waits until the client has printed want, failing if its output
// ends first.
func (c *pyClient) waitFor(t *testing.T, want string) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for !strings.Contains(c.out.String(), want) {
		if c.ended {
			t.Fatalf("%s ended without printing %q:\n%s", c.cmd.Args[len(c.cmd.Args)-1], want, c.out.String())
		}
		c.cond.Wait()
	}
}

// waitEnd waits until the client's output is closed: it has ended.
func (c *pyClient) waitEnd() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for !c.ended {
		c.cond.Wait()
	}
}

func (c *pyClient) output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

// TestHostileClients: a reset in the middle of a line, a line far over
// 4 KiB, and a client that never gives a nickname leave the room
// working.
func TestHostileClients(t *testing.T) {
	s := &chat.Server{Net: netenv.Kernel{}, NickTimeout: 200 * time.Millisecond}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, ra := lineClient(t, s, "a")

	silent, err := net.Dial("tcp", s.Addr().String()) // never answers NICK
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()

	rude, _ := lineClient(t, s, "rude")
	expectLine(t, ra, "rude joined!")
	rude.Write([]byte("half a li"))
	rude.(*net.TCPConn).SetLinger(0)
	rude.Close() // RST mid-line
	expectLine(t, ra, "rude left!")

	long, _ := lineClient(t, s, "long")
	expectLine(t, ra, "long joined!")
	long.Write([]byte(strings.Repeat("x", 10000) + "\n"))
	expectLine(t, ra, "long: "+strings.Repeat("x", chat.MaxMessage)+chat.CutMarker)

	// The silent client is let go (the server closes it); the room
	// still works.
	if got, err := io.ReadAll(silent); string(got) != "NICK" || err != nil {
		t.Fatalf("the silent client got %q, %v", got, err)
	}
	_, rb := lineClient(t, s, "b")
	fmt.Fprintf(long, "still here\n")
	for {
		l, err := rb.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if l == "long: still here\n" {
			break
		}
	}
}

// lines reads r's lines in the background, as a client that keeps up
// does (a pipe's writer waits for its reader).
func lines(r *bufio.Reader) <-chan string {
	ch := make(chan string, 16)
	go func() {
		defer close(ch)
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return
			}
			ch <- strings.TrimSuffix(l, "\n")
		}
	}()
	return ch
}

// hear fails unless the next line on ch is want.
func hear(t *testing.T, ch <-chan string, want string) {
	t.Helper()
	if got := <-ch; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestMessages: the lines meant for people are the server's Messages
// when set, the English defaults when not; the protocol's words stay.
func TestMessages(t *testing.T) {
	ru := chat.Messages{
		Full:      "Чат переполнен.",
		BadNick:   "Ник: от 1 до 32 букв.",
		NickTaken: func(nick string) string { return "Ник " + nick + " занят." },
		Dropped:   func(nick string) string { return nick + " отключён: не читает." },
	}
	for _, tt := range []struct {
		name                      string
		m                         chat.Messages
		full, bad, taken, dropped string
	}{
		{"default", chat.Messages{}, chat.ServerFull, "Nickname must be 1 to 32 letters, digits, _ or -.", "Nickname JACK is taken.", "staller was disconnected: not reading."},
		{"ru", ru, "Чат переполнен.", "Ник: от 1 до 32 букв.", "Ник JACK занят.", "staller отключён: не читает."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &chat.Pipes{}
			s := &chat.Server{Net: p, MaxClients: 3, WriteTimeout: 10 * time.Millisecond, Messages: tt.m}
			if err := s.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			_, rj := pipeMember(t, p, "jack")
			jack := lines(rj)

			// Refused nicknames, then one that joins.
			c := p.Dial()
			defer c.Close()
			r := bufio.NewReader(c)
			greet := func() {
				t.Helper()
				b := make([]byte, len(chat.Greeting))
				if _, err := io.ReadFull(r, b); err != nil || string(b) != chat.Greeting {
					t.Fatalf("greeting %q, %v", b, err)
				}
			}
			greet()
			fmt.Fprintf(c, "JACK\n")
			expectLine(t, r, tt.taken)
			greet()
			fmt.Fprintf(c, "no spaces\n")
			expectLine(t, r, tt.bad)
			greet()
			fmt.Fprintf(c, "molly\n")
			molly := lines(r)
			hear(t, molly, "molly"+chat.JoinedSuffix)
			hear(t, molly, chat.Welcome)
			hear(t, jack, "molly"+chat.JoinedSuffix)

			// A member that never reads is cut off, told to the others.
			st := p.Dial()
			defer st.Close()
			io.ReadFull(st, make([]byte, len(chat.Greeting)))
			fmt.Fprintf(st, "staller\n") // and never reads again
			for _, ch := range []<-chan string{jack, molly} {
				hear(t, ch, "staller"+chat.JoinedSuffix)
				hear(t, ch, tt.dropped)
			}

			// The room is full at three: a fourth is told so.
			_, rb := pipeMember(t, p, "bob")
			go io.Copy(io.Discard, rb)
			extra := p.Dial()
			defer extra.Close()
			if got, _ := io.ReadAll(extra); string(got) != tt.full+"\n" {
				t.Errorf("a client too many got %q, want %q", got, tt.full+"\n")
			}
		})
	}
}
