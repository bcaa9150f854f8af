package learn

import "math"

// Accumulator builds hashed feature vectors like Builder (the same FNV-1a
// indices for the same names) for hot paths: a dense slot table instead of a
// map, and an unsorted vector that is reused instead of allocated. Model.Scores
// and Model.AddLogits need neither sorted nor unique indices, and Train needs
// unique ones, which Accumulator gives. Not safe for concurrent use.
type Accumulator struct {
	mask uint32
	slot []int32 // index -> 1 + position in v, 0 when absent
	v    Vector
}

// NewAccumulator returns an accumulator for vectors of 2^bits dimensions.
// It holds a table of 2^bits slots, so keep one per goroutine and reuse it.
func NewAccumulator(bits uint) *Accumulator {
	return &Accumulator{mask: uint32(1)<<bits - 1, slot: make([]int32, 1<<bits), v: make(Vector, 0, 256)}
}

func (a *Accumulator) add(h uint32, v float32) {
	h &= a.mask
	if s := a.slot[h]; s != 0 {
		a.v[s-1].Value += v
		return
	}
	a.v = append(a.v, Feature{h, v})
	a.slot[h] = int32(len(a.v))
}

// Add adds v to the feature called name (Builder.Add's index).
func (a *Accumulator) Add(name string, v float32) { a.add(fnv32(name), v) }

// AddPrefixed adds v to the feature prefix+name (Builder.AddPrefixed's index).
func (a *Accumulator) AddPrefixed(prefix, name string, v float32) {
	a.add(fnvAdd(fnvAdd(offset32, prefix), name), v)
}

// AddPair adds v to the feature prefix+a+" "+c (Builder.AddPair's index).
func (a *Accumulator) AddPair(prefix, x, c string, v float32) {
	a.add(fnvAdd(fnvAdd(fnvAdd(fnvAdd(offset32, prefix), x), " "), c), v)
}

// Len returns the number of distinct features accumulated.
func (a *Accumulator) Len() int { return len(a.v) }

// Reset empties the accumulator; it costs the number of features added, not
// the dimension.
func (a *Accumulator) Reset() {
	for _, f := range a.v {
		a.slot[f.Index] = 0
	}
	a.v = a.v[:0]
}

// Vector returns the accumulated features in insertion order, scaled to unit
// L2 norm when norm is true (in float32, as Builder.Vector does). The vector
// aliases the accumulator's storage: it is valid until the next Reset or Add;
// use AppendVector to keep it.
func (a *Accumulator) Vector(norm bool) Vector {
	if norm {
		var ss float64
		for _, f := range a.v {
			ss += float64(f.Value) * float64(f.Value)
		}
		if ss > 0 {
			inv := float32(1 / math.Sqrt(ss))
			for i := range a.v {
				a.v[i].Value *= inv
			}
		}
	}
	return a.v
}

// AppendVector appends the accumulated features (see Vector), each value
// multiplied by w, to dst and returns it.
func (a *Accumulator) AppendVector(dst Vector, norm bool, w float32) Vector {
	for _, f := range a.Vector(norm) {
		dst = append(dst, Feature{f.Index, f.Value * w})
	}
	return dst
}

// AddLogits adds w times the model's raw scores of x (without bias or
// sigmoid) to out, one per label. x may be unsorted and repeat indices:
// contributions add up. Indices beyond the model's dimension are ignored.
func (m *Model) AddLogits(out []float64, x Vector, w float64) {
	L := len(m.Labels)
	for _, f := range x {
		i := int(f.Index)
		if i >= m.Dim {
			continue
		}
		v := float64(f.Value) * w
		row := m.W[i*L : i*L+L]
		for k, wt := range row {
			out[k] += float64(wt) * v
		}
	}
}

// Probabilities turns raw scores accumulated by AddLogits into
// probabilities in place: it adds each label's bias and applies the sigmoid,
// so that AddLogits then Probabilities equals Scores.
func (m *Model) Probabilities(out []float64) []float64 {
	for k := range out {
		out[k] = sigmoid(out[k] + float64(m.Bias[k]))
	}
	return out
}
