// Command wiretutor is a step-by-step terminal course on how programs
// talk over a network: it runs real servers, captures every packet,
// shows them as Wireshark would and quizzes you on what you saw.
package main

import (
	"os"

	"wiretutor/content"
	"wiretutor/engine/cli"
)

func main() { os.Exit(run()) }

func run() int {
	return cli.Run(cli.Env{
		Args:    os.Args[1:],
		Stdin:   os.Stdin,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Getenv:  os.Getenv,
		Content: content.FS,
	})
}
