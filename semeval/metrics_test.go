package semeval

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// want is a figure a test expects, computed by hand in the test's comment.
type want map[string]float64

func check(t *testing.T, r *Result, w want) {
	t.Helper()
	for name, v := range w {
		got, ok := r.Value(name)
		if !ok {
			t.Errorf("%s: no figure %q", r.Task, name)
			continue
		}
		if math.Abs(got-v) > 1e-9 {
			t.Errorf("%s: %s = %.6f, want %.6f", r.Task, name, got, v)
		}
	}
}

func TestScoreTechniques(t *testing.T) {
	t.Parallel()
	labels := []string{"A", "B", "C"}
	gold := []ParagraphLabels{
		{ID: "1", Paragraph: 1, Techniques: []string{"A"}},
		{ID: "1", Paragraph: 2, Techniques: []string{"A", "B"}},
		{ID: "1", Paragraph: 3},
		{ID: "2", Paragraph: 1, Techniques: []string{"C"}},
	}
	tests := []struct {
		name  string
		gold  []ParagraphLabels
		pred  []ParagraphLabels
		want  want
		notes int
	}{{
		// (1,1): TP A; Z is not a label. (1,2): TP B, FP C, FN A.
		// (2,1) missing: FN C. (3,1) extra: ignored.
		// micro: TP 2, FP 1, FN 2 -> F1 4/7, P 2/3, R 2/4.
		// per label: A 2/(2+0+1) = 2/3, B 2/2 = 1, C 0/(0+1+1) = 0 -> macro 5/9.
		name: "mixed",
		gold: gold,
		pred: []ParagraphLabels{
			{ID: "1", Paragraph: 1, Techniques: []string{"A", "Z"}},
			{ID: "1", Paragraph: 2, Techniques: []string{"B", "C"}},
			{ID: "1", Paragraph: 3},
			{ID: "3", Paragraph: 1, Techniques: []string{"A"}},
		},
		want: want{"micro-F1": 4.0 / 7, "macro-F1": 5.0 / 9, "micro-precision": 2.0 / 3,
			"micro-recall": 0.5, "missing-paragraphs": 1, "extra-paragraphs": 1, "gold-paragraphs": 4},
		notes: 3,
	}, {
		// Nothing predicted: TP 0 -> micro 0, precision 1 (zero_division=1);
		// A, B, C all have gold and no TP -> macro 0.
		name:  "empty predictions",
		gold:  gold,
		want:  want{"micro-F1": 0, "macro-F1": 0, "micro-precision": 1, "micro-recall": 0, "missing-paragraphs": 4},
		notes: 1,
	}, {
		// No label anywhere, predicted none: every F1 is 0/0 -> 1.
		name: "nothing to find",
		gold: []ParagraphLabels{{ID: "1", Paragraph: 1}},
		pred: []ParagraphLabels{{ID: "1", Paragraph: 1}},
		want: want{"micro-F1": 1, "macro-F1": 1},
	}, {
		// Only A occurs, predicted right: A scores 1, B and C 0/0 -> 1.
		// A later line for the same paragraph replaces the earlier one.
		name: "duplicate line",
		gold: []ParagraphLabels{{ID: "1", Paragraph: 1, Techniques: []string{"A"}}},
		pred: []ParagraphLabels{{ID: "1", Paragraph: 1, Techniques: []string{"B"}}, {ID: "1", Paragraph: 1, Techniques: []string{"A"}}},
		want: want{"micro-F1": 1, "macro-F1": 1},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := ScoreTechniques(tt.gold, tt.pred, labels)
			check(t, r, tt.want)
			if len(r.Notes) != tt.notes {
				t.Errorf("notes %q, want %d", r.Notes, tt.notes)
			}
		})
	}
}

func TestScoreTechniquesDefaultLabels(t *testing.T) {
	t.Parallel()
	// One right label out of 23: Doubt F1 1, the 22 others 0/0 -> 1.
	gold := []ParagraphLabels{{ID: "1", Paragraph: 1, Techniques: []string{"Doubt"}}}
	check(t, ScoreTechniques(gold, gold, nil), want{"micro-F1": 1, "macro-F1": 1})
	// Predicting Slogans instead: Doubt 0, Slogans 0, 21 others 1 -> 21/23.
	pred := []ParagraphLabels{{ID: "1", Paragraph: 1, Techniques: []string{"Slogans"}}}
	check(t, ScoreTechniques(gold, pred, nil), want{"micro-F1": 0, "macro-F1": 21.0 / 23})
}

func TestScoreFrames(t *testing.T) {
	t.Parallel()
	gold := []ArticleLabels{
		{ID: "a", Labels: []string{"Economic", "Political"}},
		{ID: "b", Labels: []string{"Morality"}},
	}
	pred := []ArticleLabels{
		{ID: "a", Labels: []string{"Economic"}},
		{ID: "b", Labels: []string{"Morality", "Political"}},
	}
	// TP Economic, Morality; FN Political (a); FP Political (b):
	// micro 4/(4+1+1) = 2/3. Economic 1, Morality 1, Political 0, the 11
	// other frames 0/0 -> 1: macro 13/14.
	check(t, ScoreFrames(gold, pred, nil), want{"micro-F1": 2.0 / 3, "macro-F1": 13.0 / 14})
}

func TestScoreGenre(t *testing.T) {
	t.Parallel()
	gold := []ArticleLabel{{"a", "opinion"}, {"b", "opinion"}, {"c", "reporting"}, {"d", "satire"}}
	pred := []ArticleLabel{{"a", "opinion"}, {"b", "reporting"}, {"c", "reporting"}, {"e", "satire"}}
	// opinion: TP a, FN b -> 2/3; reporting: TP c, FP b -> 2/3;
	// satire: FN d (missing) -> 0. macro 4/9; accuracy 2/4;
	// micro TP 2, FP 1, FN 2 -> 4/7. e is extra.
	r := ScoreGenre(gold, pred)
	check(t, r, want{"macro-F1": 4.0 / 9, "accuracy": 0.5, "micro-F1": 4.0 / 7,
		"missing-articles": 1, "extra-articles": 1})
	// No predictions: every class has only FNs -> 0.
	check(t, ScoreGenre(gold, nil), want{"macro-F1": 0, "accuracy": 0})
	// Classes absent from gold and predictions do not count in the mean.
	one := []ArticleLabel{{"a", "satire"}}
	check(t, ScoreGenre(one, one), want{"macro-F1": 1, "accuracy": 1})
}

func TestScoreSpans(t *testing.T) {
	t.Parallel()
	gold := []Span{{"1", "T1", 0, 10}, {"1", "T2", 20, 30}}
	pred := []Span{{"1", "T1", 5, 15}, {"1", "T2", 0, 10}, {"2", "T1", 0, 4}}
	// Labelled: only pred T1 [5,15) meets gold T1 [0,10), sharing 5.
	// P = (5/10 + 0 + 0)/3 = 1/6, R = (5/10 + 0)/2 = 1/4, F1 = 0.2.
	// Unlabelled: pred merges to [0,15) in 1 and [0,4) in 2.
	// P = (10/15 + 0)/2 = 1/3, R = (10/10 + 0)/2 = 1/2, F1 = 0.4.
	check(t, ScoreSpans(gold, pred), want{"precision": 1.0 / 6, "recall": 0.25, "F1": 0.2,
		"unlabelled-precision": 1.0 / 3, "unlabelled-recall": 0.5, "unlabelled-F1": 0.4})
	check(t, ScoreSpans(gold, nil), want{"precision": 0, "recall": 0, "F1": 0})
	check(t, ScoreSpans(nil, pred), want{"precision": 0, "recall": 0, "F1": 0})
	// Overlapping duplicates of one technique merge: gold against itself is 1.
	dup := []Span{{"1", "T1", 0, 10}, {"1", "T1", 5, 12}, {"1", "T2", 5, 12}}
	check(t, ScoreSpans(dup, dup), want{"F1": 1, "unlabelled-F1": 1})
}

func TestScoreNarratives(t *testing.T) {
	t.Parallel()
	gold := []Narratives{
		{ID: "a", Narratives: []string{"X", "Y"}, Subnarratives: []string{"X: 1"}},
		{ID: "b", Narratives: []string{"Other"}, Subnarratives: []string{"Other"}},
		{ID: "c", Narratives: []string{"X"}, Subnarratives: []string{"X: 2"}},
	}
	pred := []Narratives{
		{ID: "a", Narratives: []string{"X"}, Subnarratives: []string{"X: 2"}},
		{ID: "b", Narratives: []string{"Other"}, Subnarratives: []string{"Other"}},
		{ID: "z", Narratives: []string{"X"}},
	}
	// coarse: a TP 1, FN 1 -> 2/3; b 1; c missing 0. mean 5/9;
	// sd sqrt(((2/3-5/9)^2 + (1-5/9)^2 + (5/9)^2)/3) = sqrt(42/243).
	// fine: a 0, b 1, c 0 -> mean 1/3, sd sqrt(2)/3.
	r := ScoreNarratives(gold, pred, nil, nil)
	check(t, r, want{"samples-F1-coarse": 5.0 / 9, "sd-coarse": math.Sqrt(42.0 / 243),
		"samples-F1-fine": 1.0 / 3, "sd-fine": math.Sqrt2 / 3, "missing-articles": 1, "extra-articles": 1})
	// With Y outside the coarse list, article a scores 1 on coarse.
	r = ScoreNarratives(gold, pred, []string{"X", "Other"}, nil)
	check(t, r, want{"samples-F1-coarse": 2.0 / 3})
	// Both sets empty scores 0 (zero_division=0).
	empty := []Narratives{{ID: "a"}}
	check(t, ScoreNarratives(empty, empty, nil, nil), want{"samples-F1-fine": 0, "samples-F1-coarse": 0})
}

func TestScoreRoles(t *testing.T) {
	t.Parallel()
	gold := []RoleMention{
		{ID: "a", Entity: "Ann", Start: 0, End: 4, Main: "Antagonist", Fine: []string{"Deceiver", "Corrupt"}},
		{ID: "a", Entity: "Bo", Start: 10, End: 12, Main: "Protagonist", Fine: []string{"Hero"}},
		{ID: "b", Entity: "Cy", Start: 3, End: 5, Main: "Innocent", Fine: []string{"Victim"}},
	}
	pred := []RoleMention{
		{ID: "a", Start: 0, End: 4, Main: "Antagonist", Fine: []string{"Deceiver"}},
		{ID: "a", Start: 10, End: 12, Main: "Antagonist", Fine: []string{"Hero"}},
		{ID: "a", Start: 20, End: 22, Main: "Antagonist", Fine: []string{"Hero"}},
	}
	// exact: only Bo -> 1/3; main: only Ann -> 1/3; fine roles TP Deceiver,
	// Hero; FN Corrupt, Victim; FP none -> P 1, R 1/2, F1 2/3.
	check(t, ScoreRoles(gold, pred), want{"EMR": 1.0 / 3, "main-accuracy": 1.0 / 3,
		"micro-precision": 1, "micro-recall": 0.5, "micro-F1": 2.0 / 3, "missing-mentions": 1, "extra-mentions": 1})
	check(t, ScoreRoles(gold, nil), want{"EMR": 0, "main-accuracy": 0, "micro-precision": 0, "micro-F1": 0})
	check(t, ScoreRoles(gold, gold), want{"EMR": 1, "main-accuracy": 1, "micro-F1": 1})
}

func TestTokenF1RougeL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		gold, pred   string
		token, rouge float64
	}{
		// common tokens the, cat, on, mat = 4; LCS the cat on mat = 4:
		// P 4/5, R 4/6 -> 8/11 for both.
		{"The cat sat on the mat.", "the cat on a mat", 8.0 / 11, 8.0 / 11},
		// Same bag, reversed order: token F1 1; LCS 1 -> 1/4.
		{"a b c d", "d c b a", 1, 0.25},
		{"", "", 1, 1},
		{"words", "", 0, 0},
		{"Kyiv's 3.5 tanks", "kyiv's 3.5 TANKS!", 1, 1},
	}
	for _, tt := range tests {
		g, p := words(tt.gold), words(tt.pred)
		if got := TokenF1(g, p); math.Abs(got-tt.token) > 1e-9 {
			t.Errorf("TokenF1(%q, %q) = %v, want %v", tt.gold, tt.pred, got, tt.token)
		}
		if got := RougeL(g, p); math.Abs(got-tt.rouge) > 1e-9 {
			t.Errorf("RougeL(%q, %q) = %v, want %v", tt.gold, tt.pred, got, tt.rouge)
		}
	}
}

func TestScoreExplanations(t *testing.T) {
	t.Parallel()
	gold := []Explanation{{"x", "A b, c d."}, {"y", "e"}}
	pred := []Explanation{{"x", "d c b a"}, {"w", "e"}}
	// x: token F1 1, ROUGE-L 1/4; y missing: 0, 0.
	check(t, ScoreExplanations(gold, pred), want{"token-F1": 0.5, "ROUGE-L": 0.125,
		"missing-articles": 1, "extra-articles": 1})
}

func TestResultPrint(t *testing.T) {
	t.Parallel()
	r := &Result{Task: "techniques", Metric: "micro-F1"}
	r.add("micro-F1", 0.41234)
	r.count("gold-paragraphs", 12)
	r.note("two\nlines")
	var b bytes.Buffer
	if err := r.Print(&b); err != nil {
		t.Fatal(err)
	}
	want := "figure           value\nmicro-F1         0.4123\ngold-paragraphs  12\nnote: two lines\ntechniques micro-F1 0.4123\n"
	if b.String() != want {
		t.Errorf("Print:\n%s\nwant:\n%s", b.String(), want)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if f := strings.Fields(lines[len(lines)-1]); len(f) != 3 {
		t.Errorf("last line %q is not TASK METRIC VALUE", lines[len(lines)-1])
	}
}
