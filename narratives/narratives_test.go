package narratives

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/taxonomy"
)

// synthDocs invents a small training set: each article is built from
// filler plus the definition words of its labels, so the labels are
// learnable. No real data is used.
func synthDocs(n int, seed uint64) []Doc {
	rng := rand.New(rand.NewPCG(seed, 2))
	filler := strings.Fields("the minister said on tuesday that the talks in the capital would continue next week while officials met reporters")
	subs := taxonomy.Subnarratives()
	var docs []Doc
	for i := 0; i < n; i++ {
		var b strings.Builder
		b.WriteString("An invented headline\n\n")
		for j := 0; j < 40; j++ {
			b.WriteString(filler[rng.IntN(len(filler))] + " ")
		}
		d := Doc{ID: fmt.Sprintf("EN_UA_%06d.txt", i), Domain: taxonomy.DomainURW}
		switch rng.IntN(3) {
		case 0:
			d.Narratives, d.Subnarratives = []string{"Other"}, []string{"Other"}
		default:
			// Pick among the first few war subnarratives so each has examples.
			s := subs[rng.IntN(6)]
			d.Narratives, d.Subnarratives = []string{s.Parent}, []string{s.Label}
			b.WriteString(". " + s.Definition + " " + s.Short() + ".")
		}
		d.Text = b.String()
		docs = append(docs, d)
	}
	return docs
}

func trainSynth(t testing.TB, seed uint64) (*Model, []Doc) {
	docs := synthDocs(80, seed)
	m, err := Train(context.Background(), docs, TrainOptions{Seed: 3, Folds: 2, Workers: 1, Epochs: 3})
	if err != nil {
		t.Fatal(err)
	}
	return m, docs
}

func TestTrainDeterministicAndRoundTrip(t *testing.T) {
	t.Parallel()
	m1, docs := trainSynth(t, 1)
	m2, _ := trainSynth(t, 1)
	var b1, b2 bytes.Buffer
	if _, err := m1.WriteTo(&b1); err != nil {
		t.Fatal(err)
	}
	if _, err := m2.WriteTo(&b2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Fatal("same data and seed gave different model bytes")
	}
	r, err := ReadModel(bytes.NewReader(b1.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs[:20] {
		a, b := m1.Predict(d.Text), r.Predict(d.Text)
		if fmt.Sprint(a.Labels()) != fmt.Sprint(b.Labels()) {
			t.Fatalf("read-back model predicts %v, trained one %v", b, a)
		}
	}
	if s := Evaluate(docs, predictAll(m1, docs)); s.CoarseF1 < 0.8 {
		t.Errorf("training-set coarse samples-F1 %.2f on learnable synthetic data", s.CoarseF1)
	}
}

func predictAll(m *Model, docs []Doc) []Prediction {
	out := make([]Prediction, len(docs))
	for i, d := range docs {
		out[i] = m.Predict(d.Text)
	}
	return out
}

func TestReadModelRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "SLANTNR1", "SLANTNR1\x05abc", "nonsense"} {
		if _, err := ReadModel(strings.NewReader(in)); err == nil {
			t.Errorf("ReadModel(%q) accepted garbage", in)
		}
	}
}

// TestDecodeHierarchy checks on random probability vectors that every
// prediction is consistent with the taxonomy.
func TestDecodeHierarchy(t *testing.T) {
	t.Parallel()
	var coarse, fine []string
	for _, n := range taxonomy.Narratives() {
		coarse = append(coarse, n.Label)
	}
	coarse = append(coarse, taxonomy.OtherNarrative, domainLabel)
	for _, n := range taxonomy.Subnarratives() {
		fine = append(fine, n.Label)
	}
	m := &Model{Coarse: &learn.Model{Labels: coarse}, Fine: &learn.Model{Labels: fine}}
	rng := rand.New(rand.NewPCG(5, 5))
	for trial := 0; trial < 2000; trial++ {
		p := probs{make([]float64, len(coarse)), make([]float64, len(fine))}
		for k := range p.coarse {
			p.coarse[k] = rng.Float64()
		}
		for k := range p.fine {
			p.fine[k] = rng.Float64()
		}
		ct, ft := make([]float32, len(coarse)), make([]float32, len(fine))
		for k := range ct {
			ct[k] = float32(rng.Float64())
		}
		for k := range ft {
			ft[k] = float32(rng.Float64())
		}
		m.prepare()
		m.otherRatio, m.relRatio, m.otherFloor, m.subRatio = 0, 0, 0, 0
		if trial%2 == 1 {
			m.otherRatio, m.relRatio, m.otherFloor, m.subRatio = rng.Float64(), rng.Float64(), rng.Float64(), 2*rng.Float64()
		}
		checkConsistent(t, m.decode(p, ct, ft))
	}
}

func checkConsistent(t *testing.T, pred Prediction) {
	t.Helper()
	narrs, subs := pred.Labels()
	if len(narrs) == 0 || len(subs) == 0 {
		t.Fatalf("empty label list: %+v", pred)
	}
	if narrs[0] == "Other" || subs[0] == "Other" {
		if len(narrs) != 1 || len(subs) != 1 || narrs[0] != "Other" || subs[0] != "Other" {
			t.Fatalf("Other mixed with labels: %v / %v", narrs, subs)
		}
		return
	}
	if len(narrs) > maxNarratives {
		t.Fatalf("%d narratives", len(narrs))
	}
	has := map[string]bool{}
	for _, n := range narrs {
		l, ok := taxonomy.LookupNarrative(n)
		if !ok || l.Parent != "" || l.Domain != pred.Domain {
			t.Fatalf("narrative %q not a %s narrative", n, pred.Domain)
		}
		has[n] = true
	}
	covered := map[string]bool{}
	for _, s := range subs {
		l, ok := taxonomy.LookupNarrative(s)
		if !ok || l.Parent == "" || !has[l.Parent] {
			t.Fatalf("subnarrative %q without its narrative in %v", s, narrs)
		}
		covered[l.Parent] = true
	}
	for _, n := range narrs {
		if !covered[n] {
			t.Fatalf("narrative %q has no subnarrative (want at least %q)", n, taxonomy.OtherSubnarrative(n))
		}
	}
}

func TestEvidenceAndExplanation(t *testing.T) {
	t.Parallel()
	m, _ := trainSynth(t, 2)
	b, err := os.ReadFile("testdata/invented.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, n := range m.Narratives(s, nil) {
		if n.Score <= 0 || n.Score > 1 {
			t.Errorf("%s: score %v", n.Narrative, n.Score)
		}
		for _, e := range n.Evidence {
			if e.Start < 0 || e.End > len(s) || e.Start >= e.End {
				t.Errorf("%s: bad evidence span %+v", n.Narrative, e)
			}
		}
	}
	nuclear := "URW: Amplifying war-related fears: There is a real possibility that nuclear weapons will be employed"
	ex := m.Explain(s, nil, "URW: Amplifying war-related fears", nuclear)
	if w := len(strings.Fields(ex)); w == 0 || w > MaxExplanationWords {
		t.Fatalf("explanation has %d words: %q", w, ex)
	}
	lead := leadIn("URW: Amplifying war-related fears", nuclear)
	if !strings.HasPrefix(ex, lead) || !strings.Contains(lead, "nuclear weapons") {
		t.Fatalf("explanation %q does not start with the lead-in %q", ex, lead)
	}
	for _, sent := range strings.SplitAfter(strings.TrimPrefix(ex, lead), ". ") {
		if !strings.Contains(s, strings.TrimSpace(sent)) {
			t.Errorf("explanation part %q is not taken from the article", sent)
		}
	}
	if !strings.Contains(ex, "nuclear war") {
		t.Errorf("explanation of the nuclear subnarrative misses the nuclear sentence: %q", ex)
	}
	long := "Title\n\n" + strings.Repeat("word ", 200) + "end."
	if w := len(strings.Fields(m.Explain(long, nil, "URW: Discrediting Ukraine", "none"))); w > MaxExplanationWords {
		t.Errorf("long sentence explanation has %d words", w)
	}
}

func TestSetF1(t *testing.T) {
	t.Parallel()
	cases := []struct {
		gold, pred []string
		want       float64
	}{
		{[]string{"Other"}, []string{"Other"}, 1},
		{[]string{"A", "B"}, []string{"A"}, 2.0 / 3},
		{[]string{"A"}, []string{"B"}, 0},
		{nil, nil, 1},
	}
	for _, c := range cases {
		if got := setF1(c.gold, c.pred); fmt.Sprintf("%.4f", got) != fmt.Sprintf("%.4f", c.want) {
			t.Errorf("setF1(%v, %v) = %v, want %v", c.gold, c.pred, got, c.want)
		}
	}
}

func TestFoldedScoresMatchFold(t *testing.T) {
	t.Parallel()
	m, docs := trainSynth(t, 4)
	b := learn.NewBuilder(featureBits)
	m.prepare()
	for _, d := range docs[:10] {
		x := m.feat.vector(b, d.Text, 0, len(d.Text), nil)
		want := m.Fine.Scores(fold(x, m.Fine.Dim), nil)
		got := foldedScores(m.Fine, x, m.fineNZ)
		for k := range want {
			if d := want[k] - got[k]; d > 1e-9 || d < -1e-9 {
				t.Fatalf("label %d: folded %v, direct %v", k, want[k], got[k])
			}
		}
	}
}

// TestVectorMatchesBuilder pins the hand-rolled feature hashing to
// learn.Builder's, which the training and model format rely on.
func TestVectorMatchesBuilder(t *testing.T) {
	t.Parallel()
	f := newFeaturizer([]string{"URW: Discrediting Ukraine", "CC: Downplaying climate change"})
	b := learn.NewBuilder(featureBits)
	s := "The West is weak; the West’s leaders lie. Climate cycles are natural, said Kiev’s mayor."
	got := f.vector(b, s, 0, len(s), nil)
	// The same features through Builder and Concat, the reference path.
	ws, _ := words(s, 0, len(s), nil)
	prev := ""
	for _, w := range ws {
		if !stopwords[w.w] {
			b.AddPrefixed("w=", w.w, 1)
		}
		if prev != "" {
			b.AddPair("b=", prev, w.w, 1)
		}
		prev = w.w
	}
	ngrams := logNormalise(b.Vector(false))
	sims := make([]float64, 2)
	f.vector(nil, s, 0, len(s), sims)
	for i, l := range f.labels {
		if sims[i] != 0 {
			b.AddPrefixed("def=", l, float32(sims[i]*simScale))
		}
	}
	b.Add("bias", 0.1)
	want := learn.Concat(ngrams, b.Vector(false))
	got = learn.Concat(got) // sorted by index, as the reference
	if len(got) != len(want) {
		t.Fatalf("%d features, Builder path %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Index != want[i].Index || math.Abs(float64(got[i].Value-want[i].Value)) > 1e-6 {
			t.Fatalf("feature %d: %+v, Builder path %+v", i, got[i], want[i])
		}
	}
}

// TestDecodeOtherFloor pins the Other floor: an article whose narratives
// are all unlikely gets the domain's best one when p(Other) is below the
// floor, and Other when it is not.
func TestDecodeOtherFloor(t *testing.T) {
	t.Parallel()
	coarse := []string{"URW: Discrediting Ukraine", "URW: Discrediting the West, Diplomacy", taxonomy.OtherNarrative, domainLabel}
	fine := []string{"URW: Discrediting Ukraine: Other", "URW: Discrediting the West, Diplomacy: Other"}
	m := &Model{Coarse: &learn.Model{Labels: coarse}, Fine: &learn.Model{Labels: fine}}
	m.prepare()
	ct := []float32{0.5, 0.5, 0.5, 0.5}
	ft := []float32{0.5, 0.5}
	p := probs{coarse: []float64{0.02, 0.01, 0.06, 0.99}, fine: []float64{0.1, 0.1}}
	tests := []struct {
		floor, ratio float64
		want         string
	}{
		{0, 0.6, taxonomy.OtherNarrative},    // Other is 3x ahead of the best narrative
		{0.05, 0.6, taxonomy.OtherNarrative}, // p(Other) 0.06 is not below the floor
		{0.1, 0.6, coarse[0]},                // it is below this one
	}
	for _, tc := range tests {
		m.otherFloor, m.otherRatio, m.relRatio = tc.floor, tc.ratio, 0
		got := m.decode(p, ct, ft)
		checkConsistent(t, got)
		if n, _ := got.Labels(); n[0] != tc.want {
			t.Errorf("floor %v: %v, want %s", tc.floor, n, tc.want)
		}
	}
}
