package quotes

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slant-news/slant"
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// cues are the speech verbs that attribute a quote. Lower case.
var cues = set(`said says say told tells tell added adds wrote writes tweeted tweets stated states
claimed claims noted notes explained explains argued argues insisted insists warned warns announced
announces declared declares asserted asserts continued replied responded commented emphasized
emphasised stressed concluded concludes reads recalled acknowledged admitted assured assures
promised posted urged suggested observed remarked confirmed confirms denied denies believes
justify explain quipped reported reports`)

// indirectCues are the cues that introduce reported speech without
// quotation marks; verbs such as "promised" and "believes" count only
// before "that".
var indirectCues = set(`said says told tells stated claimed claims noted added argued insisted
warned announced declared asserted explained emphasized emphasised stressed concluded acknowledged
admitted assured confirmed denied wrote tweeted posted reported suggested`)

var thatOnlyCues = set(`promised believes believe thinks think hopes fears assured suggested note`)

// auxiliaries may stand between a speaker and the cue ("has said", "also
// told", "had further added").
var auxiliaries = set(`has have had will would also further later then again first
reportedly recently previously once already sought to just did does do`)

// pronouns that can be a speaker.
var pronouns = set(`he she they it He She They It`)

// relatives refer back over a comma ("Biden, who said ...").
var relatives = set(`who which that`)

// determiners that begin a description of a speaker. Definite ones refer
// back to someone named before.
var definite = set(`the its his her their this that these The Its His Her Their This That These`)
var indefinite = set(`a an A An one One two Two three Three several Several multiple Multiple
some Some many Many anonymous Anonymous unnamed Unnamed other Other`)

// speakerNouns are heads of descriptions that can speak.
var speakerNouns = set(`official officials spokesman spokeswoman spokesperson source sources
outlet outlets media report reports statement article study general minister secretary adviser
advisor ambassador president analyst analysts researcher researchers academic observer observers
expert experts journalist journalists diplomat diplomats lawmaker lawmakers senator senators leader
leaders chief commander officer officers negotiator negotiators activist activists resident
residents witness witnesses critic critics envoy governor mayor director professor economist
scientist scientists author authors government ministry agency administration alliance bloc
organization organisation group campaigners protesters doctor doctors military army police
president's observer counterterrorism`)

// documentNouns are texts, not speakers.
var documentNouns = set(`report reports statement article study document letter post tweet`)

// personNouns describe one person (not a document or a group).
var personNouns = set(`official spokesman general minister secretary adviser ambassador
president analyst researcher academic observer expert journalist diplomat lawmaker senator leader
chief commander officer negotiator activist envoy governor mayor director professor economist
scientist doctor`)

// speakerSynonyms map nouns that name the same role.
var speakerSynonyms = map[string]string{
	"spokeswoman": "spokesman", "spokesperson": "spokesman", "advisor": "adviser",
	"organisation": "organization",
}

// femaleNames keep "she" from resolving to a man; a name not listed fits
// any pronoun.
var femaleNames = set(`Laura Ashley Mary Anna Maria Elena Olena Irina Natalia Natalya Olga Ursula
Kamala Hillary Nancy Greta Angela Annalena Marine Giorgia Liz Theresa Victoria Imelda Sarah Jennifer
Linda Susan Karen Lisa Emily Emma Kaja Kristalina Christine Janet Ilhan Alexandria Nikki Tulsi
Margarita Samantha Jill Melania Michelle Helen Catherine Kate Julia Yulia Iryna Oksana Svetlana
Tatiana Sofia Sophia Elizabeth Ann Anne Jane Karine Sabrina Condoleezza Madeleine Marjorie Lauren
Mirela Daria Lucia Joana Marina Ruta Nadia Karin Maya Mia Zoe Eva`)

var maleNames = set(`Mark Pat Patrick Colin Oleksii Oleksiy Jens Scott Joe Joseph Jake Donald
Vladimir Volodymyr Sergei Sergey Dmitry Dmitri Antony John James Lloyd Boris Emmanuel Olaf Rishi
Viktor Lucas Bill Barack George Ron Mike Michael Ned Matthew Matt David Robert Richard William
Andriy Andrii Kyrylo Mikhail Alexander Alexei Yevgeny Igor Ivan Nikolai Pavel Petro Charles Justin
Peter Paul Steve Tom Thomas Tony Hunter Elon Jeff Chuck Mitch Kevin Ted Bernie Chris Daniel Josh
Brian Ben Benjamin Taras Carlos Arthur Idris Omar Erik Gabor Pieter Victor Oliver Jonas Hakainde`)

// speaker is a resolved (or not) attribution.
type speaker struct {
	name     string
	ent      int // entity index, -1 when none
	span     slant.Span
	resolved bool
	// head is the description's head noun, for later "the spokesperson".
	head string
	kind string // entity kind, or "person"/"" for descriptions
}

func (a *attributor) entityID(sp speaker) int {
	if sp.ent < 0 {
		return 0
	}
	return a.ents[sp.ent].ID
}

// mentionAt returns the mention covering token i, or -1.
func (a *attributor) mentionAt(i int) int {
	t := a.toks[i]
	k := sort.Search(len(a.mentions), func(k int) bool { return a.mentions[k].End > t.Start })
	if k < len(a.mentions) && a.mentions[k].Start <= t.Start && t.End <= a.mentions[k].End+3 {
		return k
	}
	// A possessive token ("Koshkin’s") extends past the mention.
	if k < len(a.mentions) && a.mentions[k].Start <= t.Start && a.mentions[k].End > t.Start {
		return k
	}
	return -1
}

// fromMention makes a resolved speaker from mention k.
func (a *attributor) fromMention(k int) speaker {
	m := a.mentions[k]
	e := a.ents[m.ent]
	return speaker{name: e.Name, ent: m.ent, span: m.Span, resolved: true, kind: e.Kind}
}

// sentenceBounds returns the token range [lo, hi) of the sentence holding
// token i.
func (a *attributor) sentenceBounds(i int) (int, int) {
	si := a.sentenceAt(a.toks[i].Start)
	if si < 0 {
		return 0, len(a.toks)
	}
	sp := a.sents[si]
	lo := a.tokenIndex(sp.Start)
	hi := a.tokenIndex(sp.End)
	return lo, hi
}

// subjectBefore finds the speaker of the cue at token c: the noun phrase
// just before it, skipping auxiliaries, an appositive between commas and a
// relative pronoun. lo is the first token it may look at.
func (a *attributor) subjectBefore(c, lo int, prev []*slant.Quote) speaker {
	j := c - 1
	for j >= lo {
		w := a.tokText(j)
		switch {
		case auxiliaries[strings.ToLower(w)] || strings.HasSuffix(w, "ly") && len(w) > 4 && isLowerWord(w):
			j--
			continue
		case w == ",":
			// "the head of the army, General Mark Milley, said": the name
			// between the commas speaks.
			if j-1 >= lo {
				if k := a.mentionAt(j - 1); k >= 0 && a.ents[a.mentions[k].ent].Kind == slant.KindPerson {
					return a.fromMention(k)
				}
			}
			// An appositive: "Scott Bennett, a former officer, told".
			k := j - 1
			for k >= lo && k > j-30 && a.tokText(k) != "," {
				k--
			}
			if k >= lo && a.tokText(k) == "," && k > lo {
				j = k - 1
				continue
			}
			return speaker{ent: -1}
		case (w == "but" || w == "and") && j > lo:
			// "A spokesman did not address X but did note that": the
			// subject opens the sentence.
			return a.subjectAtStart(lo, j, prev)
		case relatives[w] && j > lo:
			j--
			if j >= lo && a.tokText(j) == "," {
				j--
			}
			continue
		}
		break
	}
	if j < lo {
		return speaker{ent: -1}
	}
	return a.phraseEndingAt(j, lo, prev)
}

// subjectAtStart resolves the subject that opens a sentence at token lo:
// the first person mentioned before token hi, else a description that
// starts there ("A US State Department spokesman").
func (a *attributor) subjectAtStart(lo, hi int, prev []*slant.Quote) speaker {
	for x := lo; x < hi && x < lo+12; x++ {
		if k := a.mentionAt(x); k >= 0 && a.ents[a.mentions[k].ent].Kind == slant.KindPerson && !a.inQuotes(a.toks[x].Start) {
			return a.fromMention(k)
		}
	}
	for x := lo; x < hi && x < lo+8; x++ {
		if speakerNouns[a.lower(x)] {
			return a.phraseEndingAt(x, lo, prev)
		}
	}
	return speaker{ent: -1}
}

// firstSpeaker resolves the subject of a sentence for a participle cue
// ("Jake Sullivan urged ..., arguing that"): the first person mentioned in
// [lo, hi), else the first organisation or group, else the subject at the
// start.
func (a *attributor) firstSpeaker(lo, hi int, prev []*slant.Quote) speaker {
	other := -1
	for x := lo; x < hi; x++ {
		if a.inQuotes(a.toks[x].Start) {
			continue
		}
		if k := a.mentionAt(x); k >= 0 {
			switch a.ents[a.mentions[k].ent].Kind {
			case slant.KindPerson:
				return a.fromMention(k)
			case slant.KindOrganization, slant.KindGroup:
				if other < 0 {
					other = k
				}
			}
		}
	}
	if other >= 0 {
		return a.fromMention(other)
	}
	return a.subjectAtStart(lo, hi, prev)
}

// phraseEndingAt resolves the noun phrase whose last token is j.
func (a *attributor) phraseEndingAt(j, lo int, prev []*slant.Quote) speaker {
	if k := a.mentionAt(j); k >= 0 {
		return a.fromMention(k)
	}
	w := a.tokText(j)
	if pronouns[w] {
		return a.pronoun(j, prev)
	}
	// Walk back to the determiner or the start of the phrase.
	k := j
	for k > lo && j-k < 8 {
		p := a.tokText(k - 1)
		r, _ := utf8.DecodeRuneInString(p)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) || cues[strings.ToLower(p)] || relatives[p] {
			break
		}
		k--
		if definite[p] || indefinite[p] {
			break
		}
	}
	first := a.tokText(k)
	head := strings.ToLower(w)
	if h, ok := speakerSynonyms[head]; ok {
		head = h
	}
	sp := slant.Span{Start: a.toks[k].Start, End: a.toks[j].End}
	phrase := a.s[sp.Start:sp.End]
	capital := unicode.IsUpper(s2r(a.s, a.toks[j].Start))
	if !speakerNouns[head] && !capital {
		// "Anonymous sources familiar with government affairs": the head
		// is further left.
		for x := k; x < j; x++ {
			if speakerNouns[a.lower(x)] && (indefinite[first] || definite[first]) {
				head = a.lower(x)
				break
			}
		}
	}
	switch {
	case speakerNouns[head] && definite[first]:
		// "the spokesperson": someone described before.
		for i := len(prev) - 1; i >= 0; i-- {
			q := prev[i]
			if q.Resolved && q.SpeakerEntity == 0 && q.Speaker != "" && headOf(q.Speaker) == head {
				return speaker{name: q.Speaker, ent: -1, span: sp, resolved: true, head: head, kind: slant.KindPerson}
			}
		}
		// "The Pentagon official assured" right after quoting Colin Kahl:
		// the person quoted just before, when a person noun describes
		// him and he was quoted within the last few sentences.
		if len(prev) > 0 && personNouns[head] {
			q := prev[len(prev)-1]
			if q.Resolved && q.SpeakerEntity > 0 && a.ents[q.SpeakerEntity-1].Kind == slant.KindPerson && sp.Start-q.End < 600 {
				e := a.ents[q.SpeakerEntity-1]
				return speaker{name: e.Name, ent: q.SpeakerEntity - 1, span: sp, resolved: true, kind: e.Kind}
			}
		}
		return speaker{ent: -1, span: sp, head: head}
	case documentNouns[head]:
		// "a report, which reads": a document speaks for whoever published
		// it, which the caller may find elsewhere.
		return speaker{ent: -1, span: sp, head: head}
	case speakerNouns[head] && !definite[first]:
		name := strings.TrimSpace(phrase)
		if indefinite[first] && (first == "a" || first == "an" || first == "A" || first == "An") {
			name = name[len(first)+1:]
		}
		return speaker{name: name, ent: -1, span: sp, resolved: true, head: head, kind: slant.KindPerson}
	case capital && !definite[w] && !indefinite[w]:
		// A name the entities analyzer did not know: take the capitalised run.
		s := j
		for s > lo && unicode.IsUpper(s2r(a.s, a.toks[s-1].Start)) {
			s--
		}
		sp = slant.Span{Start: a.toks[s].Start, End: a.toks[j].End}
		return speaker{name: a.s[sp.Start:sp.End], ent: -1, span: sp, resolved: true}
	}
	return speaker{ent: -1}
}

// headOf returns the last word of a description, normalised.
func headOf(d string) string {
	f := strings.Fields(d)
	if len(f) == 0 {
		return ""
	}
	h := strings.ToLower(f[len(f)-1])
	if s, ok := speakerSynonyms[h]; ok {
		return s
	}
	return h
}

func isLowerWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// gender returns "f", "m" or "" for a person's name.
func gender(name string) string {
	first, _, _ := strings.Cut(name, " ")
	switch {
	case femaleNames[first]:
		return "f"
	case maleNames[first]:
		return "m"
	}
	return ""
}

// fits reports whether a pronoun can refer to an entity of kind and name.
func fits(pron, kind, name string) bool {
	switch strings.ToLower(pron) {
	case "he":
		return kind == slant.KindPerson && gender(name) != "f"
	case "she":
		return kind == slant.KindPerson && gender(name) != "m"
	default: // they, it
		return kind == slant.KindOrganization || kind == slant.KindGroup || kind == slant.KindPlace
	}
}

// pronoun resolves the pronoun at token j: to the speaker of the latest
// quote before it when that fits (news goes on quoting the same person),
// else to the latest fitting entity mentioned before it.
func (a *attributor) pronoun(j int, prev []*slant.Quote) speaker {
	p := a.tokText(j)
	sp := slant.Span{Start: a.toks[j].Start, End: a.toks[j].End}
	if len(prev) > 0 {
		q := prev[len(prev)-1]
		if q.Resolved && q.SpeakerEntity > 0 {
			e := a.ents[q.SpeakerEntity-1]
			if fits(p, e.Kind, e.Name) && q.Start < sp.Start {
				return speaker{name: e.Name, ent: q.SpeakerEntity - 1, span: sp, resolved: true, kind: e.Kind}
			}
		}
		if q.Resolved && q.SpeakerEntity == 0 && q.Speaker != "" && (p == "he" || p == "she" || p == "He" || p == "She") {
			// "A State Department spokesman ... he said": the description.
			last := a.lastPersonMention(sp.Start, p)
			if last < 0 || a.mentions[last].Start < q.SpeakerSpan.Start {
				return speaker{name: q.Speaker, ent: -1, span: sp, resolved: true, kind: slant.KindPerson}
			}
		}
	}
	if strings.EqualFold(p, "they") {
		// Too often a group named only by a description ("a group of
		// senators ... they said"): left unresolved unless the last quote
		// was theirs (handled above).
		return speaker{ent: -1, span: sp}
	}
	if strings.EqualFold(p, "he") || strings.EqualFold(p, "she") {
		if k := a.lastPersonMention(sp.Start, p); k >= 0 {
			s := a.fromMention(k)
			s.span = sp
			return s
		}
		return speaker{ent: -1, span: sp}
	}
	for k := len(a.mentions) - 1; k >= 0; k-- {
		m := a.mentions[k]
		if m.Start >= sp.Start || a.inQuotes(m.Start) {
			continue
		}
		e := a.ents[m.ent]
		if fits(p, e.Kind, e.Name) {
			s := a.fromMention(k)
			s.span = sp
			return s
		}
		break // "it" refers to the latest entity or to nothing we know
	}
	return speaker{ent: -1, span: sp}
}

// lastPersonMention returns the latest person mention before b, outside
// quotation marks, that pronoun p fits; -1 when none.
func (a *attributor) lastPersonMention(b int, p string) int {
	for k := len(a.mentions) - 1; k >= 0; k-- {
		m := a.mentions[k]
		if m.Start >= b || a.inQuotes(m.Start) {
			continue
		}
		e := a.ents[m.ent]
		if fits(p, e.Kind, e.Name) {
			return k
		}
	}
	return -1
}
