package dissect_test

import (
	"errors"
	"io"
	"iter"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/testkit/testenv"
)

// fingerprint is everything a packet shows: its summary line and every
// field tshark prints.
func fingerprint(p *dissect.Packet) string {
	b := dissect.Summary(nil, p, 9)
	for _, name := range dissect.FieldNames() {
		b = append(b, '\n')
		b = append(b, name...)
		b = append(b, '=')
		b, _ = dissect.AppendField(b, p, name)
	}
	return string(b)
}

// scribble overwrites everything of p that may alias memory: the
// frame's bytes, the options, the quote and the HTTP message.
func scribble(p *dissect.Packet, frame []byte) {
	for i := range frame {
		frame[i] = 0xee
	}
	for i := range p.TCP.Options {
		for j := range p.TCP.Options[i].Blocks {
			p.TCP.Options[i].Blocks[j] = 7
		}
		p.TCP.Options[i] = dissect.Option{Kind: dissect.OptMSS, A: 7}
	}
	if p.Inner != nil {
		*p.Inner = dissect.Packet{}
	}
	if h := p.HTTP; h != nil {
		for i := range h.Body {
			h.Body[i] = 'x'
		}
		for i := range h.Headers {
			h.Headers[i] = dissect.Header{Name: "X", Value: "x"}
		}
		h.FirstLine = "x"
	}
}

// TestCloneSharesNothing: a clone shows what the packet showed, however
// the packet, its frame and the Dissector's buffers change afterwards.
func TestCloneSharesNothing(t *testing.T) {
	for _, tc := range []struct {
		capture string
		what    string
		pick    func(p *dissect.Packet) bool
	}{
		{"echo-lab.pcap", "options and payload", func(p *dissect.Packet) bool { return len(p.TCP.Options) > 0 && len(p.Payload) > 0 }},
		{"icmp-unreach.pcap", "a quoted datagram", func(p *dissect.Packet) bool { return p.Inner != nil }},
		{"http-api.pcap", "an HTTP message with a body", func(p *dissect.Packet) bool { return p.HTTP != nil && len(p.HTTP.Body) > 0 && len(p.HTTP.Headers) > 0 }},
		{"analysis-kernel.pcap", "SACK blocks", func(p *dissect.Packet) bool {
			for _, o := range p.TCP.Options {
				if len(o.Blocks) > 0 {
					return true
				}
			}
			return false
		}},
	} {
		t.Run(tc.capture, func(t *testing.T) {
			rec := testenv.Recording(t, tc.capture)
			d, err := dissect.New(rec.Link)
			if err != nil {
				t.Fatal(err)
			}
			var p dissect.Packet
			var c *dissect.Packet
			var want string
			for i, f := range rec.Frames {
				frame := append([]byte(nil), f.Data...)
				d.Dissect(frame, f.Info, &p)
				if c == nil && tc.pick(&p) {
					c, want = p.Clone(), fingerprint(&p)
					scribble(&p, frame)
					if i+1 < len(rec.Frames) { // the Dissector reuses its buffers
						next := rec.Frames[i+1]
						d.Dissect(next.Data, next.Info, &p)
					}
					break
				}
			}
			if c == nil {
				t.Fatalf("no packet with %s", tc.what)
			}
			if got := fingerprint(c); got != want {
				t.Errorf("the clone changed with the packet:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestAllYieldsPacketsToKeep: packets kept from All show what Scan's
// showed at their step.
func TestAllYieldsPacketsToKeep(t *testing.T) {
	for _, name := range []string{"echo-lab.pcap", "icmp-unreach.pcap", "http-api.pcap", "analysis-kernel.pcap"} {
		t.Run(name, func(t *testing.T) {
			var want []string
			for p, err := range dissect.Scan(open(t, name)) {
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, fingerprint(p))
			}
			var kept []*dissect.Packet
			for p, err := range dissect.All(open(t, name)) {
				if err != nil {
					t.Fatal(err)
				}
				kept = append(kept, p)
			}
			collected, err := dissect.Collect(open(t, name))
			if err != nil {
				t.Fatal(err)
			}
			if len(kept) != len(want) || len(collected) != len(want) {
				t.Fatalf("All kept %d packets, Collect %d, Scan saw %d", len(kept), len(collected), len(want))
			}
			for i := range want {
				if got := fingerprint(kept[i]); got != want[i] {
					t.Errorf("All's packet %d:\n got %s\nwant %s", i+1, got, want[i])
				}
				if got := fingerprint(&collected[i]); got != want[i] {
					t.Errorf("Collect's packet %d:\n got %s\nwant %s", i+1, got, want[i])
				}
			}
		})
	}
}

func open(t *testing.T, name string) *capture.File {
	t.Helper()
	f, err := capture.Open(testenv.Testdata(name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// failing replays frames, then fails with err (io.EOF: ends).
type failing struct {
	link   layers.LinkType
	frames []capture.Frame
	err    error
	reads  int
}

func (s *failing) LinkType() layers.LinkType { return s.link }

func (s *failing) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	s.reads++
	if len(s.frames) == 0 {
		return nil, gopacket.CaptureInfo{}, s.err
	}
	f := s.frames[0]
	s.frames = s.frames[1:]
	return f.Data, f.Info, nil
}

// TestSequenceEnds: All and Scan yield every frame, then the read error
// once (none at io.EOF), or New's error alone; and they stop reading
// when the loop stops.
func TestSequenceEnds(t *testing.T) {
	frames := testenv.Recording(t, "echo-lab.pcap").Frames[:3]
	errDisk := errors.New("disk on fire")
	for _, seq := range []struct {
		name string
		of   func(dissect.Source) iter.Seq2[*dissect.Packet, error]
	}{{"All", dissect.All}, {"Scan", dissect.Scan}} {
		for _, tc := range []struct {
			name    string
			link    layers.LinkType
			err     error
			stop    int // break after this many packets; 0: never
			packets int
			reads   int
			wantErr error
		}{
			{"to the end", layers.LinkTypeEthernet, io.EOF, 0, 3, 4, nil},
			{"a read error", layers.LinkTypeEthernet, errDisk, 0, 3, 4, errDisk},
			{"an unknown link type", layers.LinkType(147), io.EOF, 0, 0, 0, dissect.ErrLinkType},
			{"the loop stops", layers.LinkTypeEthernet, io.EOF, 2, 2, 2, nil},
		} {
			t.Run(seq.name+"/"+tc.name, func(t *testing.T) {
				src := &failing{link: tc.link, frames: frames, err: tc.err}
				n, errs := 0, 0
				for p, err := range seq.of(src) {
					if err != nil {
						errs++
						if p != nil || !errors.Is(err, tc.wantErr) || tc.wantErr == nil {
							t.Errorf("yielded %v, %v; want nil, %v", p, err, tc.wantErr)
						}
						continue
					}
					n++
					if p.Number != n {
						t.Errorf("packet %d numbered %d", n, p.Number)
					}
					if n == tc.stop {
						break
					}
				}
				if n != tc.packets || src.reads != tc.reads {
					t.Errorf("%d packets after %d reads, want %d after %d", n, src.reads, tc.packets, tc.reads)
				}
				wantErrs := 0
				if tc.wantErr != nil {
					wantErrs = 1
				}
				if errs != wantErrs {
					t.Errorf("%d errors, want %d", errs, wantErrs)
				}
			})
		}
	}
}
