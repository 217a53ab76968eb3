package netenv_test

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"wiretutor/engine/net/netenv"
)

// impairSpecs are --impair values the lessons, tests and help use.
var impairSpecs = [][]string{
	{"drop=4"}, {"drop=4,9"}, {"reorder=5"}, {"delay=30ms"}, {"loss=10%"}, {"loss=0.1"}, {"seed=7"},
	{"drop=6"}, {"drop=4", "delay=30ms"}, {"drop=1,2;reorder=3 loss=25% seed=-3"}, {"delay=1m"},
}

// TestParseImpairmentsLimits: values outside what the link can do are
// refused, NaN among them (it passed both bounds of loss).
func TestParseImpairmentsLimits(t *testing.T) {
	tests := []struct {
		specs []string
		want  netenv.Impairment
		code  string
	}{
		{nil, netenv.Impairment{Seed: 1}, ""},
		{[]string{"delay=30ms;reorder=5"}, netenv.Impairment{Delay: 30 * time.Millisecond, Reorder: map[int]bool{5: true}, Seed: 1}, ""},
		{[]string{"loss=NaN"}, netenv.Impairment{}, "loss"},
		{[]string{"loss=nan%"}, netenv.Impairment{}, "loss"},
		{[]string{"delay=2m"}, netenv.Impairment{}, "delay"},
		{[]string{"seed=x"}, netenv.Impairment{}, "seed"},
	}
	for _, tt := range tests {
		im, err := netenv.ParseImpairments(tt.specs)
		var ie *netenv.ImpairError
		switch {
		case tt.code != "":
			if !errors.As(err, &ie) || ie.Code != tt.code || !errors.Is(err, netenv.ErrImpairSyntax) {
				t.Errorf("%q: %v, want code %q", tt.specs, err, tt.code)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.specs, err)
		case !reflect.DeepEqual(im, tt.want):
			t.Errorf("%q: %+v, want %+v", tt.specs, im, tt.want)
		}
	}
}

func TestImpairmentString(t *testing.T) {
	im := netenv.Impairment{Drop: map[int]bool{9: true, 4: true}, Reorder: map[int]bool{5: true}, Delay: 30 * time.Millisecond, Loss: 0.1, Seed: 7}
	if got, want := im.String(), "drop=4,9 reorder=5 delay=30ms loss=0.1 seed=7"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if got := (netenv.Impairment{Seed: netenv.DefaultLossSeed}).String(); got != "" {
		t.Errorf("no impairment: %q", got)
	}
}

// FuzzParseImpairments: no input panics, and whatever parses reads back
// the same from its String.
func FuzzParseImpairments(f *testing.F) {
	for _, specs := range impairSpecs {
		a, b := specs[0], ""
		if len(specs) > 1 {
			b = specs[1]
		}
		f.Add(a, b)
	}
	f.Add("loss=NaN", "")
	f.Add("delay=1.5us;loss=0x1p-3", "drop=1,1,2")
	f.Fuzz(func(t *testing.T, a, b string) {
		im, err := netenv.ParseImpairments([]string{a, b})
		if err != nil {
			var ie *netenv.ImpairError
			if !errors.As(err, &ie) {
				t.Fatalf("%q %q: %v is not an ImpairError", a, b, err)
			}
			return
		}
		if math.IsNaN(im.Loss) || im.Loss < 0 || im.Loss >= 1 || im.Delay < 0 || im.Delay > time.Minute {
			t.Fatalf("%q %q: out of range: %+v", a, b, im)
		}
		s := im.String()
		back, err := netenv.ParseImpairments([]string{s})
		if err != nil {
			t.Fatalf("%q %q: String %q does not parse: %v", a, b, s, err)
		}
		if !reflect.DeepEqual(back, im) {
			t.Fatalf("%q %q: String %q reads back as %+v, not %+v", a, b, s, back, im)
		}
	})
}
