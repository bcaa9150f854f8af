package docclass

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/text"
)

// Genre features. With 41 reporting and 10 satire articles among 433, a
// bag of words dominated by topic words learns the topics of the few
// minority articles, not their genre. The genre model therefore sees a
// compact block of normalised style rates (how the text is written) at
// full weight and the word block at a low weight.

// genreNgramWeight scales the L2-normalised word/bigram block of the genre
// features; genreStyleWeight the style rates (each in [0, 1] or so).
var (
	genreNgramWeight float32 = 0.3
	genreStyleWeight float32 = 1
)

// More word classes for genre cues.
var (
	modals     = set("should must ought need needs shall cannot can't won't")
	sayVerbs   = set("said says told according added stated announced reported confirmed noted explained wrote testified claimed insisted acknowledged declined")
	weekdays   = set("monday tuesday wednesday thursday friday saturday sunday")
	honorifics = set("sen rep gov mr mrs ms dr president spokesman spokeswoman spokesperson officials official minister secretary police")
	intensives = set("very really totally completely utterly absolutely truly clearly obviously simply never always everyone nobody nothing everything")
	evalAdj    = set("shameful disgraceful absurd ridiculous outrageous stupid idiotic insane crazy terrible horrible pathetic disgusting evil corrupt dishonest wonderful great amazing incredible brilliant fake lying liar hypocrite hypocritical radical treason traitor traitors")
	satireCues = set("reportedly sources confirmed confirm confirms local area nation's unnamed admitted admits hilarious parody satire fictional")
	pronounsWe = set("we us our ours ourselves")
	pronounsI  = set("i me my mine myself")
)

// genreVector returns the genre features of an article.
func genreVector(b *learn.Builder, s string) learn.Vector {
	toks := text.Tokens(s)
	var (
		nWords, iP, weP, youP, modal, say, wday, honor, inten, evalA, satire int
		quoteChars, insideQuote, caps, digits, excl, quest, nums             int
	)
	prev := ""
	inQuote := false
	for _, t := range toks {
		c, _ := utf8.DecodeRuneInString(s[t.Start:t.End])
		if !unicode.IsLetter(c) {
			switch {
			case c == '"' || c == '“' || c == '”':
				inQuote = c == '“' || (c == '"' && !inQuote)
				quoteChars++
			case c == '!':
				excl++
			case c == '?':
				quest++
			case c >= '0' && c <= '9':
				digits++
				nums++
			}
			continue
		}
		raw := s[t.Start:t.End]
		w := strings.ToLower(raw)
		if strings.ContainsRune(w, '’') {
			w = strings.ReplaceAll(w, "’", "'")
		}
		nWords++
		if inQuote {
			insideQuote++
		}
		if len(raw) >= 3 && strings.ToUpper(raw) == raw {
			caps++
		}
		switch {
		case pronounsI[w]:
			iP++
		case pronounsWe[w]:
			weP++
		case secondPerson[w]:
			youP++
		case modals[w]:
			modal++
		case sayVerbs[w]:
			say++
		case weekdays[w]:
			wday++
		case honorifics[w]:
			honor++
		case intensives[w]:
			inten++
		case evalAdj[w]:
			evalA++
		case satireCues[w]:
			satire++
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
	for i := range ngrams {
		ngrams[i].Value *= genreNgramWeight
	}

	n := float64(max(nWords, 1))
	rate := func(name string, v float64) { b.Add(name, genreStyleWeight*float32(v)) }
	per := func(name string, c int, scale float64) { rate(name, math.Min(1, scale*float64(c)/n)) }
	per("g=i", iP, 30)
	per("g=we", weP, 30)
	per("g=you", youP, 30)
	per("g=modal", modal, 50)
	per("g=say", say, 50)
	per("g=wday", wday, 200)
	per("g=honor", honor, 50)
	per("g=inten", inten, 50)
	per("g=eval", evalA, 100)
	per("g=satire", satire, 100)
	per("g=caps", caps, 50)
	per("g=digits", digits, 30)
	per("g=excl", excl, 100)
	per("g=quest", quest, 100)
	rate("g=quoted", float64(insideQuote)/n)

	// Sentence-level shares: what fraction of sentences attribute, ask,
	// speak in the first person.
	sents := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '\n' })
	var nS, sAttr, sFirst, sQuote, sLen float64
	for _, se := range sents {
		se = strings.TrimSpace(se)
		if len(se) < 20 {
			continue
		}
		nS++
		l := " " + strings.ToLower(se) + " "
		if strings.Contains(l, " said") || strings.Contains(l, " says ") || strings.Contains(l, " told ") || strings.Contains(l, "according to") {
			sAttr++
		}
		if strings.Contains(l, " i ") || strings.Contains(l, " we ") || strings.Contains(l, " my ") || strings.Contains(l, " our ") {
			sFirst++
		}
		if strings.ContainsAny(se, "\"“”") {
			sQuote++
		}
		sLen += float64(len(se))
	}
	if nS > 0 {
		rate("g=s_attr", sAttr/nS)
		rate("g=s_first", sFirst/nS)
		rate("g=s_quote", sQuote/nS)
		rate("g=s_len", math.Min(2, sLen/nS/150))
	}
	rate("g=len", math.Min(1, n/1500))
	rate("g=short", math.Min(1, 300/n))
	title, body, _ := strings.Cut(s, "\n")
	tw := strings.Fields(title)
	rate("g=t_len", math.Min(1, float64(len(tw))/20))
	if strings.ContainsAny(title, "\"“”‘’'") {
		rate("g=t_quote", 1)
	}
	if strings.ContainsAny(title, "?!") {
		rate("g=t_punct", 1)
	}
	capsT := 0
	for _, w := range tw {
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
			capsT++
		}
	}
	if len(tw) > 0 {
		rate("g=t_caps", float64(capsT)/float64(len(tw)))
	}
	lines := strings.Count(s, "\n")
	if lines > 0 {
		rate("g=blank", float64(strings.Count(s, "\n\n"))/float64(lines))
		rate("g=paras", math.Min(1, float64(lines)/60))
	}
	rate("g=dateline", dateline(s))
	lead := strings.ToLower(body[:min(len(body), 400)])
	for _, w := range []string{"(reuters)", "(ap)", "(cnn)", "(afp)", "associated press", "reuters", " on monday", " on tuesday", " on wednesday", " on thursday", " on friday"} {
		if strings.Contains(lead, w) {
			rate("g=wire", 1)
			break
		}
	}
	rate("bias", 1)
	return learn.Concat(ngrams, b.Vector(false))
}

// genreBalanceCap caps how many times an article of a rare genre is
// repeated in training, so each genre weighs about as much as opinion.
var genreBalanceCap = 10.0

// balance repeats the examples of rare single-label classes (up to
// genreBalanceCap times, about majority/class size) so that the logistic
// regression does not learn "always opinion". Order is deterministic.
func balance(data []learn.Example, L int) []learn.Example {
	n := make([]float64, L)
	for _, e := range data {
		if len(e.Y) > 0 {
			n[e.Y[0]]++
		}
	}
	most := 0.0
	for _, c := range n {
		most = math.Max(most, c)
	}
	var out []learn.Example
	for _, e := range data {
		r := 1
		if len(e.Y) > 0 && n[e.Y[0]] > 0 {
			r = int(math.Round(math.Min(genreBalanceCap, most/n[e.Y[0]])))
		}
		for j := 0; j < max(r, 1); j++ {
			out = append(out, e)
		}
	}
	return out
}

// innerOOFBalanced is innerOOF with each training fold balanced; the
// held-out articles are scored once each.
func innerOOFBalanced(docs []Doc, labels []string, data []learn.Example, opt Options) [][]float64 {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	folds := learn.Folds(ids, len(docs), opt.Folds, opt.Seed+1)
	probs := make([][]float64, len(data))
	sem := make(chan struct{}, opt.Workers)
	done := make(chan struct{})
	for f := 0; f < opt.Folds; f++ {
		go func(f int) {
			sem <- struct{}{}
			defer func() { <-sem; done <- struct{}{} }()
			var train []learn.Example
			for i, e := range data {
				if folds[i] != f {
					train = append(train, e)
				}
			}
			m := learn.Train(labels, 1<<featureBits, balance(train, len(labels)), opt.learn())
			for i, e := range data {
				if folds[i] == f {
					probs[i] = m.Scores(e.X, nil)
				}
			}
		}(f)
	}
	for f := 0; f < opt.Folds; f++ {
		<-done
	}
	return probs
}

// ClassScores returns each class's precision, recall and F1 (gold[i] < 0
// counts as no class).
func ClassScores(gold, pred []int, L int) (p, r, f []float64) {
	tp, fp, fn := make([]float64, L), make([]float64, L), make([]float64, L)
	for i := range gold {
		if pred[i] == gold[i] {
			tp[pred[i]]++
			continue
		}
		fp[pred[i]]++
		if gold[i] >= 0 {
			fn[gold[i]]++
		}
	}
	p, r, f = make([]float64, L), make([]float64, L), make([]float64, L)
	for k := 0; k < L; k++ {
		if tp[k]+fp[k] > 0 {
			p[k] = tp[k] / (tp[k] + fp[k])
		}
		if tp[k]+fn[k] > 0 {
			r[k] = tp[k] / (tp[k] + fn[k])
		}
		f[k] = learn.F1(tp[k], fp[k], fn[k])
	}
	return p, r, f
}
