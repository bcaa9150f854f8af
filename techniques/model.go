package techniques

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/taxonomy"
)

// Labels are the 23 techniques in the official order; model label indices
// refer to this list.
var Labels = taxonomy.TechniqueNames()

var labelIdx = func() map[string]int {
	m := map[string]int{}
	for i, l := range Labels {
		m[l] = i
	}
	return m
}()

// labelIndex returns the index of a technique name in Labels, or -1.
func labelIndex(name string) int {
	if i, ok := labelIdx[name]; ok {
		return i
	}
	return -1
}

// Model is the techniques model: a paragraph classifier (subtask 3 labels)
// and a token classifier from which spans are read. The paragraph model's
// Thresholds decide paragraph labels; the token model's Thresholds decide
// which tokens belong to a span of each technique.
type Model struct {
	Para *learn.Model
	Tok  *learn.Model

	// pq and tq are Para's and Tok's weights as 16-bit integers, set by
	// ReadModel: the file stores them so, and half the bytes per row means
	// half the cache misses in the hot loop. Nil for freshly trained models.
	pq, tq *quantised
	// sent is each technique's span unit (spanTokens, spanSentence or
	// spanClause, read from the metadata keys sentenceMeta and clauseMeta);
	// nil means token runs for all.
	sent []uint8
}

// Span units of a technique.
const (
	spanTokens   = iota // runs of tokens above the threshold
	spanSentence        // the sentence holding such a token
	spanClause          // the clause holding such a token
)

// sentenceMeta and clauseMeta are the model metadata keys listing,
// comma-separated, the techniques whose spans are whole sentences and
// whole clauses.
const (
	sentenceMeta = "sentence-spans"
	clauseMeta   = "clause-spans"
)

// unitNames lists the techniques whose span unit is u, comma-separated.
func unitNames(sent []uint8, u uint8) string {
	var names []string
	for k, v := range sent {
		if v == u {
			names = append(names, Labels[k])
		}
	}
	return strings.Join(names, ",")
}

// parseUnits reads unitNames' lists back; unknown names are ignored (a
// model may come from a taxonomy with more techniques).
func parseUnits(meta map[string]string) []uint8 {
	sent := make([]uint8, len(Labels))
	for u, key := range map[uint8]string{spanSentence: sentenceMeta, spanClause: clauseMeta} {
		for _, n := range strings.Split(meta[key], ",") {
			if k := labelIndex(strings.TrimSpace(n)); k >= 0 {
				sent[k] = u
			}
		}
	}
	return sent
}

// sentenceMode returns technique k's span unit.
func (m *Model) sentenceMode(k int) uint8 {
	if m.sent == nil {
		return spanTokens
	}
	return m.sent[k]
}

// quantised holds a model's weights as int16 times one scale.
type quantised struct {
	w     []int16
	scale float32
}

// quantise converts m's weights to 16 bits with the same step as the model
// file, so the values are the ones the file holds.
func quantise(m *learn.Model) *quantised {
	maxAbs := float32(0)
	for _, x := range m.W {
		maxAbs = max(maxAbs, x, -x)
	}
	q := &quantised{w: make([]int16, len(m.W)), scale: maxAbs / 32767}
	if q.scale == 0 {
		q.scale = 1
	}
	inv := 1 / float64(q.scale)
	for i, x := range m.W {
		q.w[i] = int16(math.Round(float64(x) * inv))
	}
	return q
}

// modelMagic starts a techniques model file; the digit is the version.
const modelMagic = "SLANTTQ1"

// WriteTo writes both models as one learn bundle.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	return learn.WriteBundle(w, modelMagic, m.Para, m.Tok)
}

// Save writes the model to path.
func (m *Model) Save(path string) error {
	return learn.SaveBundle(path, modelMagic, m.Para, m.Tok)
}

// ReadModel reads a model written by WriteTo and checks that it speaks
// about the 23 techniques.
func ReadModel(r io.Reader) (*Model, error) {
	parts, err := learn.ReadBundle(r, modelMagic, "techniques model", 2)
	if err != nil {
		return nil, err
	}
	for i := range parts {
		if len(parts[i].Labels) != len(Labels) || parts[i].Dim&(parts[i].Dim-1) != 0 {
			return nil, fmt.Errorf("read techniques model: want %d labels and a power-of-two dimension", len(Labels))
		}
		for k, l := range parts[i].Labels {
			if l != Labels[k] {
				return nil, fmt.Errorf("read techniques model: label %d is %q, want %q", k, l, Labels[k])
			}
		}
	}
	m := &Model{Para: parts[0], Tok: parts[1], pq: quantise(parts[0]), tq: quantise(parts[1])}
	m.sent = parseUnits(parts[1].Meta)
	// The float weights are no longer needed for prediction; dropping them
	// keeps the loaded model at a third of the memory.
	m.Para.W, m.Tok.W = nil, nil
	return m, nil
}

// LoadModel reads a techniques model file.
func LoadModel(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load techniques model: %w", err)
	}
	defer f.Close()
	m, err := ReadModel(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// nLabels is the number of techniques; ReadModel refuses other models, so
// the hot loop can work on fixed-size rows without bounds checks.
const nLabels = 23

// dot adds the weights of f's features, times their values, to out (one
// entry per label).
func dot(m *learn.Model, q *quantised, f *fvec, out []float32) {
	o := (*[nLabels]float32)(out)
	if q != nil {
		mask := uint32(m.Dim - 1)
		w := q.w
		for i, h := range f.idx {
			v := f.val[i] * q.scale
			off := int(h&mask) * nLabels
			row := (*[nLabels]int16)(w[off : off+nLabels])
			for k := range o {
				o[k] += float32(row[k]) * v
			}
		}
		return
	}
	mask := uint32(m.Dim - 1)
	w := m.W
	for i, h := range f.idx {
		v := f.val[i]
		off := int(h&mask) * nLabels
		row := (*[nLabels]float32)(w[off : off+nLabels])
		for k := range o {
			o[k] += row[k] * v
		}
	}
}

// logit is the inverse of sigmoid32, clamped to finite values.
func logit(p float32) float32 {
	p = min(max(p, 1e-6), 1-1e-6)
	return float32(math.Log(float64(p) / float64(1-p)))
}

func sigmoid32(z float32) float32 {
	if z < -30 {
		return 0
	}
	if z > 30 {
		return 1
	}
	return float32(1 / (1 + math.Exp(-float64(z))))
}

// scores are a model's probabilities for one article.
type scores struct {
	// para[i*L+k] is paragraph i's probability of technique k (0 for empty
	// paragraphs).
	para []float32
	// paraZ and tokMax are the paragraph model's log-odds and the best
	// token's log-odds per paragraph and technique, which para blends;
	// nonEmpty marks the paragraphs that have tokens.
	paraZ, tokMax []float32
	nonEmpty      []bool
	// tok[i*L+k] is the log-odds of token i being inside a span of k
	// (log-odds, not probabilities: thresholds compare in logit space, which
	// saves an exp per token and technique).
	tok []float32
}

// score runs both models over an analysed article.
func (m *Model) score(d *doc) *scores {
	L := len(Labels)
	np := len(d.paras)
	s := &scores{para: make([]float32, np*L), tok: make([]float32, len(d.toks)*L)}
	var f fvec
	// Paragraphs: each group of features is scored once and the linear
	// parts summed, which equals scoring the concatenated vector.
	self := make([]float32, np*L)
	asPrev := make([]float32, np*L)
	asNext := make([]float32, np*L)
	art := make([]float32, L)
	f.reset()
	d.articleFeatures(&f)
	dot(m.Para, m.pq, &f, art)
	for p := 0; p < np; p++ {
		if d.paraTok[p][1] == d.paraTok[p][0] {
			continue
		}
		m.scoreSelf(d, &f, p, self[p*L:p*L+L])
		f.reset()
		d.paraContext(&f, p, tagPrevWord, tagPrevLex)
		dot(m.Para, m.pq, &f, asPrev[p*L:p*L+L])
		f.reset()
		d.paraContext(&f, p, tagNextWord, tagNextLex)
		dot(m.Para, m.pq, &f, asNext[p*L:p*L+L])
	}
	for p := 0; p < np; p++ {
		if d.paraTok[p][1] == d.paraTok[p][0] {
			continue
		}
		prev, next := d.neighbours(p)
		out := s.para[p*L : p*L+L]
		for k := range out {
			z := m.Para.Bias[k] + self[p*L+k] + art[k]
			if prev >= 0 {
				z += asPrev[prev*L+k]
			}
			if next >= 0 {
				z += asNext[next*L+k]
			}
			// Kept as log-odds until the token scores are in.
			out[k] = z
		}
	}
	// Tokens: the sentence group once per sentence, then each token's own
	// window.
	sent := make([]float32, L)
	for si := range d.sents {
		a, b := d.sentTok[si][0], d.sentTok[si][1]
		if a == b {
			continue
		}
		clear(sent)
		f.reset()
		d.sentenceGroup(&f, si)
		dot(m.Tok, m.tq, &f, sent)
		for i := a; i < b; i++ {
			out := s.tok[i*L : i*L+L]
			if !d.scored(i) {
				// Punctuation takes the lower of its neighbours' scores
				// (filled below), so runs pass over inner commas but not
				// over a sentence's edge.
				continue
			}
			for k := range out {
				out[k] = m.Tok.Bias[k] + sent[k]
			}
			f.reset()
			d.tokenLocal(&f, i)
			dot(m.Tok, m.tq, &f, out)
			if lx := d.toks[i].lex; lx != 0 {
				// A word of one of the technique's own lexicons gets a
				// small prior on top of what the model learnt (CV: see
				// README, "lexicon prior").
				for k := range out {
					if lx&techniqueLex[k] != 0 {
						out[k] += lexPrior
					}
				}
			}
		}
		prev := -1 // last scored token before i
		for i := a; i < b; i++ {
			if d.scored(i) {
				prev = i
				continue
			}
			next := i + 1
			for next < b && !d.scored(next) {
				next++
			}
			out := s.tok[i*L : i*L+L]
			for k := range out {
				out[k] = -30
				if prev >= 0 && next < b {
					out[k] = min(s.tok[prev*L+k], s.tok[next*L+k])
				}
			}
		}
	}
	// A paragraph's score for a technique blends the paragraph model with
	// the token model's best token for it in the paragraph (log-odds): the
	// token model sees local wording that the paragraph's bag of words
	// dilutes. Cross-validation chose the weight (README.md).
	s.paraZ = make([]float32, np*L)
	s.tokMax = make([]float32, np*L)
	s.nonEmpty = make([]bool, np)
	for p := 0; p < np; p++ {
		a, b := d.paraTok[p][0], d.paraTok[p][1]
		if a == b {
			continue
		}
		s.nonEmpty[p] = true
		for k := 0; k < L; k++ {
			best := float32(-30)
			for i := a; i < b; i++ {
				best = max(best, s.tok[i*L+k])
			}
			s.paraZ[p*L+k] = min(max(s.para[p*L+k], -paraClamp), paraClamp)
			s.tokMax[p*L+k] = best
		}
	}
	s.blend(tokenBlend)
	return s
}

// Long paragraphs (scraped pages glue many sentences into one line) are
// scored in chunks of chunkSents sentences, and each technique takes its
// best chunk: the model learnt from short paragraphs, whose normalised bag
// of words a long one would dilute.
const (
	longPara   = 6
	chunkSents = 3
)

// scoreSelf adds paragraph p's self score to out.
func (m *Model) scoreSelf(d *doc, f *fvec, p int, out []float32) {
	sa, sb := d.paraSent[p][0], d.paraSent[p][1]
	if sb-sa <= longPara {
		f.reset()
		d.paraSelf(f, p)
		dot(m.Para, m.pq, f, out)
		return
	}
	var chunk, best [nLabels]float32
	for i := range best {
		best[i] = float32(math.Inf(-1))
	}
	for c := sa; c < sb; c += chunkSents {
		e := min(c+chunkSents, sb)
		f.reset()
		d.chunkSelf(f, p, d.sentTok[c][0], d.sentTok[e-1][1], e-c)
		clear(chunk[:])
		dot(m.Para, m.pq, f, chunk[:])
		for k := range best {
			best[k] = max(best[k], chunk[k])
		}
	}
	for k := range best {
		out[k] += best[k]
	}
}

// blend sets the paragraph probabilities from the paragraph model's and the
// best token's log-odds, with weight w on the token.
func (s *scores) blend(w float32) {
	s.blendPrior(w, articleGamma)
}

// blendPrior blends as blend does, then adds to every paragraph's log-odds
// of a technique gamma times the article's mean blended log-odds of that
// technique: a reporting piece whose paragraphs all score low gets lower
// priors, a piece soaked in a technique higher ones. The first-pass scores
// are computed the same way in cross-validation (out-of-fold models) and
// prediction, so no label leaks in.
func (s *scores) blendPrior(w, gamma float32) {
	L := len(Labels)
	z := make([]float32, len(s.para))
	mean := make([]float32, L)
	n := 0
	for p, ok := range s.nonEmpty {
		if !ok {
			continue
		}
		n++
		for k := 0; k < L; k++ {
			i := p*L + k
			z[i] = (1-w)*s.paraZ[i] + w*s.tokMax[i]
			mean[k] += z[i]
		}
	}
	if n > 0 {
		for k := range mean {
			mean[k] /= float32(n)
		}
	}
	for p, ok := range s.nonEmpty {
		for k := 0; k < L; k++ {
			i := p*L + k
			if !ok {
				s.para[i] = 0
				continue
			}
			s.para[i] = sigmoid32(z[i] + gamma*mean[k])
		}
	}
}

// lexPrior is added to a token's log-odds of a technique when the token is
// in one of that technique's lexicons (techniqueLex).
const lexPrior = 0.5

// articleGamma weighs the article-level prior in blendPrior (chosen by
// cross-validation, see README).
const articleGamma = 0.2

// tokenBlend is the weight of the best token's log-odds in a paragraph's
// score; paraClamp bounds the paragraph model's log-odds before blending.
const (
	tokenBlend = 0.5
	paraClamp  = 13.8
)
