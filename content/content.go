// Package content holds what translators and instructors edit: the
// course's manifest course.toml (the lessons in order, each with its
// exchange, steps, requirements, quiz and tasks), each lesson's text in
// <lang>/<lesson-id>.md and every string the program prints in
// <lang>/ui.toml. It is embedded in the binary; `--content DIR` reads a
// folder of the same shape instead.
package content

import "embed"

// FS is the embedded content tree: course.toml and one folder per
// language (en/, ru/, zh/, and any a translator adds) holding ui.toml
// and the lessons.
//
//go:embed course.toml */ui.toml */*.md
var FS embed.FS
