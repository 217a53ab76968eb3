package explorerscreen_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/graph"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/view/explorer"
	"wiretutor/engine/view/explorerscreen"
)

var update = flag.Bool("update", false, "rewrite the golden screens")

// screen is an explorer driven key by key, every command run to its
// end before the next key, as if the reader waited for each.
type screen struct {
	t *testing.T
	m tea.Model
}

// open starts the explorer on a committed capture in lang, at w×h.
func open(t *testing.T, name, lang string, w, h int) *screen {
	t.Helper()
	return openCapture(t, explorer.File(testenv.Testdata(name)), name, lang, w, h, "")
}

// openCapture starts the explorer on c, with a filter from the start.
func openCapture(t *testing.T, c explorer.Capture, name, lang string, w, h int, filter string) *screen {
	t.Helper()
	tx, err := i18n.Load(content.FS, lang)
	if err != nil {
		t.Fatal(err)
	}
	x, err := explorer.Open(c)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := explorer.NewCursor(c)
	if err != nil {
		t.Fatal(err)
	}
	m := explorerscreen.New(context.Background(), x, cur, explorerscreen.Options{
		Mouse: true, Texts: tx, Explain: func(err error) string { return "error: " + err.Error() }, Name: name, Filter: filter,
		Graph: func(s *graph.Series, kind graph.Kind, width int) []string {
			return course.GraphLines(tx, s, kind, width)
		},
	})
	t.Cleanup(m.Close)
	s := &screen{t: t, m: explorerscreen.WithoutTicks(m)}
	s.run(s.m.Init())
	s.send(tea.WindowSizeMsg{Width: w, Height: h})
	return s
}

// run runs cmd and every command the messages it brings lead to.
func (s *screen) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			return
		default:
			var next tea.Cmd
			s.m, next = s.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// send hands the model one message and runs what follows.
func (s *screen) send(msg tea.Msg) {
	var cmd tea.Cmd
	s.m, cmd = s.m.Update(msg)
	s.run(cmd)
}

// keys presses keys: names as Bubble Tea spells them ("down", "tab",
// "enter"), or text to type, one rune a key, in a "text:" key.
func (s *screen) keys(keys ...string) {
	for _, k := range keys {
		if text, ok := strings.CutPrefix(k, "text:"); ok {
			for _, r := range text {
				s.send(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			continue
		}
		s.send(keyMsg(k))
	}
}

// keyMsg is the key press Bubble Tea reports for a key's name.
func keyMsg(name string) tea.KeyPressMsg {
	codes := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"enter": tea.KeyEnter, "tab": tea.KeyTab, "esc": tea.KeyEscape, "backspace": tea.KeyBackspace,
		"pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp, "home": tea.KeyHome, "end": tea.KeyEnd,
	}
	if c, ok := codes[name]; ok {
		return tea.KeyPressMsg{Code: c}
	}
	if k, ok := strings.CutPrefix(name, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: []rune(k)[0], Mod: tea.ModCtrl}
	}
	r := []rune(name)[0]
	return tea.KeyPressMsg{Code: r, Text: name}
}

// text is the screen without its styles.
func (s *screen) text() string {
	return ansi.Strip(s.m.(explorerscreen.Model).Render())
}

// golden compares the screen with testdata/NAME.golden (-update writes it).
func (s *screen) golden(name string) {
	s.t.Helper()
	got := s.text() + "\n"
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			s.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			s.t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		s.t.Fatalf("%v (go test -update writes it)", err)
	}
	if got != string(want) {
		s.t.Errorf("screen %s:\n%s\nwant:\n%s", name, got, want)
	}
}

// fits checks that every line of the screen is w columns wide at most
// and that there are h of them.
func (s *screen) fits(w, h int) {
	s.t.Helper()
	lines := strings.Split(s.m.(explorerscreen.Model).Render(), "\n")
	if len(lines) != h {
		s.t.Errorf("%d lines on a screen of %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			s.t.Errorf("line %d is %d columns wide on a screen of %d: %q", i, n, w, ansi.Strip(l))
		}
	}
}

// TestScreens: the explorer's screens, key by key, against golden
// frames: the first screen, a frame's details opened and a field picked
// in the bytes, the filter bar right and wrong, a followed stream and
// the statistics, in every language, at 80×24 and 120×40.
func TestScreens(t *testing.T) {
	tests := []struct {
		name, file, lang string
		w, h             int
		keys             []string
	}{
		{"first-en", "echo-lab.pcap", "en", 80, 24, nil},
		{"first-ru", "echo-lab.pcap", "ru", 80, 24, nil},
		{"first-zh", "echo-lab.pcap", "zh", 80, 24, nil},
		{"wide-en", "http-python.pcap", "en", 120, 40, []string{"end"}},
		{"details-en", "echo-lab.pcap", "en", 80, 24, []string{"down", "down", "down", "tab", "down", "down", "down", "right", "down", "down"}},
		{"bytes-ru", "echo-lab.pcap", "ru", 80, 24, []string{"tab", "tab", "down", "down", "right", "right"}},
		{"filter-good-en", "echo-lab.pcap", "en", 80, 24, []string{"/", "text:tcp.flags.syn == 1"}},
		{"filter-bad-ru", "echo-lab.pcap", "ru", 80, 24, []string{"/", "text:tcp.flags.syn == Алиса"}},
		{"filter-bad-zh", "echo-lab.pcap", "zh", 80, 24, []string{"/", "text:tcp.prot == 1"}},
		{"filtered-zh", "echo-lab.pcap", "zh", 80, 24, []string{"/", "text:tcp.flags.syn == 1", "enter"}},
		{"follow-en", "echo-lab.pcap", "en", 80, 24, []string{"down", "down", "down", "f"}},
		{"follow-udp-ru", "echo-lab.pcap", "ru", 80, 24, []string{"end", "up", "f"}},
		{"ladder-ru", "echo-lab.pcap", "ru", 80, 24, []string{"l"}},
		{"stats-zh", "echo-lab.pcap", "zh", 80, 24, []string{"s"}},
		{"help-ru", "echo-lab.pcap", "ru", 80, 24, []string{"?"}},
		{"graph-en", "bulk-zerowin.pcap", "en", 80, 24, []string{"t"}},
		{"graph-rtt-zh", "bulk-zerowin.pcap", "zh", 80, 24, []string{"t", "tab", "tab"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t, tt.file, tt.lang, tt.w, tt.h)
			s.keys(tt.keys...)
			s.fits(tt.w, tt.h)
			s.golden(tt.name)
		})
	}
}

// TestFilterSelectsTsharksFrames: a filter applied in the bar lists the
// frames tshark -Y selects (testdata/display-filters.expected).
func TestFilterSelectsTsharksFrames(t *testing.T) {
	data, err := os.ReadFile(testenv.Testdata("display-filters.expected"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 3 || f[1] != "echo-lab.pcap" || checked >= 12 {
			continue
		}
		checked++
		s := open(t, "echo-lab.pcap", "en", 80, 24)
		s.keys("/", "text:"+f[0], "enter")
		m := s.m.(explorerscreen.Model)
		if got := fmtInts(explorerscreen.Shown(m)); got != f[2] {
			t.Errorf("%s: frames %s, tshark %s", f[0], got, f[2])
		}
	}
	if checked == 0 {
		t.Fatal("no filter of echo-lab.pcap in display-filters.expected")
	}
}

// fmtInts writes numbers with commas.
func fmtInts(ns []int) string {
	var b strings.Builder
	for i, n := range ns {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// TestBytePicksItsField: a byte selected in the bytes pane selects the
// line of the field it is part of, and that line's bytes are the ones
// tshark gives the field.
func TestBytePicksItsField(t *testing.T) {
	s := open(t, "echo-lab.pcap", "en", 80, 24)
	s.keys("tab", "tab")
	for range 34 + 2 { // the first byte of the TCP destination port
		s.keys("right")
	}
	m := s.m.(explorerscreen.Model)
	n, ok := explorerscreen.SelectedLine(m)
	if !ok || !strings.HasPrefix(n.Text, "Destination Port: 10000") || n.Off != 36 || n.Len != 2 {
		t.Errorf("byte 36 selects %+v", n)
	}
}

// TestQuitAndErrors: q quits; a file cut short says so once its good
// frames are listed.
func TestQuitAndErrors(t *testing.T) {
	s := open(t, "echo-lab.pcap", "en", 80, 24)
	_, cmd := s.m.Update(keyMsg("q"))
	if cmd == nil {
		t.Fatal("q does nothing")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("q does not quit")
	}
	data, err := os.ReadFile(testenv.Testdata("echo-lab.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	if err := os.WriteFile(cut, data[:len(data)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	x, err := explorer.Open(explorer.File(cut))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for done, _ := x.Done(); !done; done, _ = x.Done() {
		<-x.Changed()
	}
	if _, err := x.Done(); !errors.Is(err, capture.ErrTruncated) || x.Count() != 11 {
		t.Errorf("a file cut in frame 12: %d frames, %v", x.Count(), err)
	}
}

// TestLiveCapture: on a capture that grows while the explorer shows it,
// with a filter from the start (capture --view -Y), the list ends with
// the frames tshark selects, whether each came before the filter's pass
// or after it (then the index tests it): the frames arrive while the
// explorer starts, in whatever order the two meet.
func TestLiveCapture(t *testing.T) {
	f, err := capture.Open(testenv.Testdata("echo-lab.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := explorer.NewGrowing("lo", f.LinkType(), f.Precision())
	add := func(n int) {
		for range n {
			data, ci, err := f.ReadPacketData()
			if err != nil {
				panic(err)
			}
			g.Add(ci, data)
		}
	}
	add(4)
	go func() {
		add(8)
		g.End(nil)
	}()
	s := openCapture(t, g, "lo", "en", 80, 24, "tcp.flags.syn == 1 || udp")
	if got := fmtInts(explorerscreen.Shown(s.m.(explorerscreen.Model))); got != "1,2,11,12" {
		t.Errorf("live and filtered: frames %s, tshark 1,2,11,12", got)
	}
	if text := s.text(); !strings.Contains(text, "12 frames · tcp.flags.syn == 1 || udp: 4 shown") {
		t.Errorf("the title:\n%s", text)
	}
}

// TestMouse: a click on a row of the list selects its frame, a click on
// a line of the details selects it (and a second click opens it), a
// click on a byte selects its field, and the wheel moves through the
// list three rows a notch.
func TestMouse(t *testing.T) {
	s := open(t, "echo-lab.pcap", "en", 80, 24)
	click := func(x, y int) { s.send(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft}) }
	click(10, 4) // the third row of the list, under the title and the column titles
	m := s.m.(explorerscreen.Model)
	if n, ok := explorerscreen.SelectedLine(m); !ok || !strings.HasPrefix(n.Text, "Frame 3:") {
		t.Fatalf("a click on the third row: %+v", n)
	}
	click(10, 13) // the details' fourth line: TCP
	click(10, 13) // again: it opens
	if !strings.Contains(s.text(), "    Source Port: 41950") {
		t.Errorf("two clicks on the TCP line do not open it:\n%s", s.text())
	}
	click(hexStart+3*4, 19) // byte 0x24 in the third bytes row: the destination port
	if n, _ := explorerscreen.SelectedLine(s.m.(explorerscreen.Model)); !strings.HasPrefix(n.Text, "Destination Port") {
		t.Errorf("a click on byte 0x24 selects %q", n.Text)
	}
	s.send(tea.MouseWheelMsg{X: 10, Y: 4, Button: tea.MouseWheelDown})
	if n, _ := explorerscreen.SelectedLine(s.m.(explorerscreen.Model)); !strings.HasPrefix(n.Text, "Frame 6:") {
		t.Errorf("the wheel over the list moves from frame 3 to %q, want frame 6", n.Text)
	}
}

// hexStart is the column where a bytes row's hex starts.
const hexStart = 6

// TestBottomLinesFit: the lines of keys at the bottom of each screen
// fit 80 columns in every language, so that none is cut at 80×24.
func TestBottomLinesFit(t *testing.T) {
	for _, lang := range []string{"en", "ru", "zh"} {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"view.hint", "view.back", "view.graph.keys"} {
			if w := ansi.StringWidth(" " + tx.T(id, nil)); w > 80 {
				t.Errorf("%s %s: %d columns", lang, id, w)
			}
		}
	}
}

// TestFilterBar: Tab completes a field name (to the name when one field
// starts so, as far as they agree and offering them when several do),
// the bar opens on the filter applied, to edit, ↑ recalls the filter
// applied before, Esc clears the filter, and a filter that does not
// compile is not applied.
func TestFilterBar(t *testing.T) {
	s := open(t, "echo-lab.pcap", "en", 80, 24)
	bottom := func() string {
		lines := strings.Split(s.text(), "\n")
		return strings.TrimSpace(lines[len(lines)-2]) + " | " + strings.TrimSpace(lines[len(lines)-1])
	}
	s.keys("/", "text:tcp.flags.sy", "tab")
	if got := bottom(); !strings.HasSuffix(got, "Filter: tcp.flags.syn") {
		t.Errorf("Tab on tcp.flags.sy: %q", got)
	}
	s.keys("text:== 1", "enter")
	if got := fmtInts(explorerscreen.Shown(s.m.(explorerscreen.Model))); got != "1,2" {
		t.Errorf("tcp.flags.syn == 1 shows %s", got)
	}
	s.keys("/", "ctrl+u", "text:tcp.s", "tab")
	if got := bottom(); !strings.Contains(got, "tcp.seq") || !strings.Contains(got, "tcp.srcport") || !strings.HasSuffix(got, "Filter: tcp.s") {
		t.Errorf("Tab on tcp.s offers: %q", got)
	}
	s.keys("esc", "/", "up")
	if got := bottom(); !strings.HasSuffix(got, "Filter: tcp.flags.syn == 1") {
		t.Errorf("↑ recalls %q", got)
	}
	s.keys("text: &&", "enter")
	if got := bottom(); !strings.Contains(got, "Column") {
		t.Errorf("a broken filter: %q", got)
	}
	s.keys("esc")
	if got := len(explorerscreen.Shown(s.m.(explorerscreen.Model))); got != 12 {
		t.Errorf("Esc leaves %d frames shown, want all 12", got)
	}
}

// TestEveryTextTranslated: every ui.toml id the screen's code names
// (view.…) is in every language's ui.toml, so that no id is ever shown
// in its place.
func TestEveryTextTranslated(t *testing.T) {
	ids := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`"(view\.[a-z_.]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			ids[m[1]] = true
		}
	}
	if len(ids) < 30 {
		t.Fatalf("only %d ids found", len(ids))
	}
	for _, lang := range []string{"en", "ru", "zh"} {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		for id := range ids {
			if !tx.Has(id) || !tx.Translated(id) && lang != "en" {
				t.Errorf("%s: %s is missing", lang, id)
			}
		}
	}
}
