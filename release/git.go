package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// repo is the git checkout being released.
type repo struct {
	root   string // the top of the working tree
	common string // the repository's own git directory (shared by its worktrees)
	commit string // HEAD, in full
	dirty  bool   // git status --porcelain shows something, as go build's vcs.modified
	linked bool   // a linked worktree (git worktree add), where go build records no commit
}

// git runs git with args in dir and returns its output, trimmed.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(errOut.String()); msg != "" {
			return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, msg)
		}
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(out.String()), nil
}

// openRepo finds the checkout around the current directory and what
// go build will record of it.
func openRepo(ctx context.Context) (repo, error) {
	var r repo
	if _, err := exec.LookPath("git"); err != nil {
		return r, fmt.Errorf("release needs git, to name the release and check the commit the binaries record: %w", err)
	}
	wd, err := os.Getwd()
	if err != nil {
		return r, fmt.Errorf("current directory: %w", err)
	}
	if r.root, err = git(ctx, wd, "rev-parse", "--show-toplevel"); err != nil {
		return r, fmt.Errorf("run release inside wiretutor's git checkout: %w", err)
	}
	if _, err := os.Stat(filepath.Join(r.root, "go.mod")); err != nil {
		return r, fmt.Errorf("%s has no go.mod: %w", r.root, err)
	}
	gitDir, err := git(ctx, r.root, "rev-parse", "--absolute-git-dir")
	if err != nil {
		return r, err
	}
	if r.common, err = git(ctx, r.root, "rev-parse", "--git-common-dir"); err != nil {
		return r, err
	}
	if !filepath.IsAbs(r.common) {
		r.common = filepath.Join(r.root, r.common)
	}
	r.linked = filepath.Clean(gitDir) != filepath.Clean(r.common)
	if r.commit, err = git(ctx, r.root, "rev-parse", "HEAD"); err != nil {
		return r, fmt.Errorf("no commit to release: %w", err)
	}
	status, err := git(ctx, r.root, "status", "--porcelain")
	if err != nil {
		return r, err
	}
	r.dirty = status != ""
	return r, nil
}

// describe is the release's default name: the nearest tag and how far
// HEAD is from it, or the short commit when there is no tag, with
// -dirty when tracked files have changed.
func (r repo) describe(ctx context.Context) (string, error) {
	return git(ctx, r.root, "describe", "--tags", "--always", "--dirty")
}

// cloneCommit makes a temporary clone of r's commit, with its tags
// (go build names the binary's version from them), and returns its
// folder and the function that removes it.
func (r repo) cloneCommit(ctx context.Context) (string, func(), error) {
	tmp, err := os.MkdirTemp("", "wiretutor-release-")
	if err != nil {
		return "", nil, fmt.Errorf("temporary clone: %w", err)
	}
	cleanup := func() { os.RemoveAll(tmp) }
	dir := filepath.Join(tmp, "wiretutor")
	steps := [][]string{
		{"clone", "--quiet", "--shared", "--no-checkout", r.common, dir},
		{"-C", dir, "checkout", "--quiet", "--detach", r.commit},
	}
	for _, args := range steps {
		if _, err := git(ctx, tmp, args...); err != nil {
			cleanup()
			return "", nil, fmt.Errorf("temporary clone: %w", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); errors.Is(err, os.ErrNotExist) {
		cleanup()
		return "", nil, fmt.Errorf("temporary clone %s has no .git directory", dir)
	}
	return dir, cleanup, nil
}

// short is a commit's first 12 digits, as --version shows it.
func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}
