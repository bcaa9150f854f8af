// Package render writes analysis reports for people and programs: coloured
// or plain text for a terminal, JSON and JSON Lines for other tools, and one
// self-contained HTML page.
//
// Every renderer reads only the report; none alters it. Spans that are out
// of range or not on rune boundaries (an analyzer bug) are clamped rather
// than trusted, so a bad annotation never breaks the output or panics.
package render

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/slant-news/slant"
)

// Formats lists the output formats NewWriter accepts.
var Formats = []string{"text", "json", "jsonl", "html"}

// Options tune the text renderer.
type Options struct {
	// Color marks spans with ANSI colours and underlines instead of plain
	// bracket markers. Callers set it only when the output is a terminal and
	// NO_COLOR is not set.
	Color bool
}

// Writer renders reports one at a time as they arrive, so a long run never
// holds every report in memory (the HTML writer holds the rendered page).
// Close finishes the output (closing the JSON array, writing the HTML page);
// it must be called even when no report was written.
type Writer interface {
	Write(r *slant.Report) error
	Close() error
}

// NewWriter returns a Writer for one of Formats writing to w. An unknown
// format is an EINVALID error.
func NewWriter(format string, w io.Writer, opts Options) (Writer, error) {
	switch format {
	case "text":
		return &textWriter{w: w, opts: opts}, nil
	case "json":
		return &jsonWriter{w: w}, nil
	case "jsonl":
		return &jsonlWriter{w: w}, nil
	case "html":
		return &htmlWriter{w: w}, nil
	}
	return nil, slant.Errorf(slant.EINVALID, "unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

func writeAll(w Writer, reports []*slant.Report) error {
	for _, r := range reports {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	return w.Close()
}

// Text writes reports as text for people: title, metadata, the article
// text with annotated spans marked, a legend and one section per kind of
// annotation.
func Text(w io.Writer, reports []*slant.Report, opts Options) error {
	return writeAll(&textWriter{w: w, opts: opts}, reports)
}

// JSON writes reports as one indented JSON array.
func JSON(w io.Writer, reports []*slant.Report) error {
	return writeAll(&jsonWriter{w: w}, reports)
}

// JSONL writes reports as JSON Lines: one compact report per line.
func JSONL(w io.Writer, reports []*slant.Report) error {
	return writeAll(&jsonlWriter{w: w}, reports)
}

// HTML writes reports as one self-contained HTML page (inline CSS, no
// scripts, no external assets) that opens with a list of the articles. All
// article text is escaped. The HTML Writer keeps the rendered articles in
// memory until Close, which writes the page.
func HTML(w io.Writer, reports []*slant.Report) error {
	return writeAll(&htmlWriter{w: w}, reports)
}

// Kinds of marks laid over the text.
const (
	markTechnique = iota
	markQuote
	markEntity
)

// mark is one annotation drawn over the text.
type mark struct {
	start, end int
	kind       int
	label      string  // technique name, quote kind, or entity role
	score      float64 // technique score
	ref        int     // technique index, quote number (from 1), or entity index
}

// clampSpan fits sp inside text and onto rune boundaries; ok is false when
// nothing sensible is left.
func clampSpan(text string, sp slant.Span) (start, end int, ok bool) {
	start, end = max(sp.Start, 0), min(sp.End, len(text))
	if start >= end {
		return 0, 0, false
	}
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	return start, end, true
}

// marks collects what the text renderers draw inline: technique spans,
// quotes, and mentions of entities that have a role.
func marks(r *slant.Report) []mark {
	text := r.Article.Text
	var ms []mark
	for i, t := range r.Techniques {
		if s, e, ok := clampSpan(text, t.Span); ok {
			ms = append(ms, mark{start: s, end: e, kind: markTechnique, label: t.Technique, score: t.Score, ref: i})
		}
	}
	for i, q := range r.Quotes {
		if s, e, ok := clampSpan(text, q.Span); ok {
			ms = append(ms, mark{start: s, end: e, kind: markQuote, label: q.Kind, ref: i + 1})
		}
	}
	for i, en := range r.Entities {
		if en.Role == nil {
			continue
		}
		for _, m := range en.Mentions {
			if s, e, ok := clampSpan(text, m.Span); ok {
				ms = append(ms, mark{start: s, end: e, kind: markEntity, label: en.Role.Main, ref: i})
			}
		}
	}
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].start != ms[j].start {
			return ms[i].start < ms[j].start
		}
		return ms[i].end > ms[j].end
	})
	return ms
}

// segment is a stretch of text over which the same marks are active.
type segment struct {
	start, end int
	active     []int // indices into the marks slice, in mark order
}

// segments cuts [0, len(text)) at every mark boundary and every line break,
// so overlapping and crossing marks become a flat run of segments each
// carrying the set of marks that cover it. Concatenating the segments gives
// back the text exactly. Line breaks are their own boundaries so a
// renderer can close its styling before a newline.
func segments(text string, ms []mark) []segment {
	cuts := []int{0, len(text)}
	for _, m := range ms {
		cuts = append(cuts, m.start, m.end)
	}
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		cuts = append(cuts, i+j, i+j+1)
		i += j + 1
	}
	sort.Ints(cuts)
	var segs []segment
	var active []int
	next := 0 // next mark (ms is sorted by start) not yet active
	for k := 0; k+1 < len(cuts); k++ {
		a, b := cuts[k], cuts[k+1]
		if a == b {
			continue
		}
		// Drop marks that ended, admit marks that start here.
		kept := active[:0:0]
		for _, i := range active {
			if ms[i].end > a {
				kept = append(kept, i)
			}
		}
		active = kept
		for next < len(ms) && ms[next].start <= a {
			if ms[next].end > a {
				active = append(active, next)
			}
			next++
		}
		segs = append(segs, segment{start: a, end: b, active: append([]int(nil), active...)})
	}
	return segs
}

// cluster is a maximal stretch of text covered by overlapping technique
// spans; the plain text renderer marks it once and lists every technique in
// it, so overlapping spans never produce tangled brackets.
type cluster struct {
	start, end int
	members    []int // indices into the marks slice
}

func techniqueClusters(ms []mark) []cluster {
	var cs []cluster
	for i, m := range ms {
		if m.kind != markTechnique {
			continue
		}
		if n := len(cs); n > 0 && m.start < cs[n-1].end {
			cs[n-1].end = max(cs[n-1].end, m.end)
			cs[n-1].members = append(cs[n-1].members, i)
			continue
		}
		cs = append(cs, cluster{start: m.start, end: m.end, members: []int{i}})
	}
	return cs
}

// techniqueOrder is the SemEval-2023 Task 3 technique list; a technique's
// position picks its colour so that a technique looks the same in every
// article. Unknown names fall back to a hash.
var techniqueOrder = []string{
	"Appeal_to_Authority", "Appeal_to_Fear-Prejudice", "Appeal_to_Hypocrisy", "Appeal_to_Popularity",
	"Appeal_to_Time", "Appeal_to_Values", "Causal_Oversimplification", "Consequential_Oversimplification",
	"Conversation_Killer", "Doubt", "Exaggeration-Minimisation", "False_Dilemma-No_Choice", "Flag_Waving",
	"Guilt_by_Association", "Loaded_Language", "Name_Calling-Labeling", "Obfuscation-Vagueness-Confusion",
	"Questioning_the_Reputation", "Red_Herring", "Repetition", "Slogans", "Straw_Man", "Whataboutism",
}

// paletteSize is how many distinct technique colours the renderers have.
const paletteSize = 12

func colorIndex(technique string) int {
	for i, t := range techniqueOrder {
		if t == technique {
			return i % paletteSize
		}
	}
	h := 0
	for _, c := range []byte(technique) {
		h = h*31 + int(c)
	}
	if h < 0 {
		h = -h
	}
	return h % paletteSize
}

// legendTechniques returns the distinct technique names of a report in
// order of first appearance in the text.
func legendTechniques(ms []mark) []string {
	var names []string
	seen := map[string]bool{}
	for _, m := range ms {
		if m.kind == markTechnique && !seen[m.label] {
			seen[m.label] = true
			names = append(names, m.label)
		}
	}
	return names
}

// ran reports whether any of the named analyzers ran on the report.
func ran(r *slant.Report, names ...string) bool {
	for _, a := range r.Analyzers {
		for _, n := range names {
			if a == n {
				return true
			}
		}
	}
	return false
}

// Analyzer names that fill each section. A section whose analyzer did not
// run says "no ... model loaded" rather than "none found".
var (
	techniqueAnalyzers = []string{"techniques", "spans", "paragraphs"}
	narrativeAnalyzers = []string{"narratives"}
	genreAnalyzers     = []string{"genre", "docclass"}
	frameAnalyzers     = []string{"frames", "docclass"}
	entityAnalyzers    = []string{"entities", "roles"}
	quoteAnalyzers     = []string{"quotes"}
)

// emptyNote says why a section has nothing to show.
func emptyNote(r *slant.Report, what string, analyzers []string) string {
	if ran(r, analyzers...) {
		return "none found"
	}
	return fmt.Sprintf("no %s model loaded", what)
}

// excerpt returns s on one line, cut to at most n runes with an ellipsis.
func excerpt(s string, n int) string {
	s = clean(strings.Join(strings.Fields(s), " "))
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := 0; k < n-1; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}

// spanText returns the text a span covers after clamping, "" when none.
func spanText(text string, sp slant.Span) string {
	s, e, ok := clampSpan(text, sp)
	if !ok {
		return ""
	}
	return text[s:e]
}

// speakerOf says who a quote is attributed to, for the "who said what"
// table, marking unresolved speakers.
func speakerOf(r *slant.Report, q slant.Quote) string {
	name := q.Speaker
	mention := excerpt(spanText(r.Article.Text, q.SpeakerSpan), 30)
	switch {
	case name == "":
		name = mention
	case mention != "" && mention != name:
		// Show how the text names the speaker ("she", "the general") next
		// to whom it was resolved to, so a reader can check the link.
		name += " (“" + mention + "”)"
	}
	switch {
	case name == "" && q.Kind == slant.QuoteScare:
		return "–" // scare quotes have no speaker to resolve
	case name == "":
		return "? (unresolved)"
	case !q.Resolved:
		return name + " (unresolved)"
	}
	return name
}

// quoteText returns the quoted words of q.
func quoteText(r *slant.Report, q slant.Quote) string {
	if q.Text != "" {
		return q.Text
	}
	return spanText(r.Article.Text, q.Span)
}

// counts returns the number of non-empty paragraphs and of sentences.
func counts(r *slant.Report) (paragraphs, sentences int) {
	for _, p := range r.Paragraphs {
		if strings.TrimSpace(spanText(r.Article.Text, p)) != "" {
			paragraphs++
		}
	}
	return paragraphs, len(r.Sentences)
}

// techniqueStat summarises one technique in a report.
type techniqueStat struct {
	Name  string
	Count int
	Top   []slant.TechniqueSpan // best first
}

// techniqueStats groups technique spans by technique, most frequent first,
// keeping the `top` best-scored spans of each.
func techniqueStats(r *slant.Report, top int) []techniqueStat {
	by := map[string]*techniqueStat{}
	var order []*techniqueStat
	for _, t := range r.Techniques {
		s := by[t.Technique]
		if s == nil {
			s = &techniqueStat{Name: t.Technique}
			by[t.Technique] = s
			order = append(order, s)
		}
		s.Count++
		s.Top = append(s.Top, t)
	}
	out := make([]techniqueStat, 0, len(order))
	for _, s := range order {
		sort.SliceStable(s.Top, func(i, j int) bool { return s.Top[i].Score > s.Top[j].Score })
		if len(s.Top) > top {
			s.Top = s.Top[:top]
		}
		out = append(out, *s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// displayTitle is the article's title, or a stand-in naming the source.
func displayTitle(a slant.Article) string {
	if t := strings.TrimSpace(a.Title); t != "" {
		return t
	}
	for _, s := range []string{a.ID, a.Source, a.URL} {
		if s != "" {
			return "(untitled: " + s + ")"
		}
	}
	return "(untitled)"
}

// metaLine lists the article's metadata that is known.
func metaLine(a slant.Article) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+": "+v)
		}
	}
	add("id", a.ID)
	add("outlet", a.Outlet)
	add("byline", a.Byline)
	if !a.Published.IsZero() {
		add("published", a.Published.UTC().Format("2006-01-02 15:04 MST"))
	}
	add("url", a.URL)
	if a.Source != a.URL {
		add("source", a.Source)
	}
	return strings.Join(parts, " · ")
}

// roleText renders an entity's role with its fine roles.
func roleText(role *slant.Role) string {
	if role == nil {
		return "-"
	}
	s := role.Main
	if len(role.Fine) > 0 {
		s += " (" + strings.Join(role.Fine, ", ") + ")"
	}
	return s
}

// clean replaces control characters other than tab, newline and carriage
// return with U+FFFD, so article text cannot smuggle terminal escape
// sequences into the output. Offsets are unaffected: it is only applied to
// what is displayed.
func clean(s string) string {
	bad := func(r rune) bool {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7f && r < 0xa0)
	}
	if strings.IndexFunc(s, bad) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

// plural returns "1 thing" or "n things".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
