package i18n_test

import (
	"fmt"
	"testing/fstest"

	"wiretutor/engine/text/i18n"
)

// A translator adds Brazilian Portuguese and Traditional Chinese by
// adding their folders; each learner's LANG finds the folder they read,
// and English when there is none.
func ExampleDetect() {
	ui := &fstest.MapFile{Data: []byte("[language]\nname = \"…\"\n")}
	content := fstest.MapFS{
		"en/ui.toml": ui, "ru/ui.toml": ui, "zh/ui.toml": ui,
		"pt-BR/ui.toml": ui, "zh-Hant/ui.toml": ui,
	}
	have := i18n.Available(content)
	fmt.Println(have)
	for _, lang := range []string{"zh_TW.UTF-8", "zh_CN.UTF-8", "pt_PT.UTF-8", "ru_RU.UTF-8", "de_DE.UTF-8", "C"} {
		env := func(v string) string {
			if v == "LANG" {
				return lang
			}
			return ""
		}
		fmt.Println(lang, "→", i18n.Detect("", "", env, have))
	}
	// Without its folder, a Traditional Chinese reader gets English, not
	// Simplified Chinese.
	fmt.Println(i18n.Normalize("zh_TW.UTF-8", []string{"en", "ru", "zh"}) == "")
	// Output:
	// [en pt-BR ru zh zh-Hant]
	// zh_TW.UTF-8 → zh-Hant
	// zh_CN.UTF-8 → zh
	// pt_PT.UTF-8 → pt-BR
	// ru_RU.UTF-8 → ru
	// de_DE.UTF-8 → en
	// C → en
	// true
}
