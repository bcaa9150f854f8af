package docclass

import (
	"math"
	"testing"

	"github.com/slant-news/slant/learn"
)

func TestClassScores(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		gold, pred []int
		p, r, f    []float64
	}{
		{"perfect", []int{0, 1, 2}, []int{0, 1, 2}, []float64{1, 1, 1}, []float64{1, 1, 1}, []float64{1, 1, 1}},
		{"majority collapse", []int{0, 0, 1, 2}, []int{0, 0, 0, 0}, []float64{0.5, 0, 0}, []float64{1, 0, 0}, []float64{2.0 / 3, 0, 0}},
		{"half", []int{1, 1, 0, 0}, []int{1, 0, 0, 1}, []float64{0.5, 0.5, 0}, []float64{0.5, 0.5, 0}, []float64{0.5, 0.5, 0}},
	}
	for _, tc := range tests {
		p, r, f := ClassScores(tc.gold, tc.pred, 3)
		for k := 0; k < 3; k++ {
			if math.Abs(p[k]-tc.p[k]) > 1e-9 || math.Abs(r[k]-tc.r[k]) > 1e-9 || math.Abs(f[k]-tc.f[k]) > 1e-9 {
				t.Errorf("%s class %d: P %v R %v F %v, want %v %v %v", tc.name, k, p[k], r[k], f[k], tc.p[k], tc.r[k], tc.f[k])
			}
		}
		mean := (f[0] + f[1] + f[2]) / 3
		if m := MacroF1(tc.gold, tc.pred, 3); math.Abs(m-mean) > 1e-9 {
			t.Errorf("%s: MacroF1 %v, mean of class F1 %v", tc.name, m, mean)
		}
	}
}

func TestBalance(t *testing.T) {
	t.Parallel()
	var data []learn.Example
	for i := 0; i < 40; i++ {
		data = append(data, learn.Example{Y: []int{0}})
	}
	for i := 0; i < 8; i++ {
		data = append(data, learn.Example{Y: []int{1}})
	}
	data = append(data, learn.Example{Y: []int{2}}, learn.Example{})
	n := map[int]int{}
	for _, e := range balance(data, 3) {
		if len(e.Y) == 0 {
			n[-1]++
			continue
		}
		n[e.Y[0]]++
	}
	// 40/8 = 5 copies; 40/1 capped at genreBalanceCap; unlabelled kept once.
	want := map[int]int{0: 40, 1: 40, 2: int(genreBalanceCap), -1: 1}
	for k, v := range want {
		if n[k] != v {
			t.Errorf("class %d: %d examples, want %d", k, n[k], v)
		}
	}
}

func TestGenreVectorStyle(t *testing.T) {
	t.Parallel()
	wire := "Council approves budget\n\nBRAMLEY — The town council said on Tuesday it approved the budget, according to a statement. \"We are pleased,\" the mayor told reporters.\n"
	rant := "Why must we suffer this?\n\nI am sick of it! You should be furious. Our leaders are corrupt, pathetic and absolutely useless!\n"
	feature := func(s, name string) float32 {
		b := learn.NewBuilder(featureBits)
		idx := b.Hash(name)
		for _, f := range genreVector(b, s) {
			if f.Index == idx {
				return f.Value
			}
		}
		return 0
	}
	tests := []struct {
		name       string
		more, less string
	}{
		{"g=say", wire, rant},
		{"g=dateline", wire, rant},
		{"g=s_attr", wire, rant},
		{"g=i", rant, wire},
		{"g=you", rant, wire},
		{"g=excl", rant, wire},
		{"g=eval", rant, wire},
		{"g=modal", rant, wire},
	}
	for _, tc := range tests {
		if a, b := feature(tc.more, tc.name), feature(tc.less, tc.name); a <= b {
			t.Errorf("%s: %v should exceed %v", tc.name, a, b)
		}
	}
}
