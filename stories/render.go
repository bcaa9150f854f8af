package stories

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// WriteText writes the comparison as aligned plain-text tables: outlets and
// profiles, techniques per 1,000 words, top spans, narratives, roles of
// shared entities, quotes used by one outlet only, and facts missing from
// some versions.
func WriteText(w io.Writer, c *Comparison) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 2, 4, 2, ' ', 0)
	names := make([]string, len(c.Outlets))
	for i, o := range c.Outlets {
		names[i] = o.Outlet
	}
	fmt.Fprintf(bw, "Story: %s\n\n", oneLine(c.Title))

	fmt.Fprintln(bw, "== Outlets")
	fmt.Fprintln(tw, "outlet\tarticles\twords\tfactuality\tbias\treliability")
	for _, o := range c.Outlets {
		fact, bias, rel := "?", "?", "?"
		if p := o.Profile; p != nil {
			fact, bias = orDash(p.Factuality), orDash(p.Bias)
			if p.Reliability != nil {
				rel = fmt.Sprintf("%+.2f", *p.Reliability)
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\n", o.Outlet, len(o.Articles), o.Words, fact, bias, rel)
	}
	tw.Flush()

	fmt.Fprintln(bw, "\n== Techniques per 1,000 words")
	techs := map[string]map[string]float64{}
	for _, o := range c.Outlets {
		for _, t := range o.Techniques {
			if techs[t.Technique] == nil {
				techs[t.Technique] = map[string]float64{}
			}
			techs[t.Technique][o.Outlet] = t.Per1000
		}
	}
	if len(techs) == 0 {
		fmt.Fprintln(bw, "(none found)")
	} else {
		fmt.Fprintln(tw, "technique\t"+strings.Join(names, "\t"))
		for _, t := range sortedKeys(techs) {
			row := []string{t}
			for _, n := range names {
				if v, ok := techs[t][n]; ok {
					row = append(row, fmt.Sprintf("%.1f", v))
				} else {
					row = append(row, "-")
				}
			}
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		tw.Flush()
		fmt.Fprintln(bw, "\n== Top spans")
		fmt.Fprintln(tw, "outlet\ttechnique\tscore\ttext")
		for _, o := range c.Outlets {
			for _, s := range o.TopSpans {
				fmt.Fprintf(tw, "%s\t%s\t%.2f\t%q\n", o.Outlet, s.Technique, s.Score, clip(s.Text, 90))
			}
		}
		tw.Flush()
	}

	fmt.Fprintln(bw, "\n== Narratives")
	any := false
	for _, o := range c.Outlets {
		for _, n := range o.Narratives {
			label := n.Narrative
			if n.Subnarrative != "" {
				label = n.Subnarrative
			}
			fmt.Fprintf(tw, "%s\t%.2f\t%s\n", o.Outlet, n.Score, label)
			any = true
		}
	}
	if !any {
		fmt.Fprintln(bw, "(none found)")
	}
	tw.Flush()

	fmt.Fprintln(bw, "\n== Roles of entities named by several outlets")
	if len(c.Roles) == 0 {
		fmt.Fprintln(bw, "(none)")
	} else {
		fmt.Fprintln(tw, "entity\t"+strings.Join(names, "\t"))
		for _, e := range c.Roles {
			row := []string{e.Entity}
			for _, n := range names {
				r, named := e.Roles[n]
				switch {
				case !named:
					row = append(row, "-")
				case r == "":
					row = append(row, fmt.Sprintf("named ×%d", e.Mentions[n]))
				default:
					row = append(row, r)
				}
			}
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		tw.Flush()
	}

	fmt.Fprintln(bw, "\n== Quotes used by one outlet only")
	n := 0
	for _, q := range c.Quotes {
		if q.Only == "" {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%q\n", q.Only, orDash(q.Speaker), clip(q.Text, 110))
		n++
	}
	if n == 0 {
		fmt.Fprintln(bw, "(none)")
	}
	tw.Flush()

	fmt.Fprintln(bw, "\n== Facts missing from some versions")
	n = 0
	for _, f := range c.Facts {
		if len(f.Missing) == 0 {
			continue
		}
		fmt.Fprintf(bw, "- %s\n    in: %s | missing: %s | %s\n", clip(f.Text, 160), strings.Join(f.Present, ", "), strings.Join(f.Missing, ", "), strings.Join(f.Kinds, ", "))
		n++
	}
	if n == 0 {
		fmt.Fprintln(bw, "(none)")
	}
	return bw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// techniqueRow is one row of the HTML technique table.
type techniqueRow struct {
	Technique string
	Cells     []string
}

type roleRow struct {
	Entity string
	Cells  []roleCell
}

type roleCell struct {
	Text, Class string
}

var htmlTmpl = template.Must(template.New("compare").Funcs(template.FuncMap{
	"join": strings.Join,
	"rel": func(p *float64) string {
		if p == nil {
			return "?"
		}
		return fmt.Sprintf("%+.2f", *p)
	},
	"pct": func(f float64) string { return fmt.Sprintf("%.2f", f) },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>slant compare: {{.C.Title}}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222;padding:0 1em}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f4}.num{text-align:right;font-variant-numeric:tabular-nums}
.Protagonist{background:#e3f4e3}.Antagonist{background:#fbe3e3}.Innocent{background:#e3ecfb}
.missing{color:#a00}.muted{color:#888}q{font-style:italic}
</style></head><body>
<h1>{{.C.Title}}</h1>
<h2>Outlets</h2>
<table><tr><th>outlet</th><th>articles</th><th>words</th><th>factuality</th><th>bias</th><th>reliability</th><th>profile sources</th></tr>
{{range .C.Outlets}}<tr><td>{{.Outlet}}</td><td class="num">{{len .Articles}}</td><td class="num">{{.Words}}</td>
{{with .Profile}}<td>{{.Factuality}}</td><td>{{.Bias}}</td><td class="num">{{rel .Reliability}}</td><td class="muted">{{join .Sources "; "}}</td>{{else}}<td class="muted" colspan="4">no public profile</td>{{end}}</tr>
{{end}}</table>
<h2>Techniques per 1,000 words</h2>
{{if .Techs}}<table><tr><th>technique</th>{{range .Names}}<th>{{.}}</th>{{end}}</tr>
{{range .Techs}}<tr><td>{{.Technique}}</td>{{range .Cells}}<td class="num">{{.}}</td>{{end}}</tr>
{{end}}</table>
<h3>Top spans</h3><table><tr><th>outlet</th><th>technique</th><th>score</th><th>text</th></tr>
{{range $o := .C.Outlets}}{{range .TopSpans}}<tr><td>{{$o.Outlet}}</td><td>{{.Technique}}</td><td class="num">{{pct .Score}}</td><td><q>{{.Text}}</q></td></tr>
{{end}}{{end}}</table>{{else}}<p class="muted">No techniques found.</p>{{end}}
<h2>Narratives</h2>
<table><tr><th>outlet</th><th>narrative</th><th>subnarrative</th><th>score</th></tr>
{{range $o := .C.Outlets}}{{range .Narratives}}<tr><td>{{$o.Outlet}}</td><td>{{.Narrative}}</td><td>{{.Subnarrative}}</td><td class="num">{{pct .Score}}</td></tr>
{{end}}{{end}}</table>
<h2>Roles of entities named by several outlets</h2>
{{if .Roles}}<table><tr><th>entity</th>{{range .Names}}<th>{{.}}</th>{{end}}</tr>
{{range .Roles}}<tr><td>{{.Entity}}</td>{{range .Cells}}<td class="{{.Class}}">{{.Text}}</td>{{end}}</tr>
{{end}}</table>{{else}}<p class="muted">None.</p>{{end}}
<h2>Quotes</h2>
<table><tr><th>speaker</th><th>quote</th><th>used by</th></tr>
{{range .C.Quotes}}<tr><td>{{.Speaker}}</td><td><q>{{.Text}}</q></td><td>{{if .Only}}<b>only {{.Only}}</b>{{else}}{{join .Outlets ", "}}{{end}}</td></tr>
{{end}}</table>
<h2>Facts missing from some versions</h2>
<table><tr><th>fact</th><th>kind</th><th>in</th><th>missing from</th></tr>
{{range .C.Facts}}{{if .Missing}}<tr><td>{{.Text}}</td><td>{{join .Kinds ", "}}</td><td>{{join .Present ", "}}</td><td class="missing">{{join .Missing ", "}}</td></tr>
{{end}}{{end}}</table>
</body></html>
`))

// WriteHTML writes the comparison as a self-contained HTML page. Every
// piece of article text is escaped by html/template.
func WriteHTML(w io.Writer, c *Comparison) error {
	names := make([]string, len(c.Outlets))
	for i, o := range c.Outlets {
		names[i] = o.Outlet
	}
	techs := map[string]map[string]float64{}
	for _, o := range c.Outlets {
		for _, t := range o.Techniques {
			if techs[t.Technique] == nil {
				techs[t.Technique] = map[string]float64{}
			}
			techs[t.Technique][o.Outlet] = t.Per1000
		}
	}
	var trows []techniqueRow
	for _, t := range sortedKeys(techs) {
		r := techniqueRow{Technique: t}
		for _, n := range names {
			if v, ok := techs[t][n]; ok {
				r.Cells = append(r.Cells, fmt.Sprintf("%.1f", v))
			} else {
				r.Cells = append(r.Cells, "–")
			}
		}
		trows = append(trows, r)
	}
	var rrows []roleRow
	for _, e := range c.Roles {
		r := roleRow{Entity: e.Entity}
		for _, n := range names {
			role, named := e.Roles[n]
			switch {
			case !named:
				r.Cells = append(r.Cells, roleCell{Text: "–", Class: "muted"})
			case role == "":
				r.Cells = append(r.Cells, roleCell{Text: fmt.Sprintf("named ×%d", e.Mentions[n])})
			default:
				main, _, _ := strings.Cut(role, " ")
				r.Cells = append(r.Cells, roleCell{Text: role, Class: main})
			}
		}
		rrows = append(rrows, r)
	}
	return htmlTmpl.Execute(w, struct {
		C     *Comparison
		Names []string
		Techs []techniqueRow
		Roles []roleRow
	}{c, names, trows, rrows})
}
