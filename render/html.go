package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slant-news/slant"
)

// htmlSeg is a run of text with the same marks; Class is "" for unmarked
// text.
type htmlSeg struct {
	Text, Class, Title string
}

type htmlLegend struct {
	N           int
	Name, Class string
}

type htmlSpan struct {
	Score, Text, Where string
}

type htmlTechnique struct {
	Name, Class string
	Count       int
	Top         []htmlSpan
}

type htmlNarrative struct {
	Label, Score string
	Evidence     []string
}

type htmlEntity struct {
	Name, Kind, Role, RoleClass string
	Mentions                    int
}

type htmlQuote struct {
	N                        int
	Speaker, Cue, Kind, Text string
	Unresolved               bool
}

// htmlArticle is everything the article template shows of one report,
// computed in Go so the template only lays it out.
type htmlArticle struct {
	Anchor, Title, Meta, Stats string
	Paragraphs                 [][]htmlSeg
	Legend                     []htmlLegend
	TechniqueCount             int
	Techniques                 []htmlTechnique
	ParagraphLabels            []string
	TechniquesNote             string
	Narratives                 []htmlNarrative
	NarrativesNote             string
	Genre, Frames              string
	Entities                   []htmlEntity
	EntitiesNote               string
	Quotes                     []htmlQuote
	QuotesNote                 string
}

// htmlWriter renders each article as it arrives and writes the page on
// Close, so that the page can open with a list of its articles. It holds the
// rendered HTML, not the reports.
type htmlWriter struct {
	w        io.Writer
	articles bytes.Buffer
	index    []htmlIndexEntry
}

type htmlIndexEntry struct {
	Anchor, Title string
}

func (h *htmlWriter) Write(r *slant.Report) error {
	v := htmlView(r, len(h.index)+1)
	h.index = append(h.index, htmlIndexEntry{Anchor: v.Anchor, Title: v.Title})
	return pageTemplate.ExecuteTemplate(&h.articles, "article", v)
}

func (h *htmlWriter) Close() error {
	if err := pageTemplate.ExecuteTemplate(h.w, "head", h.index); err != nil {
		return err
	}
	if _, err := h.articles.WriteTo(h.w); err != nil {
		return err
	}
	return pageTemplate.ExecuteTemplate(h.w, "foot", len(h.index))
}

func techniqueClass(name string) string { return "t" + strconv.Itoa(colorIndex(name)) }

func roleClass(role string) string {
	switch role {
	case slant.Antagonist, slant.Protagonist, slant.Innocent:
		return "r-" + strings.ToLower(role)
	case "":
		return ""
	}
	return "r-other"
}

func htmlView(r *slant.Report, n int) htmlArticle {
	a := r.Article
	text := a.Text
	np, ns := counts(r)
	v := htmlArticle{
		Anchor: "a" + strconv.Itoa(n),
		Title:  displayTitle(a),
		Meta:   metaLine(a),
		Stats: fmt.Sprintf("%s · %s · %s · %s · analyzers: %s",
			plural(np, "paragraph", "paragraphs"), plural(ns, "sentence", "sentences"),
			plural(len(text), "byte", "bytes"), plural(utf8.RuneCountInString(text), "character", "characters"), orNone(r.Analyzers)),
	}
	ms := marks(r)
	for i, name := range legendTechniques(ms) {
		v.Legend = append(v.Legend, htmlLegend{N: i + 1, Name: name, Class: techniqueClass(name)})
	}
	v.Paragraphs = htmlParagraphs(r, ms)

	v.TechniqueCount = len(r.Techniques)
	for _, s := range techniqueStats(r, 3) {
		t := htmlTechnique{Name: s.Name, Class: techniqueClass(s.Name), Count: s.Count}
		for _, sp := range s.Top {
			t.Top = append(t.Top, htmlSpan{
				Score: fmt.Sprintf("%.2f", sp.Score),
				Text:  excerpt(spanText(text, sp.Span), 80),
				Where: fmt.Sprintf("bytes %d–%d, code points %d–%d", sp.Start, sp.End, sp.CPStart, sp.CPEnd),
			})
		}
		v.Techniques = append(v.Techniques, t)
	}
	for _, p := range r.ParagraphLabels {
		if len(p.Techniques) == 0 {
			continue
		}
		var ls []string
		for i, t := range p.Techniques {
			if i < len(p.Scores) {
				t = fmt.Sprintf("%s %.2f", t, p.Scores[i])
			}
			ls = append(ls, t)
		}
		v.ParagraphLabels = append(v.ParagraphLabels, fmt.Sprintf("¶%d %s", p.Paragraph, strings.Join(ls, ", ")))
	}
	if len(r.Techniques) == 0 && len(v.ParagraphLabels) == 0 {
		v.TechniquesNote = emptyNote(r, "technique", techniqueAnalyzers)
	}

	for _, nr := range r.Narratives {
		label := nr.Narrative
		if nr.Subnarrative != "" {
			label += " / " + nr.Subnarrative
		}
		hn := htmlNarrative{Label: label, Score: fmt.Sprintf("%.2f", nr.Score)}
		for _, e := range nr.Evidence {
			hn.Evidence = append(hn.Evidence, excerpt(spanText(text, e), 200))
		}
		v.Narratives = append(v.Narratives, hn)
	}
	if len(r.Narratives) == 0 {
		v.NarrativesNote = emptyNote(r, "narrative", narrativeAnalyzers)
	}

	if r.Genre != nil {
		v.Genre = fmt.Sprintf("%s %.2f", r.Genre.Label, r.Genre.Score)
	} else {
		v.Genre = emptyNote(r, "genre", genreAnalyzers)
	}
	if len(r.Frames) > 0 {
		var fs []string
		for _, f := range r.Frames {
			fs = append(fs, fmt.Sprintf("%s %.2f", f.Label, f.Score))
		}
		v.Frames = strings.Join(fs, ", ")
	} else {
		v.Frames = emptyNote(r, "frame", frameAnalyzers)
	}

	for _, e := range r.Entities {
		he := htmlEntity{Name: e.Name, Kind: e.Kind, Role: roleText(e.Role), Mentions: len(e.Mentions)}
		if e.Role != nil {
			he.RoleClass = roleClass(e.Role.Main)
		}
		v.Entities = append(v.Entities, he)
	}
	if len(r.Entities) == 0 {
		v.EntitiesNote = emptyNote(r, "entity", entityAnalyzers)
	}

	for i, q := range r.Quotes {
		cue := q.Cue
		if cue == "" {
			cue = "–"
		}
		v.Quotes = append(v.Quotes, htmlQuote{
			N: i + 1, Speaker: speakerOf(r, q), Cue: cue, Kind: q.Kind,
			Text: excerpt(quoteText(r, q), 200), Unresolved: !q.Resolved,
		})
	}
	if len(r.Quotes) == 0 {
		v.QuotesNote = emptyNote(r, "quote", quoteAnalyzers)
	}
	return v
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// htmlParagraphs splits the text into lines of segments; each segment with
// marks carries the classes and a title listing every mark on it, so
// overlapping spans show as adjacent <mark> elements rather than invalid
// nesting.
func htmlParagraphs(r *slant.Report, ms []mark) [][]htmlSeg {
	text := r.Article.Text
	var paras [][]htmlSeg
	var cur []htmlSeg
	for _, sg := range segments(text, ms) {
		s := text[sg.start:sg.end]
		if s == "\n" {
			if len(cur) > 0 {
				paras = append(paras, cur)
			}
			cur = nil
			continue
		}
		seg := htmlSeg{Text: s}
		if len(sg.active) > 0 {
			seg.Class, seg.Title = segmentMarkup(r, ms, sg.active)
		}
		cur = append(cur, seg)
	}
	if len(cur) > 0 {
		paras = append(paras, cur)
	}
	// Drop lines that hold only white space: they are layout, not text.
	out := paras[:0]
	for _, p := range paras {
		blank := true
		for _, s := range p {
			if strings.TrimSpace(s.Text) != "" {
				blank = false
				break
			}
		}
		if !blank {
			out = append(out, p)
		}
	}
	return out
}

func segmentMarkup(r *slant.Report, ms []mark, active []int) (class, title string) {
	var classes, titles []string
	tech, ntech := -1, 0
	for _, i := range active {
		m := ms[i]
		switch m.kind {
		case markTechnique:
			ntech++
			if tech < 0 || m.end-m.start < ms[tech].end-ms[tech].start {
				tech = i
			}
			titles = append(titles, fmt.Sprintf("%s %.2f", m.label, m.score))
		case markQuote:
			classes = append(classes, "q")
			switch m.label {
			case slant.QuoteIndirect, slant.QuoteScare:
				// Reported speech and scare quotes get lighter underlines
				// than words presented as said.
				classes = append(classes, "q-"+m.label)
			}
			speaker := "unknown speaker"
			if m.ref-1 < len(r.Quotes) {
				speaker = speakerOf(r, r.Quotes[m.ref-1])
			}
			titles = append(titles, fmt.Sprintf("quote q%d (%s): %s", m.ref, m.label, speaker))
		case markEntity:
			classes = append(classes, roleClass(m.label))
			titles = append(titles, fmt.Sprintf("%s: %s", r.Entities[m.ref].Name, m.label))
		}
	}
	if tech >= 0 {
		classes = append([]string{techniqueClass(ms[tech].label)}, classes...)
	}
	if ntech > 1 {
		classes = append(classes, "multi")
	}
	return strings.Join(classes, " "), strings.Join(titles, "; ")
}

var pageTemplate = template.Must(template.New("page").Parse(`
{{- define "head" -}}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>slant report</title>
<style>
body{font:16px/1.55 Georgia,serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font:600 1.1rem system-ui,sans-serif;color:#555}
h2{font:700 1.5rem/1.25 system-ui,sans-serif;margin:0 0 .3rem}
h3{font:600 1rem system-ui,sans-serif;margin:1.4rem 0 .4rem;border-bottom:1px solid #ddd}
article{border-top:3px solid #333;margin:2.5rem 0;padding-top:1rem}
.meta,.stats,.note,.where{font:.85rem system-ui,sans-serif;color:#666}
.note{font-style:italic}
.text p{margin:.6rem 0}
mark{background:none;color:inherit;border-radius:2px}
mark.multi{outline:1px solid #555}
.q{text-decoration:underline;text-decoration-thickness:2px}
.q-indirect{text-decoration-style:dotted}.q-scare{text-decoration-style:wavy;text-decoration-thickness:1px}
.r-antagonist{color:#b00020;font-weight:700}.r-protagonist{color:#1b7a1b;font-weight:700}
.r-innocent{color:#1746a2;font-weight:700}.r-other{color:#7a1b7a;font-weight:700}
.t0{background:#ffafaf}.t1{background:#ffd7af}.t2{background:#ffffaf}.t3{background:#d7ffd7}
.t4{background:#afffff}.t5{background:#afd7ff}.t6{background:#d7afff}.t7{background:#ffd7ff}
.t8{background:#d7d787}.t9{background:#afd7af}.t10{background:#afd7d7}.t11{background:#d7d7d7}
.legend{font:.85rem system-ui,sans-serif;margin:.5rem 0}
.legend span{display:inline-block;margin:.1rem .4rem .1rem 0;padding:0 .3rem;border-radius:2px}
table{border-collapse:collapse;font:.9rem system-ui,sans-serif;width:100%}
th,td{text-align:left;vertical-align:top;padding:.2rem .5rem;border-bottom:1px solid #eee}
td.unresolved{color:#a60}
nav{font:.9rem system-ui,sans-serif}
blockquote{margin:.2rem 0 .2rem 1.5rem;color:#444;font-size:.95rem}
</style>
</head>
<body>
<h1>slant report</h1>
{{- if gt (len .) 1}}
<nav><ol>{{range .}}<li><a href="#{{.Anchor}}">{{.Title}}</a></li>{{end}}</ol></nav>
{{- end}}
{{- end}}

{{- define "article"}}
<article id="{{.Anchor}}">
<h2>{{.Title}}</h2>
{{if .Meta}}<div class="meta">{{.Meta}}</div>{{end}}
<div class="stats">{{.Stats}}</div>
<div class="legend">{{range .Legend}}<span class="{{.Class}}">[{{.N}}] {{.Name}}</span>{{else}}<span>no technique spans</span>{{end}}
<span class="q">quote</span><span class="q q-indirect">reported</span><span class="q q-scare">scare quote</span><span class="r-antagonist">Antagonist</span><span class="r-protagonist">Protagonist</span><span class="r-innocent">Innocent</span></div>
<div class="text">
{{- range .Paragraphs}}
<p>{{range .}}{{if .Class}}<mark class="{{.Class}}" title="{{.Title}}">{{.Text}}</mark>{{else}}{{.Text}}{{end}}{{end}}</p>
{{- end}}
</div>
<h3>Techniques ({{.TechniqueCount}})</h3>
{{- if .TechniquesNote}}
<p class="note">{{.TechniquesNote}}</p>
{{- end}}
{{- if .Techniques}}
<table><tr><th>technique</th><th>count</th><th>top spans</th></tr>
{{- range .Techniques}}
<tr><td><span class="{{.Class}}">{{.Name}}</span></td><td>{{.Count}}</td><td>{{range .Top}}<div>{{.Score}} “{{.Text}}” <span class="where">{{.Where}}</span></div>{{end}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- if .ParagraphLabels}}
<p>By paragraph:</p><ul>{{range .ParagraphLabels}}<li>{{.}}</li>{{end}}</ul>
{{- end}}
<h3>Narratives</h3>
{{- if .NarrativesNote}}
<p class="note">{{.NarrativesNote}}</p>
{{- end}}
{{- range .Narratives}}
<p>{{.Score}} {{.Label}}</p>{{range .Evidence}}<blockquote>{{.}}</blockquote>{{end}}
{{- end}}
<h3>Genre and frames</h3>
<p>genre: {{.Genre}}<br>frames: {{.Frames}}</p>
<h3>Entities</h3>
{{- if .EntitiesNote}}
<p class="note">{{.EntitiesNote}}</p>
{{- else}}
<table><tr><th>name</th><th>kind</th><th>mentions</th><th>role</th></tr>
{{- range .Entities}}
<tr><td>{{.Name}}</td><td>{{.Kind}}</td><td>{{.Mentions}}</td><td{{if .RoleClass}} class="{{.RoleClass}}"{{end}}>{{.Role}}</td></tr>
{{- end}}
</table>
{{- end}}
<h3>Who said what</h3>
{{- if .QuotesNote}}
<p class="note">{{.QuotesNote}}</p>
{{- else}}
<table><tr><th>#</th><th>speaker</th><th>cue</th><th>kind</th><th>quote</th></tr>
{{- range .Quotes}}
<tr><td>q{{.N}}</td><td{{if .Unresolved}} class="unresolved"{{end}}>{{.Speaker}}</td><td>{{.Cue}}</td><td>{{.Kind}}</td><td>{{.Text}}</td></tr>
{{- end}}
</table>
{{- end}}
</article>
{{- end}}

{{- define "foot"}}
{{if eq . 0}}<p class="note">no articles</p>
{{end -}}
</body>
</html>
{{end}}`))
