package render

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/slant-news/slant"
)

// ANSI styles. Technique spans get a light background (one of paletteSize),
// entity roles a bold foreground, quotes an underline.
var bgPalette = [paletteSize]string{
	"48;5;217", "48;5;223", "48;5;229", "48;5;194", "48;5;159", "48;5;153",
	"48;5;183", "48;5;225", "48;5;186", "48;5;151", "48;5;152", "48;5;188",
}

var roleStyle = map[string]string{
	slant.Antagonist:  "1;31",
	slant.Protagonist: "1;32",
	slant.Innocent:    "1;34",
}

const (
	sgrReset = "\x1b[0m"
	sgrDim   = "\x1b[2m"
	sgrBold  = "\x1b[1m"
)

func sgr(codes string) string { return "\x1b[" + codes + "m" }

// textWriter implements Writer for the text format.
type textWriter struct {
	w    io.Writer
	opts Options
	n    int
}

func (t *textWriter) Write(r *slant.Report) error {
	bw := bufio.NewWriter(t.w)
	if t.n > 0 {
		bw.WriteString("\n")
	}
	t.n++
	writeTextReport(bw, r, t.opts)
	return bw.Flush()
}

func (t *textWriter) Close() error { return nil }

func writeTextReport(w *bufio.Writer, r *slant.Report, opts Options) {
	a := r.Article
	rule := strings.Repeat("═", 72)
	thin := strings.Repeat("─", 72)
	title := clean(displayTitle(a))
	if opts.Color {
		title = sgrBold + title + sgrReset
	}
	fmt.Fprintf(w, "%s\n%s\n", rule, title)
	if m := metaLine(a); m != "" {
		fmt.Fprintln(w, clean(m))
	}
	np, ns := counts(r)
	an := "none"
	if len(r.Analyzers) > 0 {
		an = strings.Join(r.Analyzers, ", ")
	}
	fmt.Fprintf(w, "%s · %s · %s · %s · analyzers: %s\n",
		plural(np, "paragraph", "paragraphs"), plural(ns, "sentence", "sentences"),
		plural(len(a.Text), "byte", "bytes"), plural(utf8.RuneCountInString(a.Text), "character", "characters"), an)
	fmt.Fprintln(w, thin)

	ms := marks(r)
	legend := legendTechniques(ms)
	num := map[string]int{}
	for i, n := range legend {
		num[n] = i + 1
	}
	if opts.Color {
		writeColorBody(w, r.Article.Text, ms, num)
	} else {
		writePlainBody(w, r.Article.Text, ms)
	}
	if !strings.HasSuffix(a.Text, "\n") {
		w.WriteString("\n")
	}
	fmt.Fprintln(w, thin)
	if len(ms) > 0 {
		writeLegend(w, legend, opts)
	}

	writeTechniques(w, r)
	writeNarratives(w, r)
	writeDocLabels(w, r)
	writeEntities(w, r)
	writeQuotes(w, r)
}

// insertion is a marker placed at a text position by the plain renderer.
type insertion struct {
	pos        int
	open       bool
	start, end int // the marked range, to order markers sharing a position
	s          string
}

// writePlainBody writes the text with bracket markers: [[...]]{Technique
// score} around technique clusters, ⟨...⟩qN around quotes, and a ‹Role› tag
// after each mention of an entity with a role. The kinds use different
// brackets so that a quote crossing a technique span stays readable;
// overlapping technique spans are merged into one cluster.
func writePlainBody(w *bufio.Writer, text string, ms []mark) {
	var ins []insertion
	for _, c := range techniqueClusters(ms) {
		var labels []string
		for _, i := range c.members {
			m := ms[i]
			l := fmt.Sprintf("%s %.2f", m.label, m.score)
			if len(c.members) > 1 && (m.start != c.start || m.end != c.end) {
				l += " “" + excerpt(text[m.start:m.end], 40) + "”"
			}
			labels = append(labels, l)
		}
		ins = append(ins,
			insertion{pos: c.start, open: true, start: c.start, end: c.end, s: "[["},
			insertion{pos: c.end, start: c.start, end: c.end, s: "]]{" + strings.Join(labels, "; ") + "}"})
	}
	for _, m := range ms {
		switch m.kind {
		case markQuote:
			ins = append(ins,
				insertion{pos: m.start, open: true, start: m.start, end: m.end, s: "⟨"},
				insertion{pos: m.end, start: m.start, end: m.end, s: "⟩q" + strconv.Itoa(m.ref)})
		case markEntity:
			// A tag after the mention, not a bracket pair, so it can never
			// cross another marker.
			ins = append(ins, insertion{pos: m.end, start: m.start, end: m.end, s: "‹" + m.label + "›"})
		}
	}
	sort.SliceStable(ins, func(i, j int) bool {
		a, b := ins[i], ins[j]
		if a.pos != b.pos {
			return a.pos < b.pos
		}
		if a.open != b.open {
			return !a.open // close what ends here before opening what starts
		}
		if a.open {
			return a.end > b.end // outer first
		}
		return a.start > b.start // inner first
	})
	pos := 0
	for _, in := range ins {
		w.WriteString(clean(text[pos:in.pos]))
		w.WriteString(in.s)
		pos = in.pos
	}
	w.WriteString(clean(text[pos:]))
}

// writeColorBody writes the text with ANSI styling per segment and a dim
// tag after each technique cluster ([1,3]: legend numbers) and quote (qN).
func writeColorBody(w *bufio.Writer, text string, ms []mark, num map[string]int) {
	tags := map[int][]string{}
	for _, c := range techniqueClusters(ms) {
		seen := map[int]bool{}
		var ns []int
		for _, i := range c.members {
			if n := num[ms[i].label]; !seen[n] {
				seen[n] = true
				ns = append(ns, n)
			}
		}
		sort.Ints(ns)
		var s []string
		for _, n := range ns {
			s = append(s, strconv.Itoa(n))
		}
		tags[c.end] = append(tags[c.end], "["+strings.Join(s, ",")+"]")
	}
	for _, m := range ms {
		if m.kind == markQuote {
			tags[m.end] = append(tags[m.end], "q"+strconv.Itoa(m.ref))
		}
	}
	flush := func(pos int) {
		if t := tags[pos]; len(t) > 0 {
			w.WriteString(sgrDim + strings.Join(t, "") + sgrReset)
		}
	}
	for _, sg := range segments(text, ms) {
		s := clean(text[sg.start:sg.end])
		style := segmentStyle(ms, sg.active)
		if style == "" || s == "\n" {
			w.WriteString(s)
		} else {
			w.WriteString(sgr(style) + s + sgrReset)
		}
		flush(sg.end)
	}
}

// segmentStyle picks the ANSI style of a segment: the background of its
// shortest technique span (the most specific), the role colour of an entity
// mention, and an underline inside a quote.
func segmentStyle(ms []mark, active []int) string {
	var parts []string
	tech, ent, quote := -1, -1, false
	for _, i := range active {
		m := ms[i]
		switch m.kind {
		case markTechnique:
			if tech < 0 || m.end-m.start < ms[tech].end-ms[tech].start {
				tech = i
			}
		case markEntity:
			ent = i
		case markQuote:
			quote = true
		}
	}
	if tech >= 0 {
		parts = append(parts, bgPalette[colorIndex(ms[tech].label)])
	}
	if ent >= 0 {
		st, ok := roleStyle[ms[ent].label]
		if !ok {
			st = "1;35"
		}
		parts = append(parts, st)
	} else if tech >= 0 {
		parts = append(parts, "30") // dark text on the light background
	}
	if quote {
		parts = append(parts, "4")
	}
	return strings.Join(parts, ";")
}

func writeLegend(w *bufio.Writer, legend []string, opts Options) {
	if !opts.Color {
		fmt.Fprintln(w, "Legend: [[text]]{Technique score} marks a persuasion technique (overlapping spans are merged and all listed);")
		fmt.Fprintln(w, "        ⟨text⟩qN marks quote N of “Who said what”; name‹Role› is how the article casts an entity.")
		return
	}
	fmt.Fprint(w, "Legend:")
	if len(legend) == 0 {
		fmt.Fprint(w, " no technique spans;")
	}
	for i, n := range legend {
		fmt.Fprintf(w, " %s %s %s[%d]", sgr(bgPalette[colorIndex(n)]+";30"), n, sgrReset, i+1)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "        %s = quote qN · %s · %s · %s\n",
		sgr("4")+"underlined"+sgrReset,
		sgr(roleStyle[slant.Antagonist])+slant.Antagonist+sgrReset,
		sgr(roleStyle[slant.Protagonist])+slant.Protagonist+sgrReset,
		sgr(roleStyle[slant.Innocent])+slant.Innocent+sgrReset)
}

func heading(w *bufio.Writer, s string) {
	fmt.Fprintf(w, "\n%s\n", s)
}

func writeTechniques(w *bufio.Writer, r *slant.Report) {
	text := r.Article.Text
	stats := techniqueStats(r, 3)
	heading(w, fmt.Sprintf("Techniques (%s)", plural(len(r.Techniques), "span", "spans")))
	var labelled []slant.ParagraphLabels
	for _, p := range r.ParagraphLabels {
		if len(p.Techniques) > 0 {
			labelled = append(labelled, p)
		}
	}
	if len(r.Techniques) == 0 && len(labelled) == 0 {
		fmt.Fprintf(w, "  %s\n", emptyNote(r, "technique", techniqueAnalyzers))
		return
	}
	for _, s := range stats {
		fmt.Fprintf(w, "  %s ×%d\n", s.Name, s.Count)
		for _, t := range s.Top {
			fmt.Fprintf(w, "    %.2f “%s” (bytes %d–%d, code points %d–%d)\n",
				t.Score, excerpt(spanText(text, t.Span), 60), t.Start, t.End, t.CPStart, t.CPEnd)
		}
	}
	if len(labelled) > 0 {
		fmt.Fprintln(w, "  by paragraph:")
		for _, p := range labelled {
			var ls []string
			for i, t := range p.Techniques {
				if i < len(p.Scores) {
					t = fmt.Sprintf("%s %.2f", t, p.Scores[i])
				}
				ls = append(ls, t)
			}
			fmt.Fprintf(w, "    ¶%d %s\n", p.Paragraph, strings.Join(ls, ", "))
		}
	}
}

func writeNarratives(w *bufio.Writer, r *slant.Report) {
	heading(w, "Narratives")
	if len(r.Narratives) == 0 {
		fmt.Fprintf(w, "  %s\n", emptyNote(r, "narrative", narrativeAnalyzers))
		return
	}
	for _, n := range r.Narratives {
		label := n.Narrative
		if n.Subnarrative != "" {
			label += " / " + n.Subnarrative
		}
		fmt.Fprintf(w, "  %.2f %s\n", n.Score, label)
		for _, e := range n.Evidence {
			fmt.Fprintf(w, "       “%s”\n", excerpt(spanText(r.Article.Text, e), 100))
		}
	}
}

func writeDocLabels(w *bufio.Writer, r *slant.Report) {
	heading(w, "Genre and frames")
	if r.Genre != nil {
		fmt.Fprintf(w, "  genre:  %s %.2f\n", r.Genre.Label, r.Genre.Score)
	} else {
		fmt.Fprintf(w, "  genre:  %s\n", emptyNote(r, "genre", genreAnalyzers))
	}
	if len(r.Frames) == 0 {
		fmt.Fprintf(w, "  frames: %s\n", emptyNote(r, "frame", frameAnalyzers))
		return
	}
	var fs []string
	for _, f := range r.Frames {
		fs = append(fs, fmt.Sprintf("%s %.2f", f.Label, f.Score))
	}
	fmt.Fprintf(w, "  frames: %s\n", strings.Join(fs, ", "))
}

func writeEntities(w *bufio.Writer, r *slant.Report) {
	heading(w, fmt.Sprintf("Entities (%d)", len(r.Entities)))
	if len(r.Entities) == 0 {
		fmt.Fprintf(w, "  %s\n", emptyNote(r, "entity", entityAnalyzers))
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tKIND\tMENTIONS\tROLE")
	for _, e := range r.Entities {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\n", excerpt(e.Name, 40), e.Kind, len(e.Mentions), roleText(e.Role))
	}
	tw.Flush()
}

func writeQuotes(w *bufio.Writer, r *slant.Report) {
	heading(w, fmt.Sprintf("Who said what (%s)", plural(len(r.Quotes), "quote", "quotes")))
	if len(r.Quotes) == 0 {
		fmt.Fprintf(w, "  %s\n", emptyNote(r, "quote", quoteAnalyzers))
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tSPEAKER\tCUE\tKIND\tQUOTE")
	for i, q := range r.Quotes {
		cue := q.Cue
		if cue == "" {
			cue = "-"
		}
		fmt.Fprintf(tw, "  q%d\t%s\t%s\t%s\t%s\n", i+1, excerpt(speakerOf(r, q), 30), excerpt(cue, 20), q.Kind, excerpt(quoteText(r, q), 70))
	}
	tw.Flush()
}
