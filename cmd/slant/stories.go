package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/sources"
	"github.com/slant-news/slant/sqlite"
	"github.com/slant-news/slant/stories"
)

// The story commands: stories groups the stored articles (and takes the
// analyst's merge, split and move edits), compare shows one story side by
// side per outlet, trends counts labels per outlet and week.

func init() {
	register(&command{
		name: "stories",
		usage: "slant stories [--db FILE] [--window 7d] [--threshold 0.15] [--format text|json]\n" +
			"       slant stories merge STORY STORY | split STORY ARTICLE... | move ARTICLE STORY",
		summary: "group stored articles into stories across outlets; merge, split and move them",
		run:     runStories,
	})
	register(&command{
		name:    "compare",
		usage:   "slant compare [--db FILE] [--format text|json|html] [--outlets FILE] STORY",
		summary: "compare how outlets tell one story: techniques, narratives, roles, quotes, facts",
		run:     runCompare,
	})
	register(&command{
		name: "trends",
		usage: "slant trends [--db FILE] [--format text|csv|json|svg] [--kind narrative|technique] [--label L] " +
			"[--by-outlet NAME] [--outlet NAME] [--since DATE] [--until DATE]",
		summary: "narrative and technique prevalence per outlet per ISO week",
		run:     runTrends,
	})
}

// parseWindow reads a duration with a day unit ("7d", "36h", "2d12h").
func parseWindow(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseFloat(d, 64)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(n * 24 * float64(time.Hour)), nil
	}
	if days, rest, ok := strings.Cut(s, "d"); ok {
		n, err := strconv.Atoi(days)
		r, err2 := time.ParseDuration(rest)
		if err != nil || err2 != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a duration", s)
		}
		return time.Duration(n)*24*time.Hour + r, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration", s)
	}
	return d, nil
}

func runStories(ctx context.Context, e *Env, args []string) error {
	fs := newFlags("stories", e.Stderr)
	db := dbFlag(fs)
	window := fs.String("window", "7d", "how far apart in time articles of one story may be")
	threshold := fs.Float64("threshold", 0, "similarity from which an article joins a story (default 0.15)")
	format := fs.String("format", "text", "output: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	win, err := parseWindow(*window)
	if err != nil {
		return usageErrorf("--window: %v", err)
	}
	if *format != "text" && *format != "json" {
		return usageErrorf("--format: want text or json, not %q", *format)
	}
	if *threshold < 0 || *threshold > 1 {
		return usageErrorf("--threshold: want a number in [0, 1]")
	}
	store, err := openStoreToRead(ctx, e, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if len(pos) > 0 {
		if err := storyEdit(ctx, store, pos); err != nil {
			return err
		}
	}
	g, err := regroup(ctx, store, stories.Options{Window: win, Threshold: *threshold})
	if err != nil {
		return err
	}
	list := g.Stories()
	if *format == "json" {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	return writeStories(e.Stdout, list)
}

// regroup groups every stored article with the stored pins and replaces the
// stored stories with the result.
func regroup(ctx context.Context, store fullStore, opts stories.Options) (*stories.Grouper, error) {
	pins, err := store.StoryPins(ctx)
	if err != nil {
		return nil, err
	}
	opts.Pins = pins
	// A light first pass fixes the order from the article list alone; the
	// reports, texts included, are then read a few at a time in that order
	// while the grouper runs, so memory does not grow with their texts.
	list, err := store.Articles(ctx, slant.ArticleFilter{})
	if err != nil {
		return nil, err
	}
	// The order of Group over the ingest order: by publication time
	// (undated last), then ingest time, then the list's own order.
	sort.SliceStable(list, func(a, b int) bool {
		pa, pb := list[a].Published, list[b].Published
		if !pa.Equal(pb) {
			return stories.PublishedBefore(pa, pb)
		}
		return list[a].Ingested.Before(list[b].Ingested)
	})
	type entry struct{ id, outlet string }
	entries := make([]entry, len(list))
	for i, a := range list {
		entries[i] = entry{a.ID, a.Outlet}
	}
	list = nil
	g := stories.NewGrouper(opts)
	_, err = g.GroupFunc(ctx, len(entries), func(ctx context.Context, k int) (stories.Item, error) {
		a := entries[k]
		r, err := store.Report(ctx, a.id)
		if err != nil {
			return stories.Item{}, err
		}
		it := stories.ItemFromReport(r)
		// The store's id is what compare, show and the pins use.
		it.ID = a.id
		if it.Outlet == "" {
			it.Outlet = a.outlet
		}
		if it.Outlet == "" && it.URL != "" {
			it.Outlet = sources.Host(it.URL)
		}
		return it, nil
	})
	if err != nil {
		return nil, err
	}
	var stored []sqlite.StoredStory
	for _, s := range g.Stories() {
		detail, err := json.Marshal(s)
		if err != nil {
			return nil, fmt.Errorf("stories: %w", err)
		}
		stored = append(stored, sqlite.StoredStory{Story: s.Slant(), Detail: detail})
	}
	if err := store.ReplaceStories(ctx, stored); err != nil {
		return nil, err
	}
	return g, nil
}

// storyEdit records an analyst's merge, split or move as pins, so that the
// regrouping that follows (and every later one) keeps it.
func storyEdit(ctx context.Context, store fullStore, pos []string) error {
	current, err := store.Stories(ctx)
	if err != nil {
		return err
	}
	pins, err := store.StoryPins(ctx)
	if err != nil {
		return err
	}
	byID := map[int64]*sqlite.StoredStory{}
	storyOf := map[string]int64{}
	for i := range current {
		byID[current[i].ID] = &current[i]
		for _, a := range current[i].Articles {
			storyOf[a] = current[i].ID
		}
	}
	story := func(arg string) (*sqlite.StoredStory, error) {
		id, err := strconv.ParseInt(arg, 10, 64)
		if err != nil {
			return nil, usageErrorf("%q is not a story number", arg)
		}
		s, ok := byID[id]
		if !ok {
			return nil, slant.Errorf(slant.ENOTFOUND, "no story %d (run 'slant stories' to list them)", id)
		}
		return s, nil
	}
	article := func(arg string) (string, error) {
		id, err := store.ResolveID(ctx, arg)
		if err != nil {
			return "", err
		}
		if _, ok := storyOf[id]; !ok {
			return "", slant.Errorf(slant.ENOTFOUND, "article %s is in no story (run 'slant stories' first)", id)
		}
		return id, nil
	}
	// labelOf reuses a story's pin label, or anchors a new one on its
	// earliest article.
	labelOf := func(ids []string) string {
		for _, a := range ids {
			if l, ok := pins[a]; ok {
				return l
			}
		}
		return "with:" + ids[0]
	}
	pin := func(ids []string, label string) {
		for _, a := range ids {
			pins[a] = label
		}
	}
	switch verb, rest := pos[0], pos[1:]; verb {
	case "merge":
		if len(rest) != 2 {
			return usageErrorf("usage: slant stories merge STORY STORY")
		}
		a, err := story(rest[0])
		if err != nil {
			return err
		}
		b, err := story(rest[1])
		if err != nil {
			return err
		}
		if a.ID == b.ID {
			return usageErrorf("merge: give two different stories")
		}
		label := labelOf(a.Articles)
		pin(a.Articles, label)
		pin(b.Articles, label)
	case "split":
		if len(rest) < 2 {
			return usageErrorf("usage: slant stories split STORY ARTICLE...")
		}
		s, err := story(rest[0])
		if err != nil {
			return err
		}
		take := map[string]bool{}
		var moved []string
		for _, arg := range rest[1:] {
			id, err := article(arg)
			if err != nil {
				return err
			}
			if storyOf[id] != s.ID {
				return slant.Errorf(slant.EINVALID, "split: article %s is not in story %d", id, s.ID)
			}
			if !take[id] {
				take[id] = true
				moved = append(moved, id)
			}
		}
		var kept []string
		for _, a := range s.Articles {
			if !take[a] {
				kept = append(kept, a)
			}
		}
		if len(kept) == 0 {
			return slant.Errorf(slant.EINVALID, "split: that would move every article of story %d", s.ID)
		}
		// Fresh labels on both sides: the old one may be anchored on a
		// moved article.
		pin(kept, "with:"+kept[0])
		pin(moved, "with:"+moved[0])
	case "move":
		if len(rest) != 2 {
			return usageErrorf("usage: slant stories move ARTICLE STORY")
		}
		id, err := article(rest[0])
		if err != nil {
			return err
		}
		s, err := story(rest[1])
		if err != nil {
			return err
		}
		label := labelOf(s.Articles)
		pin(s.Articles, label)
		pins[id] = label
	default:
		return usageErrorf("unknown stories action %q: want merge, split or move", verb)
	}
	return store.SetStoryPins(ctx, pins)
}

func writeStories(w io.Writer, list []*stories.Story) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(w, "no stories: ingest some articles first")
		return err
	}
	// Stories with more voices first: they are the ones to compare.
	sorted := append([]*stories.Story(nil), list...)
	sort.SliceStable(sorted, func(i, j int) bool { return len(sorted[i].Members) > len(sorted[j].Members) })
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, s := range sorted {
		when := ""
		if !s.First.IsZero() {
			when = " · " + s.First.Format("2006-01-02")
			if !s.Last.Equal(s.First) {
				when += " to " + s.Last.Format("2006-01-02")
			}
		}
		pinned := ""
		if s.Pin != "" {
			pinned = " · pinned"
		}
		fmt.Fprintf(tw, "story %d: %s\n", s.ID, clipRunes(s.Title, 100))
		fmt.Fprintf(tw, "  %d articles, voices: %s%s%s\n", len(s.Members), dashIfEmpty(strings.Join(s.Voices(), ", ")), when, pinned)
		for _, m := range s.Members {
			fmt.Fprintf(tw, "  - %s\t%s\t%s\n", m.ID, dashIfEmpty(m.Outlet), m.Reason)
		}
		for _, r := range s.Related {
			fmt.Fprintf(tw, "  related: story %d (similarity %.2f; shared entities: %s; shared terms: %s)\n",
				r.Story, r.Similarity, dashIfEmpty(strings.Join(r.SharedEntities, ", ")), dashIfEmpty(strings.Join(r.SharedTerms, ", ")))
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	return tw.Flush()
}

// loadProfiles returns the outlet lookup, with the user's --outlets file
// over the compiled table.
func loadProfiles(path string) (func(string) (slant.Outlet, bool), error) {
	table := sources.Default()
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		defer f.Close()
		if table, err = table.WithOverrides(f); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	return table.Lookup, nil
}

func runCompare(ctx context.Context, e *Env, args []string) error {
	fs := newFlags("compare", e.Stderr)
	db := dbFlag(fs)
	format := fs.String("format", "text", "output: text, json or html")
	outlets := fs.String("outlets", "", "CSV of outlet profiles (domain,name,factuality,bias,reliability) that override or add to the compiled ones")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("usage: slant compare [--format text|json|html] STORY")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil {
		return usageErrorf("%q is not a story number (run 'slant stories' to list them)", pos[0])
	}
	switch *format {
	case "text", "json", "html":
	default:
		return usageErrorf("--format: want text, json or html, not %q", *format)
	}
	profile, err := loadProfiles(*outlets)
	if err != nil {
		return err
	}
	store, err := openStoreToRead(ctx, e, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	list, err := store.Stories(ctx)
	if err != nil {
		return err
	}
	var st *sqlite.StoredStory
	for i := range list {
		if list[i].ID == id {
			st = &list[i]
		}
	}
	if st == nil {
		return slant.Errorf(slant.ENOTFOUND, "no story %d (run 'slant stories' to group the stored articles)", id)
	}
	var reports []*slant.Report
	for _, a := range st.Articles {
		r, err := store.Report(ctx, a)
		if err != nil {
			return err
		}
		if r.Article.Outlet == "" && r.Article.URL != "" {
			r.Article.Outlet = sources.Host(r.Article.URL)
		}
		reports = append(reports, r)
	}
	c := stories.Compare(st.Title, reports, stories.CompareOptions{Profile: profile})
	switch *format {
	case "json":
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	case "html":
		return stories.WriteHTML(e.Stdout, c)
	}
	return stories.WriteText(e.Stdout, c)
}

func runTrends(ctx context.Context, e *Env, args []string) error {
	fs := newFlags("trends", e.Stderr)
	db := dbFlag(fs)
	var af articleFilterFlags
	af.add(fs)
	format := fs.String("format", "text", "output: text, csv, json or svg")
	kind := fs.String("kind", "", "only narratives or only techniques (narrative|technique); svg draws narratives by default")
	label := fs.String("label", "", "svg: draw this label, one line per outlet")
	byOutlet := fs.String("by-outlet", "", "svg: draw this outlet's labels, one line per label")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("trends takes no arguments, got %q", pos[0])
	}
	if *kind != "" && *kind != stories.TrendNarrative && *kind != stories.TrendTechnique {
		return usageErrorf("--kind: want narrative or technique, not %q", *kind)
	}
	switch *format {
	case "text", "csv", "json", "svg":
	default:
		return usageErrorf("--format: want text, csv, json or svg, not %q", *format)
	}
	filter, err := af.filter()
	if err != nil {
		return err
	}
	store, err := openStoreToRead(ctx, e, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	var reports []*slant.Report
	err = store.EachReport(ctx, filter, func(a slant.StoredArticle, r *slant.Report) error {
		if r.Article.Outlet == "" {
			r.Article.Outlet = a.Outlet
		}
		// Keep only what Trends reads: the text is not needed.
		r.Article.Text = ""
		r.Entities, r.Quotes, r.Sentences, r.Paragraphs = nil, nil, nil, nil
		reports = append(reports, r)
		return nil
	})
	if err != nil {
		return err
	}
	points, undated := stories.Trends(reports)
	if *kind != "" {
		kept := points[:0]
		for _, p := range points {
			if p.Kind == *kind {
				kept = append(kept, p)
			}
		}
		points = kept
	}
	if undated > 0 {
		fmt.Fprintf(e.Stderr, "slant: %d articles without a publication date left out of the weeks\n", undated)
	}
	switch *format {
	case "csv":
		return stories.WriteTrendsCSV(e.Stdout, points)
	case "json":
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(points)
	case "svg":
		return stories.WriteTrendsSVG(e.Stdout, points, stories.ChartOptions{Kind: *kind, Label: *label, Outlet: *byOutlet})
	}
	return stories.WriteTrendsText(e.Stdout, points)
}
