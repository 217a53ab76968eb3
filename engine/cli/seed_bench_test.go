package cli_test

import "testing"

// BenchmarkLessonSeeded is BenchmarkLessonSandbox with --seed: the
// seeded sandbox's event clock and seeded numbers, against the plain
// sandbox in the same run.
func BenchmarkLessonSeeded(b *testing.B) {
	bin := binary(b)
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"sandbox", []string{"lesson", "tcp-handshake", "--no-input", "--net", "sandbox"}},
		{"seeded", []string{"lesson", "tcp-handshake", "--no-input", "--net", "sandbox", "--seed", "42"}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			for range b.N {
				timeRun(b, bin, tt.args...)
			}
		})
	}
}
