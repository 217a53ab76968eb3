//go:build !linux

package isolate

import "testing"

// run runs the tests as they are: network namespaces are Linux's.
func run(m *testing.M) int { return m.Run() }
