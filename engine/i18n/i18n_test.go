package i18n_test

import (
	"testing"
	"testing/fstest"

	"wiretutor/engine/i18n"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name, flag, saved string
		env               map[string]string
		want              string
	}{
		{"flag wins", "ru", "zh", map[string]string{"LANG": "en_US.UTF-8"}, "ru"},
		{"saved next", "", "zh", map[string]string{"LANG": "ru_RU.UTF-8"}, "zh"},
		{"LC_ALL first", "", "", map[string]string{"LC_ALL": "zh_CN.UTF-8", "LANG": "ru_RU.UTF-8"}, "zh"},
		{"LC_MESSAGES before LANG", "", "", map[string]string{"LC_MESSAGES": "ru_RU", "LANG": "zh_CN"}, "ru"},
		{"LANG", "", "", map[string]string{"LANG": "ru_RU.UTF-8"}, "ru"},
		{"unknown language falls to English", "", "", map[string]string{"LANG": "de_DE.UTF-8"}, "en"},
		{"C locale", "", "", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"nothing set", "", "", nil, "en"},
		{"tag form", "zh-Hans", "", nil, "zh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := i18n.Detect(tt.flag, tt.saved, func(k string) string { return tt.env[k] })
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRussianPlurals(t *testing.T) {
	fsys := fstest.MapFS{
		"en/ui.toml": {Data: []byte("[pkts]\none = \"{{.Count}} packet\"\nother = \"{{.Count}} packets\"\n[only_en]\nother = \"English\"\n")},
		"ru/ui.toml": {Data: []byte("[pkts]\none = \"{{.Count}} пакет\"\nfew = \"{{.Count}} пакета\"\nmany = \"{{.Count}} пакетов\"\nother = \"{{.Count}} пакета\"\n")},
	}
	c, err := i18n.Load(fsys, "ru")
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]string{1: "1 пакет", 2: "2 пакета", 5: "5 пакетов", 11: "11 пакетов", 21: "21 пакет", 22: "22 пакета"} {
		if got := c.N("pkts", n, nil); got != want {
			t.Errorf("N(%d) = %q, want %q", n, got, want)
		}
	}
	if got := c.T("only_en", nil); got != "English" {
		t.Errorf("missing translation should fall back to English, got %q", got)
	}
}
