package slant

import (
	"context"
	"sort"
	"unicode/utf8"
)

// Report is an article with everything the analyzers found in it.
type Report struct {
	Article Article `json:"article"`

	// Paragraphs and Sentences segment the text; the pipeline fills them
	// before any analyzer runs so that analyzers share one segmentation.
	Paragraphs []Span `json:"paragraphs"`
	Sentences  []Span `json:"sentences"`

	Techniques      []TechniqueSpan   `json:"techniques,omitempty"`
	ParagraphLabels []ParagraphLabels `json:"paragraph_labels,omitempty"`
	Narratives      []Narrative       `json:"narratives,omitempty"`
	// Genre is the best genre label; nil when no genre model ran.
	Genre    *Label   `json:"genre,omitempty"`
	Frames   []Label  `json:"frames,omitempty"`
	Entities []Entity `json:"entities,omitempty"`
	Quotes   []Quote  `json:"quotes,omitempty"`

	// Analyzers lists the analyzers that ran, in order.
	Analyzers []string `json:"analyzers"`
}

// Analyzer adds annotations of one kind to a report. Analyze must only read
// r.Article and earlier analyzers' annotations and write its own fields; it
// must be safe to call from many goroutines at once on different reports.
type Analyzer interface {
	// Name is the analyzer's registry name ("techniques", "quotes", ...).
	Name() string
	// Analyze annotates r. It returns an *Error with EINVALID for input the
	// analyzer cannot handle.
	Analyze(ctx context.Context, r *Report) error
}

// FillCodePoints sets CPStart and CPEnd on every span of the report from the
// byte offsets. It is idempotent.
func (r *Report) FillCodePoints() {
	spans := r.spans()
	if len(spans) == 0 {
		return
	}
	// Walk the text once over the sorted offsets rather than counting from
	// the start for every span.
	offs := make([]int, 0, 2*len(spans))
	for _, s := range spans {
		offs = append(offs, s.Start, s.End)
	}
	sort.Ints(offs)
	cp := make(map[int]int, len(offs))
	text := r.Article.Text
	pos, n := 0, 0
	for _, o := range offs {
		if o > len(text) {
			o = len(text)
		}
		if o > pos {
			n += utf8.RuneCountInString(text[pos:o])
			pos = o
		}
		cp[o] = n
	}
	for _, s := range spans {
		s.CPStart, s.CPEnd = cp[min(s.Start, len(text))], cp[min(s.End, len(text))]
	}
}

// spans returns pointers to every Span in the report.
func (r *Report) spans() []*Span {
	var out []*Span
	add := func(s *Span) { out = append(out, s) }
	add(&r.Article.TitleSpan)
	for i := range r.Paragraphs {
		add(&r.Paragraphs[i])
	}
	for i := range r.Sentences {
		add(&r.Sentences[i])
	}
	for i := range r.Techniques {
		add(&r.Techniques[i].Span)
	}
	for i := range r.ParagraphLabels {
		add(&r.ParagraphLabels[i].Span)
	}
	for i := range r.Narratives {
		for j := range r.Narratives[i].Evidence {
			add(&r.Narratives[i].Evidence[j])
		}
	}
	for i := range r.Entities {
		for j := range r.Entities[i].Mentions {
			add(&r.Entities[i].Mentions[j].Span)
		}
	}
	for i := range r.Quotes {
		q := &r.Quotes[i]
		add(&q.Span)
		add(&q.SpeakerSpan)
		add(&q.CueSpan)
		add(&q.Context)
	}
	return out
}

// TechniqueCounts returns the number of spans of each technique; a
// technique found only as a paragraph label (no span model ran) counts its
// labelled paragraphs. Stores index articles by it.
func (r *Report) TechniqueCounts() map[string]int {
	spans := map[string]int{}
	for _, t := range r.Techniques {
		if t.Technique != "" {
			spans[t.Technique]++
		}
	}
	paras := map[string]int{}
	for _, p := range r.ParagraphLabels {
		for _, t := range p.Techniques {
			if t != "" {
				paras[t]++
			}
		}
	}
	for t, n := range paras {
		if spans[t] == 0 {
			spans[t] = n
		}
	}
	return spans
}

// DistinctNarratives returns the report's narratives with duplicates (same
// narrative and subnarrative) merged, keeping the best score, in first-seen
// order and without evidence.
func (r *Report) DistinctNarratives() []Narrative {
	type key struct{ n, s string }
	best := map[key]float64{}
	var order []key
	for _, n := range r.Narratives {
		if n.Narrative == "" {
			continue
		}
		k := key{n.Narrative, n.Subnarrative}
		if sc, ok := best[k]; !ok || n.Score > sc {
			if !ok {
				order = append(order, k)
			}
			best[k] = n.Score
		}
	}
	out := make([]Narrative, len(order))
	for i, k := range order {
		out[i] = Narrative{Narrative: k.n, Subnarrative: k.s, Score: best[k]}
	}
	return out
}
