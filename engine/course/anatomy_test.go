package course_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"wiretutor/content"
	"wiretutor/engine/course"
	"wiretutor/engine/course/syllabus"
	"wiretutor/engine/text/render"
	"wiretutor/lessons"
)

// anatomyEntry is goodEntry with an anatomy step and its table.
var anatomyEntry = strings.Replace(goodEntry, `"quiz", "tasks"`, `"anatomy:synack", "quiz", "tasks"`, 1) +
	`anatomy = [
  { id = "synack", filter = "tcp.flags.syn == 1 && tcp.flags.ack == 1", layers = ["ip", "tcp"] },
]
`

func TestBuildAnatomy(t *testing.T) {
	s, err := syllabus.ParseManifest([]byte(anatomyEntry))
	if err != nil {
		t.Fatal(err)
	}
	ls, err := course.Build(s, registry{})
	if err != nil {
		t.Fatal(err)
	}
	st := ls[0].Steps[4]
	if st.Kind != course.Anatomy || st.Section != "synack" || st.Anatomy == nil ||
		strings.Join(st.Anatomy.Layers, ",") != "ip,tcp" || st.Anatomy.Filter != "tcp.flags.syn == 1 && tcp.flags.ack == 1" {
		t.Errorf("step %+v, view %+v", st, st.Anatomy)
	}
}

// TestBuildAnatomyErrors: each fault of an anatomy step or table is
// told at its line.
func TestBuildAnatomyErrors(t *testing.T) {
	tests := []struct {
		name, from, to string
		code           string
		line           int
	}{
		{"unknown frame", `"anatomy:synack"`, `"anatomy:synak"`, syllabus.CodeUnknownAnatomy, 4},
		{"no frame named", `"anatomy:synack"`, `"anatomy"`, syllabus.CodeStepArg, 4},
		{"bad filter", `tcp.flags.ack == 1"`, `tcp.flags.ack == "`, syllabus.CodeBadFilter, 15},
		{"unknown layer", `["ip", "tcp"]`, `["ip", "tpc"]`, syllabus.CodeUnknownLayer, 15},
		{"no layers", `layers = ["ip", "tcp"]`, `layers = []`, syllabus.CodeBadAnatomy, 15},
		{"no filter", `filter = "tcp.flags.syn == 1 && tcp.flags.ack == 1", `, ``, syllabus.CodeBadAnatomy, 15},
		{"id twice", "layers = [\"ip\", \"tcp\"] },\n", "layers = [\"ip\", \"tcp\"] },\n  { id = \"synack\", filter = \"tcp\", layers = [\"tcp\"] },\n", syllabus.CodeIDTwice, 15},
		{"before run", `"run", "packets"`, `"anatomy:synack", "run", "packets"`, syllabus.CodeBeforeRun, 4},
		{"unknown key", `layers = [`, `layer = [`, syllabus.CodeUnknownKey, 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(anatomyEntry, tt.from, tt.to, 1)
			if src == anatomyEntry {
				t.Fatalf("%q is not in the entry", tt.from)
			}
			s, err := syllabus.ParseManifest([]byte(src))
			if err == nil {
				_, err = course.Build(s, registry{})
			}
			var e *syllabus.Error
			if !errors.As(err, &e) || e.Code != tt.code || e.Line != tt.line {
				t.Errorf("error %v, want %s on line %d", err, tt.code, tt.line)
			}
		})
	}
}

// anatomyLesson is tcp-handshake (its text) with the given steps and
// anatomy table.
func anatomyLesson(t *testing.T, steps, table string) *course.Lesson {
	t.Helper()
	src := "[[lesson]]\nid = \"tcp-handshake\"\nexchange = \"echo-tcp\"\nsteps = " + steps + "\nanatomy = " + table + "\n"
	s, err := syllabus.ParseManifest([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ls, err := course.Build(s, lessons.Registry{})
	if err != nil {
		t.Fatal(err)
	}
	return ls[0]
}

// TestAnatomyStep shows the lab's SYN-ACK field by field, at 80 and 40
// columns, in English and Russian; a frame the capture lacks is told,
// and the lesson goes on to its end.
func TestAnatomyStep(t *testing.T) {
	l := anatomyLesson(t, `["run", "anatomy:synack", "anatomy:none", "summary"]`,
		`[{ id = "synack", filter = "tcp.flags.syn == 1 && tcp.flags.ack == 1", layers = ["tcp", "ip"] },
		  { id = "none", filter = "icmp", layers = ["icmp"] }]`)
	tests := []struct {
		lang  string
		width int
		want  []string
	}{
		{"en", 80, []string{
			"Frame 2, field by field (74 bytes)",
			"Internet Protocol Version 4: 20 bytes, 14 to 33 of the frame",
			"000e  45 00 00 3c 00 00 40 00 40 06 3c ba 7f 00 00 01",
			"      ab c┘ d───┘ e───┘ fg──┘ h┘ i┘ j───┘ k─────────┘",
			"h  Time to Live                         64         ip.ttl",
			"Transmission Control Protocol: 40 bytes, 34 to 73 of the frame",
			"     Syn                          1                  tcp.flags.syn",
			"This capture has no frame that icmp selects",
		}},
		{"ru", 40, []string{
			"Кадр 2, поле за полем (74 байта)",
			"000e  45 00 00 3c 00 00 40 00",
			"c  Порядковый номер",
			"   tcp.seq · tshark отсчитывает его от",
			"В этом захвате нет кадра, который",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			var out bytes.Buffer
			o, tx := options(t, tt.lang, content.FS, nil, &out)
			o.Term = render.Term{Width: tt.width}
			res, err := course.RunLesson(context.Background(), l, o, tx)
			if err != nil || !res.Completed {
				t.Fatalf("%v, %+v\n%s", err, res, out.String())
			}
			text := out.String()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("output lacks %q:\n%s", w, text)
				}
			}
			for _, line := range strings.Split(text, "\n") {
				if w := render.Width(line); w > tt.width {
					t.Errorf("%d wide: %q", w, line)
				}
			}
			// IPv4 comes first, as in the frame, whatever order the table names.
			if strings.Index(text, "ip.ttl") > strings.Index(text, "tcp.srcport") {
				t.Error("TCP shown before IPv4")
			}
		})
	}
}
