// Package course runs lessons: it shows a lesson's text, starts its
// component, drives its traffic while capturing every packet, shows the
// packet list and the ladder, and quizzes the learner on that capture.
// It knows nothing of any one lesson: lessons describe themselves with a
// Lesson value.
package course

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"wiretutor/engine/course/doc"
	"wiretutor/engine/course/quiz"
	"wiretutor/engine/net/netenv"
	"wiretutor/engine/packet/capture"
	"wiretutor/engine/packet/dissect"
	"wiretutor/engine/packet/output"
	"wiretutor/engine/packet/stream"
	"wiretutor/engine/text/i18n"
	"wiretutor/engine/text/render"
)

// StepKind says what a step does.
type StepKind int

// The kinds of step.
const (
	Text    StepKind = iota // show a section of the lesson's document
	Run                     // start the component, drive traffic, capture
	Packets                 // the packet list, as tshark prints it
	Ladder                  // the ladder diagram of the lesson's connection
	Quiz                    // questions from the capture
	Summary                 // the score
	Sockets                 // a socket table: Section names the snapshot
	Tasks                   // filtering exercises on the capture
	Follow                  // Follow TCP Stream on the lesson's connection
	Ask                     // one question, where it teaches: Section names its maker
	Anatomy                 // one frame field by field: Section names it in the lesson's anatomy table
	Graph                   // a TCP stream graph: Section names it in the lesson's graphs table
)

// AfterSnapshot is the snapshot the runner takes itself, once the
// capture is complete: the sockets the exchange left behind.
const AfterSnapshot = "after"

// Hooks is what a lesson's exchange tells the runner.
type Hooks interface {
	// Ready says which ports to capture; the runner starts capturing
	// before it returns. Call it before any traffic flows.
	Ready(Ports) error
	// Snapshot records the socket table under a label, for a Sockets step.
	Snapshot(label string)
	// Ask puts the question ui.toml calls id to the learner; ok is false
	// when the lesson runs with --no-input (or the input has ended).
	Ask(id string) (answer string, ok bool, err error)
	// Say shows the learner a line of what happens (a chat line).
	Say(line string)
}

// Step is one step of a lesson.
type Step struct {
	Kind    StepKind
	Section string // for Text: the section id; for Sockets: the snapshot; for Ask: the maker's name
	Line    int    // its line in the course file, 0 when unknown
	// Maker makes an Ask step's question.
	Maker quiz.Maker
	// Anatomy is the frame an Anatomy step shows.
	Anatomy *AnatomyView
	// Graph is what a Graph step draws.
	Graph *GraphView
}

// Lesson describes one lesson to the runner. Build makes it from an
// entry of a course file and the script it names.
type Lesson struct {
	ID string
	// Script is the name of the traffic script the lesson runs.
	Script string
	Steps  []Step
	// Exchange starts the lesson's component on n, drives its traffic and
	// stops it, telling the runner its ports and its moments through h.
	Exchange func(ctx context.Context, n netenv.Net, h Hooks) error
	// Secret: the lesson's capture holds a secret (a token sent in the
	// clear), so a saved copy is readable by its owner alone.
	Secret bool
	// Impair makes the segments the lesson loses on purpose (see
	// Script.Impair); nil for a lesson that loses none.
	Impair func() []netenv.Rule
	// Hosts is how many hosts the exchange needs (see Script.Hosts).
	Hosts int
	// Complete reports whether the capture holds everything the lesson
	// needs, so capture can stop: by default, its Requires and its
	// script's Done.
	Complete func(pkts []dissect.Packet) bool
	// Focus picks the connection the lesson is about.
	Focus func(conns []*stream.Conn) *stream.Conn
	// Facts are the live values the text's placeholders use; tx words
	// the ones that are sentences.
	Facts func(c *quiz.Capture, tx quiz.Texts) map[string]any
	// Quiz makes the questions.
	Quiz []quiz.Maker
	// Tasks are the filtering exercises of a Tasks step.
	Tasks []Task
	// Requires declares what a capture must hold to show this lesson's
	// exchange, for grading a learner's own capture (wiretutor check).
	Requires []Requirement
	// Programs are the roles a learner's own program can play in the
	// lesson's exchange (wiretutor verify), in the order of Roles.
	Programs []*Program
}

// Requirement is one thing a lesson's capture must hold: at least Min
// frames that match a display filter. Its description, for a person,
// is require.<ID> in ui.toml.
type Requirement struct {
	ID     string
	Filter string
	Min    int
}

// Ports are what the capture filter keeps.
type Ports struct {
	TCP  []int
	UDP  []int
	ICMP bool // and ICMP (ping)
	ARP  bool // and ARP (an exchange between two hosts)
}

// Options are a lesson run's settings.
type Options struct {
	Lang        string
	Content     fs.FS // the content tree: en/, ru/, zh/
	Net         netenv.Net
	NoInput     bool
	SaveCapture string // write the capture here as pcapng
	QuizJSON    string // write the questions here
	Asker       quiz.Asker
	Out         io.Writer
	Term        render.Term
	// Capture opens the packet source for a run; nil means live capture
	// on the loopback with a filter for the lesson's ports.
	Capture func(p Ports) (LiveSource, error)
	// Start resumes the lesson at this step (a Result.Step of an earlier
	// run); the exchange before it runs again, unshown but announced.
	// Carry is that earlier run's score up to there.
	Start int
	Carry Result
	// Seed is the seed the network's numbers come from (--seed), or nil;
	// it is written to the quiz JSON and kept with the run's result.
	Seed *uint64
	// View opens the run's capture in the explorer, full screen, until
	// the learner leaves it (the prompt's v); nil where no terminal can
	// show it. It tells the learner itself of what goes wrong.
	View func(ctx context.Context, rec *capture.Recording)
}

// LiveSource is a capture that runs until closed.
type LiveSource interface {
	capture.Source
	Close() error
}

// Result is a lesson's outcome: its score (first-try right answers out
// of the questions asked) and whether it ran to its end. When it did
// not, Step is where to resume, and Score and Total count the steps
// before it.
type Result struct {
	Score, Total int
	// Second counts the answers right on the second try, after a hint:
	// they do not score.
	Second    int
	Completed bool
	Step      int
	// Seed is the run's seed (Options.Seed); in a Carry, the seed the
	// stopped run had, which its resumption uses again.
	Seed *uint64
}

// ErrQuit is returned when the learner quits a lesson part way.
var ErrQuit = errors.New("quit")

// Texts loads a lesson's document in lang, falling back to English.
// notice is true when the fallback was used.
func LoadDoc(content fs.FS, lang, id string) (d *doc.Doc, fallback bool, err error) {
	read := func(l string) (*doc.Doc, error) {
		data, err := fs.ReadFile(content, l+"/"+id+".md")
		if err != nil {
			return nil, err
		}
		d, err := doc.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s/%s.md: %w", l, id, err)
		}
		return d, nil
	}
	d, err = read(lang)
	if err == nil || lang == "en" {
		return d, false, err
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	d, err = read("en")
	return d, true, err
}

// runner holds one lesson run.
type runner struct {
	l    *Lesson
	o    Options
	tx   *i18n.Catalog
	d    *doc.Doc
	en   *doc.Doc
	r    *render.Renderer
	rec  *capture.Recording
	cap  *quiz.Capture
	snap map[string][]netenv.Socket
	port Ports
	// exported collects the questions and tasks for --quiz-json.
	exported []*quiz.Question
	fact     map[string]any
	res      Result
	// revealed: something of the current capture has been shown; a
	// question asked before is a prediction.
	revealed bool
	// cur is the step being run; pending holds the quiz steps the
	// learner left with b part way, by step.
	cur     int
	pending map[int]*pendingQuiz
	// skipped counts the questions of the steps a resumed run skipped:
	// the first question it asks has the number after them.
	skipped int
	// made counts the questions this run has made (filter tasks, also
	// exported, are not numbered among them).
	made int
}

// pendingQuiz is a quiz step left part way for the text: its questions,
// where they stand among the lesson's, how many are done and their score.
type pendingQuiz struct {
	qs          []*quiz.Question
	first, done int
	res         quiz.Result
}

// RunLesson runs a lesson from its first step to its last.
func RunLesson(ctx context.Context, l *Lesson, o Options, tx *i18n.Catalog) (Result, error) {
	d, fallback, err := LoadDoc(o.Content, o.Lang, l.ID)
	if err != nil {
		return Result{}, err
	}
	r, err := render.New(o.Term)
	if err != nil {
		return Result{}, err
	}
	if fallback {
		fmt.Fprintln(o.Out, r.Text(r.Paint(render.Dim, tx.T("notice.fallback_english", map[string]any{"Lesson": l.ID}))))
	}
	run := &runner{l: l, o: o, tx: tx, d: d, r: r, res: Result{Seed: o.Seed}}
	if o.Lang != "en" {
		if en, _, err := LoadDoc(o.Content, "en", l.ID); err == nil {
			run.en = en
		}
	}
	fmt.Fprintln(o.Out, r.Text(r.Paint(render.Heading, d.Title)))
	err = run.walk(ctx)
	return run.res, err
}

// RunCaptured shows a lesson's view of a capture made elsewhere (the
// capture of a learner's own program, made by wiretutor verify): the
// packet list, the ladder, and, when ask is set, the lesson's questions
// that this capture can answer, then the score (none when it answers
// none). Its text and its own
// exchange are not run.
func RunCaptured(ctx context.Context, l *Lesson, rec *capture.Recording, ask bool, o Options, tx *i18n.Catalog) (Result, error) {
	d, _, err := LoadDoc(o.Content, o.Lang, l.ID)
	if err != nil {
		return Result{}, err
	}
	r, err := render.New(o.Term)
	if err != nil {
		return Result{}, err
	}
	view := *l
	view.Steps = []Step{{Kind: Packets}, {Kind: Ladder}}
	run := &runner{l: &view, o: o, tx: tx, d: d, r: r}
	if err := run.load(rec); err != nil {
		return Result{}, err
	}
	if ask {
		// Only the questions this capture answers: a program of the
		// learner's sends other traffic than the lesson's own.
		asked := false
		for _, st := range l.Steps {
			if st.Kind != Ask {
				continue
			}
			if _, ok := st.Maker(run.cap, tx); ok {
				view.Steps = append(view.Steps, st)
				asked = true
			}
		}
		if asked {
			view.Steps = append(view.Steps, Step{Kind: Summary})
		}
	}
	err = run.walk(ctx)
	return run.res, err
}

// leadIn is where a resumed run shows its steps from, for a run stopped
// at step start: at a question, the text that leads to it (back over
// the questions between, which stay answered), so the learner reads
// what it asks about again; anywhere else, start itself.
func leadIn(steps []Step, start int) int {
	if start >= len(steps) || steps[start].Kind != Ask {
		return start
	}
	for j := start - 1; j >= 0; j-- {
		switch steps[j].Kind {
		case Text:
			return j
		case Ask:
			continue
		}
		break
	}
	return start
}

// shownBy reports whether the steps before start show something of the
// capture the last run step before start made.
func shownBy(steps []Step, start int) bool {
	for j := start - 1; j >= 0 && steps[j].Kind != Run; j-- {
		switch steps[j].Kind {
		case Packets, Ladder, Sockets, Follow, Anatomy, Graph:
			return true
		}
	}
	return false
}

// walk runs the steps from o.Start, moving as the learner says between
// them: next, back, repeat the exchange, show the capture, quit.
func (run *runner) walk(ctx context.Context) error {
	steps, o := run.l.Steps, run.o
	asked := map[int]bool{} // quiz and task steps are asked once per run
	start := min(max(o.Start, 0), len(steps))
	if start > 0 {
		resumed, data := "nav.resumed", map[string]any{}
		if o.Seed != nil && o.Carry.Seed != nil && *o.Seed == *o.Carry.Seed {
			resumed, data["Seed"] = "nav.resumed_seed", *o.Seed // the same capture as before the stop
		}
		run.say(run.r.Paint(render.Dim, run.tx.T(resumed, data)))
		for j := range start {
			switch steps[j].Kind {
			case Run:
				if err := run.step(ctx, steps[j]); err != nil {
					run.res.Step = 0
					return err
				}
			case Quiz, Tasks, Ask:
				asked[j] = true
			}
			switch steps[j].Kind {
			case Ask:
				run.skipped++
			case Quiz:
				run.skipped += len(run.l.Quiz)
			}
		}
		run.res.Score, run.res.Total, run.res.Second = o.Carry.Score, o.Carry.Total, o.Carry.Second
		// A question is asked again after the text that leads to it. The
		// new capture comes first, if the learner had seen the old one:
		// what comes next refers to its numbers. A prediction still to
		// come stays one.
		start = leadIn(steps, start)
		if run.cap != nil && shownBy(steps, start) && (start == len(steps) || steps[start].Kind != Packets) {
			if err := run.step(ctx, Step{Kind: Packets}); err != nil {
				return err
			}
		}
	}
	for i := start; i < len(steps); {
		if err := ctx.Err(); err != nil {
			return err
		}
		st := steps[i]
		if asked[i] || st.Kind == Run && run.cap != nil {
			i++ // already asked, or captured: going back does not redo them
			continue
		}
		before := run.res
		run.res.Step = i
		run.cur = i
		err := run.step(ctx, st)
		if errors.Is(err, errBack) {
			i = run.backFrom(i)
			continue
		}
		if err != nil {
			if errors.Is(err, ErrQuit) {
				run.res.Score, run.res.Total, run.res.Second = before.Score, before.Total, before.Second
			}
			return err
		}
		if st.Kind.asks() {
			asked[i] = true
			if o.QuizJSON != "" {
				if err := quiz.WriteJSON(o.QuizJSON, quiz.Export{Lesson: run.l.ID, Seed: o.Seed, Questions: run.exported}); err != nil {
					return err
				}
			}
		}
		if i == len(steps)-1 || o.NoInput || st.Kind == Run || steps[i+1].Kind.asks() {
			i++
			continue
		}
		next, err := run.navigate(ctx, i)
		if err != nil {
			run.res.Step = i + 1 // this step was seen: resume after it
			return err
		}
		i = next
	}
	run.res.Completed = true
	run.res.Step = 0
	return nil
}

// navigate asks where to go after step i and returns that step's index.
func (run *runner) navigate(ctx context.Context, i int) (int, error) {
	tx := run.tx
	for {
		prompt := "nav.prompt"
		if run.o.View != nil {
			prompt = "nav.prompt_view"
		}
		ans, err := run.o.Asker.Ask(tx.T(prompt, nil))
		if err != nil {
			if errors.Is(err, quiz.ErrNoInput) || errors.Is(err, quiz.ErrInterrupted) {
				return 0, ErrQuit
			}
			return 0, err
		}
		switch {
		case strings.TrimSpace(ans) == "" || quiz.IsWord(tx, "nav.words.next", ans):
			return i + 1, nil
		case quiz.IsWord(tx, "nav.words.quit", ans):
			return 0, ErrQuit
		case quiz.IsWord(tx, "nav.words.back", ans):
			if j := run.shownBefore(i); j >= 0 {
				return j, nil
			}
			run.say(tx.T("nav.first", nil))
		case quiz.IsWord(tx, "nav.words.repeat", ans):
			r := slices.IndexFunc(run.l.Steps, func(s Step) bool { return s.Kind == Run })
			if r < 0 || r > i {
				run.say(tx.T("nav.no_exchange", nil))
				continue
			}
			if err := run.step(ctx, run.l.Steps[r]); err != nil {
				return 0, err
			}
			run.say(tx.T("nav.repeated", nil))
			return r + 1, nil
		case quiz.IsWord(tx, "nav.words.capture", ans):
			if run.cap == nil {
				run.say(tx.T("nav.no_exchange", nil))
				continue
			}
			if err := run.step(ctx, Step{Kind: Packets}); err != nil {
				return 0, err
			}
		case run.o.View != nil && quiz.IsWord(tx, "nav.words.view", ans):
			if run.cap == nil {
				run.say(tx.T("nav.no_exchange", nil))
				continue
			}
			run.revealed = true // as the capture's list does: no prediction after it
			run.o.View(ctx, run.rec)
		default:
			run.say(tx.T("nav.unknown", map[string]any{"Given": strings.TrimSpace(ans)}))
		}
	}
}

// asks reports whether a step asks the learner (and so is asked once
// per run, with no pause before it).
func (k StepKind) asks() bool { return k == Quiz || k == Tasks || k == Ask }

// Questions is how many questions the lesson's steps ask at most: its
// ask steps and its quiz's makers (a maker whose packets a capture
// lacks asks nothing).
func (l *Lesson) Questions() int {
	n := 0
	for _, st := range l.Steps {
		switch st.Kind {
		case Ask:
			n++
		case Quiz:
			n += len(l.Quiz)
		}
	}
	return n
}

// shown reports whether a step only shows something, so that "back"
// can return to it.
func (k StepKind) shown() bool {
	switch k {
	case Text, Packets, Ladder, Sockets, Follow, Anatomy, Graph:
		return true
	}
	return false
}

// packetIndent puts a packet line's continuation past the frame number.
const packetIndent = 6

// say prints a message wrapped to the terminal's width.
func (run *runner) say(s string) { fmt.Fprintln(run.o.Out, run.r.Text(s)) }

func (run *runner) section(id string) (*doc.Section, error) {
	if s := run.d.Section(id); s != nil {
		return s, nil
	}
	if run.en != nil {
		if s := run.en.Section(id); s != nil {
			return s, nil
		}
	}
	return nil, &SectionError{Lesson: run.l.ID, Section: id}
}

// ErrNoSection: a step names a section the document lacks (as a
// *SectionError, which errors.Is matches to it).
var ErrNoSection = errors.New("the lesson text has no section")

// SectionError is a step that names a section the lesson's text lacks.
type SectionError struct{ Lesson, Section string }

// Error names the lesson and the section, in English.
func (e *SectionError) Error() string {
	return fmt.Sprintf("lesson %s: %v: {#%s}", e.Lesson, ErrNoSection, e.Section)
}

// Is makes the error ErrNoSection.
func (e *SectionError) Is(target error) bool { return target == ErrNoSection }

// Message is error.content; the command line fills in Err.
func (e *SectionError) Message() (string, map[string]any) { return "error.content", nil }

func (run *runner) step(ctx context.Context, st Step) error {
	out := run.o.Out
	switch st.Kind {
	case Packets, Ladder, Sockets, Follow, Anatomy, Graph:
		run.revealed = run.cap != nil
	case Run:
		run.revealed = false
	}
	switch st.Kind {
	case Text:
		s, err := run.section(st.Section)
		if err != nil {
			return err
		}
		data := run.fact
		if data == nil {
			data = map[string]any{}
		}
		// A broken section is shown in English, or as written, with a
		// notice: it never ends the lesson.
		var en *doc.Section
		if run.en != nil {
			en = run.en.Section(st.Section)
		}
		text, how, _ := doc.Fill(s, en, data)
		heading := s.Heading
		switch how {
		case doc.Fallback:
			heading = en.Heading
			run.say(run.r.Paint(render.Dim, run.tx.T("notice.section_english", map[string]any{"Section": st.Section, "Title": s.Heading})))
		case doc.Raw:
			run.say(run.r.Paint(render.Dim, run.tx.T("notice.section_raw", map[string]any{"Section": st.Section, "Title": s.Heading})))
		}
		md, err := run.r.Markdown("## " + heading + "\n\n" + text)
		if err != nil {
			return err
		}
		fmt.Fprint(out, md)
	case Run:
		return run.capture(ctx)
	case Packets:
		if run.cap == nil {
			return errNoCapture
		}
		run.say(run.r.Paint(render.Heading, run.tx.N("packets.title", len(run.cap.Packets), nil)))
		for i := range run.cap.Packets {
			p := &run.cap.Packets[i]
			line := string(dissect.Summary(nil, p, run.rec.Precision))
			if run.cap.Conn != nil && p.Transport == dissect.TransportTCP && p.TCP.Stream == run.cap.Conn.Stream {
				line = run.r.Paint(map[bool]render.Style{true: render.Client, false: render.Server}[run.cap.Conn.FromClient(p)], line)
			}
			// Long tshark lines wrap at the width under the frame number,
			// rather than wherever the terminal cuts them.
			fmt.Fprintln(out, render.WrapIndent(line, run.o.Term.Width, packetIndent))
		}
		fmt.Fprintln(out)
	case Ladder:
		if run.cap == nil {
			return errNoCapture
		}
		// The lesson's connection, or every packet when it has none (UDP).
		var pkts []*dissect.Packet
		if run.cap.Conn != nil {
			for _, i := range run.cap.Conn.Frames {
				pkts = append(pkts, &run.cap.Packets[i])
			}
		} else {
			for i := range run.cap.Packets {
				pkts = append(pkts, &run.cap.Packets[i])
			}
		}
		lad := stream.NewLadder(pkts, run.rec.Precision)
		lad.Roles = []string{run.tx.T("word.client", nil), run.tx.T("word.server", nil)}
		run.say(run.r.Paint(render.Heading, run.tx.T("ladder.title", nil)))
		paint := func(client bool, s string) string {
			if client {
				return run.r.Paint(render.Client, s)
			}
			return run.r.Paint(render.Server, s)
		}
		for _, line := range lad.Render(run.o.Term.Width, paint) {
			fmt.Fprintln(out, line)
		}
		fmt.Fprintln(out)
	case Quiz:
		return run.quiz(run.l.Quiz)
	case Ask:
		return run.quiz([]quiz.Maker{st.Maker})
	case Sockets:
		run.sockets(st.Section)
	case Tasks:
		return run.tasks()
	case Follow:
		return run.follow()
	case Anatomy:
		return run.anatomy(st.Anatomy)
	case Graph:
		return run.graph(st.Graph)
	case Summary:
		run.say(run.r.Paint(render.Heading, run.tx.T("summary.title", nil)))
		if !run.o.NoInput && run.res.Total > 0 {
			run.say(run.tx.N("summary.score", run.res.Total, map[string]any{"Score": run.res.Score, "Total": run.res.Total}))
			if run.res.Second > 0 {
				run.say(run.tx.N("summary.second", run.res.Second, nil))
			}
		}
	}
	return nil
}

var errNoCapture = errors.New("a step needs the capture before the capture step ran")

// quiz asks the questions makers make of the capture, numbered among
// all the lesson's questions. A question asked before anything of this
// capture was shown is a prediction.
func (run *runner) quiz(makers []quiz.Maker) error {
	if run.cap == nil {
		return errNoCapture
	}
	p := run.pending[run.cur]
	if p == nil {
		qs := quiz.Make(run.cap, run.tx, makers...)
		first := run.skipped + run.made
		for i, q := range qs {
			q.ID = "q" + strconv.Itoa(first+i+1)
			// Nothing of the capture is on the screen yet: the question is a
			// prediction, in its prediction's wording. One without such a
			// wording (it names frames) is asked as it is, and is no
			// prediction.
			q.Predict = !run.revealed && q.Predicted != ""
			if q.Predict {
				q.Prompt = q.Predicted
			}
		}
		run.exported = append(run.exported, qs...)
		run.made += len(qs)
		p = &pendingQuiz{qs: qs, first: first}
	}
	total := max(run.l.Questions(), run.skipped+run.made)
	if run.o.NoInput {
		run.res.Total += len(p.qs)
		if len(makers) > 1 {
			run.say(run.tx.N("quiz.exported", len(p.qs), nil))
		}
		for i, q := range p.qs {
			header := run.tx.T("quiz.header", map[string]any{"N": p.first + i + 1, "Total": total})
			run.say(run.tx.T("quiz.numbered", map[string]any{"Header": header, "Prompt": q.Prompt}))
		}
		fmt.Fprintln(run.o.Out)
		return nil
	}
	paint := func(good bool, s string) string {
		if good {
			return run.r.Paint(render.Good, s)
		}
		return run.r.Paint(render.Bad, s)
	}
	again := func() { run.step(context.Background(), Step{Kind: Packets}) } // the list only: no exchange runs
	st := quiz.Style{Paint: paint, Wrap: run.r.Text, Capture: again, Back: true, First: p.first + p.done, Total: total}
	res, err := quiz.Run(p.qs[p.done:], run.o.Asker, run.o.Out, run.tx, st)
	p.done += res.Asked
	p.res.Correct += res.Correct
	p.res.Second += res.Second
	delete(run.pending, run.cur)
	switch {
	case errors.Is(err, quiz.ErrBack):
		if run.pending == nil {
			run.pending = map[int]*pendingQuiz{}
		}
		run.pending[run.cur] = p // the text, then the rest of these questions
		return errBack
	case errors.Is(err, quiz.ErrNoInput) || errors.Is(err, quiz.ErrInterrupted):
		return ErrQuit
	case err != nil:
		return err
	}
	run.res.Total += len(p.qs)
	run.res.Score += p.res.Correct
	run.res.Second += p.res.Second
	return nil
}

// errBack: the learner went back to the text from a question.
var errBack = errors.New("back to the text")

// backFrom is the step to show when the learner goes back from step i:
// the last one before it that only shows something, or i itself (after
// saying so) when there is none.
func (run *runner) backFrom(i int) int {
	if j := run.shownBefore(i); j >= 0 {
		return j
	}
	run.say(run.tx.T("nav.first", nil))
	return i
}

// shownBefore is the last step before i that only shows something, or
// -1: where "back" goes.
func (run *runner) shownBefore(i int) int {
	for j := i - 1; j >= 0; j-- {
		if run.l.Steps[j].Kind.shown() {
			return j
		}
	}
	return -1
}

// sockets shows a snapshot of the socket table, like netstat.
func (run *runner) sockets(label string) {
	rows, ok := run.snap[label]
	if !ok {
		return // this network keeps no table (or could not read it)
	}
	t := run.tx
	run.say(run.r.Paint(render.Heading, t.T("sockets.title."+label, nil)))
	table := [][]string{{t.T("sockets.proto", nil), t.T("sockets.local", nil), t.T("sockets.remote", nil), t.T("sockets.state", nil)}}
	for _, s := range rows {
		remote := netenv.UnconnectedRemote(s)
		table = append(table, []string{s.Proto, s.Local.String(), remote, s.State})
	}
	for _, line := range render.Table(table, run.o.Term.Width) {
		fmt.Fprintln(run.o.Out, line)
	}
	fmt.Fprintln(run.o.Out)
}

// follow shows the lesson's connection as Wireshark's Follow TCP Stream
// does: each side's bytes in order, the client's and the server's told
// apart by colour and by a marker.
func (run *runner) follow() error {
	if run.cap == nil || run.cap.Conn == nil {
		return errNoCapture
	}
	c := run.cap.Conn
	run.say(run.r.Paint(render.Heading, run.tx.T("follow.title", map[string]any{"N": c.Stream})))
	folded := false
	f := output.NewFollow(c.Stream, func(ch output.Turn) error {
		style, mark, who := render.Client, ">>>", c.Client.String()+" → "+c.Server.String()
		if !ch.FromClient {
			style, mark, who = render.Server, "<<<", c.Server.String()+" → "+c.Client.String()
		}
		fmt.Fprintln(run.o.Out, run.r.Paint(style, render.WrapIndent(mark+" "+run.tx.N("follow.turn", len(ch.Data), map[string]any{"Who": who}), run.o.Term.Width, len(mark)+1)))
		// The data as it is: cut where the terminal ends, never re-wrapped.
		text := strings.TrimRight(stream.Printable(ch.Data), "\n")
		shown := render.Fold(text, run.o.Term.Width, render.FoldMark)
		folded = folded || shown != text
		fmt.Fprintln(run.o.Out, run.r.Paint(style, shown))
		return nil
	})
	for i := range run.cap.Packets {
		if err := f.Add(&run.cap.Packets[i]); err != nil {
			return err
		}
	}
	if err := f.Flush(); err != nil {
		return err
	}
	if folded {
		run.say(run.r.Paint(render.Dim, run.tx.T("follow.folded", nil)))
	}
	fmt.Fprintln(run.o.Out)
	return nil
}

// Sections returns the ids of the document sections the lesson's steps
// show, in order.
func (l *Lesson) Sections() []string {
	var ids []string
	for _, st := range l.Steps {
		if st.Kind == Text {
			ids = append(ids, st.Section)
		}
	}
	return ids
}

// Messages returns the ui.toml messages the lesson's requirements and
// tasks name: require.<id>, task.<id>.
func (l *Lesson) Messages() []string {
	var ids []string
	for _, r := range l.Requires {
		ids = append(ids, "require."+r.ID)
	}
	for _, t := range l.Tasks {
		ids = append(ids, "task."+t.ID)
	}
	return ids
}
