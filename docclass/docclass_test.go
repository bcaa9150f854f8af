package docclass

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/taxonomy"
)

// synthDocs invents articles whose genre and frames follow from their
// words, so a model can learn them. No real data is used.
func synthDocs(n int, seed uint64) []Doc {
	rng := rand.New(rand.NewPCG(seed, 9))
	frames := taxonomy.Frames()
	var docs []Doc
	for i := 0; i < n; i++ {
		var b strings.Builder
		d := Doc{ID: fmt.Sprint(1000 + i)}
		b.WriteString("A made-up headline\n\n")
		switch rng.IntN(4) {
		case 0:
			d.Genre = taxonomy.GenreReporting
			b.WriteString("OSLO — The agency said on Monday, according to a statement, that it told reporters the figures. ")
		default:
			d.Genre = taxonomy.GenreOpinion
			b.WriteString("I think we must admit that our leaders are a disgrace, and you should be outraged! ")
		}
		for _, k := range []int{rng.IntN(len(frames)), rng.IntN(len(frames))} {
			f := frames[k]
			if len(d.Frames) == 0 || d.Frames[0] != f.Label {
				d.Frames = append(d.Frames, f.Label)
			}
			for _, c := range f.Cues {
				b.WriteString(c + "s ")
			}
		}
		d.Text = b.String()
		docs = append(docs, d)
	}
	return docs
}

func TestTrainGenreAndFramesDeterministic(t *testing.T) {
	t.Parallel()
	docs := synthDocs(60, 1)
	opt := Options{Seed: 2, Folds: 2, Workers: 1}
	var bytesOf [2][]byte
	var g *Genre
	for i := range bytesOf {
		var err error
		g, err = TrainGenre(context.Background(), docs, opt)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := g.M.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		bytesOf[i] = b.Bytes()
	}
	if !bytes.Equal(bytesOf[0], bytesOf[1]) {
		t.Fatal("same data and seed gave different genre models")
	}
	f, err := TrainFrames(context.Background(), docs, opt)
	if err != nil {
		t.Fatal(err)
	}
	test := synthDocs(40, 2)
	var gold, pred [][]string
	right := 0
	for _, d := range test {
		if g.Predict(d.Text).Label == d.Genre {
			right++
		}
		gold = append(gold, d.Frames)
		var ls []string
		for _, l := range f.Predict(d.Text) {
			if l.Score < 0 || l.Score > 1 {
				t.Fatalf("frame score %v", l.Score)
			}
			ls = append(ls, l.Label)
		}
		if len(ls) == 0 {
			t.Fatal("an article got no frame")
		}
		pred = append(pred, ls)
	}
	if right < 36 {
		t.Errorf("genre right on %d of 40 learnable test articles", right)
	}
	if m := MicroF1(gold, pred); m < 0.6 {
		t.Errorf("frames micro-F1 %.2f on learnable synthetic data", m)
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	if got := MacroF1([]int{0, 0, 1, 2}, []int{0, 0, 1, 1}, 3); math.Abs(got-(1+2.0/3+0)/3) > 1e-9 {
		t.Errorf("MacroF1 = %v", got)
	}
	if got := MicroF1([][]string{{"A", "B"}, {"C"}}, [][]string{{"A"}, {"C", "D"}}); math.Abs(got-2*2.0/(2*2+1+1)) > 1e-9 {
		t.Errorf("MicroF1 = %v", got)
	}
}

func TestDateline(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want float64
	}{
		{"Title\n\nCLEVELAND — Police said", 1},
		{"Title\nWASHINGTON (AP) - The", 1},
		{"Title\n\nThe mayor — who said", 0},
		{"no newline at all", 0},
		{"Title\n", 0},
	}
	for _, c := range cases {
		if got := dateline(c.in); got != c.want {
			t.Errorf("dateline(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestGenreThresholdsActAsWeights(t *testing.T) {
	t.Parallel()
	p := []float64{0.6, 0.2, 0.1}
	if k := argmaxWeighted(p, []float32{0.5, 0.5, 0.5}); k != 0 {
		t.Errorf("equal weights pick %d", k)
	}
	if k := argmaxWeighted(p, []float32{0.5, 0.1, 0.5}); k != 1 {
		t.Errorf("a low divisor should favour label 1, got %d", k)
	}
	m := &learn.Model{Labels: []string{"A", "B"}, Thresholds: []float32{0.9, 0.9}}
	if got := decodeFrames([]float64{0.3, 0.4}, m); len(got) != 1 || got[0].Label != "B" {
		t.Errorf("decodeFrames fallback = %v", got)
	}
}
