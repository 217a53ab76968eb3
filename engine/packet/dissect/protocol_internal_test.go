package dissect

import (
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestProtocolTable: the table is coherent. Each field and each filter
// name belongs to one protocol; a protocol a header selects decodes; a
// protocol that can be the highest layer has a Protocol column; the
// frame comes first.
func TestProtocolTable(t *testing.T) {
	protos := protocols(table())
	if protos[0].name != "frame" {
		t.Errorf("the table starts with %q, want the frame", protos[0].name)
	}
	fields := map[string]string{}
	names := map[string]bool{}
	selectors := map[selector]string{}
	for _, pr := range protos {
		id := pr.name
		if id == "" && len(pr.fields) > 0 {
			id = pr.fields[0].name
		}
		if pr.has != nil {
			if names[pr.name] {
				t.Errorf("two protocols are named %q", pr.name)
			}
			names[pr.name] = true
		}
		for _, f := range pr.fields {
			if other, ok := fields[f.name]; ok {
				t.Errorf("%s is a field of %s and of %s", f.name, other, id)
			}
			fields[f.name] = id
		}
		if (len(pr.on) > 0) != (pr.newDecoder != nil) {
			t.Errorf("%s: %d selectors but decoder %v", id, len(pr.on), pr.newDecoder != nil)
		}
		for _, s := range pr.on {
			if other, ok := selectors[s]; ok {
				t.Errorf("%+v selects both %s and %s", s, other, id)
			}
			selectors[s] = id
		}
	}
	if len(fields) != len(FieldNames()) {
		t.Errorf("FieldNames lists %d names, the table %d", len(FieldNames()), len(fields))
	}
	// Every decoder that may claim the highest layer has a column: feed
	// each the frames of the committed captures' kinds and see.
	for _, link := range []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw, layers.LinkTypeNull, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2} {
		d, err := New(link)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range d.stages {
			if pr := protos[st.proto]; pr.column == nil {
				// It must never claim the top: try it on nothing and on
				// a short header, the cases where a decoder claims it
				// without the layers above.
				for _, b := range [][]byte{nil, make([]byte, 3)} {
					var p Packet
					if _, _, top := st.dec.decode(b, &p); top {
						t.Errorf("%s claims the highest layer of %d bytes without a Protocol column", pr.name, len(b))
					}
				}
			}
		}
	}
}
