package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/feeds"
	"github.com/slant-news/slant/ingest"
	"github.com/slant-news/slant/pipeline"
	"github.com/slant-news/slant/postgres"
	"github.com/slant-news/slant/render"
	"github.com/slant-news/slant/sqlite"
	"github.com/slant-news/slant/taxonomy"
)

// The store-backed commands: ingest fills the store, list/show/export read
// it. Every one takes --db; without it the store is $SLANT_DB, else the
// user's data directory, created on first use.

func init() {
	register(&command{
		name:    "ingest",
		usage:   "slant ingest [--db FILE] [--only a,b] [--jobs N] [--outlet NAME] [--allow-private] [--reanalyze] PATH...|URL...|-",
		summary: "analyse articles and keep them and their reports in the store",
		run: func(ctx context.Context, e *Env, args []string) error {
			return runIngest(ctx, e, args, analyzers)
		},
	})
	register(&command{
		name: "list",
		usage: "slant list [--db FILE] [--outlet NAME] [--query WORDS] [--technique T] [--narrative N] " +
			"[--since DATE] [--until DATE] [--limit N] [--offset N] [--format text|json]",
		summary: "list stored articles, newest first",
		run:     runList,
	})
	register(&command{
		name:    "show",
		usage:   "slant show [--db FILE] [--format " + strings.Join(render.Formats, "|") + "] ID...",
		summary: "print the stored report of articles (an id prefix is enough)",
		run:     runShow,
	})
	register(&command{
		name: "export",
		usage: "slant export [--db FILE] --format jsonl|csv [--outlet NAME] [--query WORDS] [--technique T] " +
			"[--narrative N] [--since DATE] [--until DATE]",
		summary: "write stored reports as JSON Lines, or one CSV row of label counts per article",
		run:     runExport,
	})
}

// dbFlag adds --db to a command's flags.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "store file (default: $SLANT_DB, else $XDG_DATA_HOME/slant/slant.db or ~/.local/share/slant/slant.db)")
}

// openStore opens the store named by --db, SLANT_DB or the default path,
// creating it and its directories when missing so that a first run needs no
// setup.
func openStore(ctx context.Context, e *Env, path string) (fullStore, error) {
	if path == "" && postgres.IsDSN(e.getenv("SLANT_DB")) {
		path = e.getenv("SLANT_DB")
	}
	if postgres.IsDSN(path) {
		db, err := postgres.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		return db, nil
	}
	if path == "" {
		var err error
		if path, err = sqlite.DefaultPath(e.getenv); err != nil {
			return nil, err
		}
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	return db, nil
}

// openStoreToRead opens an existing store for the commands that only read
// (list, show, export): on a path with no store they say so instead of
// creating an empty database there.
func openStoreToRead(ctx context.Context, e *Env, path string) (fullStore, error) {
	if postgres.IsDSN(path) || (path == "" && postgres.IsDSN(e.getenv("SLANT_DB"))) {
		return openStore(ctx, e, path)
	}
	p := path
	if p == "" {
		var err error
		if p, err = sqlite.DefaultPath(e.getenv); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
		return nil, slant.Errorf(slant.ENOTFOUND, "no store at %s yet: run 'slant ingest PATH...' first, or pass --db FILE", p)
	}
	return openStore(ctx, e, path)
}

// errUnchanged is what an ingest job returns instead of an article whose
// text is already stored, so that it is not analysed again.
type errUnchanged struct{ id, title string }

func (e *errUnchanged) Error() string { return "unchanged " + e.id }

func runIngest(ctx context.Context, e *Env, args []string, reg *pipeline.Registry) error {
	fs := newFlags("ingest", e.Stderr)
	db := dbFlag(fs)
	var af analyzeFlags
	fs.StringVar(&af.only, "only", "", "comma-separated analyzers to run (default: all of "+namesOrNone(reg)+")")
	fs.IntVar(&af.jobs, "jobs", runtime.NumCPU(), "articles analysed at once")
	fs.StringVar(&af.outlet, "outlet", "", "outlet name to record for every article (default: from the page or URL)")
	fs.BoolVar(&af.allowPrivate, "allow-private", false, "allow fetching URLs on loopback, private and link-local addresses")
	reanalyze := fs.Bool("reanalyze", false, "analyse articles already stored again and replace their reports (after new models)")
	queue := fs.String("queue", "", "instead of analysing here, put the inputs on this NATS JetStream work queue (nats://host:4222) for 'slant worker'")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageErrorf("ingest needs at least one PATH, URL or - (standard input)")
	}
	if *queue != "" {
		return ingestToQueue(ctx, e, *queue, af, pos)
	}
	if af.jobs < 1 {
		return usageErrorf("--jobs must be at least 1, got %d", af.jobs)
	}
	as, err := selectAnalyzers(reg, af.only)
	if err != nil {
		return err
	}
	// Open the store before reading anything: a bad --db should fail at
	// once, not after an hour of analysis.
	store, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer store.Close()

	srcs, errs := ingest.Expand(pos)
	skipped := 0
	for _, err := range errs {
		printSkip(e.Stderr, err)
		skipped++
	}
	// Feeds (.rss/.atom/.xml/.json files, /feed and /rss URLs) become one
	// job per item: its page, else the feed's own content.
	jobs, badFeeds := feedJobs(ctx, e.Stderr, srcs, e.Stdin, af.ingestOptions())
	skipped += badFeeds
	for i := range jobs {
		if *reanalyze {
			continue // every article is analysed again
		}
		load := jobs[i].Load
		jobs[i].Load = func(ctx context.Context) (slant.Article, error) {
			a, err := load(ctx)
			if err != nil {
				return a, err
			}
			// Text already stored is a no-op: skip the analysis, which is
			// what makes re-running an interrupted ingest cheap.
			id, found, err := store.LookupText(ctx, a.Text)
			if err != nil {
				return a, err
			}
			if found {
				return a, &errUnchanged{id: id, title: a.Title}
			}
			return a, nil
		}
	}

	stored, unchanged, updated, failed := 0, 0, 0, 0
	runErr := pipeline.Run(ctx, as, jobs, af.jobs, func(res pipeline.Result) error {
		var un *errUnchanged
		switch {
		case errors.As(res.Err, &un):
			unchanged++
			fmt.Fprintf(e.Stdout, "unchanged %s %s\n", un.id, lineOf(un.title, res.Name))
			return nil
		case res.Err != nil:
			printSkip(e.Stderr, res.Err)
			failed++
			return nil
		}
		id, created, err := store.PutReport(ctx, res.Report)
		if slant.ErrorCode(err) == slant.EINVALID {
			printSkip(e.Stderr, err)
			failed++
			return nil
		}
		if err != nil {
			// A store that cannot write (disk full, read-only file) will
			// not write the next article either: stop.
			return err
		}
		verb := "stored"
		switch {
		case created:
			stored++
		case *reanalyze:
			err := store.UpdateReport(ctx, id, res.Report)
			if slant.ErrorCode(err) == slant.EINVALID {
				printSkip(e.Stderr, err)
				failed++
				return nil
			}
			if err != nil {
				return err
			}
			verb = "updated"
			updated++
		default:
			// Another process stored the same text since the lookup.
			verb = "unchanged"
			unchanged++
		}
		fmt.Fprintf(e.Stdout, "%s %s %s\n", verb, id, lineOf(res.Report.Article.Title, res.Name))
		return nil
	})
	skipped += failed
	summary := fmt.Sprintf("%d stored, %d unchanged, %d skipped, in %s", stored, unchanged, skipped, store.Path())
	if *reanalyze {
		summary = fmt.Sprintf("%d stored, %d updated, %d skipped, in %s", stored, updated, skipped, store.Path())
	}
	switch {
	case runErr != nil && ctx.Err() != nil:
		fmt.Fprintf(e.Stderr, "slant: interrupted after %d of %d articles (%s); run the same command again to finish\n",
			stored+unchanged+updated+failed, len(jobs), summary)
		return runErr
	case runErr != nil:
		// Say how far it got before the store failed; the error itself
		// is printed by main.
		fmt.Fprintf(e.Stderr, "ingest: stopped: %s\n", summary)
		return runErr
	}
	fmt.Fprintf(e.Stderr, "ingest: %s\n", summary)
	if skipped > 0 {
		return errPartial
	}
	return nil
}

// articleFilterFlags are the article filters list and export share.
type articleFilterFlags struct {
	outlet, query, technique, narrative, since, until string
}

func (f *articleFilterFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&f.outlet, "outlet", "", "only articles from this outlet")
	fs.StringVar(&f.query, "query", "", "only articles whose title or text contain all these words (word* for a prefix)")
	fs.StringVar(&f.technique, "technique", "", "only articles where this persuasion technique was found")
	fs.StringVar(&f.narrative, "narrative", "", "only articles with this narrative or subnarrative")
	fs.StringVar(&f.since, "since", "", "only articles published (or, when undated, stored) on or after this date (YYYY-MM-DD or RFC 3339)")
	fs.StringVar(&f.until, "until", "", "only articles published (or stored) up to this date, inclusive")
}

func (f *articleFilterFlags) filter() (slant.ArticleFilter, error) {
	af := slant.ArticleFilter{Outlet: f.outlet, Query: f.query, Technique: f.technique, Narrative: f.narrative}
	var err error
	if af.Since, _, err = parseFilterDate(f.since); err != nil {
		return af, usageErrorf("--since: %v", err)
	}
	until, day, err := parseFilterDate(f.until)
	if err != nil {
		return af, usageErrorf("--until: %v", err)
	}
	// A bare date means the whole day; the store's Until is exclusive.
	if day {
		until = until.AddDate(0, 0, 1)
	} else if !until.IsZero() {
		until = until.Add(time.Millisecond)
	}
	af.Until = until
	return af, nil
}

// parseFilterDate reads YYYY-MM-DD (day=true, midnight UTC) or an RFC 3339 time;
// "" is the zero time.
func parseFilterDate(s string) (t time.Time, day bool, err error) {
	if s == "" {
		return time.Time{}, false, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, fmt.Errorf("%q is not a date (want YYYY-MM-DD or 2006-01-02T15:04:05Z)", s)
}

func runList(ctx context.Context, e *Env, args []string) error {
	fs := newFlags("list", e.Stderr)
	db := dbFlag(fs)
	var ff articleFilterFlags
	ff.add(fs)
	limit := fs.Int("limit", 50, "list at most this many articles (0 for all)")
	offset := fs.Int("offset", 0, "skip this many articles first")
	format := fs.String("format", "text", "output format: text (a table) or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("list takes no arguments, got %q (filter with --query)", pos[0])
	}
	if *limit < 0 || *offset < 0 {
		return usageErrorf("--limit and --offset must not be negative")
	}
	if *format != "text" && *format != "json" {
		return usageErrorf("--format: unknown format %q (want text or json)", *format)
	}
	f, err := ff.filter()
	if err != nil {
		return err
	}
	f.Limit, f.Offset = *limit, *offset
	store, err := openStoreToRead(ctx, e, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	arts, err := store.Articles(ctx, f)
	if err != nil {
		return err
	}
	if *format == "json" {
		if arts == nil {
			arts = []slant.StoredArticle{}
		}
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(arts)
	}
	if len(arts) == 0 {
		fmt.Fprintf(e.Stderr, "slant: no stored articles match (store: %s)\n", store.Path())
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDATE\tOUTLET\tTITLE")
	for _, a := range arts {
		date := "-"
		if !a.Published.IsZero() {
			date = a.Published.Format(time.DateOnly)
		}
		title := lineOf(a.Title, a.Source)
		if a.Version > 1 {
			title += fmt.Sprintf(" (version %d)", a.Version)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.ID, date, dashIfEmpty(lineOf(a.Outlet, "")), clipRunes(title, 90))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if *limit > 0 && len(arts) == *limit {
		fmt.Fprintf(e.Stderr, "slant: showing the first %d; use --limit 0 for all or --offset %d for the next page\n", *limit, *offset+*limit)
	}
	return nil
}

func runShow(ctx context.Context, e *Env, args []string) error {
	fs := newFlags("show", e.Stderr)
	db := dbFlag(fs)
	format := fs.String("format", "text", "output format: "+strings.Join(render.Formats, ", "))
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageErrorf("show needs an article ID (run 'slant list' to see them)")
	}
	color := *format == "text" && e.terminal() && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb"
	out, err := render.NewWriter(*format, e.Stdout, render.Options{Color: color})
	if err != nil {
		return usageErrorf("--format: %s", slant.ErrorMessage(err))
	}
	store, err := openStoreToRead(ctx, e, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	var missing []error
	for _, arg := range pos {
		r, err := showOne(ctx, store, arg)
		if err != nil {
			if code := slant.ErrorCode(err); code != slant.ENOTFOUND && code != slant.EINVALID {
				out.Close()
				return err
			}
			missing = append(missing, err)
			continue
		}
		if err := out.Write(r); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	switch {
	case len(missing) == 1 && len(pos) == 1:
		return missing[0]
	case len(missing) > 0:
		for _, err := range missing {
			printSkip(e.Stderr, err)
		}
		return errPartial
	}
	return nil
}

func showOne(ctx context.Context, store fullStore, arg string) (*slant.Report, error) {
	id, err := store.ResolveID(ctx, arg)
	if err != nil {
		return nil, err
	}
	return store.Report(ctx, id)
}

func runExport(ctx context.Context, e *Env, args []string) error {
	fs := newFlags("export", e.Stderr)
	db := dbFlag(fs)
	var ff articleFilterFlags
	ff.add(fs)
	format := fs.String("format", "", "jsonl (one full report per line) or csv (one row of label counts per article)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("export takes no arguments, got %q", pos[0])
	}
	var w reportWriter
	switch *format {
	case "jsonl":
		rw, err := render.NewWriter("jsonl", e.Stdout, render.Options{})
		if err != nil {
			return err
		}
		w = renderExport{rw}
	case "csv":
		w = newCSVExport(e.Stdout)
	case "":
		return usageErrorf("export needs --format jsonl or --format csv")
	default:
		return usageErrorf("--format: unknown format %q (want jsonl or csv)", *format)
	}
	f, err := ff.filter()
	if err != nil {
		return err
	}
	store, err := openStoreToRead(ctx, e, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	// Reports stream from one query, so an export of the whole store never
	// holds more than one in memory.
	err = store.EachReport(ctx, f, func(a slant.StoredArticle, r *slant.Report) error {
		if err := w.Write(r, a); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// reportWriter is where export sends each stored report.
type reportWriter interface {
	Write(r *slant.Report, a slant.StoredArticle) error
	Close() error
}

// renderExport writes the reports with one of the render package's formats.
type renderExport struct{ w render.Writer }

func (r renderExport) Write(rep *slant.Report, _ slant.StoredArticle) error { return r.w.Write(rep) }
func (r renderExport) Close() error                                         { return r.w.Close() }

// csvExport writes one row per article: its metadata, then the number of
// findings of each kind and of each persuasion technique, for spreadsheets
// and statistics tools.
type csvExport struct {
	w     *csv.Writer
	techs []string
	known map[string]bool
	n     int
}

func newCSVExport(w io.Writer) *csvExport {
	c := &csvExport{w: csv.NewWriter(w), techs: taxonomy.TechniqueNames(), known: map[string]bool{}}
	for _, t := range c.techs {
		c.known[t] = true
	}
	return c
}

func (c *csvExport) header() []string {
	h := []string{"id", "version", "published", "ingested", "outlet", "url", "title", "bytes",
		"genre", "genre_score", "frames", "narratives", "subnarratives", "narrative_count",
		"technique_spans", "techniques"}
	for _, t := range c.techs {
		h = append(h, "technique:"+t)
	}
	return append(h, "technique:other", "entities", "quotes")
}

func (c *csvExport) Write(r *slant.Report, a slant.StoredArticle) error {
	if c.n == 0 {
		if err := c.w.Write(c.header()); err != nil {
			return err
		}
	}
	c.n++
	genre, genreScore := "", ""
	if r.Genre != nil {
		genre, genreScore = r.Genre.Label, strconv.FormatFloat(r.Genre.Score, 'f', 3, 64)
	}
	var frames []string
	for _, f := range r.Frames {
		frames = append(frames, f.Label)
	}
	narrs, subs := map[string]bool{}, map[string]bool{}
	for _, n := range r.Narratives {
		if n.Narrative != "" {
			narrs[n.Narrative] = true
		}
		if n.Subnarrative != "" {
			subs[n.Subnarrative] = true
		}
	}
	counts := exportTechniqueCounts(r)
	distinct, other := 0, 0
	for t, n := range counts {
		if n > 0 {
			distinct++
		}
		if !c.known[t] {
			other += n
		}
	}
	published := ""
	if !a.Published.IsZero() {
		published = a.Published.Format(time.RFC3339)
	}
	row := []string{a.ID, strconv.Itoa(a.Version), published, a.Ingested.Format(time.RFC3339), a.Outlet, a.URL,
		a.Title, strconv.Itoa(a.Bytes), genre, genreScore, strings.Join(frames, ";"),
		strings.Join(exportSortedKeys(narrs), ";"), strings.Join(exportSortedKeys(subs), ";"), strconv.Itoa(len(narrs)),
		strconv.Itoa(len(r.Techniques)), strconv.Itoa(distinct)}
	for _, t := range c.techs {
		row = append(row, strconv.Itoa(counts[t]))
	}
	row = append(row, strconv.Itoa(other), strconv.Itoa(len(r.Entities)), strconv.Itoa(len(r.Quotes)))
	return c.w.Write(row)
}

func (c *csvExport) Close() error {
	if c.n == 0 {
		// Even an empty export has its header, so tools can read it.
		if err := c.w.Write(c.header()); err != nil {
			return err
		}
	}
	c.w.Flush()
	return c.w.Error()
}

// exportTechniqueCounts counts each technique's spans, or for a technique found
// only as a paragraph label (no span model ran), its labelled paragraphs;
// the same rule the store's technique index uses.
func exportTechniqueCounts(r *slant.Report) map[string]int {
	spans := map[string]int{}
	for _, t := range r.Techniques {
		spans[t.Technique]++
	}
	paras := map[string]int{}
	for _, p := range r.ParagraphLabels {
		for _, t := range p.Techniques {
			paras[t]++
		}
	}
	for t, n := range paras {
		if spans[t] == 0 {
			spans[t] = n
		}
	}
	return spans
}

func exportSortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lineOf returns s with runs of white space (newlines, tabs) folded to one
// space, or fallback when s is blank, so one article is one output line.
func lineOf(s, fallback string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		s = strings.Join(strings.Fields(fallback), " ")
	}
	return s
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// clipRunes shortens s to at most n runes, marking the cut with "…".
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// ingestToQueue is 'slant ingest --queue': the inputs go on the work queue,
// feeds as their items' links, exactly as 'slant enqueue' puts them, and the
// workers analyse and store them.
func ingestToQueue(ctx context.Context, e *Env, queue string, af analyzeFlags, pos []string) error {
	var plain, feedSrcs []string
	for _, p := range pos {
		if p != "-" && feeds.LooksLikeFeed(p) {
			feedSrcs = append(feedSrcs, p)
		} else {
			plain = append(plain, p)
		}
	}
	common := []string{"--queue", queue}
	if af.outlet != "" {
		common = append(common, "--outlet", af.outlet)
	}
	if af.allowPrivate {
		common = append(common, "--allow-private")
	}
	var partial bool
	for _, batch := range []struct {
		extra []string
		args  []string
	}{{nil, plain}, {[]string{"--feed"}, feedSrcs}} {
		if len(batch.args) == 0 {
			continue
		}
		args := append(append(append([]string{}, common...), batch.extra...), append([]string{"--"}, batch.args...)...)
		err := runEnqueue(ctx, e, args)
		if errors.Is(err, errPartial) {
			partial = true
			continue
		}
		if err != nil {
			return err
		}
	}
	if partial {
		return errPartial
	}
	return nil
}
