package render_test

import (
	"fmt"
	"testing"

	"wiretutor/engine/text/render"
)

func TestProgressLine(t *testing.T) {
	for _, tc := range []struct {
		width int
		frac  float64
		text  string
		want  string
	}{
		{40, 0.5, "1.0 MB of 2.0 MB", "[==========>          ] 1.0 MB of 2.0 MB"},
		{40, 0, "x", "[>                             ] x"},
		{40, 1, "x", "[==============================] x"},
		{40, 1.7, "x", "[==============================] x"},
		{20, 0.5, "1.0 MB of 2.0 MB", "1.0 MB of 2.0 MB"},
		{10, 0.5, "1.0 MB of 2.0 MB", "1.0 MB of…"},
		{24, 0.25, "已收到 1,0 МБ", "[==>     ] 已收到 1,0 МБ"},
		{9, 0.25, "剩余时间 0:05", "剩余时间…"},
	} {
		got := render.ProgressLine(tc.width, tc.frac, tc.text)
		if got != tc.want {
			t.Errorf("%d %.2f %q:\ngot  %q\nwant %q", tc.width, tc.frac, tc.text, got, tc.want)
		}
		if w := render.Width(got); w > tc.width {
			t.Errorf("%q is %d cells, over %d", got, w, tc.width)
		}
	}
}

func ExampleProgressLine() {
	fmt.Println(render.ProgressLine(64, 0.42, "4.2 MB of 10.0 MB, 1.3 MB/s, 0:05 left"))
	// Output:
	// [=========>             ] 4.2 MB of 10.0 MB, 1.3 MB/s, 0:05 left
}
