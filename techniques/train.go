package techniques

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/semeval"
	"github.com/slant-news/slant/text"
)

// TrainOptions control training and cross-validation.
type TrainOptions struct {
	// Folds is the number of cross-validation folds, grouped by article
	// (default 5). Training uses them to tune thresholds on out-of-fold
	// probabilities.
	Folds int
	// Seed fixes fold assignment and example order.
	Seed uint64
	// ParaBits and TokBits are the log2 hashed dimensions of the paragraph
	// and token models (defaults 16 and 17).
	ParaBits, TokBits uint
	// ParaEpochs and TokEpochs are training epochs (defaults 6 and 3).
	ParaEpochs, TokEpochs int
	// Workers bounds the folds trained at once (default 2).
	Workers int
	// AllTokens trains the token model on every token instead of a third of
	// those in paragraphs without techniques.
	AllTokens bool
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

func (o TrainOptions) withDefaults() TrainOptions {
	if o.Folds < 2 {
		o.Folds = 5
	}
	if o.ParaBits == 0 {
		o.ParaBits = 16
	}
	if o.TokBits == 0 {
		o.TokBits = 17
	}
	if o.ParaEpochs <= 0 {
		o.ParaEpochs = 6
	}
	if o.TokEpochs <= 0 {
		o.TokEpochs = 3
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return o
}

// Threshold tuning constants: paragraph thresholds are shrunk three
// quarters of the way to the global micro-F1 optimum (rare techniques'
// optima rest on few examples).
const (
	paraShrink = 0.75
	paraFloor  = 0.05
)

// examples are the training examples of a set of articles.
type examples struct {
	para, tok           []learn.Example
	paraGroup, tokGroup []string
}

func buildExamples(arts []*Article, o TrainOptions) *examples {
	ex := &examples{}
	var f fvec
	pdim, tdim := 1<<o.ParaBits, 1<<o.TokBits
	for _, a := range arts {
		d := a.doc()
		for _, p := range sortedParas(a) {
			if p-1 >= len(d.paras) {
				continue
			}
			ex.para = append(ex.para, learn.Example{X: d.paragraphVector(&f, p-1, pdim), Y: a.Paragraphs[p]})
			ex.paraGroup = append(ex.paraGroup, a.ID)
		}
		ys := a.tokenLabels()
		for i := range d.toks {
			if !d.scored(i) {
				continue
			}
			// Tokens of paragraphs without any technique are many and alike:
			// keep one in three (chosen by position, so deterministically).
			if !o.AllTokens && i%3 != 0 && !paraHasLabels(a, d, i) {
				continue
			}
			ex.tok = append(ex.tok, learn.Example{X: d.tokenVector(&f, i, tdim), Y: ys[i]})
			ex.tokGroup = append(ex.tokGroup, a.ID)
		}
	}
	return ex
}

// paraHasLabels reports whether token i lies in a paragraph with gold
// techniques.
func paraHasLabels(a *Article, d *doc, i int) bool {
	off := d.toks[i].start
	p := sort.Search(len(d.paras), func(i int) bool { return d.paras[i].End >= off })
	return len(a.Paragraphs[p+1]) > 0
}

func sortedParas(a *Article) []int {
	ps := make([]int, 0, len(a.Paragraphs))
	for p := range a.Paragraphs {
		ps = append(ps, p)
	}
	sort.Ints(ps)
	return ps
}

func fitModel(ex *examples, keep func(group string) bool, o TrainOptions) *Model {
	var pd, td []learn.Example
	for i, e := range ex.para {
		if keep(ex.paraGroup[i]) {
			pd = append(pd, e)
		}
	}
	for i, e := range ex.tok {
		if keep(ex.tokGroup[i]) {
			td = append(td, e)
		}
	}
	m := &Model{
		Para: learn.Train(Labels, 1<<o.ParaBits, pd, learn.Options{Seed: o.Seed, Epochs: o.ParaEpochs}),
		Tok:  learn.Train(Labels, 1<<o.TokBits, td, learn.Options{Seed: o.Seed, Epochs: o.TokEpochs}),
	}
	return m
}

// oof holds out-of-fold scores of every article.
type oof struct {
	arts   []*Article
	fold   []int
	scores []*scores
}

// crossScores trains one model per fold and scores the held-out articles.
func crossScores(ctx context.Context, c *Corpus, ex *examples, o TrainOptions) (*oof, error) {
	ids := make([]string, len(c.Articles))
	for i, a := range c.Articles {
		ids[i] = a.ID
	}
	folds := learn.Folds(ids, len(ids), o.Folds, o.Seed)
	foldOf := make(map[string]int, len(ids))
	for i, id := range ids {
		foldOf[id] = folds[i]
	}
	r := &oof{arts: c.Articles, fold: folds, scores: make([]*scores, len(ids))}
	sem := make(chan struct{}, o.Workers)
	var wg sync.WaitGroup
	for f := 0; f < o.Folds; f++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(f int) {
			defer wg.Done()
			defer func() { <-sem }()
			t0 := time.Now()
			m := fitModel(ex, func(g string) bool { return foldOf[g] != f }, o)
			for i, a := range c.Articles {
				if folds[i] == f {
					r.scores[i] = m.score(a.doc())
				}
			}
			fmt.Fprintf(o.Log, "techniques: fold %d/%d trained in %s\n", f+1, o.Folds, time.Since(t0).Round(time.Second))
		}(f)
	}
	wg.Wait()
	return r, ctx.Err()
}

// thresholds tunes the paragraph and token thresholds on the out-of-fold
// scores of the articles whose fold passes use.
func (r *oof) thresholds(use func(fold int) bool, shrink float64, sentOK bool) (para, tok []float32, sent []uint8) {
	L := len(Labels)
	var probs [][]float64
	var data []learn.Example
	for i, a := range r.arts {
		if !use(r.fold[i]) {
			continue
		}
		s := r.scores[i]
		for _, p := range sortedParas(a) {
			if p-1 >= len(a.doc().paras) {
				continue
			}
			row := make([]float64, L)
			for k := range row {
				row[k] = float64(s.para[(p-1)*L+k])
			}
			probs = append(probs, row)
			data = append(data, learn.Example{Y: a.Paragraphs[p]})
		}
	}
	para, _ = learn.TuneThresholds(probs, data, L, shrink, paraFloor)
	tok, sent = r.tuneTokens(use, para, sentOK)
	return para, tok, sent
}

// tokenGrid are the token thresholds tried for each technique.
var tokenGrid = func() []float32 {
	var g []float32
	for t := float32(0.2); t < 0.96; t += 0.05 {
		g = append(g, t)
	}
	return g
}()

// tuneTokens picks per-technique token thresholds maximising the labelled
// partial-overlap span F1 over all techniques (coordinate ascent: each
// technique's span statistics are additive in the F1's sums).
//
// Spans only count where the paragraph is labelled with their technique
// (para thresholds), as decode keeps them.
//
// With sentOK, each technique may instead take whole sentences as its spans
// (options G..2G-1: a sentence holding a token above the threshold becomes
// one span) or whole clauses (2G..3G-1: the stretch between commas,
// semicolons, colons, dashes or brackets): Doubt or Appeal_to_Fear are annotated on clauses, and a word
// inside one overlaps little of it.
func (r *oof) tuneTokens(use func(fold int) bool, para []float32, sentOK bool) ([]float32, []uint8) {
	L := len(Labels)
	G := len(tokenGrid)
	nopt := G
	if sentOK {
		nopt = 3 * G
	}
	// stats[k][g] = {precision numerator, #pred, recall numerator}
	stats := make([][][3]float64, L)
	for k := range stats {
		stats[k] = make([][3]float64, nopt)
	}
	gold := make([]float64, L)
	for i, a := range r.arts {
		if !use(r.fold[i]) {
			continue
		}
		d := a.doc()
		gb := goldBytes(a)
		for k := 0; k < L; k++ {
			gold[k] += float64(len(gb[k]))
			for g := 0; g < nopt; g++ {
				var sps []slant.Span
				switch g / G {
				case 0:
					sps = d.runs(r.scores[i], k, tokenGrid[g])
				case 1:
					sps = d.sentRuns(r.scores[i], k, tokenGrid[g%G], false)
				default:
					sps = d.sentRuns(r.scores[i], k, tokenGrid[g%G], true)
				}
				for _, sp := range sps {
					if p := d.paraAt(sp.Start); r.scores[i].para[p*L+k] < para[k] {
						continue
					}
					st := &stats[k][g]
					st[1]++
					for _, t := range gb[k] {
						ov := float64(min(sp.End, t.End) - max(sp.Start, t.Start))
						if ov > 0 {
							st[0] += ov / float64(sp.End-sp.Start)
							st[2] += ov / float64(t.End-t.Start)
						}
					}
				}
			}
		}
	}
	choice := make([]int, L)
	for k := range choice {
		choice[k] = G / 2
	}
	f1 := func() float64 {
		var pn, np, rn, ng float64
		for k := 0; k < L; k++ {
			st := stats[k][choice[k]]
			pn, np, rn, ng = pn+st[0], np+st[1], rn+st[2], ng+gold[k]
		}
		if np == 0 || ng == 0 || pn == 0 {
			return 0
		}
		p, rc := pn/np, rn/ng
		return 2 * p * rc / (p + rc)
	}
	for pass := 0; pass < 3; pass++ {
		for k := 0; k < L; k++ {
			best, bestF := choice[k], f1()
			for g := 0; g < nopt; g++ {
				if g >= G && wordLevel[Labels[k]] {
					break
				}
				choice[k] = g
				if f := f1(); f > bestF+1e-12 {
					best, bestF = g, f
				}
			}
			choice[k] = best
		}
	}
	out := make([]float32, L)
	sent := make([]uint8, L)
	for k := range out {
		out[k] = tokenGrid[choice[k]%G]
		sent[k] = uint8(choice[k] / G)
		if gold[k] == 0 {
			// Never seen in training: keep the technique quiet.
			out[k], sent[k] = 0.99, spanTokens
		}
	}
	return out, sent
}

// wordLevel are the techniques a reader expects on words and phrases
// ("regime", "utterly disgraceful"): they always keep token runs, even
// where a whole sentence would overlap more of the annotators' spans.
var wordLevel = map[string]bool{
	"Loaded_Language": true, "Name_Calling-Labeling": true,
	"Exaggeration-Minimisation": true, "Repetition": true,
}

// sentRuns returns the sentences (clauses with clause) without edge
// punctuation holding a token of technique k at threshold th: the spans of
// a sentence-level technique.
func (d *doc) sentRuns(s *scores, k int, th float32, clause bool) []slant.Span {
	L := len(Labels)
	th = logit(th)
	var out []slant.Span
	for si := range d.sents {
		a, b := d.sentTok[si][0], d.sentTok[si][1]
		for i := a; i < b; {
			if s.tok[i*L+k] < th {
				i++
				continue
			}
			ca, cb := a, b
			if clause {
				ca, cb = d.clauseAt(i, a, b)
			}
			if sp, ok := d.runSpan(ca, cb); ok {
				out = append(out, sp)
			}
			i = cb
		}
	}
	return out
}

// clauseAt returns the token range of the clause holding token i inside
// sentence [a, b): the stretch between clause punctuation.
func (d *doc) clauseAt(i, a, b int) (int, int) {
	ca, cb := i, i+1
	for ca > a && !d.clauseBreak(ca-1) {
		ca--
	}
	for cb < b && !d.clauseBreak(cb) {
		cb++
	}
	return ca, cb
}

// clauseBreak reports whether token i ends a clause.
func (d *doc) clauseBreak(i int) bool {
	t := d.toks[i]
	if t.shape != shapePunct {
		return false
	}
	switch d.text[t.start:t.end] {
	case ",", ";", ":", "(", ")", "\u2014", "\u2013", "--", "-":
		return true
	}
	return false
}

// runs returns the spans technique k would get at token threshold th (the
// first part of decode, for tuning).
func (d *doc) runs(s *scores, k int, th float32) []slant.Span {
	L := len(Labels)
	th = logit(th)
	var out []slant.Span
	for si := range d.sents {
		a, b := d.sentTok[si][0], d.sentTok[si][1]
		for i := a; i < b; {
			if s.tok[i*L+k] < th {
				i++
				continue
			}
			j := i
			for j < b && s.tok[j*L+k] >= th {
				j++
			}
			if sp, ok := d.runSpan(i, j); ok {
				out = append(out, sp)
			}
			i = j
		}
	}
	return out
}

// paraAt returns the index of the paragraph holding byte offset off.
func (d *doc) paraAt(off int) int {
	return sort.Search(len(d.paras), func(i int) bool { return d.paras[i].End >= off })
}

// goldBytes returns an article's gold spans per technique in byte offsets,
// overlapping spans of one technique merged (as the scorer does).
func goldBytes(a *Article) [][]slant.Span {
	ix := text.NewIndex(a.Text)
	out := make([][]slant.Span, len(Labels))
	for _, s := range a.Spans {
		k := labelIndex(s.Technique)
		out[k] = append(out[k], slant.Span{Start: ix.Byte(s.Start), End: ix.Byte(s.End)})
	}
	for k, ss := range out {
		sort.Slice(ss, func(i, j int) bool { return ss[i].Start < ss[j].Start })
		var m []slant.Span
		for _, s := range ss {
			if n := len(m); n > 0 && s.Start < m[n-1].End {
				m[n-1].End = max(m[n-1].End, s.End)
				continue
			}
			if s.End > s.Start {
				m = append(m, s)
			}
		}
		out[k] = m
	}
	return out
}

// Train learns a techniques model from the corpus: out-of-fold scores tune
// the thresholds, then both models are refit on every article. The same
// corpus and options give the same model bytes. The report is the
// cross-validation of the same out-of-fold scores (as CrossValidate).
func Train(ctx context.Context, c *Corpus, o TrainOptions) (*Model, *CVReport, error) {
	m, rep, _, err := train(ctx, c, o)
	return m, rep, err
}

func train(ctx context.Context, c *Corpus, o TrainOptions) (*Model, *CVReport, *oof, error) {
	o = o.withDefaults()
	if len(c.Articles) < o.Folds {
		return nil, nil, nil, slant.Errorf(slant.EINVALID, "%d training articles, need at least %d (one per fold)", len(c.Articles), o.Folds)
	}
	t0 := time.Now()
	ex := buildExamples(c.Articles, o)
	fmt.Fprintf(o.Log, "techniques: %d articles, %d paragraphs, %d tokens (features in %s)\n",
		len(c.Articles), len(ex.para), len(ex.tok), time.Since(t0).Round(time.Millisecond))
	r, err := crossScores(ctx, c, ex, o)
	if err != nil {
		return nil, nil, nil, err
	}
	rep := r.evaluate(o.Folds, defaultDecode, paraShrink)
	r.logVariants(o)
	para, tok, sent := r.thresholds(func(int) bool { return true }, paraShrink, !defaultDecode.noSentences)
	m := fitModel(ex, func(string) bool { return true }, o)
	copy(m.Para.Thresholds, para)
	copy(m.Tok.Thresholds, tok)
	m.sent = sent
	meta := map[string]string{
		"data":     "SemEval-2023 Task 3 subtask 3, English train (" + strconv.Itoa(len(c.Articles)) + " articles)",
		"seed":     strconv.FormatUint(o.Seed, 10),
		"folds":    strconv.Itoa(o.Folds),
		"features": fmt.Sprintf("para=2^%d tok=2^%d", o.ParaBits, o.TokBits),
	}
	meta["cv-micro-F1"] = strconv.FormatFloat(rep.Paragraphs.Score(), 'f', 4, 64)
	meta["cv-span-F1"] = strconv.FormatFloat(rep.Spans.Score(), 'f', 4, 64)
	meta[sentenceMeta] = unitNames(sent, spanSentence)
	meta[clauseMeta] = unitNames(sent, spanClause)
	m.Para.Meta, m.Tok.Meta = meta, meta
	return m, rep, r, nil
}

// CVReport is the outcome of cross-validation with the official metrics.
type CVReport struct {
	// Paragraphs scores subtask 3 (micro-F1 headline), Spans the labelled
	// partial-overlap span F1.
	Paragraphs, Spans *semeval.Result
	// PerTechnique holds per-technique paragraph precision, recall, F1 and
	// gold support, in Labels order.
	PerTechnique []TechniqueScore
}

// TechniqueScore is one row of the per-technique table.
type TechniqueScore struct {
	Technique         string
	Precision, Recall float64
	F1                float64
	Support, Predict  int
}

// CrossValidate measures the model by k-fold cross-validation grouped by
// article. The thresholds used on each fold are tuned on the other folds'
// out-of-fold scores only, so no figure sees its own fold's labels.
func CrossValidate(ctx context.Context, c *Corpus, o TrainOptions) (*CVReport, error) {
	o = o.withDefaults()
	if len(c.Articles) < o.Folds {
		return nil, slant.Errorf(slant.EINVALID, "%d articles, need at least %d (one per fold)", len(c.Articles), o.Folds)
	}
	ex := buildExamples(c.Articles, o)
	r, err := crossScores(ctx, c, ex, o)
	if err != nil {
		return nil, err
	}
	r.logVariants(o)
	return r.evaluate(o.Folds, defaultDecode, paraShrink), nil
}

// logVariants logs the cross-validated figures of the decoding and
// threshold choices next to the default, so that the choice stays measured.
func (r *oof) logVariants(o TrainOptions) {
	for _, v := range []struct {
		name   string
		dec    decodeOptions
		shrink float64
		blend  float32
		gamma  float32
	}{
		{"no backfill", decodeOptions{onlyLabelled: true, extend: 2}, paraShrink, tokenBlend, articleGamma},
		{"gap bridging 2", decodeOptions{backfill: true, onlyLabelled: true, extend: 2, gap: 2}, paraShrink, tokenBlend, articleGamma},
		{"token runs only", decodeOptions{backfill: true, onlyLabelled: true, noSentences: true, extend: 2}, paraShrink, tokenBlend, articleGamma},
		{"token runs only, no extension", decodeOptions{backfill: true, onlyLabelled: true, noSentences: true}, paraShrink, tokenBlend, articleGamma},
		{"no run extension", decodeOptions{backfill: true, onlyLabelled: true}, paraShrink, tokenBlend, articleGamma},
		{"extend runs 1", decodeOptions{backfill: true, onlyLabelled: true, extend: 1}, paraShrink, tokenBlend, articleGamma},
		{"extend runs 3", decodeOptions{backfill: true, onlyLabelled: true, extend: 3}, paraShrink, tokenBlend, articleGamma},
		{"spans in any paragraph", decodeOptions{backfill: true, extend: 2}, paraShrink, tokenBlend, articleGamma},
		{"backfill+span labels", decodeOptions{backfill: true, spanLabels: true, onlyLabelled: true, extend: 2}, paraShrink, tokenBlend, articleGamma},
		{"shrink 0.5", defaultDecode, 0.5, tokenBlend, articleGamma},
		{"shrink 1 (global threshold)", defaultDecode, 1, tokenBlend, articleGamma},
		{"paragraph model alone", defaultDecode, paraShrink, 0, articleGamma},
		{"token blend 0.3", defaultDecode, paraShrink, 0.3, articleGamma},
		{"token blend 0.7", defaultDecode, paraShrink, 0.7, articleGamma},
		{"article prior gamma 0", defaultDecode, paraShrink, tokenBlend, 0},
		{"article prior gamma 0.3", defaultDecode, paraShrink, tokenBlend, 0.3},
		{"article prior gamma 0.6", defaultDecode, paraShrink, tokenBlend, 0.6},
	} {
		rr := r
		if v.blend != tokenBlend || v.gamma != articleGamma {
			rr = r.reblend(v.blend, v.gamma)
		}
		rep := rr.evaluate(o.Folds, v.dec, v.shrink)
		macro, _ := rep.Paragraphs.Value("macro-F1")
		fmt.Fprintf(o.Log, "techniques: variant %-28s micro-F1 %.4f macro-F1 %.4f span-F1 %.4f\n", v.name, rep.Paragraphs.Score(), macro, rep.Spans.Score())
	}
}

// reblend returns a copy of r with paragraph scores blended with weight w
// and article prior weight gamma (see blendPrior).
func (r *oof) reblend(w, gamma float32) *oof {
	out := &oof{arts: r.arts, fold: r.fold}
	for _, s := range r.scores {
		c := *s
		c.para = make([]float32, len(s.para))
		c.blendPrior(w, gamma)
		out.scores = append(out.scores, &c)
	}
	return out
}

// evaluate decodes every held-out article with thresholds from the other
// folds and scores the lot.
func (r *oof) evaluate(k int, dec decodeOptions, shrink float64) *CVReport {
	var goldP, predP []semeval.ParagraphLabels
	var goldS, predS []semeval.Span
	for f := 0; f < k; f++ {
		para, tok, sent := r.thresholds(func(g int) bool { return g != f }, shrink, !dec.noSentences)
		m := &Model{Para: &learn.Model{Thresholds: para}, Tok: &learn.Model{Thresholds: tok}, sent: sent}
		for i, a := range r.arts {
			if r.fold[i] != f {
				continue
			}
			d := a.doc()
			pls, spans := m.decode(d, r.scores[i], dec)
			for _, p := range sortedParas(a) {
				goldP = append(goldP, semeval.ParagraphLabels{ID: a.ID, Paragraph: p, Techniques: labelNames(a.Paragraphs[p])})
			}
			for _, pl := range pls {
				if _, ok := a.Paragraphs[pl.Paragraph]; !ok {
					// Empty lines are not in the gold file; the official
					// template leaves them out too.
					continue
				}
				predP = append(predP, semeval.ParagraphLabels{ID: a.ID, Paragraph: pl.Paragraph, Techniques: pl.Techniques})
			}
			goldS = append(goldS, a.Spans...)
			ix := text.NewIndex(a.Text)
			for _, s := range spans {
				predS = append(predS, semeval.Span{ID: a.ID, Technique: s.Technique, Start: ix.CodePoint(s.Start), End: ix.CodePoint(s.End)})
			}
		}
	}
	rep := &CVReport{Paragraphs: semeval.ScoreTechniques(goldP, predP, Labels), Spans: semeval.ScoreSpans(goldS, predS)}
	rep.PerTechnique = perTechnique(goldP, predP)
	return rep
}

func labelNames(ys []int) []string {
	out := make([]string, len(ys))
	for i, y := range ys {
		out[i] = Labels[y]
	}
	return out
}

// perTechnique counts paragraph-level precision and recall per technique
// over the gold paragraphs.
func perTechnique(gold, pred []semeval.ParagraphLabels) []TechniqueScore {
	key := func(p semeval.ParagraphLabels) string { return p.ID + "\t" + strconv.Itoa(p.Paragraph) }
	pm := map[string][]string{}
	for _, p := range pred {
		pm[key(p)] = p.Techniques
	}
	L := len(Labels)
	tp, fp, fn := make([]int, L), make([]int, L), make([]int, L)
	for _, g := range gold {
		gs := map[string]bool{}
		for _, t := range g.Techniques {
			gs[t] = true
		}
		ps := map[string]bool{}
		for _, t := range pm[key(g)] {
			ps[t] = true
		}
		for k, l := range Labels {
			switch {
			case gs[l] && ps[l]:
				tp[k]++
			case ps[l]:
				fp[k]++
			case gs[l]:
				fn[k]++
			}
		}
	}
	out := make([]TechniqueScore, L)
	for k, l := range Labels {
		ts := TechniqueScore{Technique: l, Support: tp[k] + fn[k], Predict: tp[k] + fp[k]}
		if ts.Predict > 0 {
			ts.Precision = float64(tp[k]) / float64(ts.Predict)
		}
		if ts.Support > 0 {
			ts.Recall = float64(tp[k]) / float64(ts.Support)
		}
		ts.F1 = learn.F1(float64(tp[k]), float64(fp[k]), float64(fn[k]))
		out[k] = ts
	}
	return out
}

// Print writes the report: the per-technique table, then the span and
// paragraph figures, the last line "techniques micro-F1 VALUE".
func (r *CVReport) Print(w io.Writer) error {
	fmt.Fprintf(w, "%-34s %6s %6s %6s %7s %7s\n", "technique", "P", "R", "F1", "gold", "pred")
	for _, t := range r.PerTechnique {
		fmt.Fprintf(w, "%-34s %6.3f %6.3f %6.3f %7d %7d\n", t.Technique, t.Precision, t.Recall, t.F1, t.Support, t.Predict)
	}
	fmt.Fprintln(w)
	for _, f := range r.Spans.Figures {
		if f.Count {
			fmt.Fprintf(w, "spans %-22s %d\n", f.Name, int(f.Value))
		} else if !math.IsNaN(f.Value) {
			fmt.Fprintf(w, "spans %-22s %.4f\n", f.Name, f.Value)
		}
	}
	fmt.Fprintln(w)
	return r.Paragraphs.Print(w)
}
