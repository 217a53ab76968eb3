package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"wiretutor/engine/net/nsenter"
)

// In tests the binary is the test binary: run again in the private
// namespace, it must be told (as main_test.go's TestMain reads it) to be
// wiretutor with these arguments, not to run the tests again.
func init() {
	privateArgs = func(args []string) (argv, env []string) {
		js, _ := json.Marshal(args)
		return args, []string{"WIRETUTOR_TEST_CHILD_ARGS=" + string(js)}
	}
}

// TestExplainPrivate: where the private network cannot be made, the
// learner reads why and what to do, in their language.
func TestExplainPrivate(t *testing.T) {
	errs := map[string]error{
		"forbidden": &nsenter.Error{Why: nsenter.Forbidden, Detail: "user.max_user_namespaces = 0", Err: os.ErrPermission},
		"not linux": &nsenter.Error{Why: nsenter.NotLinux, Detail: "user namespaces", Err: errors.ErrUnsupported},
		"failed":    &nsenter.Error{Why: nsenter.Failed, Detail: "SIOCSIFFLAGS lo", Err: errors.New("no such device")},
	}
	want := map[string]map[string][]string{
		"en": {"forbidden": {"forbids", "user.max_user_namespaces = 0", "--net sandbox", "setcap"},
			"not linux": {"Linux", "--net sandbox"}, "failed": {"SIOCSIFFLAGS lo: no such device", "--net sandbox"}},
		"ru": {"forbidden": {"запрещает", "user.max_user_namespaces = 0", "--net sandbox", "setcap"},
			"not linux": {"Linux", "--net sandbox"}, "failed": {"SIOCSIFFLAGS lo: no such device", "--net sandbox"}},
		"zh": {"forbidden": {"禁止", "user.max_user_namespaces = 0", "--net sandbox", "setcap"},
			"not linux": {"Linux", "--net sandbox"}, "failed": {"SIOCSIFFLAGS lo：no such device", "--net sandbox"}},
	}
	for lang, cases := range want {
		a := explainer(t, lang)
		for name, words := range cases {
			got := a.explain(fmt.Errorf("outer: %w", errs[name]))
			for _, w := range words {
				if !strings.Contains(got, w) {
					t.Errorf("%s %s: %q lacks %q", lang, name, got, w)
				}
			}
		}
	}
}
