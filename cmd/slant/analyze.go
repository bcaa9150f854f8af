package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/ingest"
	"github.com/slant-news/slant/pipeline"
	"github.com/slant-news/slant/render"
)

// analyzers is the CLI's analyzer registry. Each analyzer registers itself
// from its own file (cmd/slant/analyzer_<name>.go) in an init function:
//
//	func init() { analyzers.Register("quotes", 20, newQuotesAnalyzer) }
//
// Models load only when an analyzer is first used.
var analyzers = pipeline.NewRegistry()

// progressMin is the number of inputs above which a progress bar is worth
// showing.
const progressMin = 20

func init() {
	register(&command{
		name:    "analyze",
		usage:   "slant analyze [--format text|json|jsonl|html] [--only a,b] [--jobs N] [--outlet NAME] [--allow-private] PATH...|URL...|-",
		summary: "analyse articles: techniques, narratives, genre, frames, entities, quotes",
		run: func(ctx context.Context, e *Env, args []string) error {
			return runAnalyze(ctx, e, args, analyzers)
		},
	})
}

// analyzeFlags are the flags analyze and bench share.
type analyzeFlags struct {
	only         string
	jobs         int
	outlet       string
	allowPrivate bool
}

func (f *analyzeFlags) ingestOptions() ingest.Options {
	return ingest.Options{AllowPrivate: f.allowPrivate, Outlet: f.outlet}
}

// selectAnalyzers builds the analyzers named by --only (all registered ones
// when empty), turning an unknown name into a usage error. Any analyzer that
// fails to load is an error: commands that store results (ingest) must not
// silently store reports that lack an analyzer.
func selectAnalyzers(reg *pipeline.Registry, only string) ([]slant.Analyzer, error) {
	names := splitNames(only)
	if len(names) > 0 && len(reg.Names()) == 0 {
		return nil, usageErrorf("--only %s: no analyzers are built into this slant yet", only)
	}
	as, err := reg.Analyzers(names)
	if err != nil && slant.ErrorCode(err) == slant.EINVALID && strings.Contains(err.Error(), "unknown analyzer") {
		return nil, usageErrorf("--only: %s", slant.ErrorMessage(err))
	}
	return as, err
}

// loadAnalyzers is selectAnalyzers for commands that only show results
// (analyze, bench): with no --only, an analyzer that fails to load (a
// missing or corrupt model) is left out with a one-line warning on stderr
// instead of stopping the run, and degraded is true so the caller can exit
// non-zero. Analyzers named with --only must all load.
func loadAnalyzers(reg *pipeline.Registry, only string, stderr io.Writer) (as []slant.Analyzer, degraded bool, err error) {
	if len(splitNames(only)) > 0 {
		as, err := selectAnalyzers(reg, only)
		return as, false, err
	}
	for _, n := range reg.Names() {
		a, err := reg.Analyzers([]string{n})
		if err != nil {
			fmt.Fprintf(stderr, "slant: warning: %s; continuing without it\n", oneLine(err))
			degraded = true
			continue
		}
		as = append(as, a...)
	}
	return as, degraded, nil
}

// splitNames splits a comma-separated list, dropping empty entries.
func splitNames(list string) []string {
	var names []string
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names
}

func runAnalyze(ctx context.Context, e *Env, args []string, reg *pipeline.Registry) error {
	fs := newFlags("analyze", e.Stderr)
	format := fs.String("format", "text", "output format: "+strings.Join(render.Formats, ", "))
	var af analyzeFlags
	fs.StringVar(&af.only, "only", "", "comma-separated analyzers to run (default: all of "+namesOrNone(reg)+")")
	fs.IntVar(&af.jobs, "jobs", runtime.NumCPU(), "articles analysed at once")
	fs.StringVar(&af.outlet, "outlet", "", "outlet name to record for every article (default: from the page or URL)")
	fs.BoolVar(&af.allowPrivate, "allow-private", false, "allow fetching URLs on loopback, private and link-local addresses")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageErrorf("analyze needs at least one PATH, URL or - (standard input)")
	}
	if af.jobs < 1 {
		return usageErrorf("--jobs must be at least 1, got %d", af.jobs)
	}
	// Colour only for a person at a terminal who has not opted out
	// (https://no-color.org).
	color := *format == "text" && e.terminal() && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb"
	out, err := render.NewWriter(*format, e.Stdout, render.Options{Color: color})
	if err != nil {
		return usageErrorf("--format: %s", slant.ErrorMessage(err))
	}
	as, degraded, err := loadAnalyzers(reg, af.only, e.Stderr)
	if err != nil {
		return err
	}

	srcs, errs := ingest.Expand(pos)
	skipped := 0
	if degraded {
		skipped++ // exit 1: the report lacks an analyzer the user expected
	}
	for _, err := range errs {
		printSkip(e.Stderr, err)
		skipped++
	}
	jobs := sourceJobs(srcs, e.Stdin, af.ingestOptions())

	// A bar only helps when the output goes elsewhere: on a shared terminal
	// it would be torn up by the report text.
	var bar *progress
	if len(jobs) > progressMin && !e.terminal() && isTerminal(e.Stderr) {
		bar = newProgress(e.Stderr, len(jobs), time.Now)
	}
	done := 0 // inputs finished, analysed or skipped
	runErr := pipeline.Run(ctx, as, jobs, af.jobs, func(res pipeline.Result) error {
		done++
		bar.step()
		if res.Err != nil {
			bar.clear()
			printSkip(e.Stderr, res.Err)
			skipped++
			return nil
		}
		return out.Write(res.Report)
	})
	bar.clear()
	// Close even when interrupted so that what was written stays valid
	// JSON or HTML.
	closeErr := out.Close()
	switch {
	case runErr != nil && ctx.Err() != nil:
		fmt.Fprintf(e.Stderr, "slant: interrupted after %d of %d articles\n", done, len(jobs))
		return runErr
	case runErr != nil:
		return fmt.Errorf("write output: %w", runErr)
	case closeErr != nil:
		return fmt.Errorf("write output: %w", closeErr)
	case skipped > 0:
		return errPartial
	}
	return nil
}

// sourceJobs turns sources into pipeline jobs that load them on a worker.
func sourceJobs(srcs []ingest.Source, stdin io.Reader, opt ingest.Options) []pipeline.Job {
	jobs := make([]pipeline.Job, len(srcs))
	for i, src := range srcs {
		jobs[i] = pipeline.Job{Name: src.Name, Load: func(ctx context.Context) (slant.Article, error) {
			return ingest.Load(ctx, src, stdin, opt)
		}}
	}
	return jobs
}

// printSkip reports a skipped input on one line.
func printSkip(w io.Writer, err error) {
	fmt.Fprintf(w, "slant: skipped: %s\n", oneLine(err))
}

// oneLine is an error's user-facing message on a single line.
func oneLine(err error) string {
	return strings.ReplaceAll(strings.TrimSpace(slant.ErrorMessage(err)), "\n", " ")
}

func namesOrNone(reg *pipeline.Registry) string {
	if n := reg.Names(); len(n) > 0 {
		return strings.Join(n, ",")
	}
	return "none built in yet"
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress is a one-line progress bar redrawn in place on a terminal. A nil
// *progress does nothing, so callers need not check.
type progress struct {
	w         io.Writer
	total, n  int
	start     time.Time
	lastDraw  time.Time
	now       func() time.Time
	drawnOnce bool
}

func newProgress(w io.Writer, total int, now func() time.Time) *progress {
	t := now()
	return &progress{w: w, total: total, start: t, now: now}
}

// step counts one finished input and redraws at most ten times a second,
// and always on the last one.
func (p *progress) step() {
	if p == nil {
		return
	}
	p.n++
	t := p.now()
	if p.n < p.total && p.drawnOnce && t.Sub(p.lastDraw) < 100*time.Millisecond {
		return
	}
	p.lastDraw, p.drawnOnce = t, true
	const width = 30
	filled := width * p.n / p.total
	rate := ""
	if secs := t.Sub(p.start).Seconds(); secs > 0 {
		rate = fmt.Sprintf(" %.1f/s", float64(p.n)/secs)
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d articles%s\x1b[K", strings.Repeat("#", filled), strings.Repeat(".", width-filled), p.n, p.total, rate)
}

// clear erases the bar so the next line printed starts clean; the bar
// comes back on the next step.
func (p *progress) clear() {
	if p == nil || !p.drawnOnce {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
	p.drawnOnce = false
}
