package semeval

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/slant-news/slant/text"
)

// counts are the outcomes of binary decisions.
type counts struct{ tp, fp, fn int }

func (c *counts) addSets(gold, pred map[string]bool) {
	for l := range pred {
		if gold[l] {
			c.tp++
		} else {
			c.fp++
		}
	}
	for l := range gold {
		if !pred[l] {
			c.fn++
		}
	}
}

// f1 is 2tp / (2tp + fp + fn), or empty when there is nothing to count
// (scikit-learn's zero_division).
func (c counts) f1(empty float64) float64 {
	return ratio(2*c.tp, 2*c.tp+c.fp+c.fn, empty)
}

func (c counts) precision(empty float64) float64 { return ratio(c.tp, c.tp+c.fp, empty) }
func (c counts) recall(empty float64) float64    { return ratio(c.tp, c.tp+c.fn, empty) }

func ratio(a, b int, empty float64) float64 {
	if b == 0 {
		return empty
	}
	return float64(a) / float64(b)
}

// set turns labels into a set, keeping only those in allowed (all of them
// when allowed is nil) and counting the others in *unknown.
func set(labels []string, allowed map[string]bool, unknown *int) map[string]bool {
	s := make(map[string]bool, len(labels))
	for _, l := range labels {
		if allowed != nil && !allowed[l] {
			if unknown != nil {
				*unknown++
			}
			continue
		}
		s[l] = true
	}
	return s
}

func setOf(labels []string) map[string]bool {
	if labels == nil {
		return nil
	}
	return set(labels, nil, nil)
}

// keyed is a multi-label file read into a map, remembering the gold order.
type keyed struct {
	keys   []string
	labels map[string][]string
}

func (k *keyed) put(key string, labels []string) {
	if k.labels == nil {
		k.labels = map[string][]string{}
	}
	if _, dup := k.labels[key]; !dup {
		k.keys = append(k.keys, key)
	}
	// A repeated key replaces the earlier line, as the scorers' dicts do.
	k.labels[key] = labels
}

// scoreMultiLabel computes the figures of scikit-learn's f1_score over
// MultiLabelBinarizer rows fitted on labels, with zero_division=1, which is
// what the SemEval-2023 Task 3 subtask 2 and 3 scorers do: one row per gold
// key, labels outside the list ignored.
func scoreMultiLabel(r *Result, unit string, gold, pred keyed, labels []string) {
	allowed := setOf(labels)
	var micro counts
	per := make(map[string]*counts, len(labels))
	for _, l := range labels {
		per[l] = &counts{}
	}
	var missing, unknown int
	for _, k := range gold.keys {
		p, ok := pred.labels[k]
		if !ok {
			missing++
		}
		g := set(gold.labels[k], allowed, nil)
		ps := set(p, allowed, &unknown)
		micro.addSets(g, ps)
		for _, l := range labels {
			c := per[l]
			switch {
			case g[l] && ps[l]:
				c.tp++
			case ps[l]:
				c.fp++
			case g[l]:
				c.fn++
			}
		}
	}
	extra, extraLabelled := 0, 0
	for _, k := range pred.keys {
		if _, ok := gold.labels[k]; !ok {
			extra++
			if len(pred.labels[k]) > 0 {
				extraLabelled++
			}
		}
	}
	macro := 0.0
	for _, l := range labels {
		macro += per[l].f1(1)
	}
	if len(labels) > 0 {
		macro /= float64(len(labels))
	}
	r.add("micro-F1", micro.f1(1))
	r.add("macro-F1", macro)
	r.add("micro-precision", micro.precision(1))
	r.add("micro-recall", micro.recall(1))
	r.count("gold-"+unit+"s", len(gold.keys))
	r.count("missing-"+unit+"s", missing)
	r.count("extra-"+unit+"s", extra)
	if missing > 0 {
		r.note("%d gold %ss have no prediction; scored as predicting no label", missing, unit)
	}
	if extra > 0 {
		// For paragraphs these are mostly empty lines, which the official
		// templates leave out; labelled ones are worth a look.
		r.note("%d predicted %ss (%d with labels) are not in the gold file; ignored", extra, unit, extraLabelled)
	}
	if unknown > 0 {
		r.note("%d predicted labels are not in the label list; ignored", unknown)
	}
}

// ScoreTechniques scores SemEval-2023 Task 3 subtask 3 (techniques per
// paragraph) as the official scorer does: every gold (article, paragraph)
// is a row of a binary matrix over labels (Techniques when nil); micro-F1
// (the official metric) is 2TP/(2TP+FP+FN) over all (article, paragraph,
// technique) cells, macro-F1 the mean over labels of each label's F1, with
// an F1 of 1 where a label has no TP, FP or FN (zero_division=1). A gold
// paragraph with no prediction counts as predicted empty; predicted
// paragraphs absent from gold and labels outside the list are ignored, and
// noted (the official scorer rejects such files).
func ScoreTechniques(gold, pred []ParagraphLabels, labels []string) *Result {
	if labels == nil {
		labels = Techniques
	}
	var g, p keyed
	key := func(r ParagraphLabels) string { return r.ID + "\t" + strconv.Itoa(r.Paragraph) }
	for _, r := range gold {
		g.put(key(r), r.Techniques)
	}
	for _, r := range pred {
		p.put(key(r), r.Techniques)
	}
	res := &Result{Task: "techniques", Metric: "micro-F1"}
	scoreMultiLabel(res, "paragraph", g, p, labels)
	return res
}

// ScoreFrames scores SemEval-2023 Task 3 subtask 2 (frames per article)
// exactly as ScoreTechniques does paragraphs, with articles as rows and
// labels defaulting to Frames. The official metric is micro-F1.
func ScoreFrames(gold, pred []ArticleLabels, labels []string) *Result {
	if labels == nil {
		labels = Frames
	}
	var g, p keyed
	for _, r := range gold {
		g.put(r.ID, r.Labels)
	}
	for _, r := range pred {
		p.put(r.ID, r.Labels)
	}
	res := &Result{Task: "frames", Metric: "micro-F1"}
	scoreMultiLabel(res, "article", g, p, labels)
	return res
}

// ScoreGenre scores SemEval-2023 Task 3 subtask 1 (one genre per article)
// as the official scorer does: macro-F1 (the official metric) is the mean
// F1 over the classes that occur in the gold or the predicted labels, a
// class's F1 being 2TP/(2TP+FP+FN); accuracy is the share of gold articles
// predicted right; micro-F1 is 2TP/(2TP+FP+FN) over all articles (equal to
// accuracy when every article has a prediction). A gold article without a
// prediction counts as wrong (an FN of its class, no FP); predictions for
// articles absent from gold are ignored and noted.
func ScoreGenre(gold, pred []ArticleLabel) *Result {
	res := &Result{Task: "genre", Metric: "macro-F1"}
	p := make(map[string]string, len(pred))
	for _, r := range pred {
		p[r.ID] = r.Label
	}
	g := make(map[string]string, len(gold))
	var ids []string
	for _, r := range gold {
		if _, dup := g[r.ID]; !dup {
			ids = append(ids, r.ID)
		}
		g[r.ID] = r.Label
	}
	per := map[string]*counts{}
	get := func(l string) *counts {
		if per[l] == nil {
			per[l] = &counts{}
		}
		return per[l]
	}
	var micro counts
	missing := 0
	for _, id := range ids {
		gl := g[id]
		pl, ok := p[id]
		switch {
		case !ok:
			missing++
			get(gl).fn++
			micro.fn++
		case pl == gl:
			get(gl).tp++
			micro.tp++
		default:
			get(gl).fn++
			get(pl).fp++
			micro.fn++
			micro.fp++
		}
	}
	macro := 0.0
	for _, c := range per {
		macro += c.f1(0)
	}
	if len(per) > 0 {
		macro /= float64(len(per))
	}
	res.add("macro-F1", macro)
	res.add("accuracy", ratio(micro.tp, len(ids), 0))
	res.add("micro-F1", micro.f1(0))
	res.coverage("article", len(ids), missing, extraKeys(p, g), "scored as wrong")
	return res
}

// ScoreSpans scores technique spans in the partial-overlap style of the
// Propaganda Techniques Corpus scorer (Da San Martino et al., 2019) and
// SemEval-2020 Task 11. With S the predicted spans, T the gold spans and
// |s∩t| the number of code points two spans of the same article and the
// same technique share:
//
//	precision = (1/|S|) Σ_{s∈S} Σ_{t∈T} |s∩t| / |s|
//	recall    = (1/|T|) Σ_{t∈T} Σ_{s∈S} |s∩t| / |t|
//	F1        = 2PR / (P+R)
//
// (0 when the denominator is 0). F1 is the headline figure. Overlapping
// spans of the same article and technique are first merged, in the gold and
// in the predictions alike, as the SemEval-2020 Task 11 scorer does, so that
// gold scored against itself gives exactly 1 (the training gold has a few
// overlapping duplicates). The unlabelled variant ignores techniques: spans
// are merged per article whatever their technique, then scored by the same
// formulas. Predictions for articles without gold spans are false positives.
func ScoreSpans(gold, pred []Span) *Result {
	res := &Result{Task: "spans", Metric: "F1"}
	p, r := overlapPR(mergeSpans(gold, true), mergeSpans(pred, true), true)
	res.add("F1", harmonic(p, r))
	res.add("precision", p)
	res.add("recall", r)
	mg, mp := mergeSpans(gold, false), mergeSpans(pred, false)
	up, ur := overlapPR(mg, mp, false)
	res.add("unlabelled-F1", harmonic(up, ur))
	res.add("unlabelled-precision", up)
	res.add("unlabelled-recall", ur)
	res.count("gold-spans", len(gold))
	res.count("predicted-spans", len(pred))
	if n := len(pred) - len(mergeSpans(pred, true)); n > 0 {
		res.note("%d predicted spans overlap another of the same technique; merged", n)
	}
	return res
}

func harmonic(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// overlapPR computes the partial-overlap precision and recall of ScoreSpans.
func overlapPR(gold, pred []Span, labelled bool) (p, r float64) {
	type key struct{ id, tech string }
	k := func(s Span) key {
		if labelled {
			return key{s.ID, s.Technique}
		}
		return key{s.ID, ""}
	}
	byKey := map[key][]Span{}
	for _, t := range gold {
		byKey[k(t)] = append(byKey[k(t)], t)
	}
	var pn, rn float64
	for _, s := range pred {
		for _, t := range byKey[k(s)] {
			ov := min(s.End, t.End) - max(s.Start, t.Start)
			if ov <= 0 {
				continue
			}
			pn += float64(ov) / float64(s.End-s.Start)
			rn += float64(ov) / float64(t.End-t.Start)
		}
	}
	if len(pred) > 0 {
		p = pn / float64(len(pred))
	}
	if len(gold) > 0 {
		r = rn / float64(len(gold))
	}
	return p, r
}

// mergeSpans merges the overlapping spans of each article (and technique,
// when labelled; otherwise techniques are dropped). Empty spans are kept
// apart: they overlap nothing but still count as predictions.
func mergeSpans(spans []Span, labelled bool) []Span {
	s := make([]Span, 0, len(spans))
	for _, x := range spans {
		if !labelled {
			x.Technique = ""
		}
		s = append(s, x)
	}
	sort.Slice(s, func(i, j int) bool {
		if s[i].ID != s[j].ID {
			return s[i].ID < s[j].ID
		}
		if s[i].Technique != s[j].Technique {
			return s[i].Technique < s[j].Technique
		}
		return s[i].Start < s[j].Start
	})
	var out []Span
	for _, x := range s {
		if n := len(out); n > 0 && out[n-1].ID == x.ID && out[n-1].Technique == x.Technique &&
			x.Start < out[n-1].End && x.End > x.Start {
			out[n-1].End = max(out[n-1].End, x.End)
			continue
		}
		out = append(out, x)
	}
	return out
}

// ScoreNarratives scores SemEval-2025 Task 10 subtask 2 as the official
// scorer does: for each gold article, the F1 of the predicted label set
// against the gold set (2TP/(2TP+FP+FN), 0 when both are empty), averaged
// over articles ("samples" F1), with the population standard deviation;
// once over narratives (coarse) and once over subnarratives (fine, the
// headline figure). Labels outside coarse (resp. fine) are ignored; a nil
// list keeps every label. "Other" is a label like any other, so an article
// with gold "Other" scores 1 when predicted "Other". A gold article without
// a prediction scores 0; predictions for articles absent from gold are
// ignored and noted. (The official script pairs lines by file order; we
// pair them by article id, which is the same for aligned files.)
func ScoreNarratives(gold, pred []Narratives, coarse, fine []string) *Result {
	res := &Result{Task: "narratives", Metric: "samples-F1-fine"}
	p := make(map[string]Narratives, len(pred))
	for _, r := range pred {
		p[r.ID] = r
	}
	g := make(map[string]Narratives, len(gold))
	var ids []string
	for _, r := range gold {
		if _, dup := g[r.ID]; !dup {
			ids = append(ids, r.ID)
		}
		g[r.ID] = r
	}
	ac, af := setOf(coarse), setOf(fine)
	var fc, ff []float64
	missing := 0
	for _, id := range ids {
		pr, ok := p[id]
		if !ok {
			missing++
		}
		var c, f counts
		c.addSets(set(g[id].Narratives, ac, nil), set(pr.Narratives, ac, nil))
		f.addSets(set(g[id].Subnarratives, af, nil), set(pr.Subnarratives, af, nil))
		fc = append(fc, c.f1(0))
		ff = append(ff, f.f1(0))
	}
	mf, sf := meanStd(ff)
	mc, sc := meanStd(fc)
	res.add("samples-F1-fine", mf)
	res.add("sd-fine", sf)
	res.add("samples-F1-coarse", mc)
	res.add("sd-coarse", sc)
	res.coverage("article", len(ids), missing, extraKeys(p, g), "scored 0")
	return res
}

// meanStd returns the mean and population standard deviation (numpy's
// default) of xs, zeros when xs is empty.
func meanStd(xs []float64) (mean, sd float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)))
}

// ScoreRoles scores SemEval-2025 Task 10 subtask 1. Mentions are matched by
// article id, start and end. Over the gold mentions: EMR (exact match ratio,
// the official metric) is the share whose predicted set of fine roles equals
// the gold set; main-accuracy the share whose main role is right; micro
// precision, recall and F1 count (mention, fine role) pairs (0 when a
// denominator is 0). A gold mention without a prediction has no roles;
// predicted mentions absent from gold are ignored and noted.
func ScoreRoles(gold, pred []RoleMention) *Result {
	res := &Result{Task: "roles", Metric: "EMR"}
	key := func(m RoleMention) string {
		return m.ID + "\t" + strconv.Itoa(m.Start) + "\t" + strconv.Itoa(m.End)
	}
	p := make(map[string]RoleMention, len(pred))
	for _, m := range pred {
		p[key(m)] = m
	}
	g := make(map[string]RoleMention, len(gold))
	var keys []string
	for _, m := range gold {
		k := key(m)
		if _, dup := g[k]; !dup {
			keys = append(keys, k)
		}
		g[k] = m
	}
	var exact, main, missing int
	var c counts
	for _, k := range keys {
		gm := g[k]
		pm, ok := p[k]
		if !ok {
			missing++
		}
		gs, ps := setOf(gm.Fine), setOf(pm.Fine)
		var one counts
		one.addSets(gs, ps)
		if one.fp == 0 && one.fn == 0 {
			exact++
		}
		if ok && pm.Main == gm.Main {
			main++
		}
		c.tp, c.fp, c.fn = c.tp+one.tp, c.fp+one.fp, c.fn+one.fn
	}
	res.add("EMR", ratio(exact, len(keys), 0))
	res.add("main-accuracy", ratio(main, len(keys), 0))
	res.add("micro-precision", c.precision(0))
	res.add("micro-recall", c.recall(0))
	res.add("micro-F1", c.f1(0))
	// Mentions are matched by (id, start, end).
	res.coverage("mention", len(keys), missing, extraKeys(p, g), "scored as no roles")
	return res
}

// ScoreExplanations scores SemEval-2025 Task 10 subtask 3 explanations with
// two lexical measures over lower-cased word and number tokens (text.Tokens
// without punctuation), averaged over gold articles: token-F1 (SQuAD style:
// the multiset overlap of tokens, F1 of its precision over the prediction
// and recall over the gold) and ROUGE-L F1 (precision and recall of the
// longest common token subsequence; the headline figure). For both, two
// empty texts score 1 and one empty text scores 0; a gold article without
// a prediction scores 0. The organisers rank by BERTScore, which needs a
// neural model: these are offline stand-ins, not the official figure.
func ScoreExplanations(gold, pred []Explanation) *Result {
	res := &Result{Task: "explanations", Metric: "ROUGE-L"}
	p := make(map[string]string, len(pred))
	for _, r := range pred {
		p[r.ID] = r.Text
	}
	g := make(map[string]string, len(gold))
	var ids []string
	for _, r := range gold {
		if _, dup := g[r.ID]; !dup {
			ids = append(ids, r.ID)
		}
		g[r.ID] = r.Text
	}
	var tf, rl []float64
	missing := 0
	for _, id := range ids {
		pt, ok := p[id]
		if !ok {
			missing++
			tf, rl = append(tf, 0), append(rl, 0)
			continue
		}
		gw, pw := words(g[id]), words(pt)
		tf = append(tf, TokenF1(gw, pw))
		rl = append(rl, RougeL(gw, pw))
	}
	mr, _ := meanStd(rl)
	mt, _ := meanStd(tf)
	res.add("ROUGE-L", mr)
	res.add("token-F1", mt)
	res.coverage("article", len(ids), missing, extraKeys(p, g), "scored 0")
	return res
}

// words returns the lower-cased word and number tokens of s.
func words(s string) []string {
	var out []string
	for _, t := range text.Tokens(s) {
		if text.KindOf(s, t) != text.Punct {
			out = append(out, strings.ToLower(s[t.Start:t.End]))
		}
	}
	return out
}

// TokenF1 is the SQuAD token F1 of a predicted token list against a gold
// one: with c the size of their multiset intersection, precision
// c/len(pred), recall c/len(gold), and their harmonic mean. Two empty lists
// score 1, one empty list 0.
func TokenF1(gold, pred []string) float64 {
	if len(gold) == 0 || len(pred) == 0 {
		return boolScore(len(gold) == len(pred))
	}
	n := map[string]int{}
	for _, w := range gold {
		n[w]++
	}
	common := 0
	for _, w := range pred {
		if n[w] > 0 {
			n[w]--
			common++
		}
	}
	return harmonic(float64(common)/float64(len(pred)), float64(common)/float64(len(gold)))
}

// RougeL is the ROUGE-L F1 of a predicted token list against a gold one:
// with l the length of their longest common subsequence, precision
// l/len(pred), recall l/len(gold), and their harmonic mean. Two empty lists
// score 1, one empty list 0.
func RougeL(gold, pred []string) float64 {
	if len(gold) == 0 || len(pred) == 0 {
		return boolScore(len(gold) == len(pred))
	}
	// One row of the LCS table at a time.
	prev := make([]int, len(pred)+1)
	cur := make([]int, len(pred)+1)
	for i := 1; i <= len(gold); i++ {
		for j := 1; j <= len(pred); j++ {
			if gold[i-1] == pred[j-1] {
				cur[j] = prev[j-1] + 1
			} else {
				cur[j] = max(prev[j], cur[j-1])
			}
		}
		prev, cur = cur, prev
	}
	l := prev[len(pred)]
	return harmonic(float64(l)/float64(len(pred)), float64(l)/float64(len(gold)))
}

func boolScore(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
