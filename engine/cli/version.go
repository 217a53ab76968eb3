package cli

import (
	"runtime"
	"runtime/debug"
)

// buildInfo is what a binary knows of how it was made: its module
// version ("(devel)" from a checkout), the commit and whether the
// checkout had changes, and the Go that built it. go build, go run and
// go install all record it.
type buildInfo struct {
	Version, Commit, Date, Go, OS, Arch string
	Modified                            bool
}

// readBuildInfo reads the running binary's build information.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: "(devel)", Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if v := info.Main.Version; v != "" {
		b.Version = v
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
			if len(b.Commit) > 12 {
				b.Commit = b.Commit[:12]
			}
		case "vcs.time":
			b.Date = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// versionLine is what --version prints, in the user's language.
func (a *app) versionLine() string {
	b := readBuildInfo()
	d := map[string]any{"Version": b.Version, "Commit": b.Commit, "Date": b.Date, "Go": b.Go, "Platform": b.OS + "/" + b.Arch}
	switch {
	case b.Commit == "":
		d["Source"] = a.tx.T("version.source_unknown", nil)
	case b.Modified:
		d["Source"] = a.tx.T("version.source_modified", d)
	default:
		d["Source"] = a.tx.T("version.source", d)
	}
	return a.tx.T("version.line", d)
}
