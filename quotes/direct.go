package quotes

import (
	"strings"
	"unicode/utf8"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/text"
)

// abbreviations end in a period that does not end the attribution.
var abbreviations = set(`dr mr mrs ms gen lt col maj brig adm capt sgt gov sen rep prof st jr sr`)

// titleWords before a quotation mark make the quoted words a name or title
// ("an article called “...”", "the so-called “...”"), not a statement.
var titleWords = set(`called titled entitled dubbed named so-called headlined labelled labeled
term word phrase`)

// attribution is where a quote's speaker and cue were found.
type attribution struct {
	sp    speaker
	cue   slant.Span
	found bool // a cue was found (the speaker may still be unresolved)
	// adjacent is true when the cue is right next to the quote (", he
	// said" or "said: “"), which makes even a short quote a statement.
	adjacent bool
}

// direct turns the quotation mark pairs into direct and scare quotes.
func (a *attributor) direct(marks []qmark) {
	for i := 0; i < len(marks); i++ {
		m := marks[i]
		// Join a quote continued over paragraphs.
		last := i
		for last+1 < len(marks) && marks[last].cont {
			last++
		}
		in := slant.Span{Start: m.in.Start, End: marks[last].in.End}
		parts := make([]string, 0, last-i+1)
		for k := i; k <= last; k++ {
			parts = append(parts, a.s[marks[k].in.Start:marks[k].in.End])
		}
		end := marks[last]
		i = last
		if in.End <= in.Start {
			continue
		}
		q := slant.Quote{Span: in, Text: strings.Join(parts, "\n")}
		si := a.sentenceAt(m.open)
		if si >= 0 {
			q.Context = a.sents[si]
		}
		words := a.words(in)
		if a.titled(m.open) {
			q.Kind = slant.QuoteScare
			a.add(q)
			continue
		}
		at := a.bestAttribution(m, end)
		statement := words >= 5 || words >= 2 && at.adjacent
		if !statement {
			q.Kind = slant.QuoteScare
			a.add(q)
			continue
		}
		q.Kind = slant.QuoteDirect
		if !at.found {
			if p, ok := a.continues(m); ok {
				q.Speaker, q.SpeakerEntity, q.Resolved = p.Speaker, p.SpeakerEntity, p.Resolved
				q.SpeakerSpan, q.Cue, q.CueSpan = p.SpeakerSpan, p.Cue, p.CueSpan
			}
			a.add(q)
			continue
		}
		a.usedCues[at.cue.Start] = true
		q.Cue, q.CueSpan = a.s[at.cue.Start:at.cue.End], at.cue
		q.SpeakerSpan = at.sp.span
		if at.sp.resolved {
			q.Speaker, q.Resolved, q.SpeakerEntity = at.sp.name, true, a.entityID(at.sp)
		}
		if q.CueSpan.Start > 0 {
			if cs := a.sentenceAt(q.CueSpan.Start); cs >= 0 && !q.Context.Contains(a.sents[cs]) {
				q.Context = slant.Span{Start: min(q.Context.Start, a.sents[cs].Start), End: max(q.Context.End, a.sents[cs].End)}
			}
		}
		a.add(q)
	}
}

// titled reports whether the word before the opening mark at open makes the
// quote a title or a term.
func (a *attributor) titled(open int) bool {
	i := a.tokenIndex(open) - 1
	for i >= 0 && a.toks[i].End > open {
		i--
	}
	if i < 0 {
		return false
	}
	return titleWords[a.lower(i)]
}

// continues returns the quote that an unattributed quote m continues: the
// last direct quote of the same paragraph, or of the paragraph before when m
// opens its paragraph.
func (a *attributor) continues(m qmark) (slant.Quote, bool) {
	for k := len(a.quotes) - 1; k >= 0; k-- {
		p := *a.quotes[k]
		if p.Kind != slant.QuoteDirect {
			continue
		}
		if p.SpeakerSpan.End == 0 && p.Cue == "" {
			return p, false
		}
		// Nothing but white space and punctuation may stand between the
		// paragraphs' quotes except an attribution: accept the last direct
		// quote when it ends within two paragraphs.
		gap := a.s[p.End:m.open]
		if strings.Count(gap, "\n") > 3 || a.words(slant.Span{Start: p.End, End: m.open}) > 25 {
			return p, false
		}
		return p, true
	}
	return slant.Quote{}, false
}

// bestAttribution looks for the speaker after the quote (", he said"),
// before it in the same sentence ("Stoltenberg said that “...”"), and in a
// sentence that introduces it with a colon, preferring a resolved speaker.
func (a *attributor) bestAttribution(m, end qmark) attribution {
	var cands []attribution
	if end.close >= 0 {
		if at, ok := a.trailing(end); ok {
			cands = append(cands, at)
		}
	}
	if at, ok := a.leading(m); ok {
		cands = append(cands, at)
	}
	if at, ok := a.colon(m); ok {
		cands = append(cands, at)
	}
	for _, c := range cands {
		if c.sp.resolved {
			return c
		}
	}
	if len(cands) > 0 {
		return cands[0]
	}
	return attribution{}
}

// trailing parses an attribution right after the closing mark: "...,” he
// added", "...,” said General Omar Nur, who ...", "...,” the report reads".
func (a *attributor) trailing(m qmark) (attribution, bool) {
	closeSize := utf8.RuneLen(s2r(a.s, m.close))
	i := a.tokenIndex(m.close + closeSize)
	start := i
	for i < len(a.toks) && (a.tokText(i) == "," || isQuoteMark(s2r(a.s, a.toks[i].Start))) {
		i++
	}
	contentEnd, _ := utf8.DecodeLastRuneInString(strings.TrimRight(a.s[m.in.Start:m.in.End], " "))
	terminal := contentEnd == '.' || contentEnd == '!' || contentEnd == '?'
	comma := i > start || contentEnd == ','
	// The tail: tokens up to the end of the clause, on the same line.
	hi := i
	for hi < len(a.toks) && hi < i+32 {
		w := a.tokText(hi)
		if w == "." && hi > i && abbreviations[a.lower(hi-1)] {
			hi++ // "Dr. Koshkin said"
			continue
		}
		if w == "." || w == "!" || w == "?" || w == ";" || w == ":" || isQuoteMark(s2r(a.s, a.toks[hi].Start)) ||
			strings.Contains(a.s[a.toks[max(hi-1, 0)].End:a.toks[hi].Start], "\n") {
			break
		}
		hi++
	}
	if i >= hi || strings.Contains(a.s[m.close:a.toks[i].Start], "\n") {
		return attribution{}, false
	}
	c := -1
	for k := i; k < hi; k++ {
		w := a.lower(k)
		if cues[w] || w == "pointed" && k+1 < hi && a.tokText(k+1) == "out" {
			c = k
			break
		}
	}
	if c < 0 {
		return attribution{}, false
	}
	if terminal && !comma {
		// After “...words.” a new sentence may begin that has a cue of its
		// own ("Kahl also assured that ..."): only a short attribution
		// that ends the sentence (“...” Ibanez said.) belongs to the quote.
		if c-i > 3 || hi-c > 4 || hi >= len(a.toks) || a.tokText(hi) != "." && a.tokText(hi) != "!" {
			return attribution{}, false
		}
	}
	at := attribution{found: true, cue: a.cueSpan(c), adjacent: comma && c-i <= 6}
	if c == i {
		// "said General Omar Nur, who leads": the speaker follows.
		k := c + 1
		for k < hi && a.tokText(k) != "," {
			k++
		}
		if k > c+1 {
			at.sp = a.phraseEndingAt(k-1, c+1, a.before(m.open))
			if k := a.mentionAfter(c + 1); k >= 0 && a.mentions[k].End <= a.toks[min(hi, len(a.toks))-1].End {
				at.sp = a.fromMention(k)
			}
		}
		return at, true
	}
	at.sp = a.subjectBefore(c, i, a.before(m.open))
	return at, true
}

// mentionAfter returns the first mention starting at or after token i's
// start, -1 when none.
func (a *attributor) mentionAfter(i int) int {
	for k, mn := range a.mentions {
		if mn.Start >= a.toks[i].Start {
			return k
		}
	}
	return -1
}

// cueSpan returns the span of the cue at token c ("pointed out" is two).
func (a *attributor) cueSpan(c int) slant.Span {
	sp := slant.Span{Start: a.toks[c].Start, End: a.toks[c].End}
	if strings.EqualFold(a.tokText(c), "pointed") && c+1 < len(a.toks) && a.tokText(c+1) == "out" {
		sp.End = a.toks[c+1].End
	}
	return sp
}

// leading parses an attribution before the opening mark in the same
// sentence: "X said: “", "X has said that “", "According to X, “".
func (a *attributor) leading(m qmark) (attribution, bool) {
	i := a.tokenIndex(m.open)
	if i >= len(a.toks) {
		return attribution{}, false
	}
	lo, _ := a.sentenceBounds(i)
	for c := i - 1; c >= lo; c-- {
		if a.inQuotes(a.toks[c].Start) {
			continue
		}
		w := a.lower(c)
		if w == "to" && c > lo && strings.EqualFold(a.tokText(c-1), "according") && c+1 < i {
			at := attribution{found: true, cue: slant.Span{Start: a.toks[c-1].Start, End: a.toks[c].End}}
			at.sp = a.accordingTo(c+1, i, a.before(m.open))
			return at, true
		}
		if !cues[w] && !participles[w] || w == "reads" || w == "reports" {
			continue
		}
		// Only "said: “" or "said, “" makes a short quote a statement;
		// "emphasized that “heartfelt objections”" quotes a phrase.
		adjacent := i-c == 2 && (a.tokText(c+1) == ":" || a.tokText(c+1) == ",") || i-c == 1
		at := attribution{found: true, cue: a.cueSpan(c), adjacent: adjacent}
		if participles[w] {
			at.sp = a.firstSpeaker(lo, c, a.before(m.open))
		} else {
			at.sp = a.subjectBefore(c, lo, a.before(m.open))
		}
		return at, true
	}
	return attribution{}, false
}

// accordingTo resolves the source after "according to" (tokens [k, hi)).
func (a *attributor) accordingTo(k, hi int, prev []*slant.Quote) speaker {
	if mk := a.mentionAt(k); mk >= 0 {
		return a.fromMention(mk)
	}
	e := k
	for e < hi && e < k+8 {
		w := a.tokText(e)
		if w == "," || w == "." || w == ";" {
			break
		}
		e++
	}
	if e == k {
		return speaker{ent: -1}
	}
	// The phrase's last token decides ("two negotiators", "the report").
	return a.phraseEndingAt(e-1, k, prev)
}

// publishVerbs introduce a quoted text after a colon.
var publishVerbs = set(`published issued released reads read concluded wrote writes said says
stated posted tweeted reported noted added declared announced`)

// colon finds the speaker of a quote introduced by a colon: "Human Rights
// Watch published an article ..., which reads:", "It concluded:".
func (a *attributor) colon(m qmark) (attribution, bool) {
	before := strings.TrimRight(a.s[:m.open], " \t\r\n\u00a0")
	if !strings.HasSuffix(before, ":") {
		return attribution{}, false
	}
	colonAt := len(before) - 1
	ci := a.tokenIndex(colonAt)
	if ci <= 0 {
		return attribution{}, false
	}
	lo, _ := a.sentenceBounds(ci - 1)
	var first attribution
	for c := ci - 1; c >= lo; c-- {
		if a.inQuotes(a.toks[c].Start) || !publishVerbs[a.lower(c)] {
			continue
		}
		at := attribution{found: true, cue: a.cueSpan(c)}
		at.sp = a.subjectBefore(c, lo, a.before(m.open))
		if at.sp.resolved {
			return at, true
		}
		if !first.found {
			first = at
		}
	}
	return first, first.found
}

// participles report speech of the sentence's subject ("..., arguing that",
// "saying any “promises”").
var participles = set(`saying arguing adding claiming insisting noting warning stressing
explaining asserting declaring writing telling`)

// bulletMarks open a bullet-list paragraph.
const bulletMarks = "•-*·▪–"

// bullets finds bullet lists introduced by a colon ("It concluded:") and
// reports each list as one direct quote of the introducing sentence's
// subject: reports and statements are often quoted that way, without
// quotation marks.
func (a *attributor) bullets(paras []slant.Span) {
	for pi := 0; pi < len(paras); pi++ {
		p := text.Trim(a.s, paras[pi])
		if p.End <= p.Start || a.s[p.End-1] != ':' {
			continue
		}
		first, last := -1, -1
		for j := pi + 1; j < len(paras); j++ {
			t := text.Trim(a.s, paras[j])
			if t.End <= t.Start {
				continue
			}
			r, _ := utf8.DecodeRuneInString(a.s[t.Start:])
			if !strings.ContainsRune(bulletMarks, r) {
				break
			}
			if first < 0 {
				first = j
			}
			last = j
		}
		if first < 0 {
			continue
		}
		start := text.Trim(a.s, paras[first])
		end := text.Trim(a.s, paras[last])
		r, size := utf8.DecodeRuneInString(a.s[start.Start:])
		_ = r
		in := text.Trim(a.s, slant.Span{Start: start.Start + size, End: end.End})
		q := slant.Quote{Span: in, Kind: slant.QuoteDirect, Text: a.s[in.Start:in.End], Context: p}
		if at, ok := a.colon(qmark{open: start.Start, close: -1, in: in}); ok {
			q.Cue, q.CueSpan, q.SpeakerSpan = a.s[at.cue.Start:at.cue.End], at.cue, at.sp.span
			if at.sp.resolved {
				q.Speaker, q.Resolved, q.SpeakerEntity = at.sp.name, true, a.entityID(at.sp)
			}
		}
		a.add(q)
		a.quoted = append(a.quoted, in)
		pi = last
	}
}
