package explorer_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wiretutor/engine/testkit/testenv"
	"wiretutor/engine/view/explorer"
)

// TestColoursMatchTshark: on every committed capture each frame gets
// the colours tshark --color gives it under Wireshark's default rules
// (testdata/NAME.color.tsv, written by regen.sh), and a frame tshark
// leaves plain is picked by no rule.
func TestColoursMatchTshark(t *testing.T) {
	c, err := explorer.NewColourer(explorer.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range captures(t) {
		want := map[string]string{}
		f, err := os.Open(strings.TrimSuffix(path, filepath.Ext(path)) + ".color.tsv")
		if err != nil {
			t.Fatal(err) // regen.sh writes one for every capture
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			num, colours, _ := strings.Cut(sc.Text(), "\t")
			want[num] = colours
		}
		f.Close()
		pkts := testenv.PacketsAt(t, path)
		rules := c.Rules()
		for i := range pkts {
			num := fmt.Sprint(pkts[i].Number)
			got := ""
			if k := c.Pick(&pkts[i]); k != explorer.NoRule {
				got = channels(rules[k].FG) + "\t" + channels(rules[k].BG)
			}
			if got != want[num] {
				t.Errorf("%s frame %s: colours %q, tshark %q", filepath.Base(path), num, got, want[num])
			}
		}
	}
}

// channels is a colour as tshark --color writes it: r,g,b of 8 bits.
func channels(c explorer.RGB) string {
	return fmt.Sprintf("%d,%d,%d", c.R>>8, c.G>>8, c.B>>8)
}

// TestRulesAreWiresharks: every rule kept has the name and colours of
// the rule of that name in Wireshark's own colorfilters file, where
// Wireshark is installed, and the rules keep that file's order.
func TestRulesAreWiresharks(t *testing.T) {
	data, err := os.ReadFile("/usr/share/wireshark/colorfilters")
	if err != nil {
		t.Skip("no Wireshark colorfilters file here:", err)
	}
	type entry struct {
		at     int
		colour string
	}
	file := map[string]entry{}
	for i, line := range strings.Split(string(data), "\n") {
		parts := strings.Split(line, "@")
		if len(parts) == 4 {
			file[parts[1]] = entry{i, parts[3]}
		}
	}
	last := -1
	for _, r := range explorer.DefaultRules() {
		e, ok := file[r.Name]
		if !ok {
			t.Errorf("%q is not a rule of Wireshark's file", r.Name)
			continue
		}
		ours := fmt.Sprintf("[%d,%d,%d][%d,%d,%d]", r.BG.R, r.BG.G, r.BG.B, r.FG.R, r.FG.G, r.FG.B)
		if ours != e.colour {
			t.Errorf("%s: %s, Wireshark's %s", r.Name, ours, e.colour)
		}
		if e.at < last {
			t.Errorf("%s is out of Wireshark's order", r.Name)
		}
		last = e.at
	}
}

func ExampleRGB_Hex() {
	fmt.Println(explorer.DefaultRules()[2].Name, explorer.DefaultRules()[2].BG.Hex())
	// Output: ARP #faf0d7
}
