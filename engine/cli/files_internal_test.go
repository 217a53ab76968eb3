package cli

import (
	"testing"
	"time"

	"wiretutor/content"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
)

// TestProgressLineFits: the progress line fits 40 and 80 columns in
// every language (a Chinese character takes two cells), from the start
// of a transfer to its end, and keeps its bar where there is room.
func TestProgressLineFits(t *testing.T) {
	for _, lang := range []string{"en", "ru", "zh"} {
		tx, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		a := &app{tx: tx}
		for _, w := range []int{40, 80} {
			for _, done := range []int64{0, 1_500_000, 98_765_432_1, 2_000_000_000} {
				line := a.progressLine(w, done, 2_000_000_000, 3*time.Second)
				if render.Width(line) > w {
					t.Errorf("%s at %d: %q is %d cells", lang, w, line, render.Width(line))
				}
				if w == 80 && line[0] != '[' {
					t.Errorf("%s at 80: no bar in %q", lang, line)
				}
			}
		}
	}
}

func TestSizesInTheLearnersWords(t *testing.T) {
	for _, tc := range []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 999, "999 B"}, {"en", 1500, "1.5 KB"}, {"en", 20_000_000, "20.0 MB"}, {"en", 3_200_000_000, "3.2 GB"},
		{"ru", 1500, "1,5 КБ"}, {"ru", 12, "12 Б"}, {"zh", 20_000_000, "20.0 MB"},
	} {
		tx, _ := i18n.Load(content.FS, tc.lang)
		if got := (&app{tx: tx}).size(tc.n); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
	for d, want := range map[time.Duration]string{0: "0:00", 65 * time.Second: "1:05", 3725 * time.Second: "1:02:05"} {
		if got := clock(d); got != want {
			t.Errorf("clock(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestSplitTarget(t *testing.T) {
	for _, tc := range []struct{ in, addr, name string }{
		{"notes.txt", "127.0.0.1:9000", "notes.txt"},
		{"sub/a b.txt", "127.0.0.1:9000", "sub/a b.txt"},
		{"localhost:notes.txt", "localhost:9000", "notes.txt"},
		{"10.0.0.2:9100:x", "10.0.0.2:9100", "x"},
		{"[::1]:9100:x", "[::1]:9100", "x"},
		{"[::1]:x", "[::1]:9000", "x"},
		{"host:", "host:9000", ""},
		{"", "127.0.0.1:9000", ""},
		{"a:b:c:d", "", ""},
		{"[1.2.3.4]:x", "", ""},
		{":x", "", ""},
		{"h:99999:x", "", ""},
	} {
		addr, name, err := splitTarget(tc.in)
		if tc.addr == "" {
			if err == nil {
				t.Errorf("%q: took %q %q", tc.in, addr, name)
			}
			continue
		}
		if err != nil || addr != tc.addr || name != tc.name {
			t.Errorf("%q: %q %q %v, want %q %q", tc.in, addr, name, err, tc.addr, tc.name)
		}
	}
}
