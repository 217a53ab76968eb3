package progress

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	st := &Store{Path: filepath.Join(t.TempDir(), "wiretutor", FileName)}
	s, err := st.Load()
	if err != nil || len(s.Lessons) != 0 {
		t.Fatalf("missing file: %+v, %v; want an empty state", s, err)
	}
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s.Lang = "ru"
	s.Start("tcp-handshake", t0)
	s.Finish("tcp-handshake", 5, 7, t0.Add(time.Hour))
	s.Stop("sockets", 3, 1, 2, t0)
	if err := st.Save(s); err != nil {
		t.Fatal(err)
	}
	got, err := st.Load()
	if err != nil {
		t.Fatal(err)
	}
	hs := got.Lesson("tcp-handshake")
	if got.Lang != "ru" || got.Current != "sockets" || hs == nil || !hs.Done || hs.Score != 5 || hs.Total != 7 ||
		!hs.Finished.Equal(t0.Add(time.Hour)) || got.Lesson("sockets").Step != 3 || got.Lesson("sockets").StepScore != 1 || got.FormatVersion != FormatVersion {
		t.Errorf("read back %+v", got)
	}
	if fi, _ := os.Stat(st.Path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v: progress is the learner's own", fi.Mode().Perm())
	}
}

func TestFinishKeepsBest(t *testing.T) {
	tests := []struct {
		name      string
		runs      [][2]int
		wantScore int
	}{
		{"one run", [][2]int{{3, 7}}, 3},
		{"better later", [][2]int{{3, 7}, {6, 7}}, 6},
		{"worse later", [][2]int{{6, 7}, {2, 7}}, 6},
		{"lesson grew", [][2]int{{6, 7}, {2, 8}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New()
			t0 := time.Now()
			for i, r := range tt.runs {
				s.Finish("x", r[0], r[1], t0.Add(time.Duration(i)*time.Hour))
			}
			if l := s.Lesson("x"); l.Score != tt.wantScore || !l.Finished.Equal(t0) {
				t.Errorf("score %d finished %v; want %d and the first finish", l.Score, l.Finished, tt.wantScore)
			}
		})
	}
}

func TestReset(t *testing.T) {
	s := New()
	s.Lang = "zh"
	s.Finish("a", 1, 1, time.Now())
	s.Stop("b", 2, 0, 0, time.Now())
	s.Reset("b")
	if s.Lesson("b") != nil || s.Current != "" || s.Lesson("a") == nil {
		t.Errorf("after Reset(b): %+v", s)
	}
	s.ResetAll()
	if len(s.Lessons) != 0 || s.Lang != "zh" {
		t.Errorf("after ResetAll: %+v; the language stays", s)
	}
}

func TestCorruptIsSetAside(t *testing.T) {
	tests := []struct {
		name, data string
		newer      bool
	}{
		{"not json", "{{{", false},
		{"truncated", `{"format_version": 1, "lessons": {"a": {"score"`, false},
		{"no version", `{"lessons": {}}`, false},
		{"newer", `{"format_version": 99, "lessons": {}}`, true},
		{"impossible score", `{"format_version": 1, "lessons": {"a": {"score": 9, "total": 2}}}`, false},
		{"null lesson", `{"format_version": 1, "lessons": {"a": null}}`, false},
		{"two objects", `{"format_version": 1} {}`, false},
		{"binary", "\x00\xff\xfe", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			st := &Store{Path: filepath.Join(dir, FileName)}
			os.WriteFile(st.Path, []byte(tt.data), 0o600)
			s, err := st.Load()
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("err %v, want a CorruptError", err)
			}
			if s == nil || len(s.Lessons) != 0 {
				t.Errorf("state %+v, want an empty one to go on with", s)
			}
			if errors.Is(err, ErrNewer) != tt.newer {
				t.Errorf("ErrNewer = %v, want %v", errors.Is(err, ErrNewer), tt.newer)
			}
			if !strings.HasPrefix(filepath.Base(ce.SetAside), FileName+".corrupt-") {
				t.Fatalf("set aside as %q", ce.SetAside)
			}
			if kept, _ := os.ReadFile(ce.SetAside); string(kept) != tt.data {
				t.Errorf("the set-aside file holds %q, want the original", kept)
			}
			if _, err := os.Stat(st.Path); !os.IsNotExist(err) {
				t.Errorf("the corrupt file is still in place")
			}
			// The next save and load work as on a fresh machine.
			if err := st.Save(s); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Load(); err != nil {
				t.Errorf("after setting aside: %v", err)
			}
		})
	}
}

func TestUnknownIDsKept(t *testing.T) {
	st := &Store{Path: filepath.Join(t.TempDir(), FileName)}
	os.WriteFile(st.Path, []byte(`{"format_version": 1, "future_field": true, "lessons": {"gone-lesson": {"done": true, "score": 1, "total": 1}}}`), 0o600)
	s, err := st.Load()
	if err != nil || s.Lesson("gone-lesson") == nil {
		t.Fatalf("%+v, %v: an id the course does not know is kept, not an error", s, err)
	}
}

func TestDefaultPath(t *testing.T) {
	env := map[string]string{"XDG_STATE_HOME": "/tmp/st"}
	if got := DefaultPath(func(k string) string { return env[k] }); got != filepath.Join("/tmp/st", "wiretutor", FileName) {
		t.Errorf("DefaultPath = %q", got)
	}
	// A relative XDG_STATE_HOME is invalid by the spec and ignored.
	env["XDG_STATE_HOME"] = "rel"
	if got := DefaultPath(func(k string) string { return env[k] }); !filepath.IsAbs(got) {
		t.Errorf("DefaultPath = %q, want an absolute path", got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"format_version": 1, "lang": "ru", "current": "a", "lessons": {"a": {"done": true, "score": 1, "total": 2, "step": 0}}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parse(data)
		if err != nil {
			return
		}
		for _, l := range s.Lessons {
			if l == nil || l.Score > l.Total {
				t.Fatalf("accepted an impossible record: %s", data)
			}
		}
	})
}
