// Package atomicfile writes files so that a reader sees either the old
// file or the whole new one, never half of it: the data goes to a
// temporary file beside the target, is synced, and is renamed into
// place. An interrupted write leaves nothing behind.
//
// The temporary file is created with the mode asked for, so the kernel
// applies the process's umask to it as it does to any new file: an
// ordinary file asked for as 0o666 comes out 0644 under umask 022 and
// 0600 under umask 077. A file that holds a secret is created with
// CreatePrivate or WritePrivate, which make it 0600 whatever the umask.
package atomicfile

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Private is the mode of a file made by CreatePrivate and WritePrivate:
// read and write for its owner only.
const Private os.FileMode = 0o600

// File is a file being written; Commit puts it in place, Abort drops it.
type File struct {
	*os.File
	path string
	done bool
}

// Create starts writing path. The file is created with perm less the
// umask, as os.OpenFile would create it; ordinary files ask for 0o666.
func Create(path string, perm os.FileMode) (*File, error) {
	return create(path, perm, false)
}

// CreatePrivate starts writing path as a private file: mode 0600
// whatever the umask, for content that holds a secret (a token, a
// password in a capture).
func CreatePrivate(path string) (*File, error) {
	return create(path, Private, true)
}

// tries bounds the search for a free temporary name; with 130 random
// bits a clash means something else is wrong.
const tries = 100

func create(path string, perm os.FileMode, exact bool) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	for range tries {
		// A random name in the target's folder, made here with O_EXCL so
		// that the kernel applies the umask to perm (os.CreateTemp would
		// always make it 0600).
		tmp := filepath.Join(dir, "."+base+"."+rand.Text()+".tmp")
		f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm.Perm())
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		if exact {
			// A restrictive umask (0277) must not leave the owner unable
			// to write, nor a lax one make a secret readable.
			if err := f.Chmod(perm.Perm()); err != nil {
				f.Close()
				os.Remove(tmp)
				return nil, fmt.Errorf("write %s: %w", path, err)
			}
		}
		return &File{File: f, path: path}, nil
	}
	return nil, fmt.Errorf("write %s: %w", path, errNoTempName)
}

var errNoTempName = errors.New("no free temporary file name in the folder")

// Commit syncs the data and renames it over the target.
func (f *File) Commit() error {
	if f.done {
		return nil
	}
	f.done = true
	err := f.Sync()
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return nil
}

// Abort discards what was written; the target is untouched. It does
// nothing after Commit.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.File.Close()
	os.Remove(f.Name())
}

// WriteFile writes data to path atomically; the file gets perm less the
// umask, as with os.WriteFile.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	return write(f, path, data)
}

// WritePrivate writes data to path atomically as a private file: 0600
// whatever the umask.
func WritePrivate(path string, data []byte) error {
	f, err := CreatePrivate(path)
	if err != nil {
		return err
	}
	return write(f, path, data)
}

func write(f *File, path string, data []byte) error {
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}
