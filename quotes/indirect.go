package quotes

import (
	"strings"

	"github.com/slant-news/slant"
)

// clauseStarts can begin a reported clause right after a cue ("said the
// weapons ...", "told Sputnik that ...").
var clauseStarts = set(`the a an it he she they we i there this that these those his her
their its our some no any all both recent kiev washington moscow`)

// bareClauseCues may take a reported clause without "that" ("said the
// talks failed"); others ("wrote a post", "reported a rise") need "that".
var bareClauseCues = set(`said says told tells claimed claims argued insisted warned added noted
stated`)

// appositiveStarts begin a phrase between commas that describes the
// source rather than reporting what it said.
var appositiveStarts = set(`which who whose mentioned cited quoted citing speaking writing`)

// indirect finds reported speech in sentences outside quotation marks: one
// per sentence, from "according to X" or a speech verb whose cue no direct
// quote used.
func (a *attributor) indirect() {
	for _, sent := range a.sents {
		lo := a.tokenIndex(sent.Start)
		hi := a.tokenIndex(sent.End)
		if hi-lo < 4 {
			continue
		}
		if q, ok := a.accordingQuote(sent, lo, hi); ok {
			a.add(q)
			continue
		}
		if q, ok := a.reported(sent, lo, hi); ok {
			a.add(q)
		}
	}
}

// accordingQuote handles "According to X, CLAUSE." and "CLAUSE, according
// to X."
func (a *attributor) accordingQuote(sent slant.Span, lo, hi int) (slant.Quote, bool) {
	for k := lo; k+2 < hi; k++ {
		if !strings.EqualFold(a.tokText(k), "according") || a.tokText(k+1) != "to" || a.inQuotes(a.toks[k].Start) {
			continue
		}
		// The source runs to the next comma or the sentence end.
		e := k + 2
		for e < hi && a.tokText(e) != "," && a.tokText(e) != "." {
			e++
		}
		sp := a.accordingTo(k+2, e, a.before(a.toks[k].Start))
		var clause slant.Span
		if k == lo {
			// The clause follows the source; skip appositives after it
			// ("According to Laura Cooper, the deputy ..., mentioned by CBS,
			// these weapons ...", "According to the Post, which was ...,").
			c := e + 1
			for n := 0; c < hi && n < 4; n++ {
				w := a.tokText(c)
				next := c
				for next < hi && a.tokText(next) != "," {
					next++
				}
				short := next-c <= 3
				if next >= hi || !(appositiveStarts[w] || n == 0 && (w == "the" || w == "a" || w == "an") || short) {
					break
				}
				c = next + 1
			}
			clause = slant.Span{Start: a.tokStart(c, sent.End), End: sent.End}
		} else {
			end := k
			if a.tokText(k-1) == "," {
				end = k - 1
			}
			clause = slant.Span{Start: sent.Start, End: a.toks[end-1].End}
		}
		if a.words(clause) < 3 || a.mostlyQuoted(clause) {
			return slant.Quote{}, false
		}
		q := slant.Quote{Span: clause, Kind: slant.QuoteIndirect, Text: a.s[clause.Start:clause.End],
			Cue: a.s[a.toks[k].Start:a.toks[k+1].End], CueSpan: slant.Span{Start: a.toks[k].Start, End: a.toks[k+1].End},
			SpeakerSpan: sp.span, Context: sent}
		if sp.resolved {
			q.Speaker, q.Resolved, q.SpeakerEntity = sp.name, true, a.entityID(sp)
		}
		return q, true
	}
	return slant.Quote{}, false
}

func (a *attributor) tokStart(i int, def int) int {
	if i < len(a.toks) {
		return a.toks[i].Start
	}
	return def
}

// mostlyQuoted reports whether quotation marks cover most of sp (the direct
// quote already carries it).
func (a *attributor) mostlyQuoted(sp slant.Span) bool {
	n := 0
	for _, q := range a.quoted {
		if q.Overlaps(sp) {
			n += min(q.End, sp.End) - max(q.Start, sp.Start)
		}
	}
	return 2*n > sp.Len()
}

// reported handles "X said (that) CLAUSE", "X told reporters that CLAUSE"
// and "CLAUSE, X said."
func (a *attributor) reported(sent slant.Span, lo, hi int) (slant.Quote, bool) {
	for c := lo + 1; c < hi; c++ {
		w := a.lower(c)
		// One map lookup rules out most tokens before the costlier checks.
		kind := reportCues[w]
		if kind == 0 || a.usedCues[a.toks[c].Start] || a.inQuotes(a.toks[c].Start) {
			continue
		}
		ind := kind&cueIndirect != 0
		// Where does the reported clause start?
		start := -1
		k := c + 1
		for x := c + 1; x < hi && x <= c+6; x++ {
			t := a.tokText(x)
			if t == "that" {
				start = x + 1
				break
			}
			if t == "," || t == "." || t == ";" || t == "“" || t == "\"" {
				break
			}
		}
		if start < 0 && ind && k < hi {
			if w == "told" || w == "tells" {
				// "told reporters the ...": skip the hearer.
				for k < hi && k <= c+3 && !clauseStarts[a.lower(k)] {
					k++
				}
			}
			if k < hi && clauseStarts[a.lower(k)] && k+2 < hi && bareClauseCues[w] {
				start = k
			}
		}
		var clause slant.Span
		switch {
		case start >= 0 && start < hi:
			clause = slant.Span{Start: a.toks[start].Start, End: sent.End}
		case ind && hi-c <= 8 && a.commaBefore(lo, c) > lo:
			// "CLAUSE, multiple news outlets reported on Tuesday."
			cm := a.commaBefore(lo, c)
			clause = slant.Span{Start: sent.Start, End: a.toks[cm-1].End}
		default:
			continue
		}
		clause = trimEnd(a.s, clause)
		if a.words(clause) < 3 || a.mostlyQuoted(clause) {
			return slant.Quote{}, false
		}
		// The speaker: before the cue (after the comma in the trailing form).
		from := lo
		if clause.Start == sent.Start {
			from = a.commaBefore(lo, c) + 1
		}
		if a.passiveOrNegated(from, c) {
			continue // "it was widely reported", "has not officially confirmed"
		}
		prev := a.before(a.toks[c].Start)
		var sp speaker
		if participles[w] {
			sp = a.firstSpeaker(lo, c, prev)
		} else {
			sp = a.subjectBefore(c, from, prev)
		}
		q := slant.Quote{Span: clause, Kind: slant.QuoteIndirect, Text: a.s[clause.Start:clause.End],
			Cue: a.s[a.toks[c].Start:a.toks[c].End], CueSpan: a.cueSpan(c), SpeakerSpan: sp.span, Context: sent}
		if sp.resolved {
			q.Speaker, q.Resolved, q.SpeakerEntity = sp.name, true, a.entityID(sp)
		}
		return q, true
	}
	return slant.Quote{}, false
}

// passiveOrNegated reports whether the cue at c is passive ("it was
// reported") or negated ("has not confirmed"), or the words before it
// (from lo) are a relative clause ("a shift that his administration
// confirmed"): none of these reports speech.
func (a *attributor) passiveOrNegated(lo, c int) bool {
	for k := c - 1; k >= lo && k >= c-4; k-- {
		switch a.lower(k) {
		case "was", "were", "is", "are", "been", "be", "being", "not", "never", "n't":
			return true
		case "that", "which":
			return true
		}
		if strings.HasSuffix(a.tokText(k), "n't") || strings.HasSuffix(a.tokText(k), "n’t") {
			return true
		}
	}
	return false
}

// commaBefore returns the token index of the last comma in [lo, c), or lo-1.
func (a *attributor) commaBefore(lo, c int) int {
	for k := c - 1; k >= lo; k-- {
		if a.tokText(k) == "," && !a.inQuotes(a.toks[k].Start) {
			return k
		}
	}
	return lo - 1
}

// trimEnd drops a final period from a reported clause.
func trimEnd(s string, sp slant.Span) slant.Span {
	for sp.End > sp.Start && strings.ContainsRune(".;: ", rune(s[sp.End-1])) {
		sp.End--
	}
	return sp
}

// Kinds of reported-speech cue, as bits of reportCues.
const (
	cueIndirect = 1 << iota // indirectCues
	cueThatOnly             // thatOnlyCues and participles: need "that" or a subject
)

// reportCues merges indirectCues, thatOnlyCues and participles into one
// table, so that reported looks each token up once.
var reportCues = func() map[string]uint8 {
	m := map[string]uint8{}
	for w := range indirectCues {
		m[w] |= cueIndirect
	}
	for w := range thatOnlyCues {
		m[w] |= cueThatOnly
	}
	for w := range participles {
		m[w] |= cueThatOnly
	}
	return m
}()
