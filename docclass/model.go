package docclass

import (
	"context"
	"fmt"
	"sort"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/taxonomy"
)

// Genre predicts an article's genre. Its model has one label per genre; the
// genre with the highest probability divided by its threshold wins, so
// tuned thresholds act as class weights for the rare genres.
type Genre struct{ M *learn.Model }

// Predict returns the genre of an article text and its probability.
func (g *Genre) Predict(s string) slant.Label {
	return g.predict(genreVector(learn.NewBuilder(featureBits), s))
}

func (g *Genre) predict(x learn.Vector) slant.Label {
	p := g.M.Scores(x, nil)
	k := argmaxWeighted(p, g.M.Thresholds)
	return slant.Label{Label: g.M.Labels[k], Score: p[k]}
}

func argmaxWeighted(p []float64, t []float32) int {
	best, bv := 0, -1.0
	for k := range p {
		if v := p[k] / float64(max(t[k], 1e-3)); v > bv {
			best, bv = k, v
		}
	}
	return best
}

// Frames predicts the frames of an article.
type Frames struct{ M *learn.Model }

// Predict returns the frames whose probability reaches their threshold,
// most probable first; an article always gets at least its best frame,
// since every training article has one.
func (f *Frames) Predict(s string) []slant.Label {
	return decodeFrames(f.M.Scores(vector(learn.NewBuilder(featureBits), s), nil), f.M)
}

func decodeFrames(p []float64, m *learn.Model) []slant.Label {
	var out []slant.Label
	best := 0
	for k := range p {
		if p[k] >= float64(m.Thresholds[k]) {
			out = append(out, slant.Label{Label: m.Labels[k], Score: p[k]})
		}
		if p[k] > p[best] {
			best = k
		}
	}
	if len(out) == 0 && len(p) > 0 {
		out = append(out, slant.Label{Label: m.Labels[best], Score: p[best]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

// Options control training.
type Options struct {
	Seed    uint64
	Folds   int // inner folds for tuning thresholds (default 5)
	Workers int // parallel trainings (default 2)
}

func (o Options) withDefaults() Options {
	if o.Folds < 2 {
		o.Folds = 5
	}
	if o.Workers < 1 {
		o.Workers = 2
	}
	return o
}

func (o Options) learn() learn.Options { return learn.Options{Seed: o.Seed, Epochs: 8} }

// GenreLabels are the genre model's labels, in order.
func GenreLabels() []string {
	var out []string
	for _, g := range taxonomy.Genres() {
		out = append(out, g.Label)
	}
	return out
}

// FrameLabels are the frames model's labels, in order.
func FrameLabels() []string {
	var out []string
	for _, f := range taxonomy.Frames() {
		out = append(out, f.Label)
	}
	return out
}

// examples builds learn examples for docs with the labels of each.
func examples(docs []Doc, labels []string, of func(Doc) []string, vec func(*learn.Builder, string) learn.Vector) []learn.Example {
	idx := map[string]int{}
	for i, l := range labels {
		idx[l] = i
	}
	b := learn.NewBuilder(featureBits)
	out := make([]learn.Example, len(docs))
	for i, d := range docs {
		var ys []int
		for _, l := range of(d) {
			if k, ok := idx[l]; ok {
				ys = append(ys, k)
			}
		}
		sort.Ints(ys)
		out[i] = learn.Example{X: vec(b, d.Text), Y: ys}
	}
	return out
}

func genreOf(d Doc) []string  { return []string{d.Genre} }
func framesOf(d Doc) []string { return d.Frames }

// innerOOF returns out-of-fold probabilities of an inner cross-validation.
func innerOOF(docs []Doc, labels []string, data []learn.Example, opt Options) [][]float64 {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	folds := learn.Folds(ids, len(docs), opt.Folds, opt.Seed+1)
	return learn.CrossValidate(labels, 1<<featureBits, data, folds, opt.Folds, opt.learn(), opt.Workers)
}

// TrainGenre learns the genre model; class thresholds are tuned for macro-F1
// on an inner cross-validation.
func TrainGenre(ctx context.Context, docs []Doc, opt Options) (*Genre, error) {
	opt = opt.withDefaults()
	if len(docs) < opt.Folds {
		return nil, slant.Errorf(slant.EINVALID, "%d training articles, need at least %d", len(docs), opt.Folds)
	}
	labels := GenreLabels()
	data := examples(docs, labels, genreOf, genreVector)
	probs := innerOOFBalanced(docs, labels, data, opt)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gold := make([]int, len(data))
	for i, e := range data {
		gold[i] = -1
		if len(e.Y) > 0 {
			gold[i] = e.Y[0]
		}
	}
	m := learn.Train(labels, 1<<featureBits, balance(data, len(labels)), opt.learn())
	m.Thresholds = tuneGenre(probs, gold, len(labels))
	return &Genre{M: m}, nil
}

// genreGrid are the divisors tried for each genre after the first.
// They form a geometric grid (a divisor is an additive bias on the
// log-probability), fine enough to find the small shifts that turn a
// collapsed majority rule into a balanced one.
var genreGrid = func() []float32 {
	var g []float32
	for v := 0.01; v <= 20; v *= 1.25 {
		g = append(g, float32(v))
	}
	return g
}()

// tuneGenre picks per-genre divisors maximising macro-F1 by coordinate
// ascent, the first genre's divisor fixed at 0.5.
func tuneGenre(probs [][]float64, gold []int, L int) []float32 {
	t := make([]float32, L)
	for k := range t {
		t[k] = 0.5
	}
	pred := make([]int, len(probs))
	score := func() float64 {
		for i, p := range probs {
			pred[i] = argmaxWeighted(p, t)
		}
		return MacroF1(gold, pred, L)
	}
	best := score()
	for pass := 0; pass < 3; pass++ {
		for k := 1; k < L; k++ {
			for _, v := range genreGrid {
				old := t[k]
				t[k] = v
				if s := score(); s > best+1e-9 {
					best = s
				} else {
					t[k] = old
				}
			}
		}
	}
	return t
}

// MacroF1 is the mean over classes of each class's F1 (gold[i] < 0 counts
// as no class).
func MacroF1(gold, pred []int, L int) float64 {
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
	s := 0.0
	for k := 0; k < L; k++ {
		s += learn.F1(tp[k], fp[k], fn[k])
	}
	return s / float64(L)
}

// TrainFrames learns the frames model; thresholds are tuned for micro-F1 on
// an inner cross-validation.
func TrainFrames(ctx context.Context, docs []Doc, opt Options) (*Frames, error) {
	opt = opt.withDefaults()
	if len(docs) < opt.Folds {
		return nil, slant.Errorf(slant.EINVALID, "%d training articles, need at least %d", len(docs), opt.Folds)
	}
	labels := FrameLabels()
	data := examples(docs, labels, framesOf, vector)
	probs := innerOOF(docs, labels, data, opt)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m := learn.Train(labels, 1<<featureBits, data, opt.learn())
	m.Thresholds, _ = learn.TuneThresholds(probs, data, len(labels), 0.5, 0.1)
	return &Frames{M: m}, nil
}

// MicroF1 is micro-averaged F1 over (article, label) pairs.
func MicroF1(gold, pred [][]string) float64 {
	var tp, fp, fn float64
	for i := range gold {
		g := map[string]bool{}
		for _, l := range gold[i] {
			g[l] = true
		}
		for _, l := range pred[i] {
			if g[l] {
				tp++
				delete(g, l)
			} else {
				fp++
			}
		}
		fn += float64(len(g))
	}
	return learn.F1(tp, fp, fn)
}

// CVResult holds out-of-fold predictions and the official score.
type CVResult struct {
	Pred  [][]string // per doc: the genre, or the frames
	Score float64    // macro-F1 (genre) or micro-F1 (frames)
	// PerClass holds, for genre, one line per genre with its precision,
	// recall and F1.
	PerClass []string
}

// CrossValidate trains on k-1 folds and predicts the k-th (thresholds tuned
// inside each training run), for task "genre" or "frames".
func CrossValidate(ctx context.Context, task string, docs []Doc, k int, opt Options) (CVResult, error) {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	folds := learn.Folds(ids, len(docs), k, opt.Seed)
	res := CVResult{Pred: make([][]string, len(docs))}
	for f := 0; f < k; f++ {
		var train []Doc
		for i, d := range docs {
			if folds[i] != f {
				train = append(train, d)
			}
		}
		var predict func(string) []string
		switch task {
		case "genre":
			g, err := TrainGenre(ctx, train, opt)
			if err != nil {
				return res, err
			}
			predict = func(s string) []string { return []string{g.Predict(s).Label} }
		case "frames":
			fr, err := TrainFrames(ctx, train, opt)
			if err != nil {
				return res, err
			}
			predict = func(s string) []string {
				var out []string
				for _, l := range fr.Predict(s) {
					out = append(out, l.Label)
				}
				return out
			}
		default:
			return res, fmt.Errorf("unknown task %q", task)
		}
		for i, d := range docs {
			if folds[i] == f {
				res.Pred[i] = predict(d.Text)
			}
		}
	}
	if task == "genre" {
		labels := GenreLabels()
		idx := map[string]int{}
		for i, l := range labels {
			idx[l] = i
		}
		gold, pred := make([]int, len(docs)), make([]int, len(docs))
		for i, d := range docs {
			g, ok := idx[d.Genre]
			if !ok {
				g = -1
			}
			gold[i], pred[i] = g, idx[res.Pred[i][0]]
		}
		res.Score = MacroF1(gold, pred, len(labels))
		p, r, f1 := ClassScores(gold, pred, len(labels))
		for k, l := range labels {
			n := 0
			for _, g := range gold {
				if g == k {
					n++
				}
			}
			res.PerClass = append(res.PerClass, fmt.Sprintf("%-10s P %.3f R %.3f F1 %.3f (n=%d)", l, p[k], r[k], f1[k], n))
		}
	} else {
		gold := make([][]string, len(docs))
		for i, d := range docs {
			gold[i] = d.Frames
		}
		res.Score = MicroF1(gold, res.Pred)
	}
	return res, nil
}
