package stories

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slant-news/slant"
)

// stopwords are function words and news boilerplate that say nothing about
// which event an article reports.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above according across after afterwards again against all almost
	alone along already also although always am among an and another any anyone anything are around as at
	back be became because become been before being below beside besides between beyond both but by can
	cannot could did do does doing done down during each either else elsewhere enough even ever every
	everyone everything few first for former from further had has have having he her here hers herself him
	himself his how however i if in including indeed into is it its itself just last later least less like
	made make many may me meanwhile might more moreover most mostly much must my myself neither never
	nevertheless new next no nobody none nor not nothing now of off often on once one only onto or other
	others otherwise our ours ourselves out over own part per perhaps please put rather re same see seem
	seemed seems several she should since so some someone something sometime sometimes still such than that
	the their theirs them themselves then there thereafter thereby therefore these they this those though
	through throughout thus to together too toward towards two under until up upon us very via was we well
	were what whatever when whenever where whereas whether which while who whoever whole whom whose why will
	with within without would yet you your yours yourself yourselves said says say saying told tell tells
	reported reports report reportedly according week weeks day days year years month months time times
	today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr also
	would could news article people added noted stated claimed asked including following amid`) {
		m[w] = true
	}
	return m
}()

// termOf folds a word to the form used as a key term: lower case, a
// possessive 's dropped, and a plural s dropped from longer words, so
// "munitions" and "munition" or "Ukraine's" and "Ukraine" meet.
func termOf(w string) string {
	w = strings.ToLower(w)
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	w = strings.TrimRight(w, "'’")
	if len(w) > 4 && strings.HasSuffix(w, "ies") {
		return w[:len(w)-3] + "y"
	}
	if len(w) > 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") {
		w = w[:len(w)-1]
	}
	return w
}

// fnv64 hashes a term.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// entity terms live in their own hash space so "turkey" the bird and
// "Turkey" the country do not mix with ordinary words.
func entityHash(name string) uint64 { return mix64(fnv64(name) ^ 0xe17e17e17e17e17e) }

// docFeatures is what grouping needs of one article, computed without
// shared state so that many articles can be prepared in parallel.
type docFeatures struct {
	terms    []termCount // distinct terms with counts
	entities []termCount // distinct entities with counts
	sig      Signature
	hash     string
	words    int
}

type termCount struct {
	h     uint64
	n     int32
	label string // display form; "" for a pair (built from its words when shown)
	// pair is set for a pair of words; ia, ib index its words in the same
	// list. A pair's rarity is judged from its words, so the
	// document-frequency table holds single words only (pairs would
	// multiply its size).
	pair   bool
	ia, ib int32
}

// wordSpan is a word of the text with its byte range.
type wordSpan struct{ start, end int }

// words returns the words (letters and digits, with inner apostrophes and
// hyphens) of s.
func words(s string) []wordSpan {
	return appendWords(make([]wordSpan, 0, len(s)/6+1), s)
}

// appendWords appends the words of s to out.
func appendWords(out []wordSpan, s string) []wordSpan {
	start := -1
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		isWord := unicode.IsLetter(r) || unicode.IsDigit(r)
		inner := (r == '\'' || r == '’' || r == '-') && start >= 0 && i+size < len(s) && isWordByte(s, i+size)
		switch {
		case isWord || inner:
			if start < 0 {
				start = i
			}
		case start >= 0:
			out = append(out, wordSpan{start, i})
			start = -1
		}
		i += size
	}
	if start >= 0 {
		out = append(out, wordSpan{start, len(s)})
	}
	return out
}

func isWordByte(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isCapitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// extract computes the features of an article. entities are the canonical
// names an entity analyzer found (nil when none ran); runs of capitalised
// words are added to them.
func extract(title, body string, entities []string) docFeatures {
	return new(scratch).extract(title, body, entities)
}

// scratch holds the buffers of feature extraction, reused from one article
// to the next by one goroutine so that extraction allocates little more
// than its result.
type scratch struct {
	idx, eidx map[uint64]int
	ws        []wordSpan
	wh, sh    []uint64
	terms     []termCount
}

func (sc *scratch) extract(title, body string, entities []string) docFeatures {
	var f docFeatures
	full := body
	if title != "" && !strings.HasPrefix(strings.TrimSpace(body), strings.TrimSpace(title)) {
		full = title + "\n" + body
	}
	sc.ws = appendWords(sc.ws[:0], full)
	ws := sc.ws
	f.words = len(ws)
	sc.wh = wordHashes(sc.wh[:0], full)
	f.sig, sc.sh = signatureInto(sc.wh, sc.sh)
	f.hash = wordsDigest(sc.wh)

	if sc.idx == nil {
		sc.idx, sc.eidx = make(map[uint64]int, 1024), make(map[uint64]int, 64)
	}
	clear(sc.idx)
	clear(sc.eidx)
	idx := sc.idx
	// Terms collect in the reused buffer; the result gets an exact copy.
	f.terms = sc.terms[:0]
	add := func(list *[]termCount, idx map[uint64]int, h uint64, label string, n int32) {
		if i, ok := idx[h]; ok {
			(*list)[i].n += n
			return
		}
		idx[h] = len(*list)
		*list = append(*list, termCount{h: h, n: n, label: label})
	}
	// Terms are content words and pairs of adjacent content words: a pair
	// such as "cluster munition" names an event far better than either
	// word alone.
	//
	// The headline and the lead state the event (the inverted pyramid), so
	// their words count leadBoost times.
	prev, prevEnd, prevHash := -1, -1, uint64(0)
	for i, w := range ws {
		t := termOf(full[w.start:w.end])
		if len(t) < 3 || stopwords[t] || !hasLetter(t) {
			prev = -1
			continue
		}
		n := int32(1)
		if i < leadWords {
			n = leadBoost
		}
		h := fnv64(t)
		add(&f.terms, idx, h, t, n)
		cur := idx[h]
		if prev >= 0 && w.start-prevEnd == 1 && full[prevEnd] == ' ' {
			bh := mix64(prevHash*31 + h)
			if j, ok := idx[bh]; ok {
				f.terms[j].n += n
			} else {
				idx[bh] = len(f.terms)
				f.terms = append(f.terms, termCount{h: bh, n: n, pair: true, ia: int32(prev), ib: int32(cur)})
			}
		}
		prev, prevEnd, prevHash = cur, w.end, h
	}

	// Entities: the analyzer's canonical names when there are any, and
	// always the runs of capitalised words, since an entity analyzer may
	// name few entities, or name them differently across articles.
	eidx := sc.eidx
	for _, e := range entities {
		k := entityKey(e)
		if k == "" {
			continue
		}
		add(&f.entities, eidx, entityHash(k), e, 1)
	}
	for _, name := range capitalisedRuns(full, ws) {
		name = strings.TrimSuffix(strings.TrimSuffix(name, "'s"), "’s")
		add(&f.entities, eidx, entityHash(entityKey(name)), name, 1)
		// A multi-word name also counts under its last word, so "Jens
		// Stoltenberg" in one article meets "Stoltenberg" in another.
		if i := strings.LastIndexByte(name, ' '); i > 0 {
			last := name[i+1:]
			add(&f.entities, eidx, entityHash(entityKey(last)), last, 1)
		}
	}
	sc.terms = f.terms
	f.terms = slices.Clone(f.terms)
	// Labels point into the article text; copy them so a story does not
	// keep whole articles alive. (Term labels are copied when chosen as
	// key terms: most never are.)
	for i := range f.entities {
		f.entities[i].label = strings.Clone(f.entities[i].label)
	}
	return f
}

// wordsDigest is a 128-bit digest of a text's word sequence, the same for
// texts that NormalizeText folds alike; cheaper than ContentHash and as good
// for telling exact copies apart within one run.
func wordsDigest(wh []uint64) string {
	a, b := uint64(len(wh)), uint64(0x243f6a8885a308d3)
	for _, h := range wh {
		a = mix64(a ^ h)
		b = mix64(b + h*0x9e3779b97f4a7c15)
	}
	return strconv.FormatUint(a, 16) + ":" + strconv.FormatUint(b, 16)
}

// Headline and lead weighting: the first leadWords words count leadBoost
// times.
const (
	leadWords = 50
	leadBoost = 3
)

// entityKey folds an entity name for matching: lower case, single spaces,
// no possessive.
func entityKey(name string) string {
	n := strings.ToLower(strings.Join(strings.Fields(name), " "))
	return strings.TrimSuffix(strings.TrimSuffix(n, "'s"), "’s")
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// capitalisedRuns returns the runs of capitalised words of s that are not
// function words ("Jens Stoltenberg", "White House", "Ukraine"). A line
// where most words are capitalised (a headline in title case) is skipped,
// since its capitals say nothing about names.
func capitalisedRuns(s string, ws []wordSpan) []string {
	var out []string
	lineStart := 0
	for lineStart < len(ws) {
		// Find the words of this line.
		lineEnd := lineStart
		nl := strings.IndexByte(s[ws[lineStart].start:], '\n')
		limit := len(s)
		if nl >= 0 {
			limit = ws[lineStart].start + nl
		}
		caps := 0
		for lineEnd < len(ws) && ws[lineEnd].start < limit {
			if isCapitalised(s[ws[lineEnd].start:ws[lineEnd].end]) {
				caps++
			}
			lineEnd++
		}
		n := lineEnd - lineStart
		if !(n >= 4 && caps*10 >= n*6) {
			out = appendRuns(out, s, ws[lineStart:lineEnd])
		}
		lineStart = lineEnd
	}
	return out
}

func appendRuns(out []string, s string, ws []wordSpan) []string {
	runStart, runEnd := -1, -1
	flush := func() {
		if runStart >= 0 {
			out = append(out, s[runStart:runEnd])
		}
		runStart = -1
	}
	for i, w := range ws {
		word := s[w.start:w.end]
		lw := termOf(word)
		capital := isCapitalised(word) && !stopwords[lw] && !stopwords[strings.ToLower(word)] && len(word) > 1
		// A run continues only across a single space.
		contiguous := runStart >= 0 && i > 0 && w.start-ws[i-1].end == 1 && s[ws[i-1].end] == ' '
		switch {
		case capital && contiguous:
			runEnd = w.end
		case capital:
			flush()
			runStart, runEnd = w.start, w.end
		default:
			flush()
		}
	}
	flush()
	return out
}

// entityNames returns the canonical names of a report's entities, or nil
// when no entity analyzer ran, so that extract falls back to capitalised
// words.
func entityNames(r *slant.Report) []string {
	if len(r.Entities) == 0 {
		return nil
	}
	out := make([]string, 0, len(r.Entities))
	for _, e := range r.Entities {
		if e.Name != "" {
			out = append(out, e.Name)
		}
	}
	return out
}
