// Package i18n finds the learner's language and looks up the strings the
// program prints in content/<lang>/ui.toml, with CLDR plural forms
// (1 пакет, 2 пакета, 5 пакетов).
package i18n

import (
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages are the languages the course is written in, English first:
// it is the reference and the fallback.
var languages = []string{"en", "ru", "zh"}

// Languages returns the course's languages, English first.
func Languages() []string { return slices.Clone(languages) }

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool { return slices.Contains(languages, lang) }

// Detect picks the language: the flag, else the saved choice, else the
// first of LC_ALL, LC_MESSAGES and LANG that names a language of the
// course, else English. getenv is os.Getenv outside tests.
func Detect(flag, saved string, getenv func(string) string) string {
	for _, l := range []string{flag, saved} {
		if l = Normalize(l); l != "" {
			return l
		}
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		val := getenv(v)
		if val == "" {
			continue
		}
		// The first variable that is set decides, as in POSIX.
		if l := Normalize(val); l != "" {
			return l
		}
		return "en"
	}
	return "en"
}

// Normalize maps a locale or tag ("ru_RU.UTF-8", "zh-Hans", "RU") to a
// course language, or "" when it names none.
func Normalize(s string) string {
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
	if Supported(base) {
		return base
	}
	return ""
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
	if !Supported(lang) {
		return nil, fmt.Errorf("language %q: %w", lang, ErrUnknownLanguage)
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
var ErrUnknownLanguage = fmt.Errorf("not a course language (have %s)", strings.Join(languages, ", "))

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
