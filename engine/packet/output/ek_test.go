package output_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/output"
)

// TestPrinterEK: -T ek with the fields of fields.list is tshark's own,
// byte for byte, on every capture (NAME.ek.ndjson, made in UTC).
func TestPrinterEK(t *testing.T) {
	// The index line names the packet's day in local time, as tshark
	// does; the committed files were made in UTC.
	local := time.Local
	time.Local = time.UTC
	defer func() { time.Local = local }()

	list, err := os.ReadFile(testdata("fields.list"))
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(list))
	for name, path := range captures(t) {
		want, err := os.ReadFile(testdata(name + ".ek.ndjson"))
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		pr := output.NewPrinter(&got, output.EK, fields)
		each(t, path, pr.Print)
		if err := pr.Close(); err != nil {
			t.Fatal(err)
		}
		if got.String() != string(want) {
			t.Errorf("%s: -T ek differs from tshark's at %s", name, firstDiff(got.String(), string(want)))
		}
	}
}

// TestPrinterEKAll: -T ek without -e writes two lines of JSON a packet,
// the index and the packet, whose layers group by protocol the fields
// wiretutor knows, under EK's names, with -T fields' values.
func TestPrinterEKAll(t *testing.T) {
	for _, name := range []string{"echo-lab", "http-api", "icmp-unreach", "runts", "analysis-sandbox-drop"} {
		path := captures(t)[name]
		var got bytes.Buffer
		pr := output.NewPrinter(&got, output.EK, nil)
		var pkts []*dissect.Packet
		each(t, path, func(p *dissect.Packet, prec int) error {
			pkts = append(pkts, p.Clone())
			return pr.Print(p, prec)
		})
		pr.Close()
		lines := strings.Split(strings.TrimSuffix(got.String(), "\n"), "\n")
		if len(lines) != 2*len(pkts) {
			t.Fatalf("%s: %d lines for %d packets", name, len(lines), len(pkts))
		}
		for i, p := range pkts {
			var index struct {
				Index struct {
					Index string `json:"_index"`
					Type  string `json:"_type"`
				} `json:"index"`
			}
			if err := json.Unmarshal([]byte(lines[2*i]), &index); err != nil || !strings.HasPrefix(index.Index.Index, "packets-") || index.Index.Type != "doc" {
				t.Fatalf("%s: index line %q (%v)", name, lines[2*i], err)
			}
			var doc struct {
				Timestamp string                                `json:"timestamp"`
				Layers    map[string]map[string]json.RawMessage `json:"layers"`
			}
			if err := json.Unmarshal([]byte(lines[2*i+1]), &doc); err != nil {
				t.Fatalf("%s frame %d: %v\n%s", name, p.Number, err, lines[2*i+1])
			}
			if doc.Layers["frame"]["frame_frame_number"] == nil || doc.Timestamp == "" {
				t.Fatalf("%s frame %d: %s", name, p.Number, lines[2*i+1])
			}
			n := 0
			for _, field := range dissect.FieldNames() {
				v, ok := dissect.Field(p, field)
				if !ok || strings.HasPrefix(field, "_ws.col.") {
					continue
				}
				n++
				proto, _, _ := strings.Cut(field, ".")
				raw := doc.Layers[proto][proto+"_"+strings.ReplaceAll(field, ".", "_")]
				if raw == nil {
					t.Errorf("%s frame %d: no %s in %s", name, p.Number, field, lines[2*i+1])
					continue
				}
				kind, _ := dissect.FieldKind(field)
				var s string
				var list []string
				switch {
				case kind == dissect.KindBool && (string(raw) == "true") == (v == "1") && (v == "1" || string(raw) == "false"):
				case kind == dissect.KindNone && strings.Trim(strings.ReplaceAll(string(raw), "null", ""), "[,]") == "":
				case kind == dissect.KindNone && string(raw) == "true":
				case json.Unmarshal(raw, &s) == nil && (s == v || field == "http.file_data"):
				case json.Unmarshal(raw, &list) == nil && strings.Join(list, ",") == v:
				default:
					t.Errorf("%s frame %d: %s is %s, -T fields says %q", name, p.Number, field, raw, v)
				}
			}
			if n == 0 {
				t.Errorf("%s frame %d: no fields", name, p.Number)
			}
		}
	}
}
