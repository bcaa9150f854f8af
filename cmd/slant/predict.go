package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/semeval"
	"github.com/slant-news/slant/taxonomy"
)

// task is one SemEval task that `slant predict` and `slant eval` can run. An
// analyzer registers its task from its own file (cmd/slant/task_<name>.go):
//
//	func init() { registerTask(&task{name: "genre", predict: predictGenre}) }
//
// Reading DOCS_DIR, checking the output and scoring belong to this file.
type task struct {
	// name is the TASK argument, one of taskSpecs' names.
	name string
	// predict writes the official submission lines for docs to w, in the
	// format of the task (semeval has a writer for each). Every document
	// gets its line(s) even when nothing is found (spans and roles: lines
	// only for what is found / for the given mentions). Write lines only for
	// the documents given: eval may pass a subset of an EXTRA_FILE's
	// articles. extra is the EXTRA_FILE path, "" for tasks without one; read
	// it with semeval.ReadMentions (roles) or semeval.ReadDominantNarratives
	// (explanations). When eval gets no EXTRA_FILE it derives one from the
	// gold, stripped of roles and explanations.
	predict func(ctx context.Context, docs []semeval.Document, extra string, w io.Writer) error
}

// tasks holds the registered tasks by name.
var tasks = map[string]*task{}

// registerTask makes a task available to `slant predict` and `slant eval`.
// It panics on an unknown or duplicate name (a programming error).
func registerTask(t *task) {
	if specOf(t.name) == nil {
		panic("slant: registerTask: unknown task " + t.name)
	}
	if _, dup := tasks[t.name]; dup {
		panic("slant: task registered twice: " + t.name)
	}
	tasks[t.name] = t
}

// taskSpec is what this file knows of a task whatever model predicts it:
// how its articles are named, what EXTRA_FILE is, and how it is scored.
type taskSpec struct {
	name   string
	naming semeval.Naming
	// extra describes EXTRA_FILE; "" when the task takes none.
	extra string
	// extraFromGold writes the EXTRA_FILE that eval derives from the gold
	// annotations when none is given, stripped of the answers (roles,
	// explanations) so that a model cannot read them.
	extraFromGold func(gold string, w io.Writer) error
	// everyDoc: the format has a line for every article, which predict
	// checks.
	everyDoc bool
	// check parses predictions and returns the article ids they cover.
	check func(pred []byte) (map[string]bool, error)
	// score scores predictions against the gold at goldPath (a file, or
	// a folder of per-article files), keeping only gold articles in ids.
	score func(pred []byte, goldPath string, ids map[string]bool) (*semeval.Result, error)
}

// taskSpecs lists every TASK of the command line, in usage order.
var taskSpecs = withExtras([]*taskSpec{
	spec("techniques", semeval.ArticlePrefix, "", true, semeval.ReadTechniques, semeval.ReadTechniques,
		func(p semeval.ParagraphLabels) string { return p.ID },
		func(g, p []semeval.ParagraphLabels) *semeval.Result { return semeval.ScoreTechniques(g, p, nil) },
		func(p semeval.ParagraphLabels) []string { return p.Techniques }, semeval.Techniques),
	spec("spans", semeval.ArticlePrefix, "", false, semeval.ReadSpans, semeval.ReadSpans,
		func(s semeval.Span) string { return s.ID }, semeval.ScoreSpans,
		func(s semeval.Span) []string { return []string{s.Technique} }, semeval.Techniques),
	spec("genre", semeval.ArticlePrefix, "", true, semeval.ReadGenres, semeval.ReadGenres,
		func(a semeval.ArticleLabel) string { return a.ID }, semeval.ScoreGenre,
		func(a semeval.ArticleLabel) []string { return []string{a.Label} }, semeval.Genres),
	spec("frames", semeval.ArticlePrefix, "", true, semeval.ReadFrames, semeval.ReadFrames,
		func(a semeval.ArticleLabels) string { return a.ID },
		func(g, p []semeval.ArticleLabels) *semeval.Result { return semeval.ScoreFrames(g, p, nil) },
		func(a semeval.ArticleLabels) []string { return a.Labels }, semeval.Frames),
	spec("narratives", semeval.FileNameID, "", true, semeval.ReadNarratives, semeval.ReadNarratives,
		func(n semeval.Narratives) string { return n.ID },
		func(g, p []semeval.Narratives) *semeval.Result {
			coarse, fine := narrativeClasses()
			return semeval.ScoreNarratives(g, p, coarse, fine)
		},
		func(n semeval.Narratives) []string {
			return append(append([]string(nil), n.Narratives...), n.Subnarratives...)
		},
		narrativeLabels()),
	spec("roles", semeval.FileNameID, "mentions file (ID, entity, start, end)", false,
		semeval.ReadRoles, semeval.ReadRoles,
		func(m semeval.RoleMention) string { return m.ID }, semeval.ScoreRoles,
		func(m semeval.RoleMention) []string { return append([]string{m.Main}, m.Fine...) }, roleLabels()),
	spec("explanations", semeval.FileNameID, "dominant-narratives file (ID, narrative, subnarrative)", false,
		semeval.ReadExplanations, readGoldExplanations,
		func(x semeval.Explanation) string { return x.ID }, semeval.ScoreExplanations, nil, nil),
})

// withExtras sets how eval derives EXTRA_FILE from the gold of the tasks
// that take one.
func withExtras(specs []*taskSpec) []*taskSpec {
	for _, s := range specs {
		switch s.name {
		case "roles":
			s.extraFromGold = mentionsFromGold
		case "explanations":
			s.extraFromGold = dominantFromGold
		}
	}
	return specs
}

// narrativeClasses returns the official class lists of SemEval-2025 Task 10
// subtask 2 (as subtask2_narratives.txt and subtask2_subnarratives.txt):
// the taxonomy's labels plus "Other" at both levels. The official scorer
// ignores labels outside them.
func narrativeClasses() (coarse, fine []string) {
	for _, n := range taxonomy.Narratives() {
		coarse = append(coarse, n.Label)
	}
	for _, n := range taxonomy.Subnarratives() {
		fine = append(fine, n.Label)
	}
	return append(coarse, taxonomy.OtherNarrative), append(fine, taxonomy.OtherNarrative)
}

// narrativeLabels returns every narrative and subnarrative label a gold
// file of subtask 2 may hold.
func narrativeLabels() []string {
	coarse, fine := narrativeClasses()
	out := append(coarse, fine...)
	for _, n := range taxonomy.Narratives() {
		out = append(out, taxonomy.OtherSubnarrative(n.Label))
	}
	return out
}

// roleLabels returns the main and fine entity roles of subtask 1.
func roleLabels() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range taxonomy.EntityRoles() {
		for _, l := range []string{r.Main, r.Fine} {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return out
}

// mentionsFromGold writes the mentions of a subtask 1 gold file without
// their roles.
func mentionsFromGold(gold string, w io.Writer) error {
	ms, err := semeval.ReadPath(gold, semeval.ReadMentions)
	if err != nil {
		return err
	}
	return semeval.WriteMentions(w, ms)
}

// dominantFromGold writes the dominant narratives of a subtask 3 gold file
// without the explanations.
func dominantFromGold(gold string, w io.Writer) error {
	ds, err := semeval.ReadPath(gold, semeval.ReadDominantNarratives)
	if err != nil {
		return err
	}
	for i := range ds {
		ds[i].Explanation = ""
	}
	return semeval.WriteDominantNarratives(w, ds)
}

// readGoldExplanations reads the explanations of a subtask 3 annotation
// file (ID, narrative, subnarrative, explanation), or of a plain
// "ID \t explanation" file when that fails.
func readGoldExplanations(r io.Reader, name string) ([]semeval.Explanation, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	dom, err := semeval.ReadDominantNarratives(bytes.NewReader(b), name)
	if err != nil {
		return semeval.ReadExplanations(bytes.NewReader(b), name)
	}
	out := make([]semeval.Explanation, len(dom))
	for i, d := range dom {
		out[i] = semeval.Explanation{ID: d.ID, Text: d.Explanation}
	}
	return out, nil
}

// spec builds a taskSpec from a task's readers (of predictions and gold),
// the article id of a record, its scoring function, and the labels of a
// record with the task's known labels (nil when labels are free text), by
// which a gold file of another task or with a misspelt label is refused
// rather than scored as zero.
func spec[T any](name string, naming semeval.Naming, extra string, everyDoc bool,
	readPred, readGold semeval.Reader[T], id func(T) string, score func(gold, pred []T) *semeval.Result,
	labels func(T) []string, known []string) *taskSpec {
	isKnown := map[string]bool{}
	for _, l := range known {
		isKnown[l] = true
	}
	parse := func(pred []byte) ([]T, map[string]bool, error) {
		recs, err := readPred(bytes.NewReader(pred), "output of "+name)
		if err != nil {
			// The model wrote something the official format does not allow:
			// a bug, not bad input.
			return nil, nil, slant.Errorf(slant.EINTERNAL, "%s: malformed prediction: %v", name, err)
		}
		ids := map[string]bool{}
		for _, r := range recs {
			ids[id(r)] = true
		}
		return recs, ids, nil
	}
	return &taskSpec{
		name: name, naming: naming, extra: extra, everyDoc: everyDoc,
		check: func(pred []byte) (map[string]bool, error) {
			_, ids, err := parse(pred)
			return ids, err
		},
		score: func(pred []byte, goldPath string, ids map[string]bool) (*semeval.Result, error) {
			p, _, err := parse(pred)
			if err != nil {
				return nil, err
			}
			all, err := semeval.ReadPath(goldPath, readGold)
			if err != nil {
				return nil, slant.Errorf(slant.EINVALID, "gold: %s", slant.ErrorMessage(err))
			}
			// An empty gold file, or labels of another task, would score
			// zero without a word: almost certainly the wrong file.
			if len(all) == 0 {
				return nil, slant.Errorf(slant.EINVALID, "gold: %s holds no annotations", goldPath)
			}
			// Real gold has the odd typo (the SemEval-2023 training labels
			// spell one technique "Appeal_to_Fear-Prejudi-čce"), scored as
			// given like the official scorer does; only a file without a
			// single known label is refused.
			var nKnown, nUnknown int
			firstUnknown := ""
			if labels != nil {
				for _, g := range all {
					for _, l := range labels(g) {
						switch {
						case isKnown[l]:
							nKnown++
						case nUnknown == 0:
							firstUnknown = fmt.Sprintf("%q in article %s", l, id(g))
							fallthrough
						default:
							nUnknown++
						}
					}
				}
				if nKnown == 0 && nUnknown > 0 {
					return nil, slant.Errorf(slant.EINVALID, "gold: %s: no %s label in it (first: %s); is it the gold file of another task?", goldPath, name, firstUnknown)
				}
			}
			// Score only the articles of DOCS_DIR, so that eval on a part of
			// a data set (a fold) is not charged for the rest of the gold.
			var gold []T
			outside := map[string]bool{}
			for _, g := range all {
				if ids[id(g)] {
					gold = append(gold, g)
				} else {
					outside[id(g)] = true
				}
			}
			res := score(gold, p)
			if nUnknown > 0 {
				res.Notes = append(res.Notes, fmt.Sprintf("%d gold labels are not %s labels (first: %s); scored as given", nUnknown, name, firstUnknown))
			}
			if len(outside) > 0 {
				res.Notes = append(res.Notes, fmt.Sprintf("%d gold articles are not in DOCS_DIR; left out", len(outside)))
			}
			return res, nil
		},
	}
}

func specOf(name string) *taskSpec {
	for _, s := range taskSpecs {
		if s.name == name {
			return s
		}
	}
	return nil
}

func taskList() string {
	names := make([]string, len(taskSpecs))
	for i, s := range taskSpecs {
		names[i] = s.name
	}
	return strings.Join(names, ", ")
}

func init() {
	register(&command{
		name:    "predict",
		usage:   "slant predict TASK DOCS_DIR [EXTRA_FILE]   (TASK: " + taskList() + ")",
		summary: "write a SemEval task's official submission file for a folder of articles",
		run:     runPredict,
	})
	register(&command{
		name:    "eval",
		usage:   "slant eval TASK DOCS_DIR GOLD_FILE [EXTRA_FILE]   (TASK: " + taskList() + ")",
		summary: "score slant on a SemEval task with the official metrics",
		run:     runEval,
	})
}

// prediction is the outcome of running a task's model on DOCS_DIR.
type prediction struct {
	spec *taskSpec
	out  []byte
	// ids are the article ids of every article file of DOCS_DIR, readable
	// or not.
	ids     map[string]bool
	skipped bool
}

// predictTask loads DOCS_DIR, runs the task's model on it and checks the
// output. Unreadable articles are reported on e.Stderr and skipped.
func predictTask(ctx context.Context, e *Env, cmd string, pos []string, minArgs int) (*prediction, error) {
	if len(pos) < 1 {
		return nil, usageErrorf("%s: no TASK given (one of %s)", cmd, taskList())
	}
	sp := specOf(pos[0])
	if sp == nil {
		return nil, usageErrorf("%s: unknown task %q (one of %s)", cmd, pos[0], taskList())
	}
	maxArgs := minArgs
	if sp.extra != "" {
		maxArgs++
	}
	if len(pos) < minArgs || len(pos) > maxArgs {
		u := commands[cmd].usage
		if sp.extra != "" {
			u += "; EXTRA_FILE for " + sp.name + " is the " + sp.extra
		}
		return nil, usageErrorf("usage: %s", u)
	}
	t := tasks[sp.name]
	if t == nil {
		return nil, slant.Errorf(slant.EUNSUPPORTED, "no model for %s yet", sp.name)
	}
	if cmd == "eval" {
		// Fail on a wrong gold path before the model runs, not after.
		if _, err := os.Stat(pos[2]); err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the path is named below, once
			}
			return nil, slant.Errorf(slant.EINVALID, "gold: %s: %v", pos[2], err)
		}
	}
	docs, skipped, err := semeval.ReadDocuments(pos[1], sp.naming)
	if err != nil {
		return nil, err
	}
	p := &prediction{spec: sp, ids: map[string]bool{}, skipped: len(skipped) > 0}
	for _, d := range docs {
		p.ids[d.ID] = true
	}
	for _, s := range skipped {
		p.ids[s.ID] = true
		fmt.Fprintf(e.Stderr, "slant: %v (skipped)\n", s)
	}
	extra := ""
	if len(pos) > minArgs {
		extra = pos[minArgs]
	}
	if extra == "" && sp.extra != "" {
		if cmd != "eval" {
			return nil, usageErrorf("%s needs EXTRA_FILE, the %s", sp.name, sp.extra)
		}
		// The gold annotations of these tasks hold the mentions and the
		// dominant narratives that EXTRA_FILE would give.
		path, cleanup, err := extraFile(sp, pos[2])
		if err != nil {
			return nil, err
		}
		defer cleanup()
		extra = path
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if cmd == "predict" && extra != "" {
		// EXTRA_FILE lines for an article not in DOCS_DIR get no output
		// line; say so rather than drop them in silence. It is a note, not
		// a failure: predicting a part of a data set with the whole set's
		// mentions file is a fair use (eval derives or takes EXTRA_FILE for
		// the whole gold and is not concerned).
		if missing, first, err := extraOutside(sp, extra, p.ids); err != nil {
			return nil, err
		} else if missing > 0 {
			fmt.Fprintf(e.Stderr, "slant: note: %s names %d articles not in %s (first: %s); no output for them\n", extra, missing, pos[1], first)
		}
	}
	var buf bytes.Buffer
	if err := t.predict(ctx, docs, extra, &buf); err != nil {
		return nil, err
	}
	covered, err := sp.check(buf.Bytes())
	if err != nil {
		return nil, err
	}
	if sp.everyDoc {
		for _, d := range docs {
			if !covered[d.ID] {
				return nil, slant.Errorf(slant.EINTERNAL, "%s: no output line for article %s", sp.name, d.FileName)
			}
		}
	}
	p.out = buf.Bytes()
	return p, nil
}

// extraOutside counts the articles named in EXTRA_FILE that are not in ids,
// and returns the first of them.
func extraOutside(sp *taskSpec, extra string, ids map[string]bool) (int, string, error) {
	var names []string
	switch sp.name {
	case "roles":
		ms, err := semeval.ReadPath(extra, semeval.ReadMentions)
		if err != nil {
			return 0, "", slant.Errorf(slant.EINVALID, "%s", slant.ErrorMessage(err))
		}
		for _, m := range ms {
			names = append(names, m.ID)
		}
	case "explanations":
		ds, err := semeval.ReadPath(extra, semeval.ReadDominantNarratives)
		if err != nil {
			return 0, "", slant.Errorf(slant.EINVALID, "%s", slant.ErrorMessage(err))
		}
		for _, d := range ds {
			names = append(names, d.ID)
		}
	}
	seen := map[string]bool{}
	first := ""
	for _, n := range names {
		if !ids[n] && !seen[n] {
			if first == "" {
				first = n
			}
			seen[n] = true
		}
	}
	return len(seen), first, nil
}

// extraFile writes the EXTRA_FILE that eval derives from the gold file to a
// temporary file, and returns its path and a function that removes it.
func extraFile(sp *taskSpec, gold string) (string, func(), error) {
	dir, err := os.MkdirTemp("", "slant-eval-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	path := filepath.Join(dir, sp.name+"-input.txt")
	f, err := os.Create(path)
	if err == nil {
		err = sp.extraFromGold(gold, f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		cleanup()
		return "", nil, slant.Errorf(slant.EINVALID, "gold: %s", slant.ErrorMessage(err))
	}
	return path, cleanup, nil
}

// runPredict implements `slant predict TASK DOCS_DIR [EXTRA_FILE]`.
func runPredict(ctx context.Context, e *Env, args []string) error {
	fs := newFlags("predict", e.Stderr)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	p, err := predictTask(ctx, e, "predict", pos, 2)
	if err != nil {
		return err
	}
	if _, err := e.Stdout.Write(p.out); err != nil {
		return err
	}
	if p.skipped {
		return errPartial
	}
	return nil
}

// runEval implements `slant eval TASK DOCS_DIR GOLD_FILE [EXTRA_FILE]`.
func runEval(ctx context.Context, e *Env, args []string) error {
	fs := newFlags("eval", e.Stderr)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	p, err := predictTask(ctx, e, "eval", pos, 3)
	if err != nil {
		return err
	}
	res, err := p.spec.score(p.out, pos[2], p.ids)
	if err != nil {
		return err
	}
	if err := res.Print(e.Stdout); err != nil {
		return err
	}
	if p.skipped {
		return errPartial
	}
	return nil
}
