package chat_test

import (
	"context"
	"fmt"

	"wiretutor/engine/net/netenv"
	"wiretutor/servers/chat"
)

// A room on a free port of the loopback, two members, and one line that
// reaches them both.
func ExampleClient() {
	ctx := context.Background()
	srv := &chat.Server{Net: netenv.Kernel{}, Host: "127.0.0.1", Port: 0}
	if err := srv.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	// member joins the room and returns the lines it hears from then on.
	member := func(nick string) (*chat.Client, <-chan string) {
		c, err := chat.Dial(ctx, netenv.Kernel{}, srv.Addr().String())
		if err != nil {
			panic(err)
		}
		heard := make(chan string, 10)
		c.Start(func(l chat.Line) { heard <- l.Text })
		c.Join(nick)
		for line := range heard {
			if line == "Connected to server!" {
				break
			}
		}
		return c, heard
	}
	alice, aliceHears := member("alice")
	defer alice.Close()
	bob, bobHears := member("bob")
	defer bob.Close()
	fmt.Println("alice hears:", <-aliceHears)

	alice.Say("hello, bob")
	fmt.Println("alice hears:", <-aliceHears)
	fmt.Println("bob hears:", <-bobHears)
	// Output:
	// alice hears: bob joined!
	// alice hears: alice: hello, bob
	// bob hears: alice: hello, bob
}
