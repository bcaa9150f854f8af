package techniques

import (
	"math"
	"math/bits"
	"slices"
	"sort"
	"unicode"
	"unicode/utf8"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/text"
)

// Feature hashing. Words are hashed once per token (FNV-1a of the lower-cased
// form); a feature is then a cheap mix of a group tag and one or two word
// hashes, so extraction allocates nothing per feature. Training and
// prediction share these functions, which is all that makes the hashes
// agree.

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// Feature group tags: every feature is mix(tag, ...), so the same word in
// different roles (inside the span, before it, in the article) gets
// different weights.
const (
	tagWord = iota + 1
	tagBigram
	tagLex
	tagDense
	tagPrevWord
	tagNextWord
	tagArticleWord
	tagPrevLex
	tagNextLex
	tagArticleLex
	tagTokWord
	tagTokPrev1
	tagTokNext1
	tagTokPrev2
	tagTokNext2
	tagTokBigramL
	tagTokBigramR
	tagTokLex
	tagTokShape
	tagSentWord
	tagSentLex
	tagSentDense
	tagTokSuffix
	tagParaWord
	tagBias
)

func mix(h uint32) uint32 {
	// murmur3 finaliser: spreads the bits so that masking keeps them random.
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

func feat1(tag int, a uint32) uint32 { return mix(uint32(tag)*0x9e3779b1 ^ a) }

func feat2(tag int, a, b uint32) uint32 { return mix(feat1(tag, a)*fnvPrime ^ b) }

// hashLower returns the FNV-1a hash of s lower-cased, and s lower-cased
// when buf is non-nil (appended to buf[:0]).
func hashLower(s string, buf []byte) (uint32, []byte) {
	h := uint32(fnvOffset)
	buf = buf[:0]
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			h ^= uint32(c)
			h *= fnvPrime
			buf = append(buf, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		r = unicode.ToLower(r)
		// Curly apostrophes count as straight ones so "don’t" and "don't"
		// share a feature.
		if r == '\u2019' {
			r = '\''
		}
		var enc [utf8.UTFMax]byte
		n := utf8.EncodeRune(enc[:], r)
		for _, b := range enc[:n] {
			h ^= uint32(b)
			h *= fnvPrime
		}
		buf = append(buf, enc[:n]...)
		i += size
	}
	return h, buf
}

// Token shapes.
const (
	shapeLower = iota
	shapeCap
	shapeUpper // all caps, two letters or more
	shapeNumber
	shapePunct
	shapeQuote
)

// tok is one token of an analysed article.
type tok struct {
	start, end int
	h          uint32 // hash of the lower-cased form
	lex        uint32 // lexicon categories, including phrase cues
	shape      uint8
	inQuote    bool  // inside quotation marks
	freq       uint8 // how often the word recurs in the article (bucketed)
	sent       int32 // sentence index
}

// doc is an article segmented and tokenised once for all features.
type doc struct {
	text  string
	toks  []tok
	sents []slant.Span
	// sentTok[i] is the token range [a, b) of sentence i.
	sentTok [][2]int
	paras   []slant.Span
	// paraTok[i] is the token range [a, b) of paragraph i; paraSent the
	// sentence range.
	paraTok  [][2]int
	paraSent [][2]int
}

// stop words carry no technique signal as unigrams at the article level; they
// are skipped there to keep article vectors small. (They still count inside
// token windows, where "so" or "what" matter.)
var stopWords = map[string]bool{}

func init() {
	for _, w := range []string{"the", "a", "an", "of", "to", "in", "and", "is", "was", "for", "on",
		"that", "with", "as", "by", "at", "it", "from", "be", "are", "has", "have", "had", "this",
		"which", "were", "been", "its", "or", "he", "she", "his", "her", "their", "they", "s"} {
		h, _ := hashLower(w, nil)
		stopHashes[h] = true
		stopWords[w] = true
	}
}

var stopHashes = map[uint32]bool{}

// analyse segments and tokenises text. paras and sents may be given (the
// pipeline has them) or nil.
func analyse(s string, paras, sents []slant.Span) *doc {
	if paras == nil {
		paras = text.Paragraphs(s)
	}
	if sents == nil {
		sents = text.Sentences(s)
	}
	d := &doc{text: s, paras: paras, sents: sents}
	d.sentTok = make([][2]int, len(sents))
	raw := make([]text.Token, 0, len(s)/5+8)
	var buf []byte
	for i, sp := range sents {
		a := len(d.toks)
		raw = text.AppendTokens(raw[:0], s, sp.Start, sp.End)
		for _, t := range raw {
			h, lw := hashLower(s[t.Start:t.End], buf)
			buf = lw
			k := tok{start: t.Start, end: t.End, h: h, sent: int32(i), shape: shapeOf(s[t.Start:t.End])}
			k.lex = lexicon[string(lw)]
			d.toks = append(d.toks, k)
		}
		d.sentTok[i] = [2]int{a, len(d.toks)}
	}
	d.markPhrases(buf)
	d.markQuotes()
	d.markFrequencies()
	// Map paragraphs to sentence and token ranges; sentences never cross a
	// line break, so each sentence lies inside one paragraph.
	d.paraTok = make([][2]int, len(paras))
	d.paraSent = make([][2]int, len(paras))
	si := 0
	for pi, p := range paras {
		for si < len(sents) && sents[si].Start < p.Start {
			si++
		}
		a := si
		for si < len(sents) && sents[si].End <= p.End && sents[si].Start >= p.Start {
			si++
		}
		d.paraSent[pi] = [2]int{a, si}
		if a < si {
			d.paraTok[pi] = [2]int{d.sentTok[a][0], d.sentTok[si-1][1]}
		} else {
			t := len(d.toks)
			if a < len(sents) {
				t = d.sentTok[a][0]
			}
			d.paraTok[pi] = [2]int{t, t}
		}
	}
	return d
}

func shapeOf(w string) uint8 {
	r, _ := utf8.DecodeRuneInString(w)
	switch {
	case r == '"' || r == '\u201c' || r == '\u201d' || r == '\'' || r == '\u2018' || r == '\u2019' || r == '\u00ab' || r == '\u00bb':
		return shapeQuote
	case unicode.IsDigit(r):
		return shapeNumber
	case !unicode.IsLetter(r):
		return shapePunct
	case unicode.IsUpper(r):
		upper := 0
		for _, c := range w {
			if unicode.IsLower(c) {
				return shapeCap
			}
			upper++
		}
		if upper >= 2 {
			return shapeUpper
		}
		return shapeCap
	}
	return shapeLower
}

// markPhrases adds the categories of two-word cues to both tokens.
func (d *doc) markPhrases(buf []byte) {
	var key []byte
	for i := 0; i+1 < len(d.toks); i++ {
		a, b := &d.toks[i], &d.toks[i+1]
		if a.sent != b.sent || a.shape >= shapeNumber || b.shape >= shapeNumber {
			continue
		}
		_, lw := hashLower(d.text[a.start:a.end], buf)
		key = append(key[:0], lw...)
		key = append(key, ' ')
		_, lw = hashLower(d.text[b.start:b.end], lw)
		key = append(key, lw...)
		buf = lw
		if m, ok := phraseLexicon[string(key)]; ok {
			a.lex |= m
			b.lex |= m
		}
	}
}

// markQuotes flags tokens between double quotation marks within a
// paragraph line (straight quotes alternate open/close).
func (d *doc) markQuotes() {
	in := false
	line := -1
	for i := range d.toks {
		t := &d.toks[i]
		// Quotes do not run across paragraphs.
		if l := d.lineOf(t.start); l != line {
			line, in = l, false
		}
		if t.shape == shapeQuote {
			c, _ := utf8.DecodeRuneInString(d.text[t.start:t.end])
			switch c {
			case '\u201c', '\u00ab':
				in = true
			case '\u201d', '\u00bb':
				in = false
			case '"':
				in = !in
			}
			continue
		}
		t.inQuote = in
	}
}

// lineOf returns a number that changes whenever a newline separates
// offsets; it is the count of newlines before off, computed incrementally.
func (d *doc) lineOf(off int) int {
	// Sentences never cross lines, so the sentence's paragraph is enough;
	// find it by binary search over paragraphs.
	i := sort.Search(len(d.paras), func(i int) bool { return d.paras[i].End >= off })
	return i
}

// markFrequencies buckets how often each content word recurs in the
// article: the Repetition technique lives on it.
func (d *doc) markFrequencies() {
	counts := make(map[uint32]int, len(d.toks)/2)
	for _, t := range d.toks {
		if t.shape <= shapeUpper {
			counts[t.h]++
		}
	}
	for i := range d.toks {
		t := &d.toks[i]
		if t.shape > shapeUpper || stopHashes[t.h] {
			continue
		}
		switch c := counts[t.h]; {
		case c >= 6:
			t.freq = 3
		case c >= 3:
			t.freq = 2
		case c >= 2:
			t.freq = 1
		}
	}
}

// fvec collects hashed features of one group before normalisation.
type fvec struct {
	idx []uint32
	val []float32
}

func (f *fvec) reset() { f.idx, f.val = f.idx[:0], f.val[:0] }

func (f *fvec) add(h uint32, v float32) {
	f.idx = append(f.idx, h)
	f.val = append(f.val, v)
}

// scale multiplies the values from position from on so that their L2 norm
// is w (a group of binary features of unknown count gets a fixed weight).
func (f *fvec) scale(from int, w float32) {
	var ss float64
	for _, v := range f.val[from:] {
		ss += float64(v) * float64(v)
	}
	if ss == 0 {
		return
	}
	k := w / float32(math.Sqrt(ss))
	for i := from; i < len(f.val); i++ {
		f.val[i] *= k
	}
}

// vector turns the collected features into a sorted learn.Vector of the
// given dimension (a power of two), summing collisions.
func (f *fvec) vector(dim int) learn.Vector {
	mask := uint32(dim - 1)
	v := make(learn.Vector, len(f.idx))
	for i, h := range f.idx {
		v[i] = learn.Feature{Index: h & mask, Value: f.val[i]}
	}
	sort.Slice(v, func(i, j int) bool { return v[i].Index < v[j].Index })
	out := v[:0]
	for _, x := range v {
		if n := len(out); n > 0 && out[n-1].Index == x.Index {
			out[n-1].Value += x.Value
			continue
		}
		out = append(out, x)
	}
	return out
}

// Paragraph features. Weights of the groups were chosen by cross-validation
// (see README.md).
const (
	wSelfWords    = 1.0
	wSelfBigrams  = 0.6
	wSelfLex      = 0.6
	wSelfDense    = 0.6
	wContextWords = 0.35
	wContextLex   = 0.3
	wArticleWords = 0.45
	wArticleLex   = 0.3
)

// lexCounts adds log-scaled lexicon category counts of tokens [a, b).
func (d *doc) lexCounts(f *fvec, tag int, a, b int) {
	var n [lexNumLexicons]int
	for _, t := range d.toks[a:b] {
		for m := t.lex; m != 0; m &= m - 1 {
			n[bits.TrailingZeros32(m)]++
		}
	}
	for c, k := range n {
		if k > 0 {
			f.add(feat1(tag, uint32(c)), float32(math.Log1p(float64(k))))
		}
	}
}

// words adds the distinct content words of tokens [a, b) as binary features.
func (d *doc) words(f *fvec, tag int, a, b int, skipStop bool) {
	from := len(f.idx)
	for _, t := range d.toks[a:b] {
		if t.shape >= shapeNumber && t.shape != shapeQuote {
			continue
		}
		if skipStop && stopHashes[t.h] {
			continue
		}
		f.add(feat1(tag, t.h), 1)
	}
	dedupe(f, from)
}

// dedupe collapses repeated indices from position from on to one entry of
// value 1 (binary presence), so long paragraphs do not weigh frequent words
// by count.
func dedupe(f *fvec, from int) {
	idx := f.idx[from:]
	if len(idx) < 2 {
		return
	}
	slices.Sort(idx)
	n := 0
	for i, h := range idx {
		if i > 0 && h == idx[n-1] {
			continue
		}
		idx[n] = h
		n++
	}
	f.idx = f.idx[:from+n]
	f.val = f.val[:from+n]
	for i := from; i < len(f.val); i++ {
		f.val[i] = 1
	}
}

// paraSelf adds the features a paragraph contributes about itself.
func (d *doc) paraSelf(f *fvec, pi int) {
	d.chunkSelf(f, pi, d.paraTok[pi][0], d.paraTok[pi][1], d.paraSent[pi][1]-d.paraSent[pi][0])
}

// chunkSelf adds the self features of tokens [a, b) of paragraph pi,
// holding ns sentences: the whole paragraph, or a chunk of a long one.
func (d *doc) chunkSelf(f *fvec, pi, a, b, ns int) {
	from := len(f.idx)
	d.words(f, tagWord, a, b, false)
	f.scale(from, wSelfWords)
	from = len(f.idx)
	for i := a; i+1 < b; i++ {
		if d.toks[i].sent == d.toks[i+1].sent {
			f.add(feat2(tagBigram, d.toks[i].h, d.toks[i+1].h), 1)
		}
	}
	dedupe(f, from)
	f.scale(from, wSelfBigrams)
	from = len(f.idx)
	d.lexCounts(f, tagLex, a, b)
	f.scale(from, wSelfLex)
	from = len(f.idx)
	d.paraDense(f, pi, a, b, ns)
	f.scale(from, wSelfDense)
}

// paraDense adds punctuation, shape, length and position features.
func (d *doc) paraDense(f *fvec, pi, a, b, ns int) {
	var q, ex, quotes, caps, nums, words, inq int
	for _, t := range d.toks[a:b] {
		switch t.shape {
		case shapePunct:
			switch d.text[t.start] {
			case '?':
				q++
			case '!':
				ex++
			}
		case shapeQuote:
			quotes++
		case shapeUpper:
			caps++
			words++
		case shapeNumber:
			nums++
		default:
			words++
		}
		if t.inQuote {
			inq++
		}
	}
	add := func(name uint32, v float64) { f.add(feat1(tagDense, name), float32(v)) }
	add(1, math.Log1p(float64(q)))
	add(2, math.Log1p(float64(ex)))
	add(3, math.Log1p(float64(quotes)))
	add(4, math.Log1p(float64(caps)))
	add(5, math.Log1p(float64(nums)))
	if words > 0 {
		add(6, float64(inq)/float64(words+quotes))
	}
	// Length and position as one-hot buckets: their effect is not linear.
	add(100+uint32(min(bits.Len(uint(words)), 9)), 1)
	nonEmpty, idx := 0, 0
	for i := range d.paras {
		if d.paraTok[i][1] > d.paraTok[i][0] {
			if i == pi {
				idx = nonEmpty
			}
			nonEmpty++
		}
	}
	switch {
	case pi == 0:
		add(200, 1) // the title
	case idx == nonEmpty-1:
		add(201, 1)
	default:
		add(202+uint32(min(4, 5*idx/max(1, nonEmpty))), 1)
	}
	add(210+uint32(min(bits.Len(uint(b-a)/4), 8)), 1)
	add(220+uint32(min(ns, 6)), 1)
}

// paraContext adds a neighbouring paragraph's words and lexicon counts.
func (d *doc) paraContext(f *fvec, pi int, tagW, tagL int) {
	a, b := d.paraTok[pi][0], d.paraTok[pi][1]
	from := len(f.idx)
	d.words(f, tagW, a, b, true)
	f.scale(from, wContextWords)
	from = len(f.idx)
	d.lexCounts(f, tagL, a, b)
	f.scale(from, wContextLex)
}

// articleFeatures adds the whole article's recurring or lexicon words and
// its lexicon counts. Only words that recur or carry a lexicon category are
// kept: they say what the article is about and how it talks, at a fifth of
// the cost of every word.
func (d *doc) articleFeatures(f *fvec) {
	from := len(f.idx)
	for _, t := range d.toks {
		if t.freq > 0 || (t.lex != 0 && !stopHashes[t.h]) {
			f.add(feat1(tagArticleWord, t.h), 1)
		}
	}
	dedupe(f, from)
	f.scale(from, wArticleWords)
	from = len(f.idx)
	d.lexCounts(f, tagArticleLex, 0, len(d.toks))
	f.scale(from, wArticleLex)
}

// neighbours returns the previous and next non-empty paragraphs of pi, -1
// when there is none.
func (d *doc) neighbours(pi int) (prev, next int) {
	prev, next = -1, -1
	for i := pi - 1; i >= 0; i-- {
		if d.paraTok[i][1] > d.paraTok[i][0] {
			prev = i
			break
		}
	}
	for i := pi + 1; i < len(d.paras); i++ {
		if d.paraTok[i][1] > d.paraTok[i][0] {
			next = i
			break
		}
	}
	return prev, next
}

// paragraphVector is the full feature vector of paragraph pi (training and
// tests; prediction sums the same groups' scores without building it).
func (d *doc) paragraphVector(f *fvec, pi int, dim int) learn.Vector {
	f.reset()
	d.paraSelf(f, pi)
	prev, next := d.neighbours(pi)
	if prev >= 0 {
		d.paraContext(f, prev, tagPrevWord, tagPrevLex)
	}
	if next >= 0 {
		d.paraContext(f, next, tagNextWord, tagNextLex)
	}
	d.articleFeatures(f)
	return f.vector(dim)
}

// Token features. The token model labels each token with the techniques of
// the gold spans covering it; its features are the token's window, plus the
// sentence it is in (shared by every token of the sentence, so prediction
// scores that group once per sentence).
const (
	wTokLocal = 1.0
	wTokSent  = 0.7
)

// tokenLocal adds token i's own window features. The window is kept small
// on purpose: every feature costs 23 multiply-adds per token at prediction
// time, and wider windows measured no better (see README.md).
func (d *doc) tokenLocal(f *fvec, i int) {
	from := len(f.idx)
	t := d.toks[i]
	sa, sb := d.sentTok[t.sent][0], d.sentTok[t.sent][1]
	hashAt := func(j int) uint32 {
		if j < sa || j >= sb {
			return 0x5bd1e995 // sentence boundary
		}
		return d.toks[j].h
	}
	f.add(feat1(tagTokWord, t.h), 1)
	f.add(feat1(tagTokPrev1, hashAt(i-1)), 0.7)
	f.add(feat1(tagTokNext1, hashAt(i+1)), 0.7)
	f.add(feat2(tagTokBigramL, hashAt(i-1), t.h), 0.7)
	f.add(feat2(tagTokBigramR, t.h, hashAt(i+1)), 0.7)
	for m := t.lex; m != 0; m &= m - 1 {
		f.add(feat1(tagTokLex, uint32(bits.TrailingZeros32(m))), 0.8)
	}
	// Shape, quotation and recurrence in one feature.
	shape := uint32(t.shape) | uint32(t.freq)<<4
	if t.inQuote {
		shape |= 8
	}
	f.add(feat1(tagTokShape, shape), 0.6)
	f.scale(from, wTokLocal)
}

// scored reports whether token i gets its own scores: punctuation does
// not (it is neither trained on nor scored; runs pass over it).
func (d *doc) scored(i int) bool { return d.toks[i].shape < shapePunct }

// sentenceGroup adds the features shared by every token of sentence si.
func (d *doc) sentenceGroup(f *fvec, si int) {
	a, b := d.sentTok[si][0], d.sentTok[si][1]
	from := len(f.idx)
	d.words(f, tagSentWord, a, b, true)
	d.lexCounts(f, tagSentLex, a, b)
	var q, ex int
	for _, t := range d.toks[a:b] {
		if t.shape == shapePunct {
			switch d.text[t.start] {
			case '?':
				q++
			case '!':
				ex++
			}
		}
	}
	if q > 0 {
		f.add(feat1(tagSentDense, 1), 1)
	}
	if ex > 0 {
		f.add(feat1(tagSentDense, 2), 1)
	}
	f.add(feat1(tagSentDense, 10+uint32(min(bits.Len(uint(b-a)), 7))), 1)
	f.scale(from, wTokSent)
}

// tokenVector is the full feature vector of token i (training only).
func (d *doc) tokenVector(f *fvec, i int, dim int) learn.Vector {
	f.reset()
	d.tokenLocal(f, i)
	d.sentenceGroup(f, int(d.toks[i].sent))
	return f.vector(dim)
}
