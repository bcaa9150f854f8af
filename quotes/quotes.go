// Package quotes finds what an article presents as said or written by
// someone, and by whom: direct quotes in straight or curly quotation marks
// (also split around a speech verb, spanning sentences and paragraphs, or
// introduced by a colon as quoted tweets and reports are), reported speech
// ("X said that ...", "according to X", "X told reporters ..."), and scare
// quotes around a word or short phrase that are no statement at all.
//
// Speakers are resolved to the entities the entities analyzer found: a name
// in the attribution, a pronoun ("he added") to the last fitting person or
// the speaker of the quote before, a description ("the four-star general")
// through the entity that the entities analyzer linked it to, "the
// spokesperson" to "a State Department spokesman" quoted before. A speaker
// that cannot be determined is left empty with Resolved false and the
// sentence in Context: the package never guesses silently.
//
// Quote.Span covers the quoted words without the quotation marks; for
// indirect speech it covers the reported clause.
package quotes

import (
	"context"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/text"
)

// Attributor is the quotes analyzer. The zero value is ready to use and safe
// for concurrent use.
type Attributor struct{}

// New returns an Attributor.
func New() *Attributor { return &Attributor{} }

// Name implements slant.Analyzer.
func (*Attributor) Name() string { return "quotes" }

// Analyze implements slant.Analyzer: it sets r.Quotes, linking speakers to
// r.Entities when the entities analyzer ran before.
func (*Attributor) Analyze(ctx context.Context, r *slant.Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sents, paras := r.Sentences, r.Paragraphs
	if sents == nil {
		sents = text.Sentences(r.Article.Text)
	}
	if paras == nil {
		paras = text.Paragraphs(r.Article.Text)
	}
	r.Quotes = Attribute(r.Article.Text, sents, paras, r.Entities)
	return nil
}

// Attribute returns the quotes of s in text order. sents and paras are the
// sentences and paragraphs of s (byte spans in order); ents are the
// article's entities (may be nil).
func Attribute(s string, sents, paras []slant.Span, ents []slant.Entity) []slant.Quote {
	a := newAttributor(s, sents, ents)
	marks := a.pairs(paras)
	a.direct(marks)
	a.bullets(paras)
	a.indirect()
	a.reresolve()
	out := make([]slant.Quote, len(a.quotes))
	for i, q := range a.quotes {
		out[i] = *q
	}
	return out
}

// mention is an entity mention with its entity.
type mention struct {
	slant.Span
	ent int // index into ents
}

type attributor struct {
	s        string
	sents    []slant.Span
	ents     []slant.Entity
	mentions []mention // sorted by Start
	toks     []text.Token
	low      []string       // lower-cased token texts
	quotes   []*slant.Quote // in text order
	// inQuote marks byte ranges inside quotation marks (direct or scare),
	// where reported-speech cues are not looked for.
	quoted []slant.Span
	// usedCues are cue token starts already used by a direct quote.
	usedCues map[int]bool
}

func newAttributor(s string, sents []slant.Span, ents []slant.Entity) *attributor {
	a := &attributor{s: s, sents: sents, ents: ents, usedCues: map[int]bool{}}
	for i, e := range ents {
		for _, m := range e.Mentions {
			if m.Start >= 0 && m.End <= len(s) && m.Start < m.End {
				a.mentions = append(a.mentions, mention{Span: m.Span, ent: i})
			}
		}
	}
	sort.Slice(a.mentions, func(i, j int) bool { return a.mentions[i].Start < a.mentions[j].Start })
	a.toks = text.Tokens(s)
	a.low = make([]string, len(a.toks))
	var lowText string // ASCII-lower-cased s: one allocation, not one per word
	for i, t := range a.toks {
		w := s[t.Start:t.End]
		switch {
		case !needsLower(w):
		case text.IsASCII(w):
			if lowText == "" {
				lowText = text.LowerASCII(s)
			}
			w = lowText[t.Start:t.End]
		default:
			w = strings.ToLower(w)
		}
		a.low[i] = w
	}
	return a
}

// lower returns token i lower-cased.
func (a *attributor) lower(i int) string { return a.low[i] }

func needsLower(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return true
		}
	}
	return false
}

// qmark is a pair of quotation marks: the quoted words are [in.Start,
// in.End); open and close are the marks' byte offsets (close is -1 when the
// quote runs to the end of its paragraph).
type qmark struct {
	open, close int
	in          slant.Span
	para        int
	// cont links a quote continued in the next paragraph.
	cont bool
}

// pairs finds the quotation mark pairs of each paragraph. A mark's role
// comes from its neighbours, not its shape, because texts mix straight and
// curly marks and misuse them ("Munitions“,"): a mark after a space opens,
// a mark before a space or punctuation closes.
func (a *attributor) pairs(paras []slant.Span) []qmark {
	s := a.s
	var out []qmark
	for pi, p := range paras {
		openAt := -1
		for i := p.Start; i < p.End; {
			r, size := utf8.DecodeRuneInString(s[i:p.End])
			if !isQuoteMark(r) {
				i += size
				continue
			}
			prev, _ := utf8.DecodeLastRuneInString(s[p.Start:i])
			next, _ := utf8.DecodeRuneInString(s[i+size : p.End])
			atStart := i == p.Start
			atEnd := i+size >= p.End
			spaceBefore := atStart || isSpaceOrOpen(prev)
			spaceAfter := atEnd || unicode.IsSpace(next) || unicode.IsPunct(next) && !isQuoteMark(next) && next != '(' && next != '[' && next != '…'
			var opens, closes bool
			switch r {
			case '“', '«':
				opens = !(spaceAfter && !spaceBefore)
				closes = !opens
			case '”', '»':
				closes = !(spaceBefore && !spaceAfter)
				opens = !closes
			default: // '"'
				opens = spaceBefore && !spaceAfter
				closes = !spaceBefore
				if openAt < 0 && !opens && closes && !spaceAfter {
					// '."Reznikov': glued; with nothing open it opens.
					opens, closes = true, false
				}
			}
			switch {
			case openAt < 0 && opens:
				openAt = i
			case openAt >= 0 && closes:
				out = append(out, qmark{open: openAt, close: i, in: slant.Span{Start: openAt + utf8.RuneLen(s2r(s, openAt)), End: i}, para: pi})
				openAt = -1
			}
			i += size
		}
		if openAt >= 0 {
			// An unclosed quote runs to the paragraph's end; the next
			// paragraph may continue it.
			in := text.Trim(s, slant.Span{Start: openAt + utf8.RuneLen(s2r(s, openAt)), End: p.End})
			out = append(out, qmark{open: openAt, close: -1, in: in, para: pi})
		}
	}
	// Mark continuations: an unclosed quote whose next non-empty paragraph
	// opens with a quotation mark.
	for i := 0; i+1 < len(out); i++ {
		if out[i].close >= 0 {
			continue
		}
		np := nextNonEmpty(s, paras, out[i].para)
		if np >= 0 && out[i+1].para == np && text.Trim(s, paras[np]).Start == out[i+1].open {
			out[i].cont = true
		}
	}
	for _, m := range out {
		a.quoted = append(a.quoted, slant.Span{Start: m.open, End: max(m.close, m.in.End)})
	}
	return out
}

func s2r(s string, i int) rune {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

func nextNonEmpty(s string, paras []slant.Span, pi int) int {
	for j := pi + 1; j < len(paras); j++ {
		if t := text.Trim(s, paras[j]); t.End > t.Start {
			return j
		}
	}
	return -1
}

func isQuoteMark(r rune) bool {
	return r == '"' || r == '“' || r == '”' || r == '«' || r == '»'
}

func isSpaceOrOpen(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == '[' || r == '—' || r == '–' || r == '-' || r == '‘' || r == '\'' || r == ':'
}

// add inserts q into a.quotes, which stays in text order.
func (a *attributor) add(q slant.Quote) {
	k := sort.Search(len(a.quotes), func(i int) bool { return a.quotes[i].Start > q.Start })
	a.quotes = append(a.quotes, nil)
	copy(a.quotes[k+1:], a.quotes[k:])
	a.quotes[k] = &q
}

// before returns the quotes found so far that start before b, in text
// order: the ones a pronoun or description at b may refer back to.
func (a *attributor) before(b int) []*slant.Quote {
	k := sort.Search(len(a.quotes), func(i int) bool { return a.quotes[i].Start >= b })
	return a.quotes[:k:k]
}

// inQuotes reports whether byte offset b lies inside quotation marks.
func (a *attributor) inQuotes(b int) bool {
	for _, q := range a.quoted {
		if q.Start <= b && b < q.End {
			return true
		}
	}
	return false
}

// sentenceAt returns the index of the sentence holding byte b, or -1.
func (a *attributor) sentenceAt(b int) int {
	i := sort.Search(len(a.sents), func(i int) bool { return a.sents[i].End > b })
	if i < len(a.sents) && a.sents[i].Start <= b {
		return i
	}
	// Between sentences (a mark outside the trimmed span): the next one.
	if i < len(a.sents) {
		return i
	}
	return len(a.sents) - 1
}

// tokenIndex returns the index of the first token starting at or after b.
func (a *attributor) tokenIndex(b int) int {
	return sort.Search(len(a.toks), func(i int) bool { return a.toks[i].Start >= b })
}

func (a *attributor) tokText(i int) string { return a.s[a.toks[i].Start:a.toks[i].End] }

// words counts the word tokens in span sp.
func (a *attributor) words(sp slant.Span) int {
	n := 0
	for i := a.tokenIndex(sp.Start); i < len(a.toks) && a.toks[i].End <= sp.End; i++ {
		if text.KindOf(a.s, a.toks[i]) != text.Punct {
			n++
		}
	}
	return n
}

// reresolve tries again, now that reported speech is known too, the
// speakers left unresolved: a direct quote's "the spokesperson wrote" can
// refer to "a State Department spokesman" whose words were reported (not
// quoted) before it.
func (a *attributor) reresolve() {
	for i := range a.quotes {
		q := a.quotes[i]
		if q.Resolved || q.SpeakerSpan.End <= q.SpeakerSpan.Start {
			continue
		}
		lo := a.tokenIndex(q.SpeakerSpan.Start)
		j := a.tokenIndex(q.SpeakerSpan.End) - 1
		if j < lo || lo >= len(a.toks) {
			continue
		}
		if sp := a.phraseEndingAt(j, lo, a.before(q.Start)); sp.resolved {
			q.Speaker, q.Resolved, q.SpeakerEntity = sp.name, true, a.entityID(sp)
		}
	}
}
