package narratives

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/taxonomy"
	"github.com/slant-news/slant/text"
)

// featureBits sets the hashed feature space: 2^16 dimensions hold the
// unigrams and bigrams of a few hundred articles with few collisions while
// keeping the weight matrices small in memory.
const featureBits = 16

// stopwords are left out of unigram and definition features: they carry no
// narrative and would dominate the normalised vector.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the and or but if of to in on at by for with from as is are was were be been being
		it its this that these those he she they we you i me him her them us our your their his my
		has have had do does did not no so than then there here which who whom whose what when where why how
		will would can could should may might must shall also just about into over after before up down out
		all any some such more most other only own same very s t said says say one two new`) {
		stopwords[w] = true
	}
}

// word is a normalised token with its byte offsets.
type word struct {
	w          string
	start, end int
}

// words returns the lower-cased word tokens of s[lo:hi]; curly apostrophes
// become straight ones and possessive 's is dropped so "Kiev’s" and "Kiev"
// share a feature.
func words(s string, lo, hi int, buf []text.Token) ([]word, []text.Token) {
	buf = text.AppendTokens(buf[:0], s, lo, hi)
	out := make([]word, 0, len(buf))
	for _, t := range buf {
		c, _ := utf8.DecodeRuneInString(s[t.Start:t.End])
		if !unicode.IsLetter(c) {
			continue
		}
		w := s[t.Start:t.End]
		if strings.ContainsRune(w, '’') {
			w = strings.ReplaceAll(w, "’", "'")
		}
		w = strings.ToLower(w)
		w = strings.TrimSuffix(w, "'s")
		out = append(out, word{w, t.Start, t.End})
	}
	return out, buf
}

// stem is a crude stemmer shared by features and definitions: the first six
// letters of a word, enough to join "sanction", "sanctions", "sanctioned".
func stem(w string) string {
	n := 0
	for i := range w {
		if n == 6 {
			return w[:i]
		}
		n++
	}
	return w
}

// featurizer turns articles into feature vectors. It holds the label
// definitions indexed by stem so that definition similarity costs one map
// look-up per word. A featurizer is safe for concurrent use.
type featurizer struct {
	labels []string
	// defs maps a stem to the labels whose definition uses it, with the
	// stem's weight in that (L2-normalised) definition vector.
	defs map[string][]defWeight
}

type defWeight struct {
	label int
	w     float32
}

// newFeaturizer indexes the definitions of the given taxonomy labels. A
// stem's weight is its idf over the definitions, so words shared by many
// labels ("war", "west") count less than telling ones ("nuclear", "nazism").
func newFeaturizer(labels []string) *featurizer {
	f := &featurizer{labels: labels, defs: map[string][]defWeight{}}
	bags := make([]map[string]float64, len(labels))
	df := map[string]int{}
	var buf []text.Token
	for i, l := range labels {
		n, _ := taxonomy.LookupNarrative(l)
		def := n.Short() + ". " + n.Short() + ". " + n.Definition
		var ws []word
		ws, buf = words(def, 0, len(def), buf)
		bags[i] = map[string]float64{}
		for _, w := range ws {
			if !stopwords[w.w] && len(w.w) > 2 {
				bags[i][stem(w.w)]++
			}
		}
		for s := range bags[i] {
			df[s]++
		}
	}
	for i, bag := range bags {
		ss := 0.0
		for s, c := range bag {
			bag[s] = (1 + math.Log(c)) * math.Log(1+float64(len(labels))/float64(df[s]))
			ss += bag[s] * bag[s]
		}
		stems := make([]string, 0, len(bag))
		for s := range bag {
			stems = append(stems, s)
		}
		sort.Strings(stems)
		for _, s := range stems {
			f.defs[s] = append(f.defs[s], defWeight{i, float32(bag[s] / math.Sqrt(ss))})
		}
	}
	return f
}

// simScale lifts the definition similarities (cosines of a few hundredths)
// above the normalised n-gram weights. Out-of-fold samples-F1 (coarse/fine)
// was 0.504/0.430 without them, 0.531/0.435 at scale 3, 0.539/0.457 at 10
// and 0.536/0.458 at 20.
const simScale = 10

// vector returns the feature vector of s[lo:hi]: L2-normalised log counts
// of unigrams (stop words left out) and bigrams, plus one dense feature per
// label holding the cosine between the text's stems and the label's
// definition, and a constant. sims, when not nil, receives those cosines.
// Feature indices are those of learn.Builder (same names, same hash), but
// the vector is built here without Builder's sort, in order of first
// occurrence: this is the hot path of the analyzer. b is unused.
func (f *featurizer) vector(_ *learn.Builder, s string, lo, hi int, sims []float64) learn.Vector {
	ws, _ := words(s, lo, hi, nil)
	counts := make(map[string]float64, len(ws))
	// Features in order of first occurrence: deterministic without a sort
	// (scoring and training need unique indices, not sorted ones).
	pos := make(map[uint32]int32, 2*len(ws))
	v := make(learn.Vector, 0, 2*len(ws))
	add := func(h uint32, x float32) {
		h = hashName(h)
		if p, ok := pos[h]; ok {
			v[p].Value += x
			return
		}
		pos[h] = int32(len(v))
		v = append(v, learn.Feature{Index: h, Value: x})
	}
	prev := ""
	for _, w := range ws {
		if !stopwords[w.w] {
			add(fnvAdd(fnvAdd(fnvOffset, "w="), w.w), 1)
			if len(w.w) > 2 {
				counts[stem(w.w)]++
			}
		}
		if prev != "" {
			add(fnvAdd(fnvAdd(fnvAdd(fnvAdd(fnvOffset, "b="), prev), " "), w.w), 1)
		}
		prev = w.w
	}
	v = logNormalise(v)

	if sims == nil {
		sims = make([]float64, len(f.labels))
	} else {
		clear(sims)
	}
	ss := 0.0
	for st, c := range counts {
		x := 1 + math.Log(c)
		ss += x * x
		for _, d := range f.defs[st] {
			sims[d.label] += x * float64(d.w)
		}
	}
	if ss > 0 {
		inv := 1 / math.Sqrt(ss)
		for i, l := range f.labels {
			if sims[i] != 0 {
				sims[i] *= inv
				add(fnvAdd(fnvAdd(fnvOffset, "def="), l), float32(sims[i]*simScale))
			}
		}
	}
	add(fnvAdd(fnvOffset, "bias"), 0.1)
	return v
}

// FNV-1a, as learn.Builder hashes feature names; a test pins the match.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func fnvAdd(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime
	}
	return h
}

func hashName(h uint32) uint32 { return h & (1<<featureBits - 1) }

// fineBits is the size of the fine model's feature space: its vectors are
// the shared ones folded to 2^fineBits dimensions. Four times fewer rows
// than the coarse model keep its file (83 labels wide) a few MB.
const fineBits = 14

// fold maps a vector to dim dimensions (a power of two) by keeping the low
// bits of each index and summing features that meet.
func fold(x learn.Vector, dim int) learn.Vector {
	if dim >= 1<<featureBits {
		return x
	}
	mask := uint32(dim - 1)
	out := make(learn.Vector, len(x))
	for i, f := range x {
		out[i] = learn.Feature{Index: f.Index & mask, Value: f.Value}
	}
	return learn.Concat(out)
}

// logNormalise replaces counts by 1+log(count) and L2-normalises, so long
// articles do not dominate and repeated words saturate.
func logNormalise(v learn.Vector) learn.Vector {
	ss := 0.0
	for i := range v {
		x := 1 + math.Log(float64(v[i].Value))
		v[i].Value = float32(x)
		ss += x * x
	}
	if ss > 0 {
		inv := float32(1 / math.Sqrt(ss))
		for i := range v {
			v[i].Value *= inv
		}
	}
	return v
}
