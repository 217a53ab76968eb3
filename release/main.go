// Command release builds wiretutor's release binaries. It is a
// maintainer's tool, not part of the course: what it prints is for the
// people who make a release, in English, and never goes through the
// course's ui.toml.
//
// Run it from the repository:
//
//	go run ./release                    all six targets into dist/
//	go run ./release -version v0.3.0    the same, named v0.3.0
//	go run ./release -targets linux/amd64,windows/arm64
//	go run ./release -sizes             also print BENCHMARKS.md's size tables
//
// For each target (linux, darwin and windows on amd64 and arm64) it runs
//
//	CGO_ENABLED=0 GOOS=… GOARCH=… go build -trimpath -buildvcs=true -ldflags='-s -w'
//
// into dist/wiretutor_<version>_<os>_<arch>[.exe], then writes
// dist/SHA256SUMS in the format `sha256sum -c` and `shasum -a 256 -c`
// read. The version in the names is `git describe --tags --always
// --dirty` unless -version says otherwise; the binaries' own --version
// is what Go records from git (the tag, or a pseudo-version, and the
// commit).
//
// Every binary is read back before it is kept: it must record the
// commit being released, whether the tree had changes, its target,
// -trimpath and CGO_ENABLED=0. In a linked git worktree go build records
// no commit (it looks for a .git directory, and a worktree has a .git
// file: golang/go#58218), so there release builds a temporary clone of
// the commit instead, and refuses if the worktree has uncommitted
// changes, which such a build would leave out.
//
// Each file is written under a temporary name in the dist folder and
// renamed when complete, so an interrupted run (Ctrl-C) leaves only
// whole files. The exit status is 0 when every target was built and
// checked, 1 when something failed, 2 for a wrong flag and 130 when
// interrupted (go run turns every failure into 1).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// options are the command line's choices.
type options struct {
	version string
	dist    string
	targets []target
	sizes   bool
}

// run parses args, makes the release and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	opt, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "release: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = release(ctx, opt, stdout, stderr)
	switch {
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "release: interrupted; the dist folder holds only whole files")
		return 130
	case err != nil:
		fmt.Fprintf(stderr, "release: %v\n", err)
		return 1
	}
	return 0
}

// parseFlags reads the command line.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./release [-version V] [-dist DIR] [-targets os/arch,...] [-sizes]")
		fs.PrintDefaults()
	}
	var opt options
	var targets string
	fs.StringVar(&opt.version, "version", "", "`version` in the file names (default: git describe --tags --always --dirty)")
	fs.StringVar(&opt.dist, "dist", "", "`folder` for the binaries and SHA256SUMS (default: dist in the repository)")
	fs.StringVar(&targets, "targets", joinTargets(defaultTargets()), "comma-separated `os/arch` list to build")
	fs.BoolVar(&opt.sizes, "sizes", false, "after building, print the size tables of BENCHMARKS.md (Markdown, on standard output)")
	if err := fs.Parse(args); err != nil {
		return opt, err
	}
	if fs.NArg() > 0 {
		return opt, fmt.Errorf("unexpected argument %q (flags only; see -help)", fs.Arg(0))
	}
	var err error
	if opt.targets, err = parseTargets(targets); err != nil {
		return opt, err
	}
	if opt.version != "" {
		if err := checkVersion(opt.version); err != nil {
			return opt, err
		}
	}
	return opt, nil
}

// release builds every target of opt and writes SHA256SUMS, then the
// size tables if asked.
func release(ctx context.Context, opt options, stdout, stderr io.Writer) error {
	repo, err := openRepo(ctx)
	if err != nil {
		return err
	}
	if opt.version == "" {
		if opt.version, err = repo.describe(ctx); err != nil {
			return err
		}
		if err := checkVersion(opt.version); err != nil {
			return fmt.Errorf("git describe: %w", err)
		}
	}
	dist := opt.dist
	if dist == "" {
		dist = filepath.Join(repo.root, "dist")
	}
	// go build runs in the source folder, which may be a clone: its -o
	// must not be relative to where release was started.
	if dist, err = filepath.Abs(dist); err != nil {
		return fmt.Errorf("dist folder: %w", err)
	}
	if err := os.MkdirAll(dist, 0o777); err != nil {
		return fmt.Errorf("dist folder: %w", err)
	}

	src := repo.root
	if repo.linked {
		if repo.dirty {
			return fmt.Errorf("%s is a linked git worktree with uncommitted changes: go build records no commit in a linked worktree (golang/go#58218), so release would build a clone of the commit without them; commit them first, or run from the main checkout", repo.root)
		}
		fmt.Fprintf(stderr, "%s is a linked git worktree, where go build records no commit (golang/go#58218): building a clone of %s instead\n", repo.root, short(repo.commit))
		clone, cleanup, err := repo.cloneCommit(ctx)
		if err != nil {
			return err
		}
		defer cleanup()
		src = clone
	} else if repo.dirty {
		fmt.Fprintf(stderr, "warning: the working tree has changes git status shows; the binaries will say so in --version\n")
	}

	fmt.Fprintf(stderr, "release %s: commit %s, %s, into %s\n", opt.version, short(repo.commit), count(len(opt.targets), "target"), dist)
	want := stamp{commit: repo.commit, modified: repo.dirty && !repo.linked}
	built := make([]artifact, 0, len(opt.targets))
	for i, t := range opt.targets {
		fmt.Fprintf(stderr, "[%d/%d] %s: building\n", i+1, len(opt.targets), t)
		a, err := buildTarget(ctx, src, dist, opt.version, t, want)
		if err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		fmt.Fprintf(stderr, "[%d/%d] %s: %s, %s, %.0f s\n", i+1, len(opt.targets), t,
			filepath.Join(dist, a.name), megabytes(a.size), a.took.Seconds())
		built = append(built, a)
	}
	if err := writeSums(dist, built); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s (check it with: cd %s && sha256sum -c %s, or shasum -a 256 -c)\n", filepath.Join(dist, sumsName), dist, sumsName)
	if others := strayFiles(dist, built); len(others) > 0 {
		fmt.Fprintf(stderr, "note: %s also holds files this run did not make, which %s does not list: %s\n", dist, sumsName, strings.Join(others, ", "))
	}
	if opt.sizes {
		return printSizes(ctx, stdout, stderr, src, dist, built)
	}
	return nil
}

// count writes n things: "1 target", "6 targets".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
