package files_test

import (
	"bufio"
	"fmt"
	"strings"

	"wiretutor/servers/files"
)

// A request is one line; the reply starts with a line that says how
// many bytes follow.
func ExampleParseRequest() {
	r, err := files.ParseRequest(bufio.NewReader(strings.NewReader("PUT 11 notes/today.txt\n")))
	fmt.Printf("%s %q %d %v\n", r.Verb, r.Name, r.Size, err)
	_, err = files.ParseRequest(bufio.NewReader(strings.NewReader("GET ../../etc/passwd\n")))
	fmt.Println(err != nil)
	n, _, _ := files.ReadReply(bufio.NewReader(strings.NewReader("OK 5\nhello")))
	fmt.Println(n)
	// Output:
	// PUT "notes/today.txt" 11 <nil>
	// true
	// 5
}
