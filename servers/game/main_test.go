package game_test

import (
	"testing"

	"wiretutor/engine/testkit/isolate"
)

// TestMain gives these tests a network namespace of their own where one
// can be made, so the kernel's loopback is theirs alone.
func TestMain(m *testing.M) { isolate.Main(m) }
