package i18n_test

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"testing/fstest"

	"wiretutor/content"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/message"
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
		{"the first set decides", "", "", map[string]string{"LC_ALL": "de_DE.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"},
		{"C locale", "", "", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"C in LC_ALL wins over LANG", "", "", map[string]string{"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "en"},
		{"nothing set", "", "", nil, "en"},
		{"tag form", "zh-Hans", "", nil, "zh"},
		{"a flag for no language: the saved one", "xx", "ru", nil, "ru"},
		{"a saved language since removed: the environment", "", "pt-BR", map[string]string{"LANG": "zh_CN.UTF-8"}, "zh"},
		{"Traditional is not given Simplified", "", "", map[string]string{"LANG": "zh_TW.UTF-8"}, "en"},
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

// TestNormalize: a locale or tag reaches the folder its reader wants,
// as x/text's matcher has it, or none.
func TestNormalize(t *testing.T) {
	three := []string{"en", "ru", "zh"}
	five := []string{"en", "pt-BR", "ru", "zh", "zh-Hant"}
	serbian := []string{"en", "sr", "sr-Latn"}
	tests := []struct {
		in   string
		have []string
		want string
	}{
		{"zh_TW.UTF-8", five, "zh-Hant"},
		{"zh_TW.UTF-8", three, ""}, // Low: Simplified is no fallback for Traditional
		{"zh-HK", five, "zh-Hant"},
		{"zh-HK", three, ""},
		{"zh_CN.GB18030", five, "zh"},
		{"zh_SG", three, "zh"},
		{"zh-Hans", five, "zh"},
		{"zh-Hant", three, ""},
		{"pt_BR", five, "pt-BR"},
		{"pt_BR.UTF-8", five, "pt-BR"},
		{"pt_PT.UTF-8", five, "pt-BR"}, // all the Portuguese there is
		{"pt", five, "pt-BR"},
		{"pt_BR", three, ""},
		{"ru_RU.UTF-8", three, "ru"},
		{"ru_UA.KOI8-U", three, "ru"},
		{"RU", three, "ru"},
		{" ru ", three, "ru"},
		{"uk_UA.UTF-8", three, ""}, // Ukrainian is not Russian
		{"en_US.UTF-8", three, "en"},
		{"en_GB", three, "en"},
		{"en_US@euro", three, "en"},
		{"de_DE.UTF-8", five, ""},
		{"sr_RS.UTF-8@latin", serbian, "sr-Latn"},
		{"sr_RS.UTF-8", serbian, "sr"},
		{"C", five, ""},
		{"C.UTF-8", five, ""},
		{"POSIX", five, ""},
		{"", five, ""},
		{"und", five, ""},
		{"x-klingon", five, ""},
		{"Notes", five, ""},
		{"_.@", five, ""},
	}
	for _, tt := range tests {
		if got := i18n.Normalize(tt.in, tt.have); got != tt.want {
			t.Errorf("Normalize(%q, %v) = %q, want %q", tt.in, tt.have, got, tt.want)
		}
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
		"pt-BR/ui.toml":     ui, // a region
		"zh-Hant/ui.toml":   ui, // a script
		"fr/lesson.md":      {Data: []byte("no ui.toml: not a language yet")},
		"Notes/ui.toml":     ui, // not a language tag
		"TRANSLATING.md":    {Data: []byte("a file, not a folder")},
		"pt_PT/ui.toml":     ui, // a tag, but not as written: see Misnamed
		"zh-hans/ui.toml":   ui,
		"iw/ui.toml":        ui, // Hebrew's old code
		"en_backup/ui.toml": ui,
		"und/ui.toml":       ui, // no language
		"x-test/ui.toml":    ui, // private use, no language
		"xx/ui.toml":        ui, // no such language
	}
	if got, want := i18n.Available(fsys), []string{"en", "de", "pt-BR", "ru", "zh", "zh-Hant"}; !slices.Equal(got, want) {
		t.Errorf("Available = %v, want %v", got, want)
	}
	if got, want := i18n.Misnamed(fsys), map[string]string{"pt_PT": "pt-PT", "zh-hans": "zh-Hans", "iw": "he"}; !maps.Equal(got, want) {
		t.Errorf("Misnamed = %v, want %v", got, want)
	}
	for _, lang := range []string{"fr", "pt_PT", "Notes", "pt"} {
		if _, err := i18n.Load(fsys, lang); !errors.Is(err, i18n.ErrUnknownLanguage) {
			t.Errorf("Load(%s) = %v, want ErrUnknownLanguage", lang, err)
		}
	}
	for _, lang := range []string{"de", "pt-BR", "zh-Hant"} {
		if _, err := i18n.Load(fsys, lang); err != nil {
			t.Errorf("Load(%s): %v: a folder with a ui.toml is a language", lang, err)
		}
	}
	if got := i18n.Available(fstest.MapFS{}); !slices.Equal(got, []string{"en"}) {
		t.Errorf("Available of an empty tree = %v", got)
	}
}

// TestRegionalLanguage: a language with a region or script has its own
// messages and its language's plural forms, and falls back to English
// for what it lacks.
func TestRegionalLanguage(t *testing.T) {
	en := "[pkts]\none = \"{{.Count}} packet\"\nother = \"{{.Count}} packets\"\n[only_en]\nother = \"English\"\n" +
		"[language]\nname = \"English\"\n"
	fsys := fstest.MapFS{
		"en/ui.toml":      {Data: []byte(en)},
		"ru-RU/ui.toml":   {Data: []byte("[pkts]\none = \"{{.Count}} пакет\"\nfew = \"{{.Count}} пакета\"\nmany = \"{{.Count}} пакетов\"\nother = \"{{.Count}} пакета\"\n")},
		"pt-BR/ui.toml":   {Data: []byte("[pkts]\none = \"{{.Count}} pacote\"\nother = \"{{.Count}} pacotes\"\n[language]\nname = \"Português (Brasil)\"\n")},
		"pt-PT/ui.toml":   {Data: []byte("[pkts]\none = \"{{.Count}} pacote\"\nother = \"{{.Count}} pacotes\"\n")},
		"zh-Hant/ui.toml": {Data: []byte("[pkts]\nother = \"{{.Count}} 個封包\"\n")},
	}
	tests := []struct {
		lang  string
		count int
		want  string
	}{
		{"ru-RU", 1, "1 пакет"},
		{"ru-RU", 3, "3 пакета"},
		{"ru-RU", 5, "5 пакетов"},
		{"ru-RU", 21, "21 пакет"},
		{"pt-BR", 0, "0 pacote"}, // Brazilian: 0 and 1 are "one"
		{"pt-BR", 2, "2 pacotes"},
		{"pt-PT", 0, "0 pacotes"}, // European: only 1 is
		{"pt-PT", 1, "1 pacote"},
		{"zh-Hant", 1, "1 個封包"},
	}
	for _, tt := range tests {
		c, err := i18n.Load(fsys, tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.N("pkts", tt.count, nil); got != tt.want {
			t.Errorf("%s N(%d) = %q, want %q", tt.lang, tt.count, got, tt.want)
		}
		if got := c.T("only_en", nil); got != "English" {
			t.Errorf("%s: a missing message should be English, got %q", tt.lang, got)
		}
		if c.Lang() != tt.lang || c.Translated("only_en") || !c.Translated("pkts") {
			t.Errorf("%s: Lang %q, Translated only_en %v, pkts %v", tt.lang, c.Lang(), c.Translated("only_en"), c.Translated("pkts"))
		}
	}
	c, err := i18n.Load(fsys, "pt-BR")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T("language.name", nil); got != "Português (Brasil)" {
		t.Errorf("language.name = %q", got)
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
		{"ru-RU", []string{"one", "few", "many", "other"}},
		{"ru-UA", []string{"one", "few", "many", "other"}},
		{"zh-Hant", []string{"other"}},
		{"zh-Hant-TW", []string{"other"}},
		{"pt-BR", []string{"one", "other"}},
	}
	for _, tt := range tests {
		if got := i18n.PluralForms(tt.lang); !slices.Equal(got, tt.want) {
			t.Errorf("PluralForms(%s) = %v, want %v", tt.lang, got, tt.want)
		}
	}
}

// Content that can hurt: a message a translator wrote is never run by
// text/template, and one that cannot be filled in falls back to English,
// else to its text as written; never "<no value>", never a hang.
func TestHostileMessages(t *testing.T) {
	en := "greet = \"Hello {{.Name}}\"\n" +
		"plain = \"Plain\"\n" +
		"[pkts]\none = \"{{.Count}} packet\"\nother = \"{{.Count}} packets\"\n" +
		"[notice.messages_english]\none = \"{{.Count}} broken in {{.File}}\"\nother = \"{{.Count}} broken in {{.File}}\"\n" +
		"[notice.messages_raw]\none = \"{{.Count}} raw in {{.File}}\"\nother = \"{{.Count}} raw in {{.File}}\"\n"
	tests := []struct {
		name, ru string
		want     string // T("greet", Name: Ann)
	}{
		{"sound", `greet = "Привет, {{.Name}}"`, "Привет, Ann"},
		{"nested range", `greet = "{{range 100000}}{{range 100000}}x{{end}}{{end}}"`, "Hello Ann"},
		{"template", `greet = "{{template \"x\"}}"`, "Hello Ann"},
		{"recursive define", `greet = "{{define \"x\"}}{{template \"x\"}}{{end}}{{template \"x\"}}"`, "Hello Ann"},
		{"call", `greet = "{{call .Name}}"`, "Hello Ann"},
		{"if", `greet = "{{if .Name}}Привет{{end}}"`, "Hello Ann"},
		{"pipe", `greet = "{{.Name | printf \"%s\"}}"`, "Hello Ann"},
		{"misspelt placeholder", `greet = "Привет, {{.Nmae}}"`, "Hello Ann"},
		{"syntax", `greet = "Привет, {{.Name"`, "Hello Ann"},
		{"comment", `greet = "Привет{{/* {{.Secret}} */}}"`, "Hello Ann"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"en/ui.toml": {Data: []byte(en)},
				"ru/ui.toml": {Data: []byte(tt.ru + "\nplain = \"Просто\"\n")},
			}
			c, err := i18n.Load(fsys, "ru")
			if err != nil {
				t.Fatal(err)
			}
			if got := c.T("greet", map[string]any{"Name": "Ann"}); got != tt.want {
				t.Errorf("T = %q, want %q", got, tt.want)
			}
			if got := c.T("plain", nil); got != "Просто" {
				t.Errorf("a sound message beside a broken one: %q", got)
			}
			broken := tt.want != "Привет, Ann"
			if got := c.Translated("greet"); got == broken {
				t.Errorf("Translated = %v", got)
			}
			notices := c.Notices()
			if broken && (len(notices) != 1 || notices[0] != "1 broken in ru/ui.toml") {
				t.Errorf("notices %q", notices)
			}
			if !broken && len(notices) != 0 {
				t.Errorf("notices %q for a sound file", notices)
			}
		})
	}
}

func TestBrokenEnglish(t *testing.T) {
	fsys := fstest.MapFS{
		"en/ui.toml": {Data: []byte("greet = \"Hello {{.Name}\"\nrange = \"{{range 100000}}{{range 100000}}x{{end}}{{end}}\"\nport = \"port {{.Port}}\"\n" +
			"[pkts]\none = \"{{.Count}} packet\"\nother = \"{{.Count}} packets {{.Nope}}\"\n" +
			"[notice.messages_raw]\none = \"{{.Count}} raw in {{.File}}\"\nother = \"{{.Count}} raw in {{.File}}\"\n")},
	}
	c, err := i18n.Load(fsys, "en")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ got, want string }{
		{c.T("greet", map[string]any{"Name": "Ann"}), "Hello {{.Name}"},
		{c.T("range", nil), "{{range 100000}}{{range 100000}}x{{end}}{{end}}"},
		{c.T("port", nil), "port {{.Port}}"}, // the value is missing: shown as written
		{c.T("port", map[string]any{"Port": 80}), "port 80"},
		{c.N("pkts", 1, nil), "1 packet"},
		{c.N("pkts", 2, nil), "{{.Count}} packets {{.Nope}}"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: %q, want %q", i, tt.got, tt.want)
		}
	}
	if n := c.Notices(); len(n) != 1 || n[0] != "2 raw in en/ui.toml" {
		t.Errorf("notices %q", n)
	}
}

// The shipped ui.toml files are sound: nothing is dropped.
func TestShippedMessages(t *testing.T) {
	for _, lang := range i18n.Available(content.FS) {
		c, err := i18n.Load(content.FS, lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range []string{lang, "en"} {
			if b := c.Broken(l); len(b) > 0 {
				t.Errorf("%s/ui.toml: broken %v", l, b)
			}
		}
	}
}

// TestMsg: a message's data may hold messages, rendered first in the
// same language, and a Count chooses the plural form.
func TestMsg(t *testing.T) {
	fsys := fstest.MapFS{
		"en/ui.toml": {Data: []byte("outer = \"Filter: {{.Why}}.\"\nwhy = \"{{.Arg}} is not a {{.Want}}\"\nwant = \"number\"\n[pkts]\none = \"{{.Count}} packet\"\nother = \"{{.Count}} packets\"\n")},
		"ru/ui.toml": {Data: []byte("outer = \"Фильтр: {{.Why}}.\"\nwhy = \"{{.Arg}} — не {{.Want}}\"\nwant = \"число\"\n[pkts]\none = \"{{.Count}} пакет\"\nfew = \"{{.Count}} пакета\"\nmany = \"{{.Count}} пакетов\"\nother = \"{{.Count}} пакета\"\n")},
	}
	nested := message.Msg{ID: "outer", Data: map[string]any{"Why": message.Msg{ID: "why", Data: map[string]any{"Arg": "x", "Want": message.Msg{ID: "want"}}}}}
	tests := []struct {
		lang string
		m    message.Msg
		want string
	}{
		{"en", nested, "Filter: x is not a number."},
		{"ru", nested, "Фильтр: x — не число."},
		{"en", message.Msg{ID: "pkts", Data: map[string]any{"Count": 1}}, "1 packet"},
		{"ru", message.Msg{ID: "pkts", Data: map[string]any{"Count": 5}}, "5 пакетов"},
		{"ru", message.Msg{ID: "pkts", Data: map[string]any{"Count": 22}}, "22 пакета"},
		{"en", message.Msg{ID: "nope"}, "nope"},
	}
	for _, tt := range tests {
		c, err := i18n.Load(fsys, tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Msg(tt.m); got != tt.want {
			t.Errorf("%s %v: got %q, want %q", tt.lang, tt.m, got, tt.want)
		}
	}
	if got, ok := nested.Data["Why"].(message.Msg).Data["Want"].(message.Msg); !ok || got.ID != "want" {
		t.Errorf("rendering changed the message's own data: %v", got)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"ru_RU.UTF-8", "zh-Hans", "RU", "C.UTF-8", "POSIX", "en_US@euro", "de_DE", "", "-", "_.@", "zh_TW.Big5", " ru ", "pt_BR", "sr_RS@latin", "x-a"} {
		f.Add(s, "ru")
	}
	f.Fuzz(func(t *testing.T, s, extra string) {
		for _, have := range [][]string{{"en"}, {"en", "ru", "zh"}, {"en", "pt-BR", "zh-Hant"}, {"en", extra}} {
			got := i18n.Normalize(s, have)
			if got != "" && !slices.Contains(have, got) {
				t.Fatalf("Normalize(%q, %q) = %q, not one of them", s, have, got)
			}
			if l := i18n.Detect(s, extra, func(string) string { return s }, have); !slices.Contains(have, l) && l != "en" {
				t.Fatalf("Detect = %q, not offered", l)
			}
		}
	})
}
