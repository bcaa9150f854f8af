// Package entities finds the people, organisations, places and groups an
// article names, and groups the mentions of each into one canonical entity.
//
// It is a rule-based recogniser built for news on politics and war, where
// pretrained taggers confuse organisations with people: it chunks runs of
// capitalised tokens, splits them at titles ("NATO Secretary General Jens
// Stoltenberg" -> NATO + Jens Stoltenberg), classifies them with gazetteers
// (countries with demonyms and capitals, international bodies, government
// bodies, media outlets) and cue words (Ministry, Watch, University...),
// recognises groups ("the Kiev regime", "Ukrainian forces", "the Biden
// administration") and links later mentions to earlier ones: a surname to the
// full name, "the four-star general" to the general named before, a capital
// to its country.
//
// Grouping decisions:
//   - A capital is its country ("Kiev", "Kyiv" -> Ukraine; "Washington" ->
//     United States): news on states uses capitals for governments.
//   - The White House, the Pentagon, the State Department and the Kremlin are
//     organisations of their own, not merged into their country, because
//     articles cast them differently from the country as a whole.
//   - Groups are named by the country's adjective and a normalised head:
//     "the Kiev regime", "the Ukrainian regime", "Ukrainian authorities" ->
//     "Ukrainian government"; "Ukrainian forces", "Ukrainian troops" ->
//     "Ukrainian armed forces".
//   - Demonym adjectives alone ("Ukrainian cities") are not mentions; plural
//     peoples ("Ukrainians") are groups of their own.
package entities

import (
	"context"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/text"
)

// Recognizer is the entities analyzer. The zero value is ready to use and
// safe for concurrent use.
type Recognizer struct{}

// New returns a Recognizer.
func New() *Recognizer { return &Recognizer{} }

// Name implements slant.Analyzer.
func (*Recognizer) Name() string { return "entities" }

// Analyze implements slant.Analyzer: it sets r.Entities.
func (*Recognizer) Analyze(ctx context.Context, r *slant.Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sents := r.Sentences
	if sents == nil {
		sents = text.Sentences(r.Article.Text)
	}
	r.Entities = Find(r.Article.Text, sents)
	return nil
}

// tok is a token with what the recogniser needs to know about it.
type tok struct {
	start, end int
	s          string // the token text
	key        string // normalised: possessive removed, acronym undotted
	low        string // key lower-cased
	keyEnd     int    // byte end of key in the text (before a possessive)
	cap        bool   // starts with an upper-case letter
	poss       bool   // ends with 's / ’s
	sent       int    // sentence index
	first      bool   // first word of its sentence (after opening punctuation)
}

// cand is a candidate mention before grouping.
type cand struct {
	span  slant.Span
	kind  string
	key   string // grouping key
	name  string // canonical or display name
	descr []string
	// single marks a one-word name of unknown kind, linked to a person by
	// surname when possible.
	single   bool
	headline bool
	speaker  bool // followed by a speech verb
	place    bool // preceded by a place preposition
	desc     bool // a description ("the general") to resolve
	descHead string
	tokLast  string // last token of a person name (its surname)
}

// Find returns the entities of s, whose sentences are sents (byte spans in
// order). Entities are ordered by first mention and numbered from 1;
// mentions are ordered by offset and never overlap.
func Find(s string, sents []slant.Span) []slant.Entity {
	toks := tokenize(s, sents)
	lower := make(map[string]bool, len(toks)/2)
	for _, t := range toks {
		if !t.cap {
			// Lower-case tokens need no ToLower unless they hold a capital
			// further in ("iPhone").
			lower[t.key] = true
		}
	}
	f := &finder{s: s, toks: toks, lower: lower, aliases: map[string]string{}, cands: make([]cand, 0, len(toks)/8+4)}
	f.chunk()
	f.describe()
	return f.group()
}

// tokenize splits each sentence into tokens, so that tokens never cross a
// sentence boundary (the splitter separates glued headings from sentences).
func tokenize(s string, sents []slant.Span) []tok {
	raw := make([]text.Token, 0, 64)
	out := make([]tok, 0, len(s)/4+16)
	// One ASCII-lower-cased copy of the text gives most tokens their
	// lower-case form without an allocation each.
	var lowText string
	for si, sp := range sents {
		if sp.Start < 0 || sp.End > len(s) || sp.Start >= sp.End {
			continue
		}
		raw = splitGlued(s, text.AppendTokens(raw[:0], s, sp.Start, sp.End))
		first := true
		for _, t := range raw {
			w := s[t.Start:t.End]
			r, _ := utf8.DecodeRuneInString(w)
			tk := tok{start: t.Start, end: t.End, s: w, key: w, keyEnd: t.End, sent: si}
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				tk.cap = unicode.IsUpper(r)
				tk.first = first
				first = false
				if c := w[len(w)-1]; c == 's' || c == 'S' {
					for _, p := range possessives {
						if len(w) > len(p) && strings.HasSuffix(w, p) {
							tk.poss = true
							tk.key = w[:len(w)-len(p)]
							tk.keyEnd = t.End - len(p)
							break
						}
					}
				}
				if !tk.poss && (strings.HasSuffix(w, "s'") || strings.HasSuffix(w, "s’")) && tk.cap {
					tk.poss = true
					tk.key = strings.TrimRight(w, "'’")
					tk.keyEnd = t.Start + len(tk.key)
				}
				if tk.key != w || strings.Contains(w, ".") {
					tk.key = normWord(tk.key)
				}
			} else if !isOpening(r) {
				first = false
			}
			switch {
			case !hasUpper(tk.key):
				tk.low = tk.key
			case tk.key == s[t.Start:tk.keyEnd] && text.IsASCII(tk.key):
				if lowText == "" {
					lowText = text.LowerASCII(s)
				}
				tk.low = lowText[t.Start:tk.keyEnd]
			default:
				tk.low = strings.ToLower(tk.key)
			}
			out = append(out, tk)
		}
	}
	return out
}

// possessives are the endings tokenize strips from names.
var possessives = [...]string{"'s", "’s", "'S", "’S"}

// splitGlued splits tokens glued at an apostrophe before a capital, as
// HTML-to-text conversion leaves a quoted heading and the next sentence
// ("Box’Scott"), into the word, the apostrophe and the rest.
func splitGlued(s string, toks []text.Token) []text.Token {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		w := s[t.Start:t.End]
		for k, r := range w {
			if k == 0 || r != '’' && r != '\'' {
				continue
			}
			size := utf8.RuneLen(r)
			nx, _ := utf8.DecodeRuneInString(w[k+size:])
			if !unicode.IsUpper(nx) {
				continue
			}
			parts := []text.Token{{Start: t.Start, End: t.Start + k}, {Start: t.Start + k, End: t.Start + k + size}, {Start: t.Start + k + size, End: t.End}}
			toks = append(toks[:i], append(parts, toks[i+1:]...)...)
			break
		}
	}
	return toks
}

// isContraction reports whether w ends in a contracted verb ("I’m",
// "They’re", "Don’t"), which a name never does.
func isContraction(w string) bool {
	w = strings.ReplaceAll(w, "’", "'")
	for _, suf := range []string{"'m", "'re", "'ve", "'ll", "'d", "n't"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

func isOpening(r rune) bool {
	switch r {
	case '"', '“', '‘', '\'', '(', '[', '«', '—', '–', '-', '•', '*':
		return true
	}
	return false
}

type finder struct {
	s       string
	toks    []tok
	lower   map[string]bool
	cands   []cand
	aliases map[string]string // acronym -> key of the entity it abbreviates
	// notFirst holds the keys of tokens that do not start a sentence,
	// built on first use (capitalisedElsewhere).
	notFirst map[string]bool
}

// isWord reports whether token i is a word (starts with a letter or digit).
func (f *finder) isWord(i int) bool {
	r, _ := utf8.DecodeRuneInString(f.toks[i].s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// headlineSentence reports whether the words of sentence si are mostly
// capitalised, as in a title-case headline, where capitals say nothing.
func (f *finder) headline(lo, hi int) bool {
	words, caps := 0, 0
	for i := lo; i < hi; i++ {
		if !f.isWord(i) {
			continue
		}
		words++
		if f.toks[i].cap {
			caps++
		}
	}
	if last := f.toks[hi-1].s; last == "." || last == ":" || last == "," {
		return false // a sentence, not a headline
	}
	return words >= 4 && caps*10 >= words*6
}

// heading reports whether sentence tokens [lo, hi) are a short heading
// glued to the text: no lower-case word and no final punctuation.
func (f *finder) heading(lo, hi int) bool {
	for i := lo; i < hi; i++ {
		if f.isWord(i) && !f.toks[i].cap {
			return false
		}
	}
	last := f.toks[hi-1].s
	return last != "." && last != "!" && last != "?"
}

// compound handles a capitalised token that is not a plain word: "US-led"
// names its prefix; "MK-20" and other codes name nothing. It reports whether
// the token was consumed.
func (f *finder) compound(i int) bool {
	w := f.toks[i].key
	h := strings.IndexByte(w, '-')
	if h < 0 && strings.IndexByte(w, 0xe2) >= 0 {
		h = strings.Index(w, "‐")
	}
	if h > 0 {
		rest := w[h+1:]
		r, _ := utf8.DecodeRuneInString(rest)
		if _, known := gazetteer[w]; !known && (unicode.IsLower(r) || unicode.IsDigit(r)) {
			f.hyphenPrefix(i)
			return true
		}
	}
	if strings.ContainsAny(w, "0123456789") {
		_, known := gazetteer[w]
		return !known
	}
	return false
}

// connectors may join two capitalised chunks inside an organisation name.
var connectors = set(`of for and on de du la al`)

// chunk finds the capitalised chunks of each sentence and turns them into
// candidates.
func (f *finder) chunk() {
	toks := f.toks
	for lo := 0; lo < len(toks); {
		hi := lo + 1
		for hi < len(toks) && toks[hi].sent == toks[lo].sent {
			hi++
		}
		// Only a title line (the first line of an article) is read as a
		// title-case headline: a sentence of the body can be full of names.
		titleLine := !strings.Contains(f.s[:toks[lo].start], "\n") && strings.Contains(f.s[toks[lo].start:], "\n")
		head := titleLine && f.headline(lo, hi) || f.heading(lo, hi)
		i := lo
		for i < hi {
			if toks[i].cap && f.isWord(i) && f.compound(i) {
				i++
				continue
			}
			if !toks[i].cap || !f.isWord(i) {
				// Hyphenated "US-led" names its prefix.
				f.hyphenPrefix(i)
				i++
				continue
			}
			j := i + 1
			for j < hi && !toks[j-1].poss && toks[j].cap && f.isWord(j) {
				j++
			}
			// Join "Center for Geostrategic Studies", "University of Mexico"
			// when the part before the connector has an organisation cue.
			// Join "Secretary of Defense Arthur Kline" when the part before
			// ends with a title.
			for j+1 < hi && !toks[j-1].poss && connectors[toks[j].s] && toks[j+1].cap && f.isWord(j+1) &&
				!dates[toks[j+1].key] &&
				(f.hasCue(i, j) && !f.wholeGazetteer(i, j) || toks[j].s == "of" && titleHeads[toks[j-1].low]) {
				k := j + 2
				for k < hi && !toks[k-1].poss && toks[k].cap && f.isWord(k) {
					k++
				}
				j = k
			}
			f.pieces(i, j, hi, head)
			i = j
		}
		lo = hi
	}
}

func (f *finder) hasCue(i, j int) bool {
	for k := i; k < j; k++ {
		if orgCues[f.toks[k].key] {
			return true
		}
	}
	return false
}

func (f *finder) hasDropCue(i, j int) bool {
	for k := i; k < j; k++ {
		if dropCues[f.toks[k].key] {
			return true
		}
	}
	return false
}

// wholeGazetteer reports whether tokens [i, j) are exactly one gazetteer name.
func (f *finder) wholeGazetteer(i, j int) bool {
	n, _ := f.gazMatch(i, j)
	return n == j-i
}

// gazMatch returns the length in tokens of the longest gazetteer name
// starting at token i and ending before j, and its entry.
func (f *finder) gazMatch(i, j int) (int, entry) {
	maxN := min(maxGazetteerTokens, j-i)
	var b strings.Builder
	for n := maxN; n >= 1; n-- {
		if n == 1 {
			// The common case needs no string building.
			if e, found := gazetteer[f.toks[i].key]; found {
				return 1, e
			}
			break
		}
		b.Reset()
		ok := true
		for k := i; k < i+n; k++ {
			if k > i {
				if f.toks[k-1].poss {
					ok = false // a possessive ends a name
					break
				}
				b.WriteByte(' ')
			}
			b.WriteString(f.toks[k].key)
		}
		if !ok {
			continue
		}
		if e, found := gazetteer[b.String()]; found {
			return n, e
		}
	}
	return 0, entry{}
}

// titleAt returns the end of a title phrase starting at token i inside
// [i, j) ("Secretary General", "Defense Minister", "Dr."), its heads, and
// whether there is one. A title must be followed by more of the chunk.
func (f *finder) titleAt(i, j int) (int, []string, bool) {
	var heads []string
	k := i
	for k < j {
		w := f.toks[k].low
		w = strings.TrimSuffix(w, ".")
		switch {
		case titleHeads[w]:
			heads = append(heads, norm(w))
		case abbrevTitles[w]:
			heads = append(heads, descriptorsOf[w]...)
			if len(heads) == 0 {
				heads = append(heads, w)
			}
			// "Dr." is one token with its period or two tokens.
			if k+1 < j && f.toks[k+1].s == "." {
				k++
			}
		case titleModifiers[w]:
		case w == "of" && len(heads) > 0:
			// "Secretary of State", "Minister of Defense"
		default:
			if len(heads) == 0 || k == i {
				return 0, nil, false
			}
			return k, heads, true
		}
		if f.toks[k].poss {
			return 0, nil, false
		}
		k++
	}
	return 0, nil, false
}

// norm maps a title head to its canonical synonym.
func norm(w string) string {
	if s, ok := synonyms[w]; ok {
		return s
	}
	return w
}

// pieces splits the capitalised chunk [i, j) of a sentence ending at hi into
// candidates.
func (f *finder) pieces(i, j, hi int, head bool) {
	toks := f.toks
	// Leading words that are never names ("The", "However", "Outgoing") go,
	// as do sentence-initial capitals of words the article writes in lower
	// case elsewhere.
	for i < j {
		t := toks[i]
		if nonNames[t.key] && !(t.first && j-i > 1 && f.gazStartsAt(i, j) && !nonNames[t.key]) {
			i++
			continue
		}
		if t.first && f.lower[t.low] {
			if n, _ := f.gazMatch(i, j); n == 0 {
				i++
				continue
			}
		}
		break
	}
	// Days and months ("Thursday", "In March") go too.
	for i < j && dates[toks[i].key] {
		i++
	}
	for j > i && dates[toks[j-1].key] {
		j--
	}
	if i >= j {
		return
	}
	// "Ottawa Treaty", "Minsk agreements", "Geneva Convention": the name is
	// part of a treaty or event, not an entity of its own.
	if dropCues[toks[j-1].key] || j < hi && !toks[j-1].poss && dropAfter[toks[j].key] {
		return
	}
	// "Textron Systems Corporation": a known name inside a longer
	// organisation name.
	if n, e := f.gazMatch(i, j); n > 0 && n < j-i && e.kind == slant.KindOrganization && !e.demonym && f.hasCue(i+n, j) {
		f.orgPiece(i, j, hi, head)
		return
	}
	var titles []string
	for k := i; k < j; {
		if end, heads, ok := f.titleAt(k, j); ok {
			titles = append(titles, heads...)
			k = end
			continue
		}
		if n, e := f.gazMatch(k, j); n > 0 {
			// "Sofia Brandt", "Jordan Peterson": a given name that is also
			// a place, followed by a surname.
			if !(n == 1 && k+1 < j && (femaleNames[toks[k].key] || maleNames[toks[k].key]) && !f.gazStartsAt(k+1, j)) {
				k = f.gazPiece(k, k+n, j, hi, e, head)
				continue
			}
		}
		if f.hasDropCue(k, j) {
			return
		}
		if f.hasCue(k, j) {
			f.orgPiece(k, j, hi, head)
			return
		}
		m := k + 1
		for m < j && !toks[m-1].poss {
			if n, _ := f.gazMatch(m, j); n > 0 {
				break
			}
			if _, _, ok := f.titleAt(m, j); ok {
				break
			}
			m++
		}
		f.namePiece(k, m, hi, head, titles)
		titles = nil
		k = m
	}
}

// gazStartsAt reports whether a gazetteer name starts at token i.
func (f *finder) gazStartsAt(i, j int) bool {
	n, _ := f.gazMatch(i, j)
	return n > 0
}

// gazPiece records the gazetteer name [k, e) of a chunk ending at j and
// returns where the chunk continues.
func (f *finder) gazPiece(k, e, j, hi int, en entry, head bool) int {
	toks := f.toks
	// A country or demonym before an organisation cue names the organisation
	// ("Russian Foreign Ministry"); before a group noun, a group.
	if en.country != "" && e < j && !toks[e-1].poss {
		if g, ge, ok := f.groupAfter(e, hi); ok {
			f.addGroup(k, ge, en.country, g)
			return max(ge, e)
		}
		if f.hasCue(e, j) && !f.wholeGazetteer(e, j) {
			f.orgPiece(k, j, hi, head)
			return j
		}
	}
	if en.country != "" && e == j && !toks[e-1].poss {
		if g, ge, ok := f.groupAfter(e, hi); ok {
			f.addGroup(k, ge, en.country, g)
			return ge
		}
	}
	if en.demonym {
		return e // an adjective alone is not a mention
	}
	c := cand{span: f.span(k, e), kind: en.kind, key: "g:" + en.canon, name: en.canon, headline: false}
	f.cands = append(f.cands, c)
	f.acronymAfter(e, hi, c.key)
	return e
}

// groupAfter looks for a group noun at token e ("forces", "armed forces",
// "Armed Forces", "regime") and returns its canonical head and end token.
func (f *finder) groupAfter(e, hi int) (string, int, bool) {
	k := e
	if k < hi && strings.EqualFold(f.toks[k].key, "armed") {
		k++
	}
	if k >= hi {
		return "", 0, false
	}
	w := f.toks[k].low
	g, ok := groupNouns[w]
	if !ok || g == "" || f.toks[k].poss && k == e {
		return "", 0, false
	}
	if k > e && g != "armed forces" {
		return "", 0, false
	}
	return g, k + 1, true
}

// addGroup records a group mention over tokens [k, e) of country (or person
// surname when country is "") with canonical head g.
func (f *finder) addGroup(k, e int, country, g string) {
	adj := demonymOf[country]
	if adj == "" {
		adj = country
	}
	name := adj + " " + g
	f.cands = append(f.cands, cand{span: f.span(k, e), kind: slant.KindGroup, key: "grp:" + name, name: name})
}

// orgPiece records tokens [k, j) as an organisation named with a cue word.
func (f *finder) orgPiece(k, j, hi int, head bool) {
	txt := f.s[f.toks[k].start:f.toks[j-1].keyEnd]
	key := "o:" + strings.ToLower(normKey(txt))
	f.cands = append(f.cands, cand{span: f.span(k, j), kind: slant.KindOrganization, key: key, name: txt, headline: head})
	f.acronymAfter(j, hi, key)
}

// acronymAfter registers "(HRW)" after a name as its alias and records it as
// a mention.
func (f *finder) acronymAfter(j, hi int, key string) {
	if j+2 >= hi || f.toks[j].s != "(" || f.toks[j+2].s != ")" {
		return
	}
	a := f.toks[j+1]
	if !isAcronym(a.key) {
		return
	}
	f.aliases[a.key] = key
}

// isAcronym reports whether w is all upper-case letters (at least two),
// possibly with a plural s ("DPICMs").
func isAcronym(w string) bool {
	n := 0
	if len(w) > 2 {
		w = strings.TrimSuffix(w, "s")
	}
	for _, r := range w {
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
		n++
	}
	return n >= 2
}

// namePiece records tokens [k, m) that no gazetteer knows.
func (f *finder) namePiece(k, m, hi int, head bool, titles []string) {
	toks := f.toks
	n := m - k
	if n > 4 {
		return
	}
	allCommon := true
	for x := k; x < m; x++ {
		if !f.lower[toks[x].low] {
			allCommon = false
		}
	}
	if allCommon && len(titles) == 0 {
		return
	}
	if n == 1 && utf8.RuneCountInString(toks[k].key) == 1 {
		return // a letter ("X", "A") is no name by itself
	}
	for x := k; x < m; x++ {
		if isContraction(toks[x].key) {
			return // "I’m", "We’ll", "Don’t"
		}
	}
	c := cand{span: f.span(k, m), headline: head, descr: titles}
	c.name = f.s[c.span.Start:c.span.End]
	c.tokLast = toks[m-1].key
	// Groups led by a person: "the Biden administration".
	if g, ge, ok := f.groupAfter(m, hi); ok && n == 1 {
		if g == "administration" || g == "government" {
			f.addGroup(k, ge, toks[k].key, g)
			return
		}
	}
	if n == 1 && isAcronym(toks[k].key) {
		key, ok := f.aliases[toks[k].key]
		if !ok {
			return // weapon systems and other acronyms nobody defined
		}
		c.key = key
		f.cands = append(f.cands, c)
		return
	}
	if m < hi && speechVerbs[toks[m].key] {
		c.speaker = true
	}
	if n >= 2 && len(titles) == 0 && f.placeBefore(k) && !femaleNames[toks[k].key] && !maleNames[toks[k].key] {
		// "a video from Porto Alegre"
		c.kind = slant.KindPlace
		c.key = "o:" + strings.ToLower(normKey(c.name))
		f.cands = append(f.cands, c)
		return
	}
	if n >= 2 || len(titles) > 0 {
		// Skip honorifics inside the canonical name ("Dr. Koshkin").
		first := k
		for first < m-1 && honorifics[toks[first].key] {
			first++
		}
		c.kind = slant.KindPerson
		c.name = f.s[toks[first].start:toks[m-1].keyEnd]
		c.key = "p:" + normKey(c.name)
		if n == 1 {
			c.single = true
		}
		c.descr = append(c.descr, f.descriptorsAround(k, m, hi)...)
		f.cands = append(f.cands, c)
		f.acronymAfter(m, hi, c.key)
		return
	}
	if toks[k].first && !f.capitalisedElsewhere(k) {
		return // a sentence-initial capital with no other evidence
	}
	c.single = true
	c.descr = f.descriptorsAround(k, m, hi)
	c.place = f.placeBefore(k)
	f.cands = append(f.cands, c)
}

// placeBefore reports whether the words before token k suggest a place:
// "in", "from", "the city of".
func (f *finder) placeBefore(k int) bool {
	toks := f.toks
	if k == 0 || toks[k-1].sent != toks[k].sent {
		return false
	}
	p := strings.ToLower(toks[k-1].s)
	return placePrepositions[p] || p == "of" && k > 1 && placeNouns[strings.ToLower(toks[k-2].s)]
}

// capitalisedElsewhere reports whether the word at token k also occurs
// capitalised and not sentence-initial in the article.
func (f *finder) capitalisedElsewhere(k int) bool {
	// One pass builds the set; a scan per call made chunking quadratic in
	// the article's length.
	if f.notFirst == nil {
		f.notFirst = make(map[string]bool, len(f.toks)/2)
		for _, t := range f.toks {
			if !t.first {
				f.notFirst[t.key] = true
			}
		}
	}
	if !f.toks[k].first {
		// k itself is in the set: look for another occurrence.
		for i, t := range f.toks {
			if i != k && !t.first && t.key == f.toks[k].key {
				return true
			}
		}
		return false
	}
	return f.notFirst[f.toks[k].key]
}

// descriptorsAround collects the title heads that describe a person named by
// tokens [k, m): lower-case titles just before ("under secretary of defense
// Colin Kahl") and an appositive after (", a researcher at ...").
func (f *finder) descriptorsAround(k, m, hi int) []string {
	var out []string
	toks := f.toks
	for x := k - 1; x >= 0 && x >= k-6 && toks[x].sent == toks[k].sent; x-- {
		if x == k-1 && toks[x].s == "," {
			continue // "The UN envoy, Idris Kamara"
		}
		if !f.isWord(x) || toks[x].cap && !titleHeads[toks[x].low] {
			break
		}
		if w := toks[x].low; titleHeads[w] {
			out = append(out, norm(w))
		}
	}
	if m+1 < hi && toks[m].s == "," && !toks[m-1].poss {
		w := toks[m+1].low
		if w == "a" || w == "an" || w == "the" || w == "former" || !toks[m+1].cap {
			for x := m + 1; x < hi && x < m+25; x++ {
				if toks[x].s == "," || toks[x].s == "." || toks[x].s == ";" {
					break
				}
				if w := toks[x].low; titleHeads[w] && !toks[x].cap {
					out = append(out, norm(w))
				}
			}
		}
	}
	return out
}

// hyphenPrefix records "US" in "US-led" and "NATO" in "NATO-provided".
func (f *finder) hyphenPrefix(i int) {
	t := f.toks[i]
	h := strings.IndexByte(t.s, '-')
	if h < 0 && strings.IndexByte(t.s, 0xe2) >= 0 {
		h = strings.Index(t.s, "‐")
	}
	if h <= 0 {
		return
	}
	r, _ := utf8.DecodeRuneInString(t.s)
	if !unicode.IsUpper(r) {
		return
	}
	e, ok := gazetteer[normWord(t.s[:h])]
	if !ok || e.demonym {
		return
	}
	f.cands = append(f.cands, cand{span: slant.Span{Start: t.start, End: t.start + h}, kind: e.kind, key: "g:" + e.canon, name: e.canon})
}

// span returns the byte span of tokens [k, m), leaving out a final
// possessive.
func (f *finder) span(k, m int) slant.Span {
	return slant.Span{Start: f.toks[k].start, End: f.toks[m-1].keyEnd}
}

// describe finds descriptions of people named earlier ("the four-star
// general", "the academic") and records them as mentions of that person.
func (f *finder) describe() {
	toks := f.toks
	type person struct {
		at    int
		key   string
		descr []string
	}
	var people []person
	sort.SliceStable(f.cands, func(a, b int) bool { return f.cands[a].span.Start < f.cands[b].span.Start })
	ci := 0
	for i := 0; i < len(toks); i++ {
		for ci < len(f.cands) && f.cands[ci].span.Start <= toks[i].start {
			c := f.cands[ci]
			if c.kind == slant.KindPerson {
				people = append(people, person{at: c.span.Start, key: c.key, descr: c.descr})
			}
			ci++
		}
		if !strings.EqualFold(toks[i].s, "the") {
			continue
		}
		k := i + 1
		for k < len(toks) && k <= i+4 && toks[k].sent == toks[i].sent {
			w := toks[k].low
			if titleHeads[w] && !toks[k].cap {
				break
			}
			if !descriptionModifiers[w] {
				k = len(toks)
				break
			}
			k++
		}
		if k >= len(toks) || toks[k].sent != toks[i].sent || k > i+4 {
			continue
		}
		h := norm(toks[k].low)
		if !titleHeads[h] {
			continue
		}
		// The nearest person before with that description.
		for p := len(people) - 1; p >= 0; p-- {
			if people[p].key == "" {
				continue
			}
			hit := false
			for _, d := range people[p].descr {
				if d == h {
					hit = true
				}
			}
			if hit {
				f.cands = append(f.cands, cand{span: slant.Span{Start: toks[i].start, End: toks[k].keyEnd},
					kind: slant.KindPerson, key: people[p].key, desc: true, descHead: h})
				break
			}
		}
	}
}

// group links candidates into entities.
func (f *finder) group() []slant.Entity {
	cands := f.cands
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].span.Start != cands[b].span.Start {
			return cands[a].span.Start < cands[b].span.Start
		}
		return cands[a].span.Len() > cands[b].span.Len()
	})
	// People with a full name, by surname, for linking single names.
	surname := map[string][]int{}
	given := map[string][]int{}
	descr := map[string][]string{}
	for i, c := range cands {
		if c.kind == slant.KindPerson && !c.desc {
			if !c.single {
				surname[c.tokLast] = append(surname[c.tokLast], i)
				if sp := strings.IndexByte(c.name, ' '); sp > 0 {
					given[c.name[:sp]] = append(given[c.name[:sp]], i)
				}
			}
			descr[c.key] = append(descr[c.key], c.descr...)
		}
	}
	// Single words: link to a person by surname, else by themselves.
	singleKind := map[string]string{}
	for i := range cands {
		c := &cands[i]
		if !c.single || c.key != "" && !strings.HasPrefix(c.key, "p:") {
			continue
		}
		w := c.tokLast
		idx := surname[w]
		if len(idx) == 0 && c.kind != slant.KindPerson {
			idx = given[w] // "follow Lucas on Twitter" after "Lucas Leiroz"
		}
		if len(idx) > 0 {
			// The nearest full name before, else the first after.
			best := idx[0]
			for _, x := range idx {
				if cands[x].span.Start <= c.span.Start {
					best = x
				}
			}
			c.key = cands[best].key
			c.kind = slant.KindPerson
			continue
		}
		if c.kind == slant.KindPerson {
			continue // a titled single name ("Dr. Koshkin") is a person
		}
		c.key = "s:" + w
		k := singleKind[c.key]
		switch {
		case c.speaker || len(c.descr) > 0:
			k = slant.KindPerson
		case c.place && k == "":
			k = slant.KindPlace
		}
		singleKind[c.key] = k
	}
	// A titled single name ("Dr. Koshkin") keys as "p:Koshkin"; bare
	// "Koshkin" elsewhere keys as "s:Koshkin": join them.
	for i := range cands {
		c := &cands[i]
		if strings.HasPrefix(c.key, "s:") {
			if _, ok := descr["p:"+c.tokLast]; ok {
				c.key = "p:" + c.tokLast
				c.kind = slant.KindPerson
			}
		}
	}
	var ents []slant.Entity
	index := map[string]int{}
	lastEnd := -1
	for _, c := range cands {
		if c.span.Start < lastEnd || c.span.Len() <= 0 {
			continue // overlaps a longer mention at the same place
		}
		if c.headline {
			if _, known := index[c.key]; !known && !f.knownLater(c.key) {
				continue
			}
		}
		kind := c.kind
		if kind == "" {
			kind = singleKind[c.key]
			if kind == "" {
				kind = slant.KindOrganization
			}
		}
		id, ok := index[c.key]
		if !ok {
			name := c.name
			if strings.HasPrefix(c.key, "s:") {
				name = c.tokLast
			}
			ents = append(ents, slant.Entity{ID: len(ents) + 1, Name: name, Kind: kind})
			id = len(ents) - 1
			index[c.key] = id
		}
		e := &ents[id]
		if kind == slant.KindPerson && !c.desc && !c.single && len(c.name) > len(e.Name) {
			e.Name = c.name
		}
		e.Mentions = append(e.Mentions, slant.Mention{Span: c.span, Text: f.s[c.span.Start:c.span.End]})
		lastEnd = c.span.End
	}
	return ents
}

// knownLater reports whether a non-headline candidate has key.
func (f *finder) knownLater(key string) bool {
	for _, c := range f.cands {
		if c.key == key && !c.headline {
			return true
		}
	}
	return false
}
