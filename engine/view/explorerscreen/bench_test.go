package explorerscreen_test

import (
	"context"
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"

	"wiretutor/content"
	"wiretutor/engine/testkit/benchdata"
	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/view/explorer"
	"wiretutor/engine/view/explorerscreen"
)

// BenchmarkScroll500k is one step through the packet list of a capture
// of half a million packets: a key (Page Down) and the screen drawn
// after it, at 120×40. The frame's details come later, from the cursor,
// and are not timed here (see BenchmarkExplorer500k).
func BenchmarkScroll500k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "500k.pcap")
	if _, err := benchdata.Write(path, testenv.Testdata("echo-lab.pcap"), 500_000); err != nil {
		b.Fatal(err)
	}
	tx, err := i18n.Load(content.FS, "en")
	if err != nil {
		b.Fatal(err)
	}
	x, err := explorer.Open(explorer.File(path))
	if err != nil {
		b.Fatal(err)
	}
	for done, _ := x.Done(); !done; done, _ = x.Done() {
		<-x.Changed()
	}
	c, err := explorer.NewCursor(explorer.File(path))
	if err != nil {
		b.Fatal(err)
	}
	var m tea.Model = explorerscreen.New(context.Background(), x, c, explorerscreen.Options{Texts: tx, Explain: func(err error) string { return err.Error() }})
	defer m.(explorerscreen.Model).Close()
	m, _ = m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	b.ResetTimer()
	for range b.N {
		m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
		_ = m.(explorerscreen.Model).Render()
	}
}
