package stories

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/text"
)

// Comparison is a side-by-side of how outlets tell one story.
type Comparison struct {
	Title   string        `json:"title"`
	Outlets []OutletView  `json:"outlets"`
	Roles   []EntityRoles `json:"roles,omitempty"`
	Quotes  []QuoteUse    `json:"quotes,omitempty"`
	Facts   []Fact        `json:"facts,omitempty"`
}

// OutletView is what one outlet's articles of the story contain.
type OutletView struct {
	Outlet string `json:"outlet"`
	// Profile is the outlet's public profile, nil when unknown.
	Profile  *slant.Outlet `json:"profile,omitempty"`
	Articles []string      `json:"articles"`
	Words    int           `json:"words"`
	// Techniques are counted per 1,000 words of the outlet's articles,
	// most frequent first.
	Techniques []TechniqueRate    `json:"techniques,omitempty"`
	TopSpans   []SpanExample      `json:"top_spans,omitempty"`
	Narratives []NarrativeSummary `json:"narratives,omitempty"`
}

// TechniqueRate is how often an outlet used a technique.
type TechniqueRate struct {
	Technique string  `json:"technique"`
	Count     int     `json:"count"`
	Per1000   float64 `json:"per_1000_words"`
}

// SpanExample is one technique span with its text.
type SpanExample struct {
	Technique string     `json:"technique"`
	Text      string     `json:"text"`
	Score     float64    `json:"score"`
	Article   string     `json:"article"`
	Span      slant.Span `json:"span"`
}

// NarrativeSummary is a narrative an outlet pushes, with its best score
// over the outlet's articles.
type NarrativeSummary struct {
	Narrative    string  `json:"narrative"`
	Subnarrative string  `json:"subnarrative,omitempty"`
	Score        float64 `json:"score"`
}

// EntityRoles is how each outlet casts an entity named by two or more
// outlets. Roles maps outlet to "Antagonist (Instigator)"-style labels, ""
// when the outlet names the entity without a role.
type EntityRoles struct {
	Entity   string            `json:"entity"`
	Roles    map[string]string `json:"roles"`
	Mentions map[string]int    `json:"mentions"`
}

// QuoteUse is a quote and the outlets that used it (matched by speaker and
// fuzzy text). Only is set when a single outlet used it.
type QuoteUse struct {
	Speaker string   `json:"speaker,omitempty"`
	Text    string   `json:"text"`
	Outlets []string `json:"outlets"`
	Only    string   `json:"only,omitempty"`
}

// Fact is a checkable sentence (with a number, a date or a named source)
// and the outlets whose versions have a sentence matching it.
type Fact struct {
	Text    string   `json:"text"`
	Kinds   []string `json:"kinds"` // number, date, source
	Outlet  string   `json:"outlet"`
	Article string   `json:"article"`
	Present []string `json:"present"`
	Missing []string `json:"missing,omitempty"`
}

// CompareOptions tune Compare. Zero fields take the defaults.
type CompareOptions struct {
	// Profile looks up an outlet's profile (e.g. sources.Lookup); nil for
	// none.
	Profile func(outlet string) (slant.Outlet, bool)
	// TopSpans per outlet (default 3).
	TopSpans int
	// QuoteMatch and FactMatch are the word-overlap scores (Dice over
	// content words) from which two quotes or two sentences are the same
	// (defaults 0.5 and 0.4).
	QuoteMatch, FactMatch float64
}

// Compare builds the side-by-side of the reports of one story's articles.
// Reports are grouped by Article.Outlet (an article without one is a column
// of its own, "article ID"); Sentences are segmented when a report lacks
// them.
func Compare(title string, reports []*slant.Report, opts CompareOptions) *Comparison {
	if opts.TopSpans == 0 {
		opts.TopSpans = 3
	}
	if opts.QuoteMatch == 0 {
		opts.QuoteMatch = 0.5
	}
	if opts.FactMatch == 0 {
		opts.FactMatch = 0.4
	}
	c := &Comparison{Title: title}
	byOutlet := map[string][]*slant.Report{}
	var order []string
	for _, r := range reports {
		if r == nil {
			continue
		}
		o := r.Article.Outlet
		if o == "" {
			// Articles of unknown origin stay apart: lumping them into one
			// column would hide exactly the differences compare shows.
			o = "article " + r.Article.ID
		}
		if _, ok := byOutlet[o]; !ok {
			order = append(order, o)
		}
		byOutlet[o] = append(byOutlet[o], r)
	}
	sort.Strings(order)
	for _, o := range order {
		c.Outlets = append(c.Outlets, outletView(o, byOutlet[o], opts))
	}
	c.Roles = compareRoles(order, byOutlet)
	c.Quotes = compareQuotes(order, byOutlet, opts.QuoteMatch)
	c.Facts = compareFacts(order, byOutlet, opts.FactMatch)
	return c
}

func outletView(o string, rs []*slant.Report, opts CompareOptions) OutletView {
	v := OutletView{Outlet: o}
	if opts.Profile != nil {
		if p, ok := opts.Profile(o); ok {
			v.Profile = &p
		}
	}
	counts := map[string]int{}
	narr := map[string]*NarrativeSummary{}
	var spans []SpanExample
	for _, r := range rs {
		v.Articles = append(v.Articles, r.Article.ID)
		v.Words += len(words(r.Article.Text))
		for _, t := range r.Techniques {
			counts[t.Technique]++
			spans = append(spans, SpanExample{Technique: t.Technique, Text: clip(t.Span.Text(r.Article.Text), 160), Score: t.Score, Article: r.Article.ID, Span: t.Span})
		}
		for _, n := range r.Narratives {
			key := n.Narrative + "\x00" + n.Subnarrative
			if x, ok := narr[key]; !ok || n.Score > x.Score {
				narr[key] = &NarrativeSummary{Narrative: n.Narrative, Subnarrative: n.Subnarrative, Score: n.Score}
			}
		}
	}
	for t, n := range counts {
		rate := 0.0
		if v.Words > 0 {
			rate = 1000 * float64(n) / float64(v.Words)
		}
		v.Techniques = append(v.Techniques, TechniqueRate{Technique: t, Count: n, Per1000: rate})
	}
	sort.Slice(v.Techniques, func(i, j int) bool {
		a, b := v.Techniques[i], v.Techniques[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Technique < b.Technique
	})
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].Score > spans[j].Score })
	// The same words flagged twice (a repeated slogan) show once.
	seen := map[string]bool{}
	for _, sp := range spans {
		k := sp.Technique + "\x00" + strings.ToLower(sp.Text)
		if seen[k] || len(v.TopSpans) == opts.TopSpans {
			continue
		}
		seen[k] = true
		v.TopSpans = append(v.TopSpans, sp)
	}
	for _, n := range narr {
		v.Narratives = append(v.Narratives, *n)
	}
	sort.Slice(v.Narratives, func(i, j int) bool {
		a, b := v.Narratives[i], v.Narratives[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.Narrative+a.Subnarrative < b.Narrative+b.Subnarrative
	})
	return v
}

// clip shortens s to at most n bytes at a rune boundary, folding white
// space.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

func compareRoles(order []string, by map[string][]*slant.Report) []EntityRoles {
	type acc struct {
		name     string
		roles    map[string]map[string]int // outlet -> role label -> count
		mentions map[string]int
	}
	ents := map[string]*acc{}
	for _, o := range order {
		for _, r := range by[o] {
			for _, e := range r.Entities {
				k := entityKey(e.Name)
				if k == "" {
					continue
				}
				a := ents[k]
				if a == nil {
					a = &acc{name: e.Name, roles: map[string]map[string]int{}, mentions: map[string]int{}}
					ents[k] = a
				}
				a.mentions[o] += max(1, len(e.Mentions))
				if a.roles[o] == nil {
					a.roles[o] = map[string]int{}
				}
				label := ""
				if e.Role != nil {
					label = e.Role.Main
					if len(e.Role.Fine) > 0 {
						label += " (" + strings.Join(e.Role.Fine, ", ") + ")"
					}
				}
				a.roles[o][label]++
			}
		}
	}
	var out []EntityRoles
	for _, a := range ents {
		if len(a.mentions) < 2 {
			continue
		}
		er := EntityRoles{Entity: a.name, Roles: map[string]string{}, Mentions: a.mentions}
		for o, labels := range a.roles {
			// The outlet's most frequent role label; a role beats none.
			best, bestN := "", -1
			for l, n := range labels {
				if l != "" && (best == "" || n > bestN || n == bestN && l < best) {
					best, bestN = l, n
				}
			}
			er.Roles[o] = best
		}
		out = append(out, er)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := countRoles(out[i]), countRoles(out[j])
		if ri != rj {
			return ri > rj
		}
		if len(out[i].Mentions) != len(out[j].Mentions) {
			return len(out[i].Mentions) > len(out[j].Mentions)
		}
		return out[i].Entity < out[j].Entity
	})
	return out
}

func countRoles(e EntityRoles) int {
	n := 0
	for _, r := range e.Roles {
		if r != "" {
			n++
		}
	}
	return n
}

// contentSet is the set of content words (and numbers) of s, for fuzzy
// matching of quotes and sentences.
func contentSet(s string) map[string]bool {
	set := map[string]bool{}
	for _, w := range words(s) {
		t := termOf(s[w.start:w.end])
		if stopwords[t] || len(t) < 2 && !hasDigit(t) {
			continue
		}
		set[strings.ReplaceAll(t, ",", "")] = true
	}
	return set
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// dice is the Dice coefficient of two word sets.
func dice(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return 2 * float64(n) / float64(len(a)+len(b))
}

// numbersAgree is false when both sets have numbers and share none: "2,000
// evacuated" and "14 in hospital" are different facts however many words
// they share.
func numbersAgree(a, b map[string]bool) bool {
	na, nb, shared := 0, 0, 0
	for w := range a {
		if hasDigit(w) {
			na++
			if b[w] {
				shared++
			}
		}
	}
	for w := range b {
		if hasDigit(w) {
			nb++
		}
	}
	return na == 0 || nb == 0 || shared > 0
}

func compareQuotes(order []string, by map[string][]*slant.Report, threshold float64) []QuoteUse {
	type cluster struct {
		q       QuoteUse
		speaker string
		set     map[string]bool
		outlets map[string]bool
	}
	var cs []*cluster
	for _, o := range order {
		for _, r := range by[o] {
			for _, q := range r.Quotes {
				if q.Kind == slant.QuoteScare {
					continue
				}
				txt := q.Text
				if txt == "" {
					txt = q.Span.Text(r.Article.Text)
				}
				txt = clip(txt, 240)
				set := contentSet(txt)
				if len(set) == 0 {
					continue
				}
				sp := entityKey(q.Speaker)
				var hit *cluster
				for _, c := range cs {
					// Same speaker, or one side unresolved, and similar words.
					if sp != "" && c.speaker != "" && !sameSpeaker(sp, c.speaker) {
						continue
					}
					if dice(set, c.set) >= threshold {
						hit = c
						break
					}
				}
				if hit == nil {
					hit = &cluster{q: QuoteUse{Speaker: q.Speaker, Text: txt}, speaker: sp, set: set, outlets: map[string]bool{}}
					cs = append(cs, hit)
				}
				if hit.speaker == "" && sp != "" {
					hit.speaker, hit.q.Speaker = sp, q.Speaker
				}
				hit.outlets[o] = true
			}
		}
	}
	var out []QuoteUse
	for _, c := range cs {
		for o := range c.outlets {
			c.q.Outlets = append(c.q.Outlets, o)
		}
		sort.Strings(c.q.Outlets)
		if len(c.q.Outlets) == 1 && len(order) > 1 {
			c.q.Only = c.q.Outlets[0]
		}
		out = append(out, c.q)
	}
	// Quotes one outlet alone used first: they are what tells versions apart.
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].Only != "") != (out[j].Only != "") {
			return out[i].Only != ""
		}
		return out[i].Only < out[j].Only
	})
	return out
}

// sameSpeaker matches "jens stoltenberg" with "stoltenberg".
func sameSpeaker(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := lastWord(a), lastWord(b)
	return la == lb && (strings.HasSuffix(a, " "+lb) || strings.HasSuffix(b, " "+la) || a == lb || b == la)
}

func lastWord(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return s
}

var (
	dateRE   = regexp.MustCompile(`(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|last (week|month|year)|(19|20)\d\d)\b`)
	sourceRE = regexp.MustCompile(`(?i)\b(according to|said|says|told|stated|announced|reported|confirmed|wrote|cited|citing|quoted)\b`)
	digitRE  = regexp.MustCompile(`\d`)
)

// factKinds says why a sentence is checkable: it has a number, a date, or
// a named source (a reporting verb and a capitalised name).
func factKinds(s string) []string {
	var k []string
	if digitRE.MatchString(s) {
		k = append(k, "number")
	}
	if dateRE.MatchString(s) {
		k = append(k, "date")
	}
	if sourceRE.MatchString(s) && hasName(s) {
		k = append(k, "source")
	}
	return k
}

// hasName reports whether a capitalised non-function word occurs after the
// first word of s.
func hasName(s string) bool {
	ws := words(s)
	for i, w := range ws {
		if i == 0 {
			continue
		}
		word := s[w.start:w.end]
		if isCapitalised(word) && !stopwords[strings.ToLower(word)] {
			return true
		}
	}
	return false
}

func compareFacts(order []string, by map[string][]*slant.Report, threshold float64) []Fact {
	if len(order) < 2 {
		return nil
	}
	type cluster struct {
		f       Fact
		set     map[string]bool
		outlets map[string]bool
	}
	var cs []*cluster
	for _, o := range order {
		for _, r := range by[o] {
			sents := r.Sentences
			if len(sents) == 0 {
				sents = text.Sentences(r.Article.Text)
			}
			for _, sp := range sents {
				s := sp.Text(r.Article.Text)
				kinds := factKinds(s)
				if len(kinds) == 0 {
					continue
				}
				set := contentSet(s)
				if len(set) < 3 {
					continue
				}
				var hit *cluster
				bestScore := 0.0
				for _, c := range cs {
					if d := dice(set, c.set); d >= threshold && d > bestScore && numbersAgree(set, c.set) {
						hit, bestScore = c, d
					}
				}
				if hit == nil {
					hit = &cluster{f: Fact{Text: clip(s, 300), Kinds: kinds, Outlet: o, Article: r.Article.ID}, set: set, outlets: map[string]bool{}}
					cs = append(cs, hit)
				}
				hit.outlets[o] = true
			}
		}
	}
	var out []Fact
	for _, c := range cs {
		for _, o := range order {
			if c.outlets[o] {
				c.f.Present = append(c.f.Present, o)
			} else {
				c.f.Missing = append(c.f.Missing, o)
			}
		}
		out = append(out, c.f)
	}
	// Facts most outlets report but some leave out come first: those
	// omissions are the telling ones.
	sort.SliceStable(out, func(i, j int) bool {
		mi, mj := len(out[i].Missing) > 0, len(out[j].Missing) > 0
		if mi != mj {
			return mi
		}
		return len(out[i].Present) > len(out[j].Present)
	})
	return out
}

// String summarises the comparison in one line (for logs).
func (c *Comparison) String() string {
	return fmt.Sprintf("%q: %d outlets, %d shared entities, %d quotes, %d facts", c.Title, len(c.Outlets), len(c.Roles), len(c.Quotes), len(c.Facts))
}
