package docclass

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/taxonomy"
	"github.com/slant-news/slant/text"
)

// featureBits sets the hashed feature space (2^16 dimensions).
const featureBits = 16

var stopwords = map[string]bool{}

// Word classes counted as stylistic cues.
var (
	firstPerson  = set("i me my mine myself we us our ours ourselves")
	secondPerson = set("you your yours yourself yourselves")
	hedges       = set("may might perhaps maybe possibly apparently seems seem seemingly reportedly allegedly likely unlikely could suggests")
	attribution  = set("said says told according reported announced stated added statement spokesperson spokesman")
	evaluative   = set("should must shameful disgrace absurd ridiculous outrageous stupid idiot terrible horrible great wonderful evil truth lies lie")
)

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func init() {
	for w := range set(`a an the and or but if of to in on at by for with from as is are was were be been being
		it its this that these those he she they him her them his their which who whom whose what when where
		has have had do does did not no so than then there here will would can also just about into s t`) {
		stopwords[w] = true
	}
}

// frameCues maps a cue stem's first three letters to the cues that start
// with them, so matching a word costs one look-up and a few prefix tests.
var frameCues = map[string][]cue{}

type cue struct {
	stem  string
	frame string
}

func init() {
	for _, f := range taxonomy.Frames() {
		for _, c := range f.Cues {
			if strings.Contains(c, " ") {
				continue // multi-word cues are caught by the bigram features
			}
			k := c[:min(3, len(c))]
			frameCues[k] = append(frameCues[k], cue{c, f.Label})
		}
	}
}

// ngramWeight scales the n-gram block against the stylistic cues.
var ngramWeight float32 = 1

// styleWeight scales the stylistic cues: dense features in a vector whose
// n-gram block has norm 1 need a larger scale to be learned in few epochs.
var styleWeight float32 = 3

// vector returns the features of an article: an L2-normalised block of log
// counts of words and bigrams, and a block of stylistic rates.
func vector(b *learn.Builder, s string) learn.Vector {
	toks := text.Tokens(s)
	var (
		nWords, first, second, hedge, attr, eval, quoteChars, insideQuote int
		frameHits                                                         = map[string]int{}
	)
	prev := ""
	inQuote := false
	for _, t := range toks {
		c, size := utf8.DecodeRuneInString(s[t.Start:t.End])
		if !unicode.IsLetter(c) {
			switch {
			case c == '"' || c == '“' || c == '”':
				inQuote = c == '“' || (c == '"' && !inQuote)
				quoteChars++
			}
			if c == '?' || c == '!' {
				b.AddPrefixed("p=", s[t.Start:t.Start+size], 1)
			}
			continue
		}
		w := strings.ToLower(s[t.Start:t.End])
		if strings.ContainsRune(w, '’') {
			w = strings.ReplaceAll(w, "’", "'")
		}
		nWords++
		if inQuote {
			insideQuote++
		}
		switch {
		case firstPerson[w]:
			first++
		case secondPerson[w]:
			second++
		case hedges[w]:
			hedge++
		case attribution[w]:
			attr++
		case evaluative[w]:
			eval++
		}
		if len(w) >= 3 {
			for _, c := range frameCues[w[:3]] {
				if strings.HasPrefix(w, c.stem) {
					frameHits[c.frame]++
				}
			}
		}
		if !stopwords[w] {
			b.AddPrefixed("w=", w, 1)
		}
		if prev != "" {
			b.AddPair("b=", prev, w, 1)
		}
		prev = w
	}
	ngrams := logNormalise(b.Vector(false))
	if ngramWeight != 1 {
		for i := range ngrams {
			ngrams[i].Value *= ngramWeight
		}
	}

	n := float64(max(nWords, 1))
	// Sentence count by terminal punctuation and line breaks: close enough
	// for a length ratio, and much cheaper than full segmentation.
	nSent := float64(max(1, strings.Count(s, ". ")+strings.Count(s, "? ")+strings.Count(s, "! ")+strings.Count(s, "\n")))
	rate := func(name string, v float64) { b.Add(name, styleWeight*float32(v)) }
	rate("s=first", math.Min(1, 20*float64(first)/n))
	rate("s=second", math.Min(1, 30*float64(second)/n))
	rate("s=hedge", math.Min(1, 30*float64(hedge)/n))
	rate("s=attr", math.Min(1, 30*float64(attr)/n))
	rate("s=eval", math.Min(1, 30*float64(eval)/n))
	rate("s=quoted", float64(insideQuote)/n)
	rate("s=quotes", math.Min(1, float64(quoteChars)/nSent))
	rate("s=sentlen", math.Min(2, n/nSent/25))
	rate("s=short", math.Min(1, 300/n))
	rate("s=long", math.Min(1, n/1500))
	// Layout: wire copy separates paragraphs by blank lines and opens with
	// a dateline ("CLEVELAND —"); many blogs run lines together.
	lines := strings.Count(s, "\n")
	if lines > 0 {
		rate("s=blank", float64(strings.Count(s, "\n\n"))/float64(lines))
	}
	rate("s=dateline", dateline(s))
	digits := 0
	for _, t := range toks {
		if s[t.Start] >= '0' && s[t.Start] <= '9' {
			digits++
		}
	}
	rate("s=digits", math.Min(1, 20*float64(digits)/n))
	for f, c := range frameHits {
		rate("f="+f, math.Min(1, 15*float64(c)/n))
	}
	rate("bias", 1)
	return learn.Concat(ngrams, b.Vector(false))
}

// dateline returns 1 when the body (after the title line) opens with an
// upper-case place name followed by a dash or "(Reuters)"-style credit.
func dateline(s string) float64 {
	_, body, ok := strings.Cut(s, "\n")
	if !ok {
		return 0
	}
	body = strings.TrimSpace(body)
	head := body[:min(len(body), 60)]
	if i := strings.IndexAny(head, "—–-("); i > 2 {
		w := strings.TrimSpace(strings.TrimRight(head[:i], ", "))
		if w != "" && strings.ToUpper(w) == w && strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			return 1
		}
	}
	return 0
}

// logNormalise replaces counts by 1+log(count) and L2-normalises.
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
