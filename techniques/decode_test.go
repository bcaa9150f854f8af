package techniques

import (
	"testing"

	"github.com/slant-news/slant/learn"
)

// tokenIndex returns the index of the first token of d spelling w.
func tokenIndex(t *testing.T, d *doc, w string) int {
	t.Helper()
	for i, tk := range d.toks {
		if d.text[tk.start:tk.end] == w {
			return i
		}
	}
	t.Fatalf("no token %q", w)
	return -1
}

func TestClauseAt(t *testing.T) {
	t.Parallel()
	const s = "The mayor said, with a smile, that the bridge will open soon; critics doubt it."
	d := analyse(s, nil, nil)
	a, b := d.sentTok[0][0], d.sentTok[0][1]
	for _, tc := range []struct{ word, want string }{
		{"mayor", "The mayor said"},
		{"smile", "with a smile"},
		{"bridge", "that the bridge will open soon"},
		{"critics", "critics doubt it"},
	} {
		ca, cb := d.clauseAt(tokenIndex(t, d, tc.word), a, b)
		sp, ok := d.runSpan(ca, cb)
		if !ok || sp.Text(s) != tc.want {
			t.Errorf("clause of %q = %q (ok %v), want %q", tc.word, sp.Text(s), ok, tc.want)
		}
	}
}

func TestOnlyStopWords(t *testing.T) {
	t.Parallel()
	const s = "Our new plan is not the regime of no hope."
	d := analyse(s, nil, nil)
	for _, tc := range []struct {
		from, to string
		want     bool
	}{
		{"Our", "Our", true},
		{"is", "the", true},
		{"no", "no", true},
		{"regime", "regime", false},
		{"the", "regime", false},
	} {
		i, j := tokenIndex(t, d, tc.from), tokenIndex(t, d, tc.to)+1
		if got := d.onlyStopWords(i, j); got != tc.want {
			t.Errorf("onlyStopWords(%q..%q) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestSpanUnitsRoundTrip(t *testing.T) {
	t.Parallel()
	units := make([]uint8, len(Labels))
	units[labelIndex("Doubt")] = spanClause
	units[labelIndex("Appeal_to_Fear-Prejudice")] = spanSentence
	meta := map[string]string{
		sentenceMeta: unitNames(units, spanSentence),
		clauseMeta:   unitNames(units, spanClause) + ",No_Such_Technique",
	}
	got := parseUnits(meta)
	for k := range Labels {
		if got[k] != units[k] {
			t.Errorf("%s: unit %d, want %d", Labels[k], got[k], units[k])
		}
	}
	if none := parseUnits(nil); none[labelIndex("Doubt")] != spanTokens {
		t.Errorf("a model without the metadata keys must keep token runs")
	}
}

// TestDecodeUnits checks that a sentence-level technique gets its clause
// or sentence as the span and a word-level one its (extended) run.
func TestDecodeUnits(t *testing.T) {
	t.Parallel()
	const s = "Officials warned, in a late statement, that the storm could wreck the old harbour wall. The neo-Nazi regime replied."
	d := analyse(s, nil, nil)
	L := len(Labels)
	sc := &scores{para: make([]float32, len(d.paras)*L), tok: make([]float32, len(d.toks)*L)}
	for i := range sc.tok {
		sc.tok[i] = -10
	}
	fear, name := labelIndex("Appeal_to_Fear-Prejudice"), labelIndex("Name_Calling-Labeling")
	sc.tok[tokenIndex(t, d, "wreck")*L+fear] = 3
	sc.tok[tokenIndex(t, d, "neo-Nazi")*L+name] = 3
	// "regime" is a little below the threshold: run extension takes it.
	sc.tok[tokenIndex(t, d, "regime")*L+name] = -0.5
	for p := range d.paras {
		sc.para[p*L+fear], sc.para[p*L+name] = 0.9, 0.9
	}
	th := make([]float32, L)
	for k := range th {
		th[k] = 0.5
	}
	for _, tc := range []struct {
		unit     uint8
		wantFear string
	}{
		{spanClause, "that the storm could wreck the old harbour wall"},
		{spanSentence, "Officials warned, in a late statement, that the storm could wreck the old harbour wall"},
		{spanTokens, "wreck"},
	} {
		units := make([]uint8, L)
		units[fear] = tc.unit
		m := &Model{Tok: newThresholdModel(th), Para: newThresholdModel(th), sent: units}
		_, spans := m.decode(d, sc, defaultDecode)
		got := map[string]string{}
		for _, sp := range spans {
			got[sp.Technique] = sp.Span.Text(s)
		}
		if got[Labels[fear]] != tc.wantFear {
			t.Errorf("unit %d: fear span %q, want %q", tc.unit, got[Labels[fear]], tc.wantFear)
		}
		if got[Labels[name]] != "neo-Nazi regime" {
			t.Errorf("unit %d: name-calling span %q, want %q", tc.unit, got[Labels[name]], "neo-Nazi regime")
		}
	}
}

// newThresholdModel is a learn model holding only thresholds, all decode
// reads.
func newThresholdModel(th []float32) *learn.Model { return &learn.Model{Thresholds: th} }

// TestBackfillPrefersLexicon checks that a paragraph label's backfilled
// span is anchored on a word of the technique's lexicon rather than on a
// slightly higher-scoring ordinary word.
func TestBackfillPrefersLexicon(t *testing.T) {
	t.Parallel()
	const s = "A serious step was taken against the neo-Nazi regime yesterday."
	d := analyse(s, nil, nil)
	L := len(Labels)
	k := labelIndex("Loaded_Language")
	sc := &scores{para: make([]float32, len(d.paras)*L), tok: make([]float32, len(d.toks)*L)}
	for i := range sc.tok {
		sc.tok[i] = -10
	}
	sc.tok[tokenIndex(t, d, "serious")*L+k] = -1
	sc.tok[tokenIndex(t, d, "neo-Nazi")*L+k] = -1.5
	sc.para[k] = 0.9
	th := make([]float32, L)
	for i := range th {
		th[i] = 0.5
	}
	m := &Model{Tok: newThresholdModel(th), Para: newThresholdModel(th)}
	_, spans := m.decode(d, sc, defaultDecode)
	if len(spans) != 1 || spans[0].Span.Text(s) != "neo-Nazi" {
		var got []string
		for _, sp := range spans {
			got = append(got, sp.Technique+":"+sp.Span.Text(s))
		}
		t.Fatalf("spans %q, want one Loaded_Language span on \"neo-Nazi\"", got)
	}
}
