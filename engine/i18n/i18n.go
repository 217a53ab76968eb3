// Package i18n finds the learner's language and looks up the strings the
// program prints in content/<lang>/ui.toml, with CLDR plural forms
// (1 пакет, 2 пакета, 5 пакетов).
package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Available returns the languages a content tree is written in: every
// top-level folder with a ui.toml whose name is a language code ("en",
// "ru", "zh", "de"), English first (it is the reference and the
// fallback), the others sorted. A translator adds a language by adding
// its folder; no Go changes.
func Available(fsys fs.FS) []string {
	ents, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return []string{"en"}
	}
	have := []string{"en"}
	for _, e := range ents {
		name := e.Name()
		if !e.IsDir() || name == "en" || !codeRE.MatchString(name) {
			continue
		}
		if _, err := fs.Stat(fsys, name+"/ui.toml"); err == nil {
			have = append(have, name)
		}
	}
	slices.Sort(have[1:])
	return have
}

var codeRE = regexp.MustCompile(`^[a-z]{2,3}$`)

// Detect picks the language from those the course has: the flag, else
// the saved choice, else the first of LC_ALL, LC_MESSAGES and LANG that
// is set, else English. getenv is os.Getenv outside tests.
func Detect(flag, saved string, getenv func(string) string, have []string) string {
	for _, l := range []string{flag, saved} {
		if l = Normalize(l, have); l != "" {
			return l
		}
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		val := getenv(v)
		if val == "" {
			continue
		}
		// The first variable that is set decides, as in POSIX.
		if l := Normalize(val, have); l != "" {
			return l
		}
		return "en"
	}
	return "en"
}

// Normalize maps a locale or tag ("ru_RU.UTF-8", "zh-Hans", "RU") to one
// of the languages in have, or "" when it names none of them.
func Normalize(s string, have []string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	s = strings.ReplaceAll(s, "_", "-")
	if s == "" || s == "c" || s == "posix" {
		return ""
	}
	base := s
	if i := strings.IndexByte(s, '-'); i >= 0 {
		base = s[:i]
	}
	if slices.Contains(have, base) {
		return base
	}
	return ""
}

// PluralForms returns the CLDR plural categories a language's messages
// need ("one", "few", "many", "other" for Russian; "other" for Chinese).
func PluralForms(lang string) []string {
	// The forms whole numbers take, found by trying them, and "other",
	// which go-i18n falls back on (and fractions take in Russian).
	tag := language.Make(lang)
	seen := map[plural.Form]bool{plural.Other: true}
	for n := range 1000 {
		seen[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)] = true
	}
	var forms []string
	for _, f := range []struct {
		form plural.Form
		name string
	}{{plural.Zero, "zero"}, {plural.One, "one"}, {plural.Two, "two"}, {plural.Few, "few"}, {plural.Many, "many"}, {plural.Other, "other"}} {
		if seen[f.form] {
			forms = append(forms, f.name)
		}
	}
	return forms
}

// Catalog holds the UI strings of one language, with English beneath.
type Catalog struct {
	lang   string
	bundle *goi18n.Bundle
	loc    *goi18n.Localizer
	en     *goi18n.Localizer
	ids    map[string]map[string]bool // lang -> message ids it defines
}

// Load reads <lang>/ui.toml and en/ui.toml from fsys.
func Load(fsys fs.FS, lang string) (*Catalog, error) {
	if have := Available(fsys); !slices.Contains(have, lang) {
		return nil, fmt.Errorf("language %q: %w (have %s)", lang, ErrUnknownLanguage, strings.Join(have, ", "))
	}
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{lang: lang, bundle: b, ids: map[string]map[string]bool{}}
	for _, l := range []string{"en", lang} {
		if c.ids[l] != nil {
			continue
		}
		path := l + "/ui.toml"
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			if l != "en" && os.IsNotExist(err) {
				c.ids[l] = map[string]bool{}
				continue
			}
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		mf, err := b.ParseMessageFileBytes(data, "ui."+l+".toml")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		ids := map[string]bool{}
		for _, m := range mf.Messages {
			ids[m.ID] = true
		}
		c.ids[l] = ids
	}
	c.loc = goi18n.NewLocalizer(b, lang, "en")
	c.en = goi18n.NewLocalizer(b, "en")
	return c, nil
}

// ErrUnknownLanguage: the language is not one the course has.
var ErrUnknownLanguage = errors.New("not a course language")

// Lang returns the catalog's language.
func (c *Catalog) Lang() string { return c.lang }

// Has reports whether the message id exists in English.
func (c *Catalog) Has(id string) bool { return c.ids["en"][id] }

// Translated reports whether the catalog's language defines id itself.
func (c *Catalog) Translated(id string) bool { return c.ids[c.lang][id] }

// T returns message id with data filled in. data is a map or struct
// whose fields the message's {{.Field}} placeholders name. An unknown id
// comes back as itself, which tests catch.
func (c *Catalog) T(id string, data any) string {
	return c.localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
}

// N is T with the plural form chosen by count; data may use {{.Count}}
// when it is a map (Count is added) or has a Count field.
func (c *Catalog) N(id string, count int, data map[string]any) string {
	if data == nil {
		data = map[string]any{}
	}
	if _, ok := data["Count"]; !ok {
		data["Count"] = count
	}
	return c.localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: data})
}

func (c *Catalog) localize(cfg *goi18n.LocalizeConfig) string {
	s, err := c.loc.Localize(cfg)
	if err != nil {
		if s2, err2 := c.en.Localize(cfg); err2 == nil {
			return s2
		}
		if s != "" {
			return s
		}
		return cfg.MessageID
	}
	return s
}
