package narratives

import (
	"math"
	"sort"
	"strings"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/text"
)

// sentenceScorer scores the sentences of one article for any label: it
// hashes each sentence's features once and then sums one weight column per
// label.
type sentenceScorer struct {
	m     *Model
	spans []slant.Span
	// feats[i] are the feature indices of sentence i (unigrams without stop
	// words, bigrams); stems[i] the stems used for definition similarity.
	feats [][]uint32
	stems [][]string
	words []int // word count per sentence
}

// newSentenceScorer prepares the sentences of text for scoring. Sentences
// shorter than four words (headings, datelines, bylines) are kept but
// can never be evidence.
func newSentenceScorer(m *Model, s string, spans []slant.Span) *sentenceScorer {
	m.prepare()
	sc := &sentenceScorer{m: m, spans: spans, feats: make([][]uint32, len(spans)), stems: make([][]string, len(spans)), words: make([]int, len(spans))}
	var buf []text.Token
	for i, sp := range spans {
		var ws []word
		ws, buf = words(s, sp.Start, sp.End, buf)
		sc.words[i] = len(ws)
		if boilerplate(s[sp.Start:sp.End]) {
			// Promotion, subscription and link lines support no narrative.
			sc.words[i] = 0
		}
		prev := ""
		for _, w := range ws {
			if !stopwords[w.w] {
				sc.feats[i] = append(sc.feats[i], hashName(fnvAdd(fnvAdd(fnvOffset, "w="), w.w)))
				if len(w.w) > 2 {
					sc.stems[i] = append(sc.stems[i], stem(w.w))
				}
			}
			if prev != "" {
				sc.feats[i] = append(sc.feats[i], hashName(fnvAdd(fnvAdd(fnvAdd(fnvAdd(fnvOffset, "b="), prev), " "), w.w)))
			}
			prev = w.w
		}
	}
	return sc
}

// boilerplate reports whether a sentence looks like site furniture: links,
// calls to subscribe, share or donate.
func boilerplate(s string) bool {
	l := strings.ToLower(s)
	for _, cue := range []string{"http", "www.", ".com", "subscribe", "click here", "newsletter", "donate", "follow us", "share this", "telegram channel", "©",
		"you can follow", "on twitter", "on facebook", "patreon", "buy me a coffee", "cash app", "leave a reply", "support this"} {
		if strings.Contains(l, cue) {
			return true
		}
	}
	return false
}

// score returns how strongly sentence i supports a label: the mean weight
// of its features in the label's column of lm (the sentence read as a
// tiny article), plus its overlap with the label's definition.
func (sc *sentenceScorer) score(i int, lm *learn.Model, k int, defLabel int) float64 {
	if sc.words[i] < 4 || k < 0 {
		return math.Inf(-1)
	}
	L := len(lm.Labels)
	s := 0.0
	mask := uint32(lm.Dim - 1) // Dim is a power of two; fine vectors are folded
	for _, h := range sc.feats[i] {
		s += float64(lm.W[int(h&mask)*L+k])
	}
	s /= math.Sqrt(float64(len(sc.feats[i]) + 1))
	if defLabel >= 0 {
		d := 0.0
		for _, st := range sc.stems[i] {
			for _, dw := range sc.m.feat.defs[st] {
				if dw.label == defLabel {
					d += float64(dw.w)
				}
			}
		}
		s += d / math.Sqrt(float64(len(sc.stems[i])+1))
	}
	return s
}

// defIndex returns the featurizer index of a label's definition, or -1.
func (m *Model) defIndex(label string) int {
	for i, l := range m.feat.labels {
		if l == label {
			return i
		}
	}
	return -1
}

// best returns the indices of the top n sentences for a coarse label and,
// when sub is not "", a fine label, best first: those that score above zero
// (they push toward the label), or else, with atLeastOne, the best one.
func (sc *sentenceScorer) best(narrative, sub string, n int, atLeastOne bool) []int {
	m := sc.m
	ck, cd := m.Coarse.LabelIndex(narrative), m.defIndex(narrative)
	fk, fd := -1, -1
	if sub != "" && !strings.HasSuffix(sub, ": Other") {
		fk, fd = m.Fine.LabelIndex(sub), m.defIndex(sub)
	}
	type ss struct {
		i int
		s float64
	}
	var xs []ss
	for i := range sc.spans {
		s := sc.score(i, m.Coarse, ck, cd)
		if fk >= 0 || fd >= 0 {
			s += sc.score(i, m.Fine, fk, fd)
		}
		if !math.IsInf(s, 0) {
			xs = append(xs, ss{i, s})
		}
	}
	sort.SliceStable(xs, func(a, b int) bool { return xs[a].s > xs[b].s })
	// Keep the sentences that push toward the label; when none does (the
	// label won on the article as a whole), the single best one.
	keep := 0
	for keep < len(xs) && keep < n && xs[keep].s > 0 {
		keep++
	}
	if atLeastOne {
		keep = max(keep, min(1, len(xs)))
	}
	xs = xs[:keep]
	out := make([]int, len(xs))
	for j, x := range xs {
		out[j] = x.i
	}
	return out
}

// evidencePerNarrative is how many sentences back each narrative.
const evidencePerNarrative = 3

// Narratives returns the article's narratives as slant annotations, each
// with its best subnarrative(s) and evidence sentences (byte spans from
// sentences, best first). An article with no narrative gets none.
func (m *Model) Narratives(s string, sentences []slant.Span) []slant.Narrative {
	pred := m.Predict(s)
	if len(pred.Narratives) == 1 && pred.Narratives[0].Label == "Other" {
		return nil
	}
	if sentences == nil {
		sentences = text.Sentences(s)
	}
	sc := newSentenceScorer(m, s, sentences)
	var out []slant.Narrative
	for _, n := range pred.Narratives {
		for _, sub := range pred.Subnarratives {
			if !strings.HasPrefix(sub.Label, n.Label+": ") {
				continue
			}
			var ev []slant.Span
			for _, i := range sc.best(n.Label, sub.Label, evidencePerNarrative, true) {
				ev = append(ev, sentences[i])
			}
			out = append(out, slant.Narrative{Narrative: n.Label, Subnarrative: sub.Label, Score: n.Score, Evidence: ev})
		}
	}
	return out
}
