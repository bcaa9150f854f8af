package stories

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/slant-news/slant"
)

// Trend kinds.
const (
	TrendTechnique = "technique"
	TrendNarrative = "narrative"
)

// unknownOutlet names the outlet of articles that have none in trends.
const unknownOutlet = "(unknown outlet)"

// TrendPoint is the prevalence of one label in one outlet's articles of one
// ISO week: the fraction of those articles that carry it.
type TrendPoint struct {
	Outlet string `json:"outlet"`
	// Week is the ISO week, "2025-W07".
	Week       string  `json:"week"`
	Kind       string  `json:"kind"`
	Label      string  `json:"label"`
	Articles   int     `json:"articles"` // articles with the label
	Total      int     `json:"total"`    // articles of the outlet that week
	Prevalence float64 `json:"prevalence"`
}

// ISOWeek formats t's ISO 8601 week ("2025-W07").
func ISOWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// Trends counts, per outlet and ISO week, the share of articles that use
// each technique (a span or a paragraph label) and push each narrative
// (coarse label); a week in which an outlet published, but not with a
// label it uses in other weeks, gets a zero point. Articles without a
// publication date cannot be placed in a week: they are left out and
// counted in undated. Points are sorted by kind, label, outlet and week.
func Trends(reports []*slant.Report) (points []TrendPoint, undated int) {
	type key struct{ outlet, week, kind, label string }
	counts := map[key]int{}
	totals := map[[2]string]int{}
	for _, r := range reports {
		if r == nil {
			continue
		}
		if r.Article.Published.IsZero() {
			undated++
			continue
		}
		o := r.Article.Outlet
		if o == "" {
			o = unknownOutlet
		}
		wk := ISOWeek(r.Article.Published.UTC())
		totals[[2]string{o, wk}]++
		seen := map[key]bool{}
		mark := func(kind, label string) {
			k := key{o, wk, kind, label}
			if label != "" && !seen[k] {
				seen[k] = true
				counts[k]++
			}
		}
		for _, t := range r.Techniques {
			mark(TrendTechnique, t.Technique)
		}
		for _, p := range r.ParagraphLabels {
			for _, t := range p.Techniques {
				mark(TrendTechnique, t)
			}
		}
		for _, n := range r.Narratives {
			mark(TrendNarrative, n.Narrative)
		}
	}
	// Every week an outlet published gets a point for every label the
	// outlet ever used, zero included: a week without the label is a
	// real 0%, unlike a week without articles.
	type used struct{ outlet, kind, label string }
	labels := map[used]bool{}
	for k := range counts {
		labels[used{k.outlet, k.kind, k.label}] = true
	}
	for ow, tot := range totals {
		for u := range labels {
			if u.outlet != ow[0] {
				continue
			}
			n := counts[key{ow[0], ow[1], u.kind, u.label}]
			points = append(points, TrendPoint{Outlet: ow[0], Week: ow[1], Kind: u.kind, Label: u.label, Articles: n, Total: tot, Prevalence: float64(n) / float64(tot)})
		}
	}
	sort.Slice(points, func(i, j int) bool {
		a, b := points[i], points[j]
		switch {
		case a.Kind != b.Kind:
			return a.Kind < b.Kind
		case a.Label != b.Label:
			return a.Label < b.Label
		case a.Outlet != b.Outlet:
			return a.Outlet < b.Outlet
		}
		return a.Week < b.Week
	})
	return points, undated
}

// WriteTrendsCSV writes the points as CSV with a header row.
func WriteTrendsCSV(w io.Writer, points []TrendPoint) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"kind", "label", "outlet", "week", "articles", "total", "prevalence"})
	for _, p := range points {
		cw.Write([]string{p.Kind, p.Label, p.Outlet, p.Week, strconv.Itoa(p.Articles), strconv.Itoa(p.Total), strconv.FormatFloat(p.Prevalence, 'f', 4, 64)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteTrendsText writes the points as an aligned table, one row per kind,
// label and outlet, one column per week (prevalence in percent, "-" where
// the outlet published nothing that week).
func WriteTrendsText(w io.Writer, points []TrendPoint) error {
	bw := bufio.NewWriter(w)
	weeks := weeksOf(points)
	if len(points) == 0 {
		fmt.Fprintln(bw, "(no dated articles with techniques or narratives)")
		return bw.Flush()
	}
	tw := tabwriter.NewWriter(bw, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "kind\tlabel\toutlet\t%s\t\n", strings.Join(weeks, "\t"))
	type row struct{ kind, label, outlet string }
	cells := map[row]map[string]float64{}
	var rows []row
	for _, p := range points {
		r := row{p.Kind, p.Label, p.Outlet}
		if cells[r] == nil {
			cells[r] = map[string]float64{}
			rows = append(rows, r)
		}
		cells[r][p.Week] = p.Prevalence
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s", r.kind, r.label, r.outlet)
		for _, wk := range weeks {
			if v, ok := cells[r][wk]; ok {
				fmt.Fprintf(tw, "\t%.0f%%", 100*v)
			} else {
				fmt.Fprint(tw, "\t-")
			}
		}
		fmt.Fprint(tw, "\t\n")
	}
	tw.Flush()
	return bw.Flush()
}

// weeksOf returns every ISO week from the first to the last week of the
// points, gaps included, so a chart's x axis is linear in time.
func weeksOf(points []TrendPoint) []string {
	if len(points) == 0 {
		return nil
	}
	first, last := points[0].Week, points[0].Week
	for _, p := range points {
		if p.Week < first {
			first = p.Week
		}
		if p.Week > last {
			last = p.Week
		}
	}
	start, err1 := weekStart(first)
	end, err2 := weekStart(last)
	if err1 != nil || err2 != nil {
		// Not produced by ISOWeek: list the weeks seen, sorted.
		set := map[string]bool{}
		for _, p := range points {
			set[p.Week] = true
		}
		return sortedKeys(set)
	}
	var out []string
	for t := start; !t.After(end); t = t.AddDate(0, 0, 7) {
		out = append(out, ISOWeek(t))
	}
	return out
}

// weekStart returns the Monday of an ISO week "2025-W07".
func weekStart(s string) (time.Time, error) {
	var y, w int
	if _, err := fmt.Sscanf(s, "%04d-W%02d", &y, &w); err != nil {
		return time.Time{}, err
	}
	// January 4th is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w-1)), nil
}

// ChartOptions select what WriteTrendsSVG draws. Kind and Label pick one
// label to draw one line per outlet; with Label empty, Outlet picks one
// outlet to draw one line per label of Kind. MaxSeries bounds the lines
// (default 8, the most prevalent kept).
type ChartOptions struct {
	Kind, Label, Outlet string
	Width, Height       int
	MaxSeries           int
}

var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"}

// WriteTrendsSVG draws prevalence over weeks as a line chart in plain SVG.
func WriteTrendsSVG(w io.Writer, points []TrendPoint, o ChartOptions) error {
	if o.Width == 0 {
		o.Width = 800
	}
	if o.Height == 0 {
		o.Height = 400
	}
	if o.MaxSeries == 0 {
		o.MaxSeries = 8
	}
	if o.Kind == "" {
		o.Kind = TrendNarrative
	}
	series := map[string]map[string]float64{}
	weight := map[string]float64{}
	var sel []TrendPoint
	for _, p := range points {
		if p.Kind != o.Kind || o.Label != "" && p.Label != o.Label || o.Label == "" && o.Outlet != "" && p.Outlet != o.Outlet {
			continue
		}
		sel = append(sel, p)
		name := p.Outlet
		if o.Label == "" {
			name = p.Label
			if o.Outlet == "" {
				name = p.Outlet + ": " + p.Label
			}
		}
		if series[name] == nil {
			series[name] = map[string]float64{}
		}
		series[name][p.Week] = p.Prevalence
		weight[name] += p.Prevalence
	}
	names := sortedKeys(series)
	sort.SliceStable(names, func(i, j int) bool { return weight[names[i]] > weight[names[j]] })
	if len(names) > o.MaxSeries {
		names = names[:o.MaxSeries]
	}
	sort.Strings(names)
	weeks := weeksOf(sel)

	const left, right, top, bottom = 50, 220, 30, 60
	pw, ph := float64(o.Width-left-right), float64(o.Height-top-bottom)
	x := func(i int) float64 {
		if len(weeks) <= 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(len(weeks)-1)
	}
	y := func(v float64) float64 { return top + ph*(1-v) }

	bw := bufio.NewWriter(w)
	title := "Prevalence of " + o.Kind + "s"
	switch {
	case o.Label != "":
		title = "Prevalence of " + o.Label + " per outlet"
	case o.Outlet != "":
		title = "Prevalence of " + o.Kind + "s in " + o.Outlet
	}
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", o.Width, o.Height, o.Width, o.Height)
	fmt.Fprintf(bw, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(bw, `<text x="%d" y="18" font-size="14">%s</text>`+"\n", left, esc(title))
	for _, v := range []float64{0, 0.25, 0.5, 0.75, 1} {
		fmt.Fprintf(bw, `<line x1="%d" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", left, left+pw, y(v), y(v))
		fmt.Fprintf(bw, `<text x="%d" y="%.1f" text-anchor="end">%.0f%%</text>`+"\n", left-6, y(v)+4, 100*v)
	}
	step := max(1, len(weeks)/10)
	for i, wk := range weeks {
		if i%step != 0 {
			continue
		}
		fmt.Fprintf(bw, `<text x="%.1f" y="%.1f" text-anchor="end" transform="rotate(-45 %.1f %.1f)">%s</text>`+"\n", x(i), y(0)+14, x(i), y(0)+14, esc(wk))
	}
	if len(names) == 0 {
		fmt.Fprintf(bw, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#888">no data</text>`+"\n", left+pw/2, top+ph/2)
	}
	for si, name := range names {
		color := palette[si%len(palette)]
		var pts []string
		for i, wk := range weeks {
			if v, ok := series[name][wk]; ok {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
				fmt.Fprintf(bw, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>%s %s: %.0f%%</title></circle>`+"\n", x(i), y(v), color, esc(name), esc(wk), 100*v)
			} else {
				// A week without articles from the outlet breaks the line
				// rather than drawing a misleading zero.
				if len(pts) > 1 {
					fmt.Fprintf(bw, `<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>`+"\n", color, strings.Join(pts, " "))
				}
				pts = pts[:0]
			}
		}
		if len(pts) > 1 {
			fmt.Fprintf(bw, `<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>`+"\n", color, strings.Join(pts, " "))
		}
		ly := top + 14*si
		fmt.Fprintf(bw, `<rect x="%.1f" y="%d" width="10" height="10" fill="%s"/><text x="%.1f" y="%d">%s</text>`+"\n", left+pw+12, ly, color, left+pw+26, ly+9, esc(clip(name, 32)))
	}
	fmt.Fprintln(bw, "</svg>")
	return bw.Flush()
}

func esc(s string) string { return html.EscapeString(s) }
