package main

import (
	"context"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/dwarf"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"time"
)

// stripFlags are the linker flags of a release: no symbol table (-s)
// and no DWARF (-w). Stack traces keep their function names and lines.
const stripFlags = "-s -w"

// artifact is one binary made and checked.
type artifact struct {
	target target
	name   string // file name in the dist folder
	size   int64
	sum    string // SHA-256, hex
	took   time.Duration
}

// stamp is what a release binary must record of its source.
type stamp struct {
	commit   string
	modified bool
}

// buildTarget builds src for t into dist, checks what the binary
// records and puts it in place under its release name.
func buildTarget(ctx context.Context, src, dist, version string, t target, want stamp) (artifact, error) {
	a := artifact{target: t, name: fileName(version, t)}
	start := time.Now()
	tmp, err := tempPath(dist, a.name)
	if err != nil {
		return a, err
	}
	defer os.Remove(tmp) // gone already once renamed into place
	if err := goBuild(ctx, src, tmp, t, stripFlags); err != nil {
		return a, err
	}
	info, err := buildinfo.ReadFile(tmp)
	if err != nil {
		return a, fmt.Errorf("reading back the build information: %w", err)
	}
	if err := checkStamp(info.Settings, t, want); err != nil {
		return a, err
	}
	if err := checkStripped(tmp, t); err != nil {
		return a, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // CreateTemp made it 0600
		return a, fmt.Errorf("making the binary executable: %w", err)
	}
	if a.sum, a.size, err = sha256File(tmp); err != nil {
		return a, err
	}
	if err := os.Rename(tmp, filepath.Join(dist, a.name)); err != nil {
		return a, fmt.Errorf("putting the binary in place: %w", err)
	}
	a.took = time.Since(start)
	return a, nil
}

// tempPath reserves a temporary file name in dir for a file that will
// be renamed to name.
func tempPath(dir, name string) (string, error) {
	f, err := os.CreateTemp(dir, ".tmp-"+name+"-*")
	if err != nil {
		return "", fmt.Errorf("temporary file in %s: %w", dir, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("temporary file in %s: %w", dir, err)
	}
	return f.Name(), nil
}

// goBuild runs go build of the main package in src for t into out,
// with the release's flags and the given linker flags. Its work folder
// (GOTMPDIR) is one of ours, removed when it ends: go build leaves its
// own behind when interrupted. On ctx's end go build is killed (alone,
// it would ignore an interrupt and finish; a Ctrl-C at a terminal
// reaches it and its compilers anyway).
func goBuild(ctx context.Context, src, out string, t target, ldflags string) error {
	work, err := os.MkdirTemp("", "wiretutor-release-go-")
	if err != nil {
		return fmt.Errorf("go build's work folder: %w", err)
	}
	defer os.RemoveAll(work)
	args := []string{"build", "-trimpath", "-buildvcs=true"}
	if ldflags != "" {
		args = append(args, "-ldflags="+ldflags)
	}
	args = append(args, "-o", out, ".")
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = src
	// The last value of a name wins: these replace the caller's own, so
	// a maintainer's GOAMD64=v3 does not make a release that needs a
	// newer processor than Go's baseline.
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+t.os, "GOARCH="+t.arch,
		"GOAMD64=v1", "GOARM64=v8.0", "GOTMPDIR="+work)
	cmd.Stderr = os.Stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("go build failed (%w); its messages are above", err)
		}
		return fmt.Errorf("go build: %w", err)
	}
	return nil
}

// checkStamp checks the build settings a binary records against the
// release's: the commit and whether the tree had changes, the target,
// -trimpath and no cgo. (Go leaves -ldflags out of a -trimpath build's
// settings; checkStripped looks at the file instead.)
func checkStamp(settings []debug.BuildSetting, t target, want stamp) error {
	got := map[string]string{}
	for _, s := range settings {
		got[s.Key] = s.Value
	}
	switch rev := got["vcs.revision"]; {
	case rev == "":
		return fmt.Errorf("the binary records no commit (is this a git checkout? was -buildvcs=false forced?)")
	case rev != want.commit:
		return fmt.Errorf("the binary records commit %s, not HEAD %s (a worktree inside another checkout? golang/go#58218)", short(rev), short(want.commit))
	}
	checks := []struct{ key, want string }{
		{"vcs.modified", strconv.FormatBool(want.modified)},
		{"GOOS", t.os},
		{"GOARCH", t.arch},
		{"CGO_ENABLED", "0"},
		{"-trimpath", "true"},
	}
	for _, c := range checks {
		if got[c.key] != c.want {
			return fmt.Errorf("the binary records %s=%q, want %q", c.key, got[c.key], c.want)
		}
	}
	return nil
}

// checkStripped checks that the binary at path has no DWARF (-w) and,
// where the format says so plainly, no symbol table (-s).
func checkStripped(path string, t target) error {
	type binary interface {
		DWARF() (*dwarf.Data, error)
		Close() error
	}
	var (
		f       binary
		symbols int
		err     error
	)
	switch t.os {
	case "linux":
		var e *elf.File
		if e, err = elf.Open(path); err == nil {
			f = e
			if e.Section(".symtab") != nil {
				symbols = 1
			}
		}
	case "windows":
		var p *pe.File
		if p, err = pe.Open(path); err == nil {
			f, symbols = p, len(p.Symbols)
		}
	case "darwin": // keeps the few symbols dyld needs
		var m *macho.File
		if m, err = macho.Open(path); err == nil {
			f = m
		}
	default:
		return fmt.Errorf("no check of stripping for %s", t.os)
	}
	if err != nil {
		return fmt.Errorf("reading the binary back: %w", err)
	}
	defer f.Close()
	if _, err := f.DWARF(); err == nil {
		return fmt.Errorf("the binary has DWARF debug information: -ldflags=%q did not apply", stripFlags)
	}
	if symbols > 0 {
		return fmt.Errorf("the binary has a symbol table: -ldflags=%q did not apply", stripFlags)
	}
	return nil
}

// sha256File is the SHA-256 of the file at path, in hex, and its size.
func sha256File(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("checksum: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("checksum of %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// writeSums writes dist/SHA256SUMS for the artifacts, whole or not at
// all.
func writeSums(dist string, as []artifact) error {
	tmp, err := tempPath(dist, sumsName)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.WriteFile(tmp, []byte(sumsFile(as)), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", sumsName, err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil { // CreateTemp made it 0600
		return fmt.Errorf("writing %s: %w", sumsName, err)
	}
	if err := os.Rename(tmp, filepath.Join(dist, sumsName)); err != nil {
		return fmt.Errorf("putting %s in place: %w", sumsName, err)
	}
	return nil
}

// strayFiles lists the release files in dist that this run did not
// make: binaries of another version, or leftovers of a killed run.
func strayFiles(dist string, as []artifact) []string {
	entries, err := os.ReadDir(dist)
	if err != nil {
		return nil
	}
	var stray []string
	for _, e := range entries {
		name := e.Name()
		if name == sumsName || slices.ContainsFunc(as, func(a artifact) bool { return a.name == name }) {
			continue
		}
		stray = append(stray, name)
	}
	return stray
}
