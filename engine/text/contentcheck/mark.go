package contentcheck

import (
	"fmt"
	"os"
	"path/filepath"

	"wiretutor/engine/course/doc"
	"wiretutor/engine/internal/atomicfile"
)

// MarkCurrent records that dir/lang/lesson.md is up to date with the
// English: its source_hash becomes the hash of dir/en/lesson.md. The
// file is rewritten atomically and otherwise unchanged. It returns the
// hash written.
func MarkCurrent(dir, lang, lesson string) (string, error) {
	enPath := filepath.Join(dir, "en", lesson+".md")
	enSrc, err := os.ReadFile(enPath)
	if err != nil {
		return "", err
	}
	en, err := doc.Parse(enSrc)
	if err != nil {
		return "", fmt.Errorf("%s: %w", enPath, err)
	}
	p := filepath.Join(dir, lang, lesson+".md")
	src, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	out, err := doc.SetSourceHash(src, en.Hash())
	if err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	// The file keeps the mode it had: a rewrite, not a new file.
	f, err := atomicfile.Create(p, fi.Mode().Perm())
	if err != nil {
		return "", err
	}
	if err := f.Chmod(fi.Mode().Perm()); err != nil {
		f.Abort()
		return "", fmt.Errorf("%s: %w", p, err)
	}
	if _, err := f.Write(out); err != nil {
		f.Abort()
		return "", fmt.Errorf("%s: %w", p, err)
	}
	return en.Hash(), f.Commit()
}
