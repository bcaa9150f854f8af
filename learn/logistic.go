package learn

import (
	"math"
	"math/rand/v2"
)

// Options control training of a Model.
type Options struct {
	// Epochs over the data (default 12).
	Epochs int
	// Rate is the AdaGrad base learning rate (default 0.2).
	Rate float64
	// L2 is the per-update L2 penalty on touched weights (default 1e-5).
	L2 float64
	// PosWeight scales the loss of positive examples of every label, to
	// counter rare labels; 0 means the default: sqrt(negatives/positives)
	// per label, capped at 10.
	PosWeight float64
	// Seed fixes the example order so training is reproducible.
	Seed uint64
}

func (o Options) withDefaults() Options {
	if o.Epochs <= 0 {
		o.Epochs = 12
	}
	if o.Rate <= 0 {
		o.Rate = 0.2
	}
	if o.L2 < 0 {
		o.L2 = 0
	} else if o.L2 == 0 {
		o.L2 = 1e-5
	}
	return o
}

// Model is a one-vs-rest logistic regression over hashed features: one
// independent binary classifier per label, sharing the feature space.
type Model struct {
	Labels []string
	Dim    int
	// W holds the weights interleaved by feature: W[i*L+k] is feature i's
	// weight for label k, so scoring a vector touches one run per feature.
	W    []float32
	Bias []float32
	// Thresholds are the per-label decision thresholds on the probability
	// (0.5 unless tuned).
	Thresholds []float32
	// Meta holds free-form facts saved with the model (data set, scores).
	Meta map[string]string
}

// Example is a training example: features and the indices of its labels.
type Example struct {
	X Vector
	Y []int
}

// Train fits a model with the given labels on examples whose features have
// dimension dim. Training is deterministic for the same inputs and seed.
func Train(labels []string, dim int, data []Example, opt Options) *Model {
	opt = opt.withDefaults()
	L := len(labels)
	m := &Model{Labels: labels, Dim: dim, W: make([]float32, dim*L), Bias: make([]float32, L), Thresholds: make([]float32, L)}
	for k := range m.Thresholds {
		m.Thresholds[k] = 0.5
	}
	if len(data) == 0 {
		return m
	}
	pos := make([]float64, L)
	for _, e := range data {
		for _, y := range e.Y {
			pos[y]++
		}
	}
	pw := make([]float64, L)
	for k := range pw {
		switch {
		case opt.PosWeight > 0:
			pw[k] = opt.PosWeight
		case pos[k] > 0:
			pw[k] = math.Min(10, math.Sqrt((float64(len(data))-pos[k])/pos[k]))
			pw[k] = math.Max(1, pw[k])
		default:
			pw[k] = 1
		}
		// Start the bias at the label's prior log-odds so rare labels do not
		// spend the first epoch learning that they are rare.
		p := (pos[k] + 0.5) / (float64(len(data)) + 1)
		m.Bias[k] = float32(math.Log(p / (1 - p)))
	}

	// AdaGrad accumulators, per weight and per bias.
	g2 := make([]float32, dim*L)
	b2 := make([]float64, L)
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	isPos := make([]bool, L)
	grad := make([]float64, L)
	for ep := 0; ep < opt.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, idx := range order {
			e := data[idx]
			for _, y := range e.Y {
				isPos[y] = true
			}
			// Scores for every label in one pass over the features.
			for k := 0; k < L; k++ {
				grad[k] = float64(m.Bias[k])
			}
			for _, f := range e.X {
				row := m.W[int(f.Index)*L : int(f.Index)*L+L]
				for k, w := range row {
					grad[k] += float64(w) * float64(f.Value)
				}
			}
			for k := 0; k < L; k++ {
				p := sigmoid(grad[k])
				if isPos[k] {
					grad[k] = (p - 1) * pw[k]
				} else {
					grad[k] = p
				}
			}
			for _, f := range e.X {
				base := int(f.Index) * L
				for k := 0; k < L; k++ {
					g := grad[k]*float64(f.Value) + opt.L2*float64(m.W[base+k])
					if g == 0 {
						continue
					}
					g2[base+k] += float32(g * g)
					m.W[base+k] -= float32(opt.Rate * g / math.Sqrt(float64(g2[base+k])+1e-8))
				}
			}
			for k := 0; k < L; k++ {
				b2[k] += grad[k] * grad[k]
				m.Bias[k] -= float32(opt.Rate * grad[k] / math.Sqrt(b2[k]+1e-8))
			}
			for _, y := range e.Y {
				isPos[y] = false
			}
		}
	}
	return m
}

// Scores writes each label's probability for x into out (len(out) must be
// len(m.Labels)) and returns out; a nil out is allocated.
func (m *Model) Scores(x Vector, out []float64) []float64 {
	L := len(m.Labels)
	if out == nil {
		out = make([]float64, L)
	}
	for k := 0; k < L; k++ {
		out[k] = float64(m.Bias[k])
	}
	for _, f := range x {
		i := int(f.Index)
		if i >= m.Dim {
			continue
		}
		row := m.W[i*L : i*L+L]
		for k, w := range row {
			out[k] += float64(w) * float64(f.Value)
		}
	}
	for k := range out {
		out[k] = sigmoid(out[k])
	}
	return out
}

// Predict returns the indices of the labels whose probability reaches their
// threshold, with all probabilities.
func (m *Model) Predict(x Vector) (labels []int, probs []float64) {
	probs = m.Scores(x, nil)
	for k, p := range probs {
		if p >= float64(m.Thresholds[k]) {
			labels = append(labels, k)
		}
	}
	return labels, probs
}

// LabelIndex returns the index of a label name, or -1.
func (m *Model) LabelIndex(name string) int {
	for i, l := range m.Labels {
		if l == name {
			return i
		}
	}
	return -1
}

func sigmoid(z float64) float64 {
	if z < -30 {
		return 1e-13
	}
	if z > 30 {
		return 1 - 1e-13
	}
	return 1 / (1 + math.Exp(-z))
}
