// Package i18n finds the learner's language and looks up the strings the
// program prints in content/<lang>/ui.toml, with CLDR plural forms
// (1 пакет, 2 пакета, 5 пакетов). <lang> is a BCP 47 tag ("ru",
// "pt-BR", "zh-Hant"); the learner's locale is matched to the folders
// with x/text's language.Matcher.
package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"wiretutor/engine/course/doc"
	"wiretutor/engine/text/message"
)

// Available returns the languages a content tree is written in: every
// top-level folder with a ui.toml whose name is a BCP 47 language tag in
// its canonical form ("en", "ru", "zh", "pt-BR", "zh-Hant"), English
// first (it is the reference and the fallback), the others sorted. A
// translator adds a language by adding its folder; no Go changes. A
// folder named by a tag written otherwise ("pt_BR", "zh-hant") is not a
// language: Misnamed finds it, so that content check can say its name.
func Available(fsys fs.FS) []string {
	have := []string{"en"}
	for name := range folders(fsys) {
		if name != "en" && tagOf(name) == name {
			have = append(have, name)
		}
	}
	slices.Sort(have[1:])
	return have
}

// Misnamed maps each folder of fsys with a ui.toml whose name is a
// language tag, but not written as Available wants it, to the name it
// should have: "pt_BR" to "pt-BR", "zh-hant" to "zh-Hant", "iw" to "he".
func Misnamed(fsys fs.FS) map[string]string {
	out := map[string]string{}
	for name := range folders(fsys) {
		if tag := tagOf(name); tag != "" && tag != name {
			out[name] = tag
		}
	}
	return out
}

// folders yields the names of fsys's top-level folders that hold a
// ui.toml.
func folders(fsys fs.FS) iter.Seq[string] {
	return func(yield func(string) bool) {
		ents, err := fs.ReadDir(fsys, ".")
		if err != nil {
			return
		}
		for _, e := range ents {
			if !e.IsDir() {
				continue
			}
			if _, err := fs.Stat(fsys, e.Name()+"/ui.toml"); err == nil && !yield(e.Name()) {
				return
			}
		}
	}
}

// tagOf is the canonical form of a language tag ("pt_BR" gives
// "pt-BR"), or "" when s is not one: not well-formed, with an unknown
// subtag, or with no language of its own ("und", "x-private").
func tagOf(s string) string {
	t, err := language.Parse(s)
	if err != nil {
		return ""
	}
	if _, c := t.Base(); c != language.Exact {
		return ""
	}
	return t.String()
}

// Detect picks the language from those the course has: the flag, else
// the saved choice, else the first of LC_ALL, LC_MESSAGES and LANG that
// is set, else English. Each is matched to have as Normalize does.
// getenv is os.Getenv outside tests.
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

// Normalize maps a locale or tag ("ru_RU.UTF-8", "zh-Hant", "pt_PT",
// "RU") to the one of the languages in have that its reader wants, or ""
// when none is. x/text's language.Matcher decides, and a match counts
// when it is sure of it (High or Exact): "ru_RU" reads ru, "pt_PT" reads
// pt-BR, "zh_TW" reads zh-Hant or zh-TW. A match it is unsure of (Low)
// does not count: a Traditional Chinese reader ("zh_TW", "zh-HK") is not
// given Simplified (zh), as CLDR gives Traditional no Simplified
// fallback; Detect then shows English, and an explicit --lang is refused
// with the list of what there is. "C", "POSIX" and what is not a
// language give "".
func Normalize(s string, have []string) string {
	want, ok := localeTag(s)
	if !ok {
		return ""
	}
	if name := want.String(); slices.Contains(have, name) {
		return name
	}
	var tags []language.Tag
	var names []string
	for _, h := range have {
		if t := tagOf(h); t == h {
			tags, names = append(tags, language.Make(t)), append(names, h)
		}
	}
	if len(tags) == 0 {
		return ""
	}
	if _, i, c := language.NewMatcher(tags).Match(want); c >= language.High {
		return names[i]
	}
	return ""
}

// localeTag reads a POSIX locale, language[_territory][.codeset][@modifier]
// ("zh_TW.UTF-8", "sr_RS@latin"), or a BCP 47 tag ("pt-BR"). ok is
// false for "C", "POSIX" and what names no language. The modifiers that
// name a script (@latin, @cyrillic, @devanagari) set it.
func localeTag(s string) (language.Tag, bool) {
	s = strings.TrimSpace(s)
	var mod string
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s, mod = s[:i], s[i+1:]
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = s[:i]
	}
	if strings.EqualFold(s, "C") || strings.EqualFold(s, "POSIX") {
		return language.Und, false
	}
	name := tagOf(s)
	if name == "" {
		return language.Und, false
	}
	t := language.Make(name)
	if script, ok := map[string]string{"latin": "Latn", "cyrillic": "Cyrl", "devanagari": "Deva"}[strings.ToLower(mod)]; ok {
		if sc, err := language.ParseScript(script); err == nil {
			if withScript, err := language.Compose(t, sc); err == nil {
				t = withScript
			}
		}
	}
	return t, true
}

// PluralForms returns the CLDR plural categories a language's messages
// need ("one", "few", "many", "other" for Russian, ru-RU or ru-UA alike;
// "other" for Chinese, zh-Hant included). The rules follow the tag
// (x/text/feature/plural), as go-i18n's do when it picks a form.
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
//
// Messages are content a translator writes, so they never reach
// text/template: each is checked against doc.Fields (placeholders
// {{.Name}} and quoted text only) when the catalog loads, and run by
// doc's own interpreter. A translated message that fails the check, or
// names a placeholder its English does not have, is dropped and shown in
// English; an English message that fails is shown as written. Notices
// says so in one line per file.
type Catalog struct {
	lang   string
	loc    *goi18n.Localizer
	en     *goi18n.Localizer
	ids    map[string]map[string]bool            // lang -> message ids it defines, usably
	raw    map[string]map[string]*goi18n.Message // lang -> id -> the message as written
	broken map[string][]string                   // lang -> ids that failed the check
}

// parser makes go-i18n compile messages with doc.Compile instead of
// text/template.
type parser struct{}

// Parse checks src against doc.Fields.
func (parser) Parse(src, _, _ string) (template.ParsedTemplate, error) {
	t, err := doc.Compile(src, doc.Fields)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Cacheable: a compiled message does not change.
func (parser) Cacheable() bool { return true }

// forms are a message's texts by CLDR plural form.
func forms(m *goi18n.Message) map[string]string {
	out := map[string]string{}
	for name, text := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
		if text != "" {
			out[name] = text
		}
	}
	return out
}

// fields compiles every form of m; ok is false when one fails. names
// are the placeholders of all forms.
func fields(m *goi18n.Message) (names map[string]bool, ok bool) {
	names = map[string]bool{}
	for _, text := range forms(m) {
		t, err := doc.Compile(text, doc.Fields)
		if err != nil {
			return nil, false
		}
		for _, f := range t.Fields() {
			names[f.Name] = true
		}
	}
	return names, true
}

// Load reads <lang>/ui.toml and en/ui.toml from fsys.
func Load(fsys fs.FS, lang string) (*Catalog, error) {
	if have := Available(fsys); !slices.Contains(have, lang) {
		return nil, fmt.Errorf("language %q: %w (have %s)", lang, ErrUnknownLanguage, strings.Join(have, ", "))
	}
	b := goi18n.NewBundle(language.English)
	unmarshal := map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal}
	c := &Catalog{lang: lang, ids: map[string]map[string]bool{}, raw: map[string]map[string]*goi18n.Message{}, broken: map[string][]string{}}
	enFields := map[string]map[string]bool{}
	for _, l := range []string{"en", lang} {
		if c.ids[l] != nil {
			continue
		}
		c.ids[l], c.raw[l] = map[string]bool{}, map[string]*goi18n.Message{}
		path := l + "/ui.toml"
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			if l != "en" && os.IsNotExist(err) {
				continue
			}
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		mf, err := goi18n.ParseMessageFileBytes(data, "ui."+l+".toml", unmarshal)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var good []*goi18n.Message
		for _, m := range mf.Messages {
			c.raw[l][m.ID] = m
			names, ok := fields(m)
			if ok && l == "en" {
				enFields[m.ID] = names
			}
			if ok && l != "en" {
				if want, inEn := enFields[m.ID]; inEn {
					for n := range names {
						ok = ok && want[n]
					}
				}
			}
			if !ok {
				c.broken[l] = append(c.broken[l], m.ID)
				continue
			}
			good = append(good, m)
			c.ids[l][m.ID] = true
		}
		slices.Sort(c.broken[l])
		if err := b.AddMessages(mf.Tag, good...); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
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
func (c *Catalog) Has(id string) bool { return c.ids["en"][id] || c.raw["en"][id] != nil }

// Translated reports whether the catalog's language defines id itself,
// in a form that can be shown.
func (c *Catalog) Translated(id string) bool { return c.ids[c.lang][id] }

// Broken returns the ids of lang's messages that failed the check when
// the catalog loaded (lang is the catalog's language or "en").
func (c *Catalog) Broken(lang string) []string { return c.broken[lang] }

// Notices are the lines, in the catalog's language, that say a ui.toml
// holds broken messages: one per file, none when all are sound.
func (c *Catalog) Notices() []string {
	var out []string
	if n := len(c.broken[c.lang]); n > 0 && c.lang != "en" {
		out = append(out, c.N("notice.messages_english", n, map[string]any{"File": c.lang + "/ui.toml"}))
	}
	if n := len(c.broken["en"]); n > 0 {
		out = append(out, c.N("notice.messages_raw", n, map[string]any{"File": "en/ui.toml"}))
	}
	return out
}

// T returns message id with data filled in. data is a map or struct
// whose fields the message's {{.Field}} placeholders name. An unknown id
// comes back as itself, which tests catch; a message that cannot be
// filled in comes back in English, else as written.
func (c *Catalog) T(id string, data any) string {
	return c.localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data}, -1)
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
	return c.localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: data}, count)
}

// Msg renders m: each data value that is a message.Msg is rendered
// first, in turn, and an int Count chooses the plural form, as N does.
func (c *Catalog) Msg(m message.Msg) string {
	data := make(map[string]any, len(m.Data))
	for k, v := range m.Data {
		if sub, ok := v.(message.Msg); ok {
			v = c.Msg(sub)
		}
		data[k] = v
	}
	if n, ok := data["Count"].(int); ok {
		return c.N(m.ID, n, data)
	}
	return c.T(m.ID, data)
}

func (c *Catalog) localize(cfg *goi18n.LocalizeConfig, count int) string {
	cfg.TemplateParser = parser{}
	if s, err := c.loc.Localize(cfg); err == nil {
		return s
	}
	if s, err := c.en.Localize(cfg); err == nil {
		return s
	}
	return c.asWritten(cfg.MessageID, count)
}

// asWritten is a message that cannot be filled in, placeholders and all:
// the catalog's language's, else English's, else the id.
func (c *Catalog) asWritten(id string, count int) string {
	for _, l := range []string{c.lang, "en"} {
		m := c.raw[l][id]
		if m == nil {
			continue
		}
		f := forms(m)
		if count >= 0 {
			if text, ok := f[formName(l, count)]; ok {
				return text
			}
		}
		if text, ok := f["other"]; ok {
			return text
		}
		for _, name := range []string{"one", "few", "many", "two", "zero"} {
			if text, ok := f[name]; ok {
				return text
			}
		}
	}
	return id
}

// formName is the CLDR plural form lang uses for n.
func formName(lang string, n int) string {
	switch plural.Cardinal.MatchPlural(language.Make(lang), n, 0, 0, 0, 0) {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	}
	return "other"
}
