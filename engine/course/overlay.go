package course

import (
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Overlay is a content tree that reads the texts of the lessons ids
// (<lang>/<id>.md) from top where top has them, and everything else
// from base: how a course file's own lessons bring their texts along in
// the folder beside it.
func Overlay(top, base fs.FS, ids []string) fs.FS {
	return overlay{top: top, base: base, ids: ids}
}

type overlay struct {
	top, base fs.FS
	ids       []string
}

func (o overlay) Open(name string) (fs.File, error) {
	dir, file := path.Split(name)
	if id, ok := strings.CutSuffix(file, ".md"); ok && strings.Count(dir, "/") == 1 && slices.Contains(o.ids, id) {
		if f, err := o.top.Open(name); err == nil {
			return f, nil
		}
	}
	return o.base.Open(name)
}
