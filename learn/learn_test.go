package learn

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// synthetic makes a two-label problem: label 0 fires on word "alpha", label
// 1 on "beta"; the rest is noise. Each example is its own group.
func synthetic(n int, seed uint64) (*Builder, []Example) {
	b := NewBuilder(12)
	rng := rand.New(rand.NewPCG(seed, 1))
	noise := []string{"the", "a", "of", "news", "said", "today", "war", "report"}
	var data []Example
	for i := 0; i < n; i++ {
		var ys []int
		for j := 0; j < 6; j++ {
			b.Add("w="+noise[rng.IntN(len(noise))], 1)
		}
		if rng.IntN(3) == 0 {
			b.Add("w=alpha", 1)
			ys = append(ys, 0)
		}
		if rng.IntN(4) == 0 {
			b.Add("w=beta", 1)
			ys = append(ys, 1)
		}
		data = append(data, Example{X: b.Vector(true), Y: ys})
	}
	return b, data
}

func TestTrainLearnsSeparableLabels(t *testing.T) {
	t.Parallel()
	b, data := synthetic(400, 1)
	m := Train([]string{"A", "B"}, b.Dim(), data, Options{Seed: 7})
	_, test := synthetic(200, 2)
	errs := 0
	for _, e := range test {
		got, _ := m.Predict(e.X)
		if fmt.Sprint(got) != fmt.Sprint(e.Y) && !(len(got) == 0 && len(e.Y) == 0) {
			errs++
		}
	}
	if errs > 4 {
		t.Fatalf("%d of 200 test examples wrong on a separable problem", errs)
	}
}

func TestTrainDeterministicAndRoundTrip(t *testing.T) {
	t.Parallel()
	b, data := synthetic(300, 3)
	m1 := Train([]string{"A", "B"}, b.Dim(), data, Options{Seed: 11})
	m2 := Train([]string{"A", "B"}, b.Dim(), data, Options{Seed: 11})
	m1.Meta = map[string]string{"data": "synthetic", "cv": "1.0"}
	m2.Meta = map[string]string{"cv": "1.0", "data": "synthetic"}
	var w1, w2 bytes.Buffer
	if _, err := m1.WriteTo(&w1); err != nil {
		t.Fatal(err)
	}
	m2.WriteTo(&w2)
	if !bytes.Equal(w1.Bytes(), w2.Bytes()) {
		t.Fatal("same data and seed must give the same model bytes")
	}
	r, err := ReadModel(bytes.NewReader(w1.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if r.Meta["data"] != "synthetic" || len(r.Labels) != 2 {
		t.Fatalf("header lost: %+v", r.Meta)
	}
	for _, e := range data[:50] {
		p1 := m1.Scores(e.X, nil)
		p2 := r.Scores(e.X, nil)
		for k := range p1 {
			if math.Abs(p1[k]-p2[k]) > 1e-3 {
				t.Fatalf("quantised model drifts: %v vs %v", p1, p2)
			}
		}
	}
}

func TestReadModelRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, in := range [][]byte{nil, []byte("hello"), []byte(magic + "not gzip")} {
		if _, err := ReadModel(bytes.NewReader(in)); err == nil {
			t.Errorf("ReadModel(%q) accepted garbage", in)
		}
	}
}

func TestFoldsKeepGroupsTogetherAndBalance(t *testing.T) {
	t.Parallel()
	var groups []string
	for a := 0; a < 50; a++ {
		for p := 0; p < 1+a%5; p++ {
			groups = append(groups, fmt.Sprintf("art%d", a))
		}
	}
	folds := Folds(groups, len(groups), 5, 42)
	seen := map[string]int{}
	perFold := make([]map[string]bool, 5)
	for i := range perFold {
		perFold[i] = map[string]bool{}
	}
	for i, g := range groups {
		if f, ok := seen[g]; ok && f != folds[i] {
			t.Fatalf("group %s split across folds %d and %d", g, f, folds[i])
		}
		seen[g] = folds[i]
		perFold[folds[i]][g] = true
	}
	for f, gs := range perFold {
		if len(gs) != 10 {
			t.Errorf("fold %d has %d groups, want 10", f, len(gs))
		}
	}
	again := Folds(groups, len(groups), 5, 42)
	if fmt.Sprint(again) != fmt.Sprint(folds) {
		t.Error("folds not reproducible")
	}
}

func TestCrossValidateAndThresholds(t *testing.T) {
	t.Parallel()
	b, data := synthetic(300, 5)
	folds := Folds(nil, len(data), 5, 1)
	probs := CrossValidate([]string{"A", "B"}, b.Dim(), data, folds, 5, Options{Seed: 1}, 2)
	for i, p := range probs {
		if len(p) != 2 {
			t.Fatalf("example %d has no out-of-fold prediction", i)
		}
	}
	per, global := TuneThresholds(probs, data, 2, 0.3, 0.05)
	if global <= 0 || global >= 1 || per[0] < 0.05 || per[1] < 0.05 {
		t.Fatalf("thresholds out of range: per=%v global=%v", per, global)
	}
	tp, fp, fn := 0.0, 0.0, 0.0
	for i, e := range data {
		for k := 0; k < 2; k++ {
			pred := probs[i][k] >= float64(per[k])
			gold := hasLabel(e.Y, k)
			switch {
			case pred && gold:
				tp++
			case pred:
				fp++
			case gold:
				fn++
			}
		}
	}
	if f := F1(tp, fp, fn); f < 0.95 {
		t.Fatalf("cross-validated micro-F1 %.3f on a separable problem", f)
	}
}

func TestF1(t *testing.T) {
	t.Parallel()
	cases := []struct{ tp, fp, fn, want float64 }{{0, 0, 0, 0}, {1, 1, 0, 2.0 / 3}, {2, 0, 2, 2.0 / 3}, {5, 0, 0, 1}}
	for _, c := range cases {
		if got := F1(c.tp, c.fp, c.fn); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("F1(%v,%v,%v) = %v, want %v", c.tp, c.fp, c.fn, got, c.want)
		}
	}
}

func BenchmarkScores(b *testing.B) {
	bd, data := synthetic(100, 9)
	labels := make([]string, 23)
	for i := range labels {
		labels[i] = fmt.Sprint(i)
	}
	m := Train(labels, bd.Dim(), data, Options{Seed: 1, Epochs: 1})
	out := make([]float64, len(labels))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Scores(data[i%len(data)].X, out)
	}
}
