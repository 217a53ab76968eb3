package main

import (
	"debug/buildinfo"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

func TestParseTargets(t *testing.T) {
	tests := []struct {
		in      string
		want    string // joined again; "" when an error is wanted
		wantErr string
	}{
		{joinTargets(defaultTargets()), "linux/amd64,linux/arm64,darwin/amd64,darwin/arm64,windows/amd64,windows/arm64", ""},
		{" windows/arm64 , linux/amd64,", "windows/arm64,linux/amd64", ""},
		{"linux", "", "want os/arch"},
		{"plan9/amd64", "", `os "plan9"`},
		{"linux/386", "", `arch "386"`},
		{"linux/amd64,linux/amd64", "", "twice"},
		{" , ", "", "no target"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseTargets(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseTargets(%q) = %v, %v; want an error with %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || joinTargets(got) != tt.want {
				t.Fatalf("parseTargets(%q) = %q, %v; want %q", tt.in, joinTargets(got), err, tt.want)
			}
		})
	}
}

func TestCheckVersion(t *testing.T) {
	tests := []struct {
		v  string
		ok bool
	}{
		{"v0.3.0", true},
		{"9f42609", true},
		{"v1.2.3-4-g9f42609-dirty", true},
		{"v1.0.0+build_7", true},
		{"", false},
		{"-v1", false},
		{".hidden", false},
		{"v1/2", false},
		{`v1\2`, false},
		{"v1 2", false},
		{"v1:2", false},
		{"версия", false},
	}
	for _, tt := range tests {
		if err := checkVersion(tt.v); (err == nil) != tt.ok {
			t.Errorf("checkVersion(%q) = %v, want ok=%v", tt.v, err, tt.ok)
		}
	}
}

func TestFileName(t *testing.T) {
	tests := []struct {
		v    string
		t    target
		want string
	}{
		{"v0.3.0", target{"linux", "amd64"}, "wiretutor_v0.3.0_linux_amd64"},
		{"v0.3.0", target{"darwin", "arm64"}, "wiretutor_v0.3.0_darwin_arm64"},
		{"9f42609-dirty", target{"windows", "arm64"}, "wiretutor_9f42609-dirty_windows_arm64.exe"},
	}
	for _, tt := range tests {
		if got := fileName(tt.v, tt.t); got != tt.want {
			t.Errorf("fileName(%q, %s) = %q, want %q", tt.v, tt.t, got, tt.want)
		}
	}
}

func TestSumsFile(t *testing.T) {
	tests := []struct {
		name string
		in   []artifact
		want string
	}{
		{"none", nil, ""},
		{"sorted by name, not by digest", []artifact{
			{name: "wiretutor_v1_windows_amd64.exe", sum: "00aa"},
			{name: "wiretutor_v1_darwin_arm64", sum: "ffbb"},
		}, "ffbb  wiretutor_v1_darwin_arm64\n00aa  wiretutor_v1_windows_amd64.exe\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sumsFile(tt.in); got != tt.want {
				t.Errorf("sumsFile = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestWriteSums writes a real SHA256SUMS and has sha256sum check it,
// where the machine has it.
func TestWriteSums(t *testing.T) {
	dir := t.TempDir()
	files := []struct{ name, data, sum string }{
		{"wiretutor_v1_linux_amd64", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"wiretutor_v1_windows_amd64.exe", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	}
	var as []artifact
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, []byte(f.data), 0o644); err != nil {
			t.Fatal(err)
		}
		sum, size, err := sha256File(path)
		if err != nil || sum != f.sum || size != int64(len(f.data)) {
			t.Fatalf("sha256File(%s) = %s, %d, %v; want %s, %d", f.name, sum, size, err, f.sum, len(f.data))
		}
		as = append(as, artifact{name: f.name, sum: sum, size: size})
	}
	if err := writeSums(dir, as); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, sumsName))
	if err != nil || string(got) != sumsFile(as) {
		t.Fatalf("%s = %q, %v; want %q", sumsName, got, err, sumsFile(as))
	}
	if stray := strayFiles(dir, as); len(stray) != 0 {
		t.Errorf("writeSums left %v behind", stray)
	}
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Log("no sha256sum here to check the format with")
		return
	}
	cmd := exec.Command("sha256sum", "--check", "--strict", sumsName)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sha256sum --check: %v\n%s", err, out)
	}
}

func TestStrayFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"wiretutor_v1_linux_amd64", "wiretutor_v0_linux_amd64", sumsName, ".tmp-wiretutor_v1_linux_arm64-123"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := strayFiles(dir, []artifact{{name: "wiretutor_v1_linux_amd64"}})
	want := []string{".tmp-wiretutor_v1_linux_arm64-123", "wiretutor_v0_linux_amd64"}
	if !slices.Equal(got, want) {
		t.Errorf("strayFiles = %q, want %q", got, want)
	}
}

func TestCheckStamp(t *testing.T) {
	const commit = "295589fcc0c2bfe45a78260f1d62f398dd8092c2"
	good := map[string]string{
		"vcs.revision": commit, "vcs.modified": "false", "GOOS": "linux", "GOARCH": "arm64",
		"CGO_ENABLED": "0", "-trimpath": "true",
	}
	with := func(key, value string) map[string]string {
		m := map[string]string{}
		for k, v := range good {
			m[k] = v
		}
		if value == "" {
			delete(m, key)
		} else {
			m[key] = value
		}
		return m
	}
	tests := []struct {
		name     string
		settings map[string]string
		modified bool
		wantErr  string
	}{
		{"good", good, false, ""},
		{"changes recorded as asked", with("vcs.modified", "true"), true, ""},
		{"no commit", with("vcs.revision", ""), false, "no commit"},
		{"another commit", with("vcs.revision", "0123456789abcdef"), false, "0123456789ab, not HEAD 295589fcc0c2"},
		{"changes not recorded", good, true, `vcs.modified="false"`},
		{"other os", with("GOOS", "darwin"), false, `GOOS="darwin"`},
		{"cgo", with("CGO_ENABLED", "1"), false, "CGO_ENABLED"},
		{"paths kept", with("-trimpath", ""), false, "-trimpath"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s []debug.BuildSetting
			for k, v := range tt.settings {
				s = append(s, debug.BuildSetting{Key: k, Value: v})
			}
			err := checkStamp(s, target{"linux", "arm64"}, stamp{commit: commit, modified: tt.modified})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("checkStamp: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("checkStamp = %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}

// TestGoBuildStripped builds an empty program for this machine with
// goBuild, stripped and not, and checks what checkStripped and
// checkStamp's settings make of each. It takes a second or so.
func TestGoBuildStripped(t *testing.T) {
	host := target{runtime.GOOS, runtime.GOARCH}
	if !slices.Contains(knownOS(), host.os) || !slices.Contains(knownArch(), host.arch) {
		t.Skip("no release target for", host)
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command:", err)
	}
	src := t.TempDir()
	for name, text := range map[string]string{"go.mod": "module hello\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		ldflags  string
		stripped bool
	}{
		{"release flags", stripFlags, true},
		{"no linker flags", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "hello")
			if err := goBuild(t.Context(), src, out, host, tt.ldflags); err != nil {
				t.Fatal(err)
			}
			err := checkStripped(out, host)
			if tt.stripped && err != nil {
				t.Errorf("checkStripped of a -s -w build: %v", err)
			}
			if !tt.stripped && err == nil && host.os != "darwin" { // Mach-O: only DWARF is checked
				t.Error("checkStripped passed a build with its symbol table")
			}
			info, err := buildinfo.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"-trimpath=true", "CGO_ENABLED=0", "GOOS=" + host.os, "GOARCH=" + host.arch} {
				if !slices.ContainsFunc(info.Settings, func(s debug.BuildSetting) bool { return s.Key+"="+s.Value == want }) {
					t.Errorf("the build records no %s: %v", want, info.Settings)
				}
			}
		})
	}
}

func TestSymbolPackage(t *testing.T) {
	tests := []struct{ name, want string }{
		{"gvisor.dev/gvisor/pkg/tcpip/stack.(*Stack).Close", "gvisor.dev/gvisor/pkg/tcpip/stack"},
		{"github.com/alecthomas/chroma/v2/lexers.haxeRules", "github.com/alecthomas/chroma/v2/lexers"},
		{"github.com/yuin/goldmark/util.html5entities.func1", "github.com/yuin/goldmark/util"},
		{"runtime.mallocgc", "runtime"},
		{"_rt0_amd64_linux", "_rt0_amd64_linux"},
		{"vendor/golang.org/x/crypto/chacha20poly1305.chacha20Poly1305Seal.abi0", "vendor/golang.org/x/crypto/chacha20poly1305"},
		{"slices.SortFunc[go.shape.[]gvisor.dev/gvisor/pkg/tcpip.Address,go.shape.struct {}]", "slices"},
		{"type:.eq.charm.land/glamour/v2/ansi.Chroma", "charm.land/glamour/v2/ansi"},
		{"type:.eq.[45]vendor/golang.org/x/sys/cpu.option", "vendor/golang.org/x/sys/cpu"},
		{"type:.eq.go.shape.struct { Proto string }", ""},
		{"go:itab.*github.com/yuin/goldmark/ast.Text,github.com/yuin/goldmark/ast.Node", "github.com/yuin/goldmark/ast"},
		{"go:buildinfo", ""},
		{"go:func.*", ""},
		{"gopkg.in/yaml%2ev3.Marshal", "gopkg.in/yaml.v3"},
		{"wiretutor/engine/cli.Run", "wiretutor/engine/cli"},
		{"main.main", "main"},
	}
	for _, tt := range tests {
		if got := symbolPackage(tt.name); got != tt.want {
			t.Errorf("symbolPackage(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestModuleOf(t *testing.T) {
	modules := []string{"wiretutor", "gvisor.dev/gvisor", "github.com/spf13/cobra", "github.com/charmbracelet/x/ansi", "github.com/charmbracelet/x/term"}
	tests := []struct{ pkg, want string }{
		{"gvisor.dev/gvisor/pkg/tcpip/stack", "gvisor.dev/gvisor"},
		{"gvisor.dev/gvisor", "gvisor.dev/gvisor"},
		{"github.com/spf13/cobrax", "github.com/spf13/cobrax"},
		{"github.com/charmbracelet/x/term", "github.com/charmbracelet/x/term"},
		{"wiretutor/engine/cli", "wiretutor"},
		{"runtime", "std"},
		{"main", "std"},
		{"vendor/golang.org/x/net/idna", "std"},
	}
	for _, tt := range tests {
		if got := moduleOf(tt.pkg, modules); got != tt.want {
			t.Errorf("moduleOf(%q) = %q, want %q", tt.pkg, got, tt.want)
		}
	}
}

func TestTopParts(t *testing.T) {
	m := map[string]int64{"a": 5, "b": 9, "c": 5, "d": 1, "e": 2}
	tests := []struct {
		n     int
		other string
		want  []part
	}{
		{2, "%d others", []part{{"b", 9, pathPart}, {"a", 5, pathPart}, {"3 others", 8, labelPart}}},
		{2, "", []part{{"b", 9, pathPart}, {"a", 5, pathPart}}},
		{9, "%d others", []part{{"b", 9, pathPart}, {"a", 5, pathPart}, {"c", 5, pathPart}, {"e", 2, pathPart}, {"d", 1, pathPart}}},
	}
	for _, tt := range tests {
		if got := topParts(m, tt.n, tt.other); !slices.Equal(got, tt.want) {
			t.Errorf("topParts(%d, %q) = %v, want %v", tt.n, tt.other, got, tt.want)
		}
	}
}

func TestThousands(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {26325154, "26,325,154"}, {-1234, "-1,234"}}
	for _, tt := range tests {
		if got := thousands(tt.n); got != tt.want {
			t.Errorf("thousands(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr bool
	}{
		{nil, false},
		{[]string{"-version", "v0.3.0", "-targets", "linux/amd64", "-sizes"}, false},
		{[]string{"-version", "v0/3"}, true},
		{[]string{"-targets", "linux/mips"}, true},
		{[]string{"build"}, true},
		{[]string{"-nosuch"}, true},
	}
	for _, tt := range tests {
		opt, err := parseFlags(tt.args, io.Discard)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseFlags(%q) = %+v, %v; want error %v", tt.args, opt, err, tt.wantErr)
		}
	}
}
