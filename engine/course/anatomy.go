package course

import (
	"fmt"
	"slices"

	"wiretutor/engine/course/syllabus"
	"wiretutor/engine/packet/anatomy"
	"wiretutor/engine/packet/filter"
	"wiretutor/engine/text/render"
)

// AnatomyView is what an anatomy step shows: the first frame of the
// capture that a display filter selects, the headers of its layers
// field by field.
type AnatomyView struct {
	ID     string
	Filter string
	Layers []string
	match  *filter.Display
}

// buildAnatomy reads an entry's anatomy table, by id: each needs an id,
// a filter that compiles and layers anatomy reads.
func buildAnatomy(s *syllabus.Syllabus, e *syllabus.Entry) (map[string]*AnatomyView, error) {
	views := map[string]*AnatomyView{}
	for _, a := range e.Anatomy {
		q := `"` + a.ID + `"`
		line := s.LineAfter(e, "anatomy", q)
		switch {
		case a.ID == "" || a.Filter == "" || len(a.Layers) == 0:
			return nil, &syllabus.Error{Line: line, Code: syllabus.CodeBadAnatomy, Arg: a.ID}
		case views[a.ID] != nil:
			return nil, &syllabus.Error{Line: line, Code: syllabus.CodeIDTwice, Arg: a.ID}
		}
		d, err := filter.CompileDisplay(a.Filter)
		if err != nil {
			return nil, &syllabus.Error{Line: line, Code: syllabus.CodeBadFilter, Arg: a.Filter, Why: err}
		}
		for _, l := range a.Layers {
			if !slices.Contains(anatomy.Layers(), l) {
				return nil, &syllabus.Error{Line: line, Code: syllabus.CodeUnknownLayer, Arg: l, Have: anatomy.Layers()}
			}
		}
		views[a.ID] = &AnatomyView{ID: a.ID, Filter: a.Filter, Layers: slices.Clone(a.Layers), match: d}
	}
	return views, nil
}

// anatomy shows the step's frame header by header: its bytes marked
// field by field, and each field's name in the learner's language,
// tshark's name, its value and what it means. A capture without such a
// frame is told so, and the lesson goes on.
func (run *runner) anatomy(v *AnatomyView) error {
	if run.cap == nil {
		return errNoCapture
	}
	tx, out := run.tx, run.o.Out
	for i := range run.cap.Packets {
		p := &run.cap.Packets[i]
		if !v.match.Match(p) {
			continue
		}
		heads := anatomy.Headers(p, v.Layers...)
		if len(heads) == 0 {
			break
		}
		run.say(run.r.Paint(render.Heading, tx.N("anatomy.title", len(p.Data), map[string]any{"Frame": p.Number})))
		legend := "anatomy.legend_marks"
		if run.o.Term.Color {
			legend = "anatomy.legend_colour"
		}
		run.say(run.r.Paint(render.Dim, tx.T(legend, nil)))
		fmt.Fprintln(out)
		explained := map[string]bool{} // a field met again (an option's kind) is not explained again
		for _, h := range heads {
			l := render.AnatomyLayer{
				Title: tx.N("anatomy.layer."+h.Layer, h.Len, map[string]any{"From": h.Off, "To": h.Off + h.Len - 1}),
				Off:   h.Off, Bytes: p.Data[h.Off : h.Off+h.Len],
			}
			for _, f := range h.Fields {
				name, meaning := f.Name, ""
				if id := "anatomy.field." + f.Name; tx.Has(id + ".name") {
					name = tx.T(id+".name", nil)
					if !explained[f.Name] {
						meaning = tx.T(id+".meaning", nil)
					}
				}
				explained[f.Name] = true
				l.Fields = append(l.Fields, render.AnatomyField{Off: f.Off, Len: f.Len, Mask: f.Mask, Depth: f.Depth,
					Name: name, Tshark: f.Name, Value: f.Value, Meaning: meaning})
			}
			for _, line := range run.r.Anatomy(l) {
				fmt.Fprintln(out, line)
			}
			fmt.Fprintln(out)
		}
		return nil
	}
	run.say(tx.T("anatomy.missing", map[string]any{"Filter": v.Filter}))
	fmt.Fprintln(out)
	return nil
}
