package main

import (
	"cmp"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// sizesTarget is the binary whose parts -sizes shows: ELF, so its
// symbol table says where each symbol lies.
func sizesTarget() target { return target{"linux", "amd64"} }

// The rows of the breakdown that no module owns.
const (
	rowStd       = "Go runtime and standard library"
	rowPclntab   = "function tables (.gopclntab: names, lines and stack maps of every function)"
	rowRodata    = "types and strings (the part of .rodata with no symbol name)"
	rowRest      = "unnamed data, padding and headers"
	otherModules = "%d other modules"
	topModules   = 16
	topPackages  = 12
)

// part is a row of a size table: a name and its bytes.
type part struct {
	name  string
	bytes int64
	kind  partKind
}

// partKind says how a row's name is written.
type partKind int

const (
	pathPart  partKind = iota // a module or package path, written as code
	labelPart                 // words
	totalPart                 // a sum, in bold
)

// printSizes prints, as Markdown, each binary's size and what the
// linux/amd64 one is made of.
func printSizes(ctx context.Context, stdout, stderr io.Writer, src, dist string, built []artifact) error {
	t := sizesTarget()
	i := slices.IndexFunc(built, func(a artifact) bool { return a.target == t })
	if i < 0 {
		return fmt.Errorf("-sizes needs %s among the targets", t)
	}
	stripped := filepath.Join(dist, built[i].name)

	fmt.Fprintf(stderr, "sizes: building %s once more, with its symbol table\n", t)
	tmp, err := os.MkdirTemp("", "wiretutor-sizes-")
	if err != nil {
		return fmt.Errorf("sizes: %w", err)
	}
	defer os.RemoveAll(tmp)
	full := filepath.Join(tmp, "wiretutor")
	if err := goBuild(ctx, src, full, t, ""); err != nil {
		return fmt.Errorf("sizes: %w", err)
	}
	info, err := buildinfo.ReadFile(stripped)
	if err != nil {
		return fmt.Errorf("sizes: %w", err)
	}
	modules := []string{info.Main.Path}
	for _, d := range info.Deps {
		modules = append(modules, d.Path)
	}
	mods, pkgs, err := breakdown(full, stripped, modules)
	if err != nil {
		return fmt.Errorf("sizes: %w", err)
	}

	fmt.Fprintf(stdout, "Go %s, commit %s (%s):\n\n", strings.TrimPrefix(info.GoVersion, "go"), short(stampOf(info, "vcs.revision")), runtime.GOOS+"/"+runtime.GOARCH+" host")
	fmt.Fprintln(stdout, "| target | file | bytes | MB |")
	fmt.Fprintln(stdout, "|---|---|---:|---:|")
	for _, a := range built {
		fmt.Fprintf(stdout, "| %s | `%s` | %s | %.1f |\n", a.target, a.name, thousands(a.size), float64(a.size)/1e6)
	}
	fmt.Fprintf(stdout, "\nWhat `%s` is made of, by module:\n\n", built[i].name)
	printParts(stdout, "part", mods, built[i].size)
	fmt.Fprintf(stdout, "\nThe largest packages (their named code and data):\n\n")
	printParts(stdout, "package", pkgs, built[i].size)
	return nil
}

// printParts prints parts as a Markdown table with each one's share of
// total.
func printParts(w io.Writer, head string, parts []part, total int64) {
	fmt.Fprintf(w, "| %s | bytes | MB | share |\n", head)
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	for _, p := range parts {
		cells := []string{p.name, thousands(p.bytes), fmt.Sprintf("%.1f", float64(p.bytes)/1e6), fmt.Sprintf("%.1f%%", 100*float64(p.bytes)/float64(total))}
		switch p.kind {
		case pathPart:
			cells[0] = "`" + p.name + "`"
		case totalPart:
			for i, c := range cells {
				cells[i] = "**" + c + "**"
			}
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
}

// breakdown splits the stripped binary's size into the modules owning
// the named symbols of full (the same build with its symbol table) and
// the parts no symbol names, so the rows add up to the stripped file's
// size; and lists the largest packages.
func breakdown(full, stripped string, modules []string) (mods, pkgs []part, err error) {
	f, err := elf.Open(full)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	s, err := elf.Open(stripped)
	if err != nil {
		return nil, nil, err
	}
	defer s.Close()
	st, err := os.Stat(stripped)
	if err != nil {
		return nil, nil, err
	}
	for _, sec := range s.Sections {
		if sec.Flags&elf.SHF_ALLOC == 0 {
			continue
		}
		if other := f.Section(sec.Name); other == nil || other.Size != sec.Size {
			return nil, nil, fmt.Errorf("section %s differs between the builds with and without symbols", sec.Name)
		}
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil, nil, err
	}

	byModule := map[string]int64{}
	byPackage := map[string]int64{}
	named := map[string]int64{} // per section
	var namedTotal int64
	for _, sym := range syms {
		if sym.Size == 0 || int(sym.Section) >= len(f.Sections) || sym.Section == elf.SHN_UNDEF {
			continue
		}
		sec := f.Sections[sym.Section]
		if sec.Type == elf.SHT_NOBITS || sec.Flags&elf.SHF_ALLOC == 0 || sec.Name == ".gopclntab" {
			continue // takes no room in the file, or is counted whole below
		}
		pkg := symbolPackage(sym.Name)
		if pkg == "" {
			continue // the linker's own (go:buildinfo, …): in the rest
		}
		n := int64(sym.Size)
		byModule[moduleOf(pkg, modules)] += n
		byPackage[pkg] += n
		named[sec.Name] += n
		namedTotal += n
	}

	mods = topParts(byModule, topModules, otherModules)
	for i := range mods {
		if mods[i].name == "std" {
			mods[i].name, mods[i].kind = rowStd, labelPart
		}
	}
	mods = append(mods, part{"named code and data, all modules", namedTotal, totalPart})
	var pclntab, rodata int64
	if sec := s.Section(".gopclntab"); sec != nil {
		pclntab = int64(sec.Size)
	}
	if sec := s.Section(".rodata"); sec != nil {
		rodata = int64(sec.Size) - named[".rodata"]
	}
	rest := st.Size() - namedTotal - pclntab - rodata
	mods = append(mods, part{rowPclntab, pclntab, labelPart}, part{rowRodata, rodata, labelPart},
		part{rowRest, rest, labelPart}, part{"the file", st.Size(), totalPart})
	return mods, topParts(byPackage, topPackages, ""), nil
}

// topParts is the n largest entries of m, largest first, then (if
// other is not empty) one row "other" summing the rest.
func topParts(m map[string]int64, n int, other string) []part {
	parts := make([]part, 0, len(m))
	for k, v := range m {
		parts = append(parts, part{k, v, pathPart})
	}
	slices.SortFunc(parts, func(a, b part) int {
		return cmp.Or(cmp.Compare(b.bytes, a.bytes), strings.Compare(a.name, b.name))
	})
	if len(parts) <= n {
		return parts
	}
	rest := parts[n:]
	parts = parts[:n]
	if other != "" {
		var sum int64
		for _, p := range rest {
			sum += p.bytes
		}
		parts = append(parts, part{fmt.Sprintf(other, len(rest)), sum, labelPart})
	}
	return parts
}

// symbolPackage is the import path of the package a linker symbol
// belongs to: "gvisor.dev/gvisor/pkg/tcpip/stack" for
// "gvisor.dev/gvisor/pkg/tcpip/stack.(*Stack).Close", the concrete
// type's package for an itab, the type's for its equality and hash
// functions. It is "" for the linker's own symbols (go:buildinfo) and
// for shapes of generic code.
func symbolPackage(name string) string {
	switch {
	case strings.HasPrefix(name, "go:itab."):
		name = strings.TrimPrefix(name, "go:itab.")
	case strings.HasPrefix(name, "type:"):
		name = strings.TrimPrefix(name, "type:")
		for _, p := range []string{".eq.", ".hash.", ".namedata.", ".importpath."} {
			name = strings.TrimPrefix(name, p)
		}
	case strings.HasPrefix(name, "go:"):
		return ""
	}
	for {
		switch {
		case strings.HasPrefix(name, "*"):
			name = name[1:]
			continue
		case strings.HasPrefix(name, "["):
			if i := strings.IndexByte(name, ']'); i > 0 {
				name = name[i+1:]
				continue
			}
		}
		break
	}
	if strings.HasPrefix(name, "go.shape.") || name == "" {
		return ""
	}
	if i := strings.IndexAny(name, "([ ,{"); i >= 0 {
		name = name[:i]
	}
	slash := strings.LastIndexByte(name, '/')
	if dot := strings.IndexByte(name[slash+1:], '.'); dot >= 0 {
		name = name[:slash+1+dot]
	}
	if p, err := url.PathUnescape(name); err == nil { // "yaml%2ev3": a dot in the last element
		name = p
	}
	return name
}

// moduleOf is the module in modules that holds package pkg (the
// longest that is pkg or a parent of it), "std" for the standard
// library (a path whose first element has no dot, and std's vendored
// golang.org/x), else pkg itself.
func moduleOf(pkg string, modules []string) string {
	best := ""
	for _, m := range modules {
		if (pkg == m || strings.HasPrefix(pkg, m+"/")) && len(m) > len(best) {
			best = m
		}
	}
	if best != "" {
		return best
	}
	first, _, _ := strings.Cut(pkg, "/")
	if !strings.Contains(first, ".") {
		return "std"
	}
	return pkg
}

// stampOf is the value of a build setting, "" when absent.
func stampOf(info *buildinfo.BuildInfo, key string) string {
	for _, s := range info.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
