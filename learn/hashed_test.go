package learn

import (
	"math"
	"sort"
	"testing"
)

func TestAccumulatorMatchesBuilder(t *testing.T) {
	t.Parallel()
	type op struct {
		kind    int
		p, a, c string
		v       float32
	}
	cases := []struct {
		name string
		ops  []op
		norm bool
	}{
		{"empty", nil, true},
		{"words", []op{{0, "", "war", "", 1}, {1, "l=", "army", "", 2}, {2, "b=", "peace", "talks", 1}, {1, "l=", "army", "", 1}}, true},
		{"unnormalised", []op{{0, "", "x", "", 3}, {1, "p=", "é", "", -1}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, a := NewBuilder(12), NewAccumulator(12)
			for _, o := range tc.ops {
				switch o.kind {
				case 0:
					b.Add(o.a, o.v)
					a.Add(o.a, o.v)
				case 1:
					b.AddPrefixed(o.p, o.a, o.v)
					a.AddPrefixed(o.p, o.a, o.v)
				case 2:
					b.AddPair(o.p, o.a, o.c, o.v)
					a.AddPair(o.p, o.a, o.c, o.v)
				}
			}
			want := b.Vector(tc.norm)
			got := a.AppendVector(nil, tc.norm, 1)
			sort.Slice(got, func(i, j int) bool { return got[i].Index < got[j].Index })
			if len(got) != len(want) {
				t.Fatalf("got %v, want %v", got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("got %v, want %v", got, want)
				}
			}
			// Reset leaves nothing behind.
			a.Reset()
			if a.Len() != 0 || len(a.Vector(false)) != 0 {
				t.Fatalf("reset left %v", a.Vector(false))
			}
		})
	}
}

func TestAddLogitsMatchesScores(t *testing.T) {
	t.Parallel()
	m := &Model{Labels: []string{"a", "b", "c"}, Dim: 8, W: make([]float32, 24), Bias: []float32{0.1, -0.2, 0.3}}
	for i := range m.W {
		m.W[i] = float32(i%7) - 3
	}
	x := Vector{{1, 0.5}, {5, -1}, {3, 0.25}}
	y := Vector{{5, 0.5}, {9, 4}} // 9 is beyond Dim: ignored
	want := m.Scores(Concat(x, y), nil)
	got := make([]float64, 3)
	m.AddLogits(got, x, 1)
	m.AddLogits(got, y, 1)
	m.Probabilities(got)
	for k := range want {
		if math.Abs(got[k]-want[k]) > 1e-9 {
			t.Fatalf("label %d: got %v, want %v", k, got[k], want[k])
		}
	}
}
