package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"wiretutor/engine/course"
	"wiretutor/engine/course/syllabus"
	"wiretutor/engine/text/contentcheck"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/message"
	"wiretutor/lessons"
)

func (a *app) contentCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "content",
		Short: a.tx.T("cmd.content.short", nil),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	var dir string
	var mark string
	check := &cobra.Command{
		Use:   "check",
		Short: a.tx.T("cmd.content_check.short", nil),
		Long:  a.tx.T("cmd.content_check.long", nil),
		Example: "  wiretutor content check --dir content\n" +
			"  wiretutor content check --dir content --mark-current ru tcp-handshake",
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				dir, _ = cmd.Flags().GetString("content")
			}
			if mark != "" {
				return a.markCurrent(dir, mark, args)
			}
			if len(args) > 0 {
				return errContentArgs{arg: args[0]}
			}
			return a.checkContent(dir)
		},
	}
	check.Flags().StringVar(&dir, "dir", "", a.tx.T("flag.content_dir", nil))
	check.Flags().StringVar(&mark, "mark-current", "", a.tx.T("flag.mark_current", nil))
	cmd.AddCommand(check)
	return cmd
}

// checkLessons is what the content check needs of the lessons;
// manifest is the tree's course file they come from, "" for the
// built-in one.
func checkLessons(lessons []*course.Lesson, manifest string) []contentcheck.Lesson {
	ls := make([]contentcheck.Lesson, len(lessons))
	for i, l := range lessons {
		ls[i] = contentcheck.Lesson{ID: l.ID, Sections: l.Sections(), Messages: l.Messages()}
		if manifest != "" {
			ls[i].Manifest, ls[i].SectionLines = manifest, map[string]int{}
			for _, st := range l.Steps {
				if st.Kind == course.Text {
					ls[i].SectionLines[st.Section] = st.Line
				}
			}
		}
	}
	return ls
}

// checkManifest builds the course of fsys: a broken course.toml is a
// finding, and the rest of the tree is checked against the built-in
// course; a folder without one is checked against it too.
func (a *app) checkManifest(fsys fs.FS) ([]contentcheck.Lesson, []contentcheck.Finding) {
	ls, err := lessons.Load(fsys)
	if err == nil {
		return checkLessons(ls, lessons.ManifestFile), nil
	}
	l, _ := lessons.Load(a.env.Content)
	builtin := checkLessons(l, "")
	if errors.Is(err, fs.ErrNotExist) {
		return builtin, nil
	}
	f := contentcheck.Finding{File: lessons.ManifestFile, ID: "content_check.manifest", Data: map[string]any{"Why": err.Error()}}
	var sy *syllabus.Error
	if errors.As(err, &sy) {
		f.Line = sy.Line
		f.Data["Why"] = a.courseWhy(sy)
	}
	return builtin, []contentcheck.Finding{f}
}

// checkContent reports every finding in dir (the embedded content when
// dir is empty) and fails when there is any.
func (a *app) checkContent(dir string) error {
	var fsys fs.FS = a.env.Content
	where := a.tx.T("content_check.embedded", nil)
	if dir != "" {
		if fi, err := os.Stat(dir); err != nil {
			return err
		} else if !fi.IsDir() {
			return errNotDir{path: dir}
		}
		fsys, where = os.DirFS(dir), dir
	}
	langs := i18n.Available(fsys)
	ls, found := a.checkManifest(fsys)
	found = append(found, contentcheck.Check(fsys, ls)...)
	for _, f := range found {
		file := f.File
		if dir != "" {
			file = filepath.Join(dir, filepath.FromSlash(f.File))
		}
		loc := file
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d", file, f.Line)
		}
		data := map[string]any{"Dir": dirOrContent(dir)}
		for k, v := range f.Data {
			data[k] = v
		}
		fmt.Fprintf(a.out(), "%s: %s\n", loc, a.tx.Msg(message.Msg{ID: f.ID, Data: data}))
	}
	if len(found) > 0 {
		fmt.Fprintln(a.out())
		fmt.Fprintln(a.out(), a.tx.N("content_check.found", len(found), map[string]any{"Where": where}))
		return exitStatus(ExitError)
	}
	fmt.Fprintln(a.out(), a.tx.N("content_check.clean", len(langs), map[string]any{"Where": where, "Lessons": len(ls)}))
	return nil
}

// dirOrContent names the folder in the commands a finding suggests.
func dirOrContent(dir string) string {
	if dir == "" {
		return "content"
	}
	return dir
}

// markCurrent records that translations into lang of the lessons are
// up to date with the English.
func (a *app) markCurrent(dir, lang string, ids []string) error {
	switch {
	case len(ids) == 0:
		return errMissingFlag{flag: "LESSON"}
	case dir == "":
		return errMissingFlag{flag: "--dir"}
	case lang == "en" || !slices.Contains(i18n.Available(os.DirFS(dir)), lang):
		return errBadValue{flag: "--mark-current", value: lang, want: strings.Join(i18n.Available(os.DirFS(dir))[1:], ", ")}
	}
	// The lessons are the folder's own (its course.toml), not those of
	// the content the command runs with.
	ls, _ := a.checkManifest(os.DirFS(dir))
	for _, id := range ids {
		if !slices.ContainsFunc(ls, func(l contentcheck.Lesson) bool { return l.ID == id }) {
			return errUnknownLesson{id: id}
		}
	}
	for _, id := range ids {
		hash, err := contentcheck.MarkCurrent(dir, lang, id)
		if err != nil {
			return err
		}
		fmt.Fprintln(a.out(), a.tx.T("content_check.marked", map[string]any{"File": filepath.Join(dir, lang, id+".md"), "Hash": hash}))
	}
	return nil
}

// errContentArgs: content check was given a lesson without
// --mark-current.
type errContentArgs struct{ arg string }

func (e errContentArgs) Error() string {
	return "unexpected " + e.arg + ": lessons are named only with --mark-current"
}

// Message says where lessons are named.
func (e errContentArgs) Message() (string, map[string]any) {
	return "error.content_args", map[string]any{"Arg": e.arg}
}

// errNotDir: --dir names a file.
type errNotDir struct{ path string }

func (e errNotDir) Error() string { return e.path + " is not a folder" }
