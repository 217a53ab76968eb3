package main

import (
	"fmt"
	"slices"
	"strings"
)

// target is one platform a binary is built for.
type target struct{ os, arch string }

// String is the target as go tool dist list writes it: "linux/amd64".
func (t target) String() string { return t.os + "/" + t.arch }

// defaultTargets are the platforms of a release.
func defaultTargets() []target {
	return []target{
		{"linux", "amd64"}, {"linux", "arm64"},
		{"darwin", "amd64"}, {"darwin", "arm64"},
		{"windows", "amd64"}, {"windows", "arm64"},
	}
}

// knownOS and knownArch are what -targets accepts: the systems
// wiretutor supports and the processors a release is built for.
func knownOS() []string   { return []string{"linux", "darwin", "windows"} }
func knownArch() []string { return []string{"amd64", "arm64"} }

// parseTargets reads a comma-separated list of os/arch.
func parseTargets(s string) ([]target, error) {
	var ts []target
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		goos, arch, ok := strings.Cut(f, "/")
		if !ok {
			return nil, fmt.Errorf("target %q: want os/arch, as linux/amd64", f)
		}
		if !slices.Contains(knownOS(), goos) {
			return nil, fmt.Errorf("target %q: os %q is not one of %s", f, goos, strings.Join(knownOS(), ", "))
		}
		if !slices.Contains(knownArch(), arch) {
			return nil, fmt.Errorf("target %q: arch %q is not one of %s", f, arch, strings.Join(knownArch(), ", "))
		}
		t := target{goos, arch}
		if slices.Contains(ts, t) {
			return nil, fmt.Errorf("target %q is listed twice", f)
		}
		ts = append(ts, t)
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("no target in %q", s)
	}
	return ts, nil
}

// joinTargets writes targets as parseTargets reads them.
func joinTargets(ts []target) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.String()
	}
	return strings.Join(s, ",")
}

// checkVersion accepts a version that is safe in a file name on every
// system: letters, digits, '.', '-', '+' and '_', starting with a
// letter or digit.
func checkVersion(v string) error {
	if v == "" {
		return fmt.Errorf("empty version")
	}
	for i, r := range v {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if i > 0 {
			ok = ok || strings.ContainsRune(".-+_", r)
		}
		if !ok {
			return fmt.Errorf("version %q: %q cannot be in a file name (use letters, digits, '.', '-', '+', '_')", v, r)
		}
	}
	return nil
}

// fileName is the name of the binary of version v for t:
// wiretutor_v0.3.0_linux_amd64, wiretutor_v0.3.0_windows_arm64.exe.
func fileName(v string, t target) string {
	name := "wiretutor_" + v + "_" + t.os + "_" + t.arch
	if t.os == "windows" {
		name += ".exe"
	}
	return name
}

// sumsName is the checksum file of a release.
const sumsName = "SHA256SUMS"

// sumsFile is the SHA256SUMS text of the artifacts, sorted by name:
// one "<hex digest>  <name>" line each, as sha256sum writes and reads
// (two spaces: GNU's text mode, which shasum -a 256 -c reads too).
func sumsFile(as []artifact) string {
	sorted := slices.Clone(as)
	slices.SortFunc(sorted, func(a, b artifact) int { return strings.Compare(a.name, b.name) })
	var b strings.Builder
	for _, a := range sorted {
		b.WriteString(a.sum + "  " + a.name + "\n")
	}
	return b.String()
}

// megabytes writes n bytes in MB (10⁶ bytes), one decimal.
func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
