package techniques

import (
	"math"
	"sort"
	"strings"

	"github.com/slant-news/slant"
)

// Decoding turns the models' probabilities into what a reader sees:
// paragraph labels and technique spans that agree with each other (every
// paragraph label is backed by at least one span of that technique inside
// the paragraph).

// decodeOptions are the decoding knobs; CV measures their effect.
type decodeOptions struct {
	// backfill adds, for each paragraph label without a span, the best run
	// of tokens for that technique in the paragraph.
	backfill bool
	// spanLabels adds a paragraph label for every span the token model is
	// confident of (a span scoring at least the paragraph threshold).
	spanLabels bool
	// onlyLabelled keeps token-model spans only in paragraphs labelled with
	// their technique, so that spans and paragraph labels agree both ways.
	onlyLabelled bool
	// gap is the number of tokens below threshold a run may bridge when
	// the technique resumes right after, so one phrase is one span.
	gap int
	// noSentences keeps every technique's spans to token runs (no
	// technique takes whole sentences).
	noSentences bool
	// extend grows a run over neighbouring content words whose log-odds
	// are within extend of the threshold, so "neo-Nazi regime" is one span
	// rather than "neo-Nazi".
	extend float32
}

var defaultDecode = decodeOptions{backfill: true, onlyLabelled: true, extend: 2}

// decode reads paragraph labels and spans off the scores. Offsets are bytes.
func (m *Model) decode(d *doc, s *scores, o decodeOptions) ([]slant.ParagraphLabels, []slant.TechniqueSpan) {
	L := len(Labels)
	var spans []slant.TechniqueSpan
	spanParas := make(map[[2]int]bool) // (paragraph, technique) backed by a span
	paraOf := func(tokIdx int) int { return d.paraAt(d.toks[tokIdx].start) }
	for si := range d.sents {
		a, b := d.sentTok[si][0], d.sentTok[si][1]
		for k := 0; k < L; k++ {
			th := logit(m.Tok.Thresholds[k])
			if u := m.sentenceMode(k); u != spanTokens {
				// The sentence (clause) is the span when any of its tokens
				// passes.
				p := paraOf(a)
				if o.onlyLabelled && s.para[p*L+k] < m.Para.Thresholds[k] {
					continue
				}
				for i := a; i < b; {
					if s.tok[i*L+k] < th {
						i++
						continue
					}
					ca, cb := a, b
					if u == spanClause {
						ca, cb = d.clauseAt(i, a, b)
					}
					best := th
					for x := ca; x < cb; x++ {
						best = max(best, s.tok[x*L+k])
					}
					if sp, ok := d.runSpan(ca, cb); ok && !d.onlyStopWords(ca, cb) {
						spans = append(spans, slant.TechniqueSpan{Span: sp, Technique: Labels[k], Score: float64(sigmoid32(best))})
						spanParas[[2]int{p, k}] = true
					}
					i = cb
				}
				continue
			}
			for i := a; i < b; {
				if s.tok[i*L+k] < th {
					i++
					continue
				}
				j, best := i, th
				for j < b {
					if z := s.tok[j*L+k]; z >= th {
						best = max(best, z)
						j++
						continue
					}
					n := j
					for n < b && n-j < o.gap && s.tok[n*L+k] < th {
						n++
					}
					if n == j || n >= b || s.tok[n*L+k] < th {
						break
					}
					j = n
				}
				i0 := i
				if o.extend > 0 {
					lo := th - o.extend
					for i0 > a && s.tok[(i0-1)*L+k] >= lo && d.content(i0-1) {
						i0--
					}
					for j < b && s.tok[j*L+k] >= lo && d.content(j) {
						j++
					}
				}
				if sp, ok := d.runSpan(i0, j); ok && !d.onlyStopWords(i0, j) {
					p := paraOf(i)
					if o.onlyLabelled && s.para[p*L+k] < m.Para.Thresholds[k] {
						i = j
						continue
					}
					spans = append(spans, slant.TechniqueSpan{Span: sp, Technique: Labels[k], Score: float64(sigmoid32(best))})
					spanParas[[2]int{p, k}] = true
				}
				i = j
			}
		}
	}
	paras := make([]slant.ParagraphLabels, len(d.paras))
	for p := range d.paras {
		pl := slant.ParagraphLabels{Span: d.paras[p], Paragraph: p + 1, Techniques: []string{}}
		a, b := d.paraTok[p][0], d.paraTok[p][1]
		if a < b {
			for k := 0; k < L; k++ {
				pr := s.para[p*L+k]
				on := pr >= m.Para.Thresholds[k]
				if !on && o.spanLabels && spanParas[[2]int{p, k}] && pr >= m.Para.Thresholds[k]/2 {
					on = true
				}
				if !on {
					continue
				}
				pl.Techniques = append(pl.Techniques, Labels[k])
				pl.Scores = append(pl.Scores, float64(pr))
				if o.backfill && !spanParas[[2]int{p, k}] {
					if sp, ok := d.bestRun(s, k, a, b, m.sentenceMode(k)); ok {
						spans = append(spans, slant.TechniqueSpan{Span: sp, Technique: Labels[k], Score: float64(pr)})
						spanParas[[2]int{p, k}] = true
					}
				}
			}
		}
		paras[p] = pl
	}
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].Start != spans[j].Start {
			return spans[i].Start < spans[j].Start
		}
		return spans[i].End < spans[j].End
	})
	return paras, spans
}

// runSpan returns the byte span of tokens [i, j) without punctuation at its
// edges; false when nothing but punctuation is left.
func (d *doc) runSpan(i, j int) (slant.Span, bool) {
	for i < j && d.toks[i].shape >= shapePunct {
		i++
	}
	for j > i && d.toks[j-1].shape >= shapePunct {
		j--
	}
	if i >= j {
		return slant.Span{}, false
	}
	return slant.Span{Start: d.toks[i].start, End: d.toks[j-1].end}, true
}

// bestRun finds the token of [a, b) most likely to carry technique k and
// grows a span around it inside its sentence while neighbours keep at least
// half its probability.
//
// For a sentence (clause) unit, the span is the best token's sentence
// (clause).
func (d *doc) bestRun(s *scores, k, a, b int, unit uint8) (slant.Span, bool) {
	L := len(Labels)
	best, at := float32(math.Inf(-1)), -1
	for i := a; i < b; i++ {
		// A span anchored on "the" or a comma explains nothing to a reader.
		if d.toks[i].shape >= shapePunct || spanStopHashes[d.toks[i].h] {
			continue
		}
		z := s.tok[i*L+k]
		if d.toks[i].lex&techniqueLex[k] != 0 {
			z += anchorLexBonus
		}
		if z > best {
			best, at = z, i
		}
	}
	if at < 0 {
		return slant.Span{}, false
	}
	// Half the anchor's probability, in log-odds.
	half := logit(sigmoid32(s.tok[at*L+k]) / 2)
	sa, sb := d.sentTok[d.toks[at].sent][0], d.sentTok[d.toks[at].sent][1]
	switch unit {
	case spanSentence:
		return d.runSpan(sa, sb)
	case spanClause:
		return d.runSpan(d.clauseAt(at, sa, sb))
	}
	i, j := at, at+1
	for i > sa && s.tok[(i-1)*L+k] >= half {
		i--
	}
	for j < sb && s.tok[j*L+k] >= half {
		j++
	}
	return d.runSpan(i, j)
}

// onlyStopWords reports whether tokens [i, j) hold nothing but stop words
// and punctuation: such a span shows a reader nothing.
func (d *doc) onlyStopWords(i, j int) bool {
	for _, t := range d.toks[i:j] {
		if t.shape < shapePunct && !spanStopHashes[t.h] {
			return false
		}
	}
	return true
}

// spanStopHashes are the function words a span cannot consist of alone
// (the feature stop list plus pronouns, determiners, auxiliaries,
// negations, conjunctions and reporting verbs): "is", "our" or "no" as a span tells a
// reader nothing.
var spanStopHashes = func() map[uint32]bool {
	// stopHashes is filled by an init function, which runs after package
	// variables are initialised: its words are listed here again.
	m := make(map[uint32]bool, 160)
	for _, w := range strings.Fields(`the a an of to in and is was for on that with as by at it
		from be are has have had this which were been its or he she his her their they s
		i me my we us our ours you your yours him them itself themselves these those there
		here who whom whose what when where why how not no nor but if so than then too very
		can could will would shall should may might must do does did done being am also
		just only into onto over under about after before between through during all any
		both each few more most other some such own same one two new said says say told`) {
		h, _ := hashLower(w, nil)
		m[h] = true
	}
	return m
}()

// content reports whether token i is a word other than a function word.
func (d *doc) content(i int) bool {
	t := d.toks[i]
	return t.shape < shapePunct && !spanStopHashes[t.h]
}

// anchorLexBonus is added to the log-odds of a token of one of the
// technique's own lexicons when bestRun picks the token to anchor a span
// on: in a paragraph labelled Loaded_Language, "neo-Nazi" explains the label
// better than "serious" even when the token model scores them alike.
const anchorLexBonus = 4

// techniqueLex maps each technique (Labels order) to the lexicon categories
// whose words signal it.
var techniqueLex = func() []uint32 {
	m := map[string]uint32{
		"Appeal_to_Authority":       lexAuthority,
		"Appeal_to_Popularity":      lexPopularity,
		"Appeal_to_Fear-Prejudice":  lexFear,
		"Flag_Waving":               lexFlag | lexWe,
		"Causal_Oversimplification": lexCausal,
		"False_Dilemma-No_Choice":   lexDilemma,
		"Whataboutism":              lexHypocrisy,
		"Slogans":                   lexSlogan,
		"Conversation_Killer":       lexSlogan,
		"Loaded_Language":           lexLoaded | lexLabel | lexIntensifier,
		"Exaggeration-Minimisation": lexExaggerate | lexMinimise | lexIntensifier,
		"Name_Calling-Labeling":     lexLabel | lexLoaded,
		"Doubt":                     lexDoubt,
		"Appeal_to_Hypocrisy":       lexHypocrisy,
		"Appeal_to_Time":            lexTime,
	}
	out := make([]uint32, len(Labels))
	for k, l := range Labels {
		out[k] = m[l]
	}
	return out
}()
