package cli

import (
	"testing"
	"time"
)

// TestPingMillis: round trips print with iputils' three significant
// digits, whatever their size.
func TestPingMillis(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{53 * time.Microsecond, "0.053"},
		{999 * time.Microsecond, "0.999"},
		{1270 * time.Microsecond, "1.27"},
		{12_450 * time.Microsecond, "12.4"},
		{123_900 * time.Microsecond, "123"},
		{2 * time.Second, "2000"},
	}
	for _, tt := range tests {
		if got := pingMillis(tt.d); got != tt.want {
			t.Errorf("pingMillis(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestStatMillis: the closing rtt line keeps three decimals, as
// iputils' "rtt min/avg/max/mdev = 0.094/0.412/1.040/0.448 ms".
func TestStatMillis(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{94 * time.Microsecond, "0.094"},
		{1040 * time.Microsecond, "1.040"},
		{123_456 * time.Microsecond, "123.456"},
	}
	for _, tt := range tests {
		if got := statMillis(tt.d); got != tt.want {
			t.Errorf("statMillis(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
