package i18n_test

import (
	"errors"
	"slices"
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
			got := i18n.Detect(tt.flag, tt.saved, func(k string) string { return tt.env[k] }, []string{"en", "ru", "zh"})
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

func TestAvailable(t *testing.T) {
	ui := &fstest.MapFile{Data: []byte("x = \"y\"\n")}
	fsys := fstest.MapFS{
		"zh/ui.toml": ui, "en/ui.toml": ui, "de/ui.toml": ui, "ru/ui.toml": ui,
		"fr/lesson.md":      {Data: []byte("no ui.toml: not a language yet")},
		"Notes/ui.toml":     ui, // not a language code
		"TRANSLATING.md":    {Data: []byte("a file, not a folder")},
		"pt-BR/ui.toml":     ui, // regions are not separate languages here
		"en_backup/ui.toml": ui,
	}
	if got, want := i18n.Available(fsys), []string{"en", "de", "ru", "zh"}; !slices.Equal(got, want) {
		t.Errorf("Available = %v, want %v", got, want)
	}
	if _, err := i18n.Load(fsys, "fr"); !errors.Is(err, i18n.ErrUnknownLanguage) {
		t.Errorf("Load(fr) = %v, want ErrUnknownLanguage", err)
	}
	if _, err := i18n.Load(fsys, "de"); err != nil {
		t.Errorf("Load(de): %v: a folder with a ui.toml is a language", err)
	}
}

func TestPluralForms(t *testing.T) {
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{"one", "other"}},
		{"ru", []string{"one", "few", "many", "other"}},
		{"zh", []string{"other"}},
		{"ar", []string{"zero", "one", "two", "few", "many", "other"}},
		{"de", []string{"one", "other"}},
	}
	for _, tt := range tests {
		if got := i18n.PluralForms(tt.lang); !slices.Equal(got, tt.want) {
			t.Errorf("PluralForms(%s) = %v, want %v", tt.lang, got, tt.want)
		}
	}
}
