package cli_test

import (
	"encoding/json"
	"os"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/cli"
	"wiretutor/engine/testkit/isolate"
)

// childVar, when set, makes the test binary run the command line with the
// arguments it holds (JSON) instead of the tests: a real wiretutor
// process, for tests that need one (signals, terminals).
const childVar = "WIRETUTOR_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if js := os.Getenv(childVar); js != "" {
		var args []string
		if err := json.Unmarshal([]byte(js), &args); err != nil {
			os.Exit(2)
		}
		os.Exit(cli.Run(cli.Env{
			Args: args, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
			Getenv: os.Getenv, Content: content.FS,
		}))
	}
	isolate.Main(m)
}
