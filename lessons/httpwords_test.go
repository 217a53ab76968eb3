package lessons_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/text/i18n"
)

// TestHTTPSpeaksLanguage: in ru and zh the web server's page (which
// http-raw shows) and its API's error (which http-api-token captures)
// are in the lesson's language, never in English.
func TestHTTPSpeaksLanguage(t *testing.T) {
	en, err := i18n.Load(content.FS, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"ru", "zh"} {
		t.Run(lang, func(t *testing.T) {
			tx, err := i18n.Load(content.FS, lang)
			if err != nil {
				t.Fatal(err)
			}
			_, out, _ := runInSandbox(t, "http-raw", lang)
			for _, id := range []string{"http.page.heading", "http.page.intro"} {
				if !strings.Contains(out, tx.T(id, nil)) {
					t.Errorf("http-raw does not show its page's %q", tx.T(id, nil))
				}
				if strings.Contains(out, en.T(id, nil)) {
					t.Errorf("http-raw shows the English %q", en.T(id, nil))
				}
			}
			_, _, pcap := runInSandbox(t, "http-api-token", lang)
			data, err := os.ReadFile(pcap)
			if err != nil {
				t.Fatal(err)
			}
			msg := func(tx *i18n.Catalog) []byte {
				b, _ := json.Marshal(map[string]string{"message": tx.T("http.page.token_required", nil)})
				return b
			}
			if !bytes.Contains(data, msg(tx)) {
				t.Errorf("the capture lacks the API's %s", msg(tx))
			}
			if bytes.Contains(data, msg(en)) {
				t.Errorf("the capture holds the English %s", msg(en))
			}
		})
	}
}
